#pragma once
// BODS importer: statements (0.4, 0.3, 0.2, mixed) from a JSON array package or JSON lines.
//
// Mapping:
// - entity (registeredEntity, legalEntity, arrangement) -> kCompany; state -> kState;
//   stateBody -> kStateBody; anonymousEntity / unknownEntity -> kUnknown. Country from the
//   jurisdiction code (for a state or state body: the state it belongs to).
// - person: knownPerson -> kPerson; anonymousPerson / unknownPerson -> kUnknown; country from the
//   first nationality.
// - relationship: one edge per interest, owner = interested party, owned = subject; shares in
//   percent become fractions; "indirect" interests get Edge::direct = false. An unspecified
//   interested party becomes a kUnknown entity of its own ("bods:<record>#unspecified") so the
//   stake is not lost. A relationship without interests becomes one kDeclaredController edge
//   with an unknown share.
// - Updates: statements of one record (0.4 recordId; 0.2/0.3 replacesStatements chains) are
//   replaced by the latest (statementDate, then file order). A closed relationship keeps its
//   edges with an end date (the interest's endDate, else the closing statement's date).
// - Entity ids: "bods:<recordId>" (0.4) or "bods:<first statementID of the chain>" (0.2/0.3).
// - References to records not in the file are errors; in lenient mode a kUnknown placeholder
//   entity stands in for the missing record.

#include "core/result.h"
#include "domain/ownership.h"
#include "formats/byte_source.h"
#include "formats/internal/issues.h"

namespace pw::formats::bods {

core::Result<domain::OwnershipDataset> import(ByteSource& source, internal::IssueCollector& issues);

}  // namespace pw::formats::bods
