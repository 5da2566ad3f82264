#pragma once
// FollowTheMoney importer (OpenSanctions exports): entities as JSON lines or a JSON array,
// {"id": ..., "schema": ..., "properties": {"name": [...], ...}}.
//
// Mapping:
// - Company, Organization, LegalEntity -> kCompany; PublicBody -> kStateBody; Person -> kPerson.
//   Name: first `name` (a person without one: firstName lastName). Country: first valid code of
//   `jurisdiction`, `country`, `mainCountry`.
// - Identifiers (exact-match keys for merge): leiCode -> "lei"; uscCode -> "cn-uscc";
//   innCode -> "ru-inn"; ogrnCode -> "ru-ogrn"; okpoCode -> "ru-okpo"; swiftBic -> "swift-bic";
//   dunsCode -> "duns"; permId -> "permid"; registrationNumber -> "registration-<cc>" (the
//   entity's country, lowercase; "registration" when unknown) because FtM does not say which
//   register issued the number.
// - Ownership -> one kShareholding edge owner -> asset. `percentage` is free text read by
//   parse_percentage_text; unreadable text gives Share::unknown() and a warning. Partial dates
//   ("2021", "2021-04") are widened to the period (start: its first day; end: the day after).
//   An unreadable date is dropped with a warning (the edge is kept: a missing end overstates
//   exposure rather than hiding it).
// - Other schemas (Address, Sanction, Directorship, Vessel, ...) are counted as ignored; an
//   Ownership of a non-legal asset (Vessel, RealEstate, ...) is ignored with a warning.
// - Duplicate ids: the later record is skipped with an error. References to ids not in the file
//   are errors; in lenient mode a kUnknown placeholder stands in.

#include "core/result.h"
#include "domain/ownership.h"
#include "formats/byte_source.h"
#include "formats/internal/issues.h"

namespace pw::formats::ftm {

core::Result<domain::OwnershipDataset> import(ByteSource& source, internal::IssueCollector& issues);

}  // namespace pw::formats::ftm
