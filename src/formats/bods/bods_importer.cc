// Statements -> dataset. Statements are kept (compactly, owning their strings) until the end of
// the input because a relationship may precede the entities it names and a later statement may
// replace an earlier one.

#include "formats/bods/bods_importer.h"

#include <algorithm>
#include <memory>
#include <numeric>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "formats/bods/statement.h"
#include "formats/internal/dataset_builder.h"
#include "formats/internal/json_records.h"

namespace pw::formats::bods {
namespace {

using internal::IssueCollector;
using internal::RecordRef;

// Keys are views of strings inside a StatementStore, whose elements never move.
using ViewMap = std::unordered_map<std::string_view, std::size_t>;

// Statements in fixed blocks: elements never move (so maps may hold views of their strings)
// and a file's statements cost one allocation per block, not one per statement.
class StatementStore {
 public:
  std::size_t size() const { return size_; }
  Statement& operator[](std::size_t i) { return blocks_[i / kBlock][i % kBlock]; }
  const Statement& operator[](std::size_t i) const { return blocks_[i / kBlock][i % kBlock]; }
  const Statement& push_back(Statement&& s) {
    if (size_ % kBlock == 0) blocks_.push_back(std::make_unique<Statement[]>(kBlock));
    Statement& slot = (*this)[size_++];
    slot = std::move(s);
    return slot;
  }

 private:
  static constexpr std::size_t kBlock = 1024;
  std::vector<std::unique_ptr<Statement[]>> blocks_;
  std::size_t size_ = 0;
};

std::string_view kind_name(StatementKind k) {
  switch (k) {
    case StatementKind::kEntity:
      return "an entity";
    case StatementKind::kPerson:
      return "a person";
    case StatementKind::kRelationship:
      return "a relationship";
  }
  return "a statement";
}

class Assembler {
 public:
  explicit Assembler(IssueCollector& issues) : issues_(issues) {}

  // Sizes the indexes for about `records` statements (a hint; growing past it is fine).
  void reserve(std::size_t records) {
    by_key_.reserve(records);
    by_statement_id_.reserve(records);
    parent_.reserve(records);
  }
  core::Status add(ParsedStatement parsed);
  core::Result<domain::OwnershipDataset> finish();

 private:
  std::size_t root(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void unite(std::size_t a, std::size_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  // Orders statements of one record: the later statementDate wins, then the later in the file.
  bool later(std::size_t a, std::size_t b) const {
    const Statement& x = statements_[a];
    const Statement& y = statements_[b];
    return std::tie(x.date, x.date_text, a) > std::tie(y.date, y.date_text, b);
  }
  core::Status add_entity(std::size_t index);
  core::Status add_relationship(const Statement& s);
  // The entity id a relationship's reference resolves to, creating a placeholder if the record
  // is not in the file; empty (after reporting) if the reference names a relationship.
  core::Result<std::string> resolve(const Statement& s, const std::string& key,
                                    std::string_view field);

  IssueCollector& issues_;
  StatementStore statements_;
  std::vector<std::size_t> parent_;
  ViewMap by_key_;           // statement key -> first statement with it
  ViewMap by_statement_id_;  // statement id -> statement
  // Per group root, after finish() grouped them: the winning statement and the entity id.
  std::vector<std::size_t> winner_;
  std::vector<std::string> entity_id_;
  internal::DatasetBuilder builder_;
};

core::Status Assembler::add(ParsedStatement parsed) {
  Statement& s = parsed.statement;
  for (auto& w : parsed.warnings) issues_.warning(s.ref, std::move(w.field), std::move(w.message));
  if (!s.statement_id.empty()) {
    if (auto it = by_statement_id_.find(s.statement_id); it != by_statement_id_.end()) {
      ++issues_.summary().records_skipped;
      return issues_.error(s.ref, s.field_prefix.empty() ? "statementID" : "statementId",
                           "duplicate statement id '" + s.statement_id + "' (first in record " +
                               std::to_string(statements_[it->second].ref.number) + "); skipped");
    }
  }
  const auto same_key = by_key_.find(s.key);
  if (same_key != by_key_.end()) {
    const Statement& first = statements_[same_key->second];
    if (first.kind != s.kind) {
      ++issues_.summary().records_skipped;
      return issues_.error(s.ref, "recordType",
                           "record '" + s.public_id + "' is " + std::string(kind_name(first.kind)) +
                               " (record " + std::to_string(first.ref.number) +
                               ") and cannot become " + std::string(kind_name(s.kind)) +
                               "; skipped");
    }
  }
  for (auto& e : parsed.errors)
    PW_TRY(issues_.error(s.ref, std::move(e.field), std::move(e.message)));
  const std::size_t index = statements_.size();
  const Statement& stored = statements_.push_back(std::move(s));
  parent_.push_back(index);
  if (!stored.statement_id.empty()) by_statement_id_.emplace(stored.statement_id, index);
  if (same_key == by_key_.end()) {
    by_key_.emplace(stored.key, index);
  } else {
    unite(index, same_key->second);
  }
  return core::ok();
}

core::Result<std::string> Assembler::resolve(const Statement& s, const std::string& key,
                                             std::string_view field) {
  const std::string_view public_id = std::string_view(key).substr(2);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) {
    const std::string id = "bods:" + std::string(public_id);
    PW_TRY(issues_.error(s.ref, s.field_prefix + std::string(field),
                         "'" + std::string(public_id) +
                             "' refers to no statement in this file; an unknown entity stands "
                             "in for it"));
    domain::Entity placeholder;
    placeholder.id = id;
    placeholder.kind = domain::EntityKind::kUnknown;
    placeholder.source = issues_.source(s.ref);
    builder_.add_placeholder(std::move(placeholder), issues_.summary());
    return id;
  }
  const std::size_t group = root(it->second);
  const Statement& target = statements_[winner_[group]];
  if (target.kind == StatementKind::kRelationship) {
    PW_TRY(issues_.error(
        s.ref, s.field_prefix + std::string(field),
        "'" + std::string(public_id) + "' is a relationship, not an entity or person; skipped"));
    return std::string();
  }
  return entity_id_[group];
}

core::Status Assembler::add_entity(std::size_t index) {
  // The winning statement is read for the last time here: its strings move into the entity.
  Statement& s = statements_[index];
  domain::Entity e;
  e.id = entity_id_[root(index)];
  e.kind = s.entity_kind;
  e.name = std::move(s.name);
  e.country = std::move(s.country);
  e.identifiers = std::move(s.identifiers);
  e.source = issues_.source(s.ref);
  builder_.add_entity(std::move(e));  // ids are unique per group by construction
  return core::ok();
}

core::Status Assembler::add_relationship(const Statement& s) {
  PW_ASSIGN_OR_RETURN(std::string owned, resolve(s, s.subject, "subject"));
  if (owned.empty()) return core::ok();
  std::string owner;
  if (!s.interested_party.empty()) {
    PW_ASSIGN_OR_RETURN(owner, resolve(s, s.interested_party, "interestedParty"));
    if (owner.empty()) return core::ok();
  } else {
    domain::Entity unknown;
    unknown.id = "bods:" + s.public_id + "#unspecified";
    unknown.kind = domain::EntityKind::kUnknown;
    unknown.name = "unspecified interested party (" + s.unspecified_reason + ")";
    unknown.source = issues_.source(s.ref);
    owner = unknown.id;
    builder_.add_entity(std::move(unknown));
  }
  std::optional<domain::Date> closed_on;
  if (s.closed) {
    closed_on = s.date;
    if (!closed_on) {
      issues_.warning(s.ref, "statementDate",
                      "closed relationship without a statement date; interests without an "
                      "endDate are kept open");
    }
  }
  auto make_edge = [&](domain::Interest interest) {
    domain::Edge edge;
    edge.owner = owner;
    edge.owned = owned;
    edge.interest = interest;
    edge.source = issues_.source(s.ref);
    return edge;
  };
  if (s.interests_stated == 0) {
    domain::Edge edge = make_edge(domain::Interest::kDeclaredController);
    edge.end = closed_on;
    return builder_.add_edge(std::move(edge), s.ref, s.field_prefix + "interests", issues_);
  }
  for (const InterestRecord& interest : s.interests) {
    domain::Edge edge = make_edge(interest.interest);
    edge.share = interest.share;
    edge.direct = interest.direct;
    edge.start = interest.start;
    edge.end = interest.end ? interest.end : closed_on;
    PW_TRY(builder_.add_edge(std::move(edge), s.ref,
                             s.field_prefix + "interests[" + std::to_string(interest.index) + "]",
                             issues_));
  }
  return core::ok();
}

core::Result<domain::OwnershipDataset> Assembler::finish() {
  for (std::size_t i = 0; i < statements_.size(); ++i) {
    for (const std::string& replaced : statements_[i].replaces) {
      if (auto it = by_key_.find(replaced); it != by_key_.end()) unite(i, it->second);
    }
  }
  const std::size_t n = statements_.size();
  winner_.assign(n, n);
  entity_id_.assign(n, {});
  std::vector<std::size_t> first(n, n);  // per root: the earliest statement (the record's id)
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t g = root(i);
    if (winner_[g] == n || later(i, winner_[g])) winner_[g] = i;
    if (first[g] == n || later(first[g], i)) first[g] = i;
  }
  for (std::size_t g = 0; g < n; ++g) {
    if (root(g) != g) {
      ++issues_.summary().records_superseded;
      continue;
    }
    entity_id_[g] = "bods:" + statements_[first[g]].public_id;
  }
  // A 0.2/0.3 replacement chain must not change a record's type (0.4 is checked on arrival).
  for (std::size_t i = 0; i < n; ++i) {
    const Statement& w = statements_[winner_[root(i)]];
    if (statements_[i].kind != w.kind) {
      PW_TRY(issues_.error(w.ref, "replacesStatements",
                           "replaces '" + statements_[i].public_id + "', which is " +
                               std::string(kind_name(statements_[i].kind)) + ", with " +
                               std::string(kind_name(w.kind))));
    }
  }
  std::size_t parties = 0, interests = 0;
  for (std::size_t g = 0; g < n; ++g) {
    if (root(g) != g) continue;
    const Statement& w = statements_[winner_[g]];
    if (w.kind == StatementKind::kRelationship) {
      interests += std::max<std::size_t>(w.interests.size(), 1);
    } else {
      ++parties;
    }
  }
  builder_.reserve(parties, interests);
  for (std::size_t g = 0; g < n; ++g) {
    if (root(g) == g && statements_[winner_[g]].kind != StatementKind::kRelationship) {
      PW_TRY(add_entity(winner_[g]));
    }
  }
  for (std::size_t g = 0; g < n; ++g) {
    if (root(g) == g && statements_[winner_[g]].kind == StatementKind::kRelationship) {
      PW_TRY(add_relationship(statements_[winner_[g]]));
    }
  }
  return builder_.take();
}

}  // namespace

core::Result<domain::OwnershipDataset> import(ByteSource& source, IssueCollector& issues) {
  Assembler assembler(issues);
  // A statement takes 500 bytes or more in practice; the hint only sizes hash tables.
  assembler.reserve(static_cast<std::size_t>(
      std::min<std::uint64_t>(source.size_hint() / 500, std::uint64_t{1} << 26)));
  PW_TRY(internal::read_json_records(
      source, issues,
      [&](simdjson::ondemand::object& record, const RecordRef& ref) -> core::Status {
        auto parsed = parse_statement(record, ref);
        if (!parsed) {
          ++issues.summary().records_skipped;
          return issues.error(ref, std::move(parsed.error().field),
                              std::move(parsed.error().message));
        }
        return assembler.add(std::move(*parsed));
      }));
  return assembler.finish();
}

}  // namespace pw::formats::bods
