#pragma once
// One BODS statement reduced to what the ownership model needs, whichever BODS version wrote it
// (0.4: recordType/recordId/recordDetails; 0.2 and 0.3: statementType/statementID with the
// details at the top level). Owns its strings, so a whole file's statements can be kept until
// references and updates are resolved at the end.

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "domain/ownership.h"
#include "formats/internal/issues.h"
#include "formats/internal/json_fields.h"

namespace pw::formats::bods {

enum class StatementKind { kEntity, kPerson, kRelationship };

struct InterestRecord {
  domain::Interest interest = domain::Interest::kOtherInfluence;
  domain::Share share;
  bool direct = true;
  std::optional<domain::Date> start;
  std::optional<domain::Date> end;
  std::size_t index = 0;  // position in `interests`, for messages
};

struct Statement {
  // Statements of one record share a key: "r:<recordId>" (0.4). A 0.2/0.3 statement has its own
  // key "s:<statementID>" and joins its record through `replaces`.
  std::string key;
  std::string public_id;              // recordId (0.4) or statementID (0.2/0.3)
  std::string statement_id;           // statementId / statementID; empty if absent
  std::vector<std::string> replaces;  // keys of the statements this one replaces (0.2/0.3)
  StatementKind kind = StatementKind::kEntity;
  bool closed = false;  // 0.4 recordStatus "closed"
  std::optional<domain::Date> date;
  std::string date_text;  // raw statementDate, to order two statements of one day
  internal::RecordRef ref;
  std::string field_prefix;  // "recordDetails." for 0.4, "" for 0.2/0.3 (for messages)

  // Entity or person.
  domain::EntityKind entity_kind = domain::EntityKind::kCompany;
  std::string name;
  std::string country;
  std::vector<domain::Identifier> identifiers;

  // Relationship: keys of the referenced statements; `interested_party` is empty when the
  // statement says the party is unspecified (then `unspecified_reason` says why).
  std::string subject;
  std::string interested_party;
  std::string unspecified_reason;
  std::vector<InterestRecord> interests;
  std::size_t interests_stated = 0;  // elements of `interests` in the input, good or bad
};

// What parsing one statement produced: the statement, plus problems confined to a part of it
// (an interest dropped because its share is invalid: `errors`; an approximation: `warnings`).
struct ParsedStatement {
  Statement statement;
  std::vector<internal::FieldError> errors;
  std::vector<internal::FieldError> warnings;
};

// Parses a statement. A returned FieldError means the statement is unusable as a whole.
internal::FieldResult<ParsedStatement> parse_statement(simdjson::ondemand::object& record,
                                                       const internal::RecordRef& ref);

}  // namespace pw::formats::bods
