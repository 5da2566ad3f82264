#pragma once
// One BODS statement reduced to what the ownership model needs, whichever BODS version wrote it
// (0.4: recordType/recordId/recordDetails; 0.2 and 0.3: statementType/statementID with the
// details at the top level).
//
// A parsed statement borrows: its strings and lists view the JSON parser's buffer and the
// StatementParser's scratch, and are valid until that parser parses the next record. The
// importer copies what it keeps (compactly, into arenas) before then; this way a file's 10^6
// statements cost no allocation each on the way in and no free each at the end.

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/ownership.h"
#include "formats/internal/issues.h"
#include "formats/internal/json_fields.h"

namespace pw::formats::bods {

enum class StatementKind : std::uint8_t { kEntity, kPerson, kRelationship };

struct InterestRecord {
  domain::Interest interest = domain::Interest::kOtherInfluence;
  domain::Share share;
  bool direct = true;
  std::optional<domain::Date> start;
  std::optional<domain::Date> end;
  std::size_t index = 0;  // position in `interests`, for messages
};

struct ParsedStatement {
  // 0.4 statements of one record share a key "r:<recordId>"; a 0.2/0.3 statement has its own
  // key "s:<statementID>" and joins its record through `replaces`. References are keyed the same
  // way as the statement that makes them.
  bool v04 = false;
  std::string_view public_id;                  // recordId (0.4) or statementID (0.2/0.3)
  std::string_view statement_id;               // statementId / statementID; empty if absent
  std::span<const std::string_view> replaces;  // statementIDs this one replaces (0.2/0.3)
  StatementKind kind = StatementKind::kEntity;
  bool closed = false;  // 0.4 recordStatus "closed"
  std::optional<domain::Date> date;
  std::string_view date_text;  // raw statementDate, to order two statements of one day
  internal::RecordRef ref;

  // Entity or person. The identifiers may be moved from.
  domain::EntityKind entity_kind = domain::EntityKind::kCompany;
  std::string_view name;
  std::string country;
  std::span<domain::Identifier> identifiers;

  // Relationship: public ids of the referenced statements; `interested_party` is empty when the
  // statement says the party is unspecified (then `unspecified_reason` says why).
  std::string_view subject;
  std::string_view interested_party;
  std::string_view unspecified_reason;
  std::span<const InterestRecord> interests;
  std::size_t interests_stated = 0;  // elements of `interests` in the input, good or bad

  // Problems confined to a part of the statement (an interest dropped because its share is
  // invalid: `errors`; an approximation: `warnings`).
  std::vector<internal::FieldError> errors;
  std::vector<internal::FieldError> warnings;

  // "r:" (0.4) or "s:" (0.2/0.3): the prefix of this statement's key and of its references' keys.
  std::string_view key_prefix() const { return v04 ? "r:" : "s:"; }
  // "recordDetails." for 0.4, "" for 0.2/0.3 (for messages).
  std::string_view field_prefix() const { return v04 ? "recordDetails." : ""; }
};

// Parses statements one at a time, reusing its scratch between them. Not thread-safe.
class StatementParser {
 public:
  StatementParser();
  ~StatementParser();
  StatementParser(const StatementParser&) = delete;
  StatementParser& operator=(const StatementParser&) = delete;

  // Parses a statement. A returned FieldError means the statement is unusable as a whole. The
  // result borrows from `record`'s parser and from this object until the next call.
  internal::FieldResult<ParsedStatement> parse(simdjson::ondemand::object& record,
                                               const internal::RecordRef& ref);

 private:
  struct Scratch;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace pw::formats::bods
