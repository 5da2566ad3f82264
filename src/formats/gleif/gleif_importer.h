#pragma once
// GLEIF importer: golden-copy LEI records (Level 1), relationship records (Level 2, RR-CDF) and
// reporting exceptions, as XML (streamed with Expat) or JSON (a golden-copy array or JSON
// lines, streamed with simdjson). The kind of each record is recognised from its content, so
// one input may mix them; XML or JSON is picked from the first non-space byte.
//
// Mapping (entity ids "gleif:<LEI>"):
// - LEI record -> entity: LegalName, country from LegalJurisdiction (else the legal address);
//   EntityCategory RESIDENT_GOVERNMENT_ENTITY -> kStateBody, otherwise kCompany; identifiers
//   "lei" and the registration authority's ("gleif-<ra id>", e.g. "gleif-ra000665"). ANNULLED
//   and DUPLICATE registrations are ignored with a warning.
// - Relationship record "A <type> B" -> edge owner B, owned A:
//   IS_DIRECTLY_CONSOLIDATED_BY -> kConsolidation; IS_ULTIMATELY_CONSOLIDATED_BY ->
//   kUltimateParent (a shortcut, never summed with paths); IS_FUND-MANAGED_BY, IS_SUBFUND_OF,
//   IS_FEEDER_TO, IS_INTERNATIONAL_BRANCH_OF -> kOtherInfluence. The share is unknown unless a
//   RelationshipQuantifier in PERCENTAGE gives it (ACCOUNTING_CONSOLIDATION preferred).
//   Validity from the RELATIONSHIP_PERIOD; an INACTIVE relationship without an end date ends at
//   the record's LastUpdateDate. LEIs without an LEI record in the input get a placeholder
//   kCompany entity carrying the "lei" identifier, which merge() later joins to the full record.
// - Reporting exception: NATURAL_PERSONS, NON_PUBLIC, NO_LEI and the legacy non-disclosure
//   reasons signal an undisclosed parent -> a kUnknown entity "gleif:<LEI>#direct-parent" /
//   "#ultimate-parent" with a kConsolidation / kUltimateParent edge of unknown share.
//   NON_CONSOLIDATING and NO_KNOWN_PERSON say there is no parent: counted as ignored.
// - XML with a DOCTYPE is rejected (no DTD, no entity expansion, ever).

#include "core/result.h"
#include "domain/ownership.h"
#include "formats/byte_source.h"
#include "formats/internal/issues.h"

namespace pw::formats::gleif {

core::Result<domain::OwnershipDataset> import(ByteSource& source, internal::IssueCollector& issues);

}  // namespace pw::formats::gleif
