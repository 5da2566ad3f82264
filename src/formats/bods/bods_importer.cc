// Statements -> dataset. Statements are kept until the end of the input because a relationship
// may precede the entities it names and a later statement may replace an earlier one.
//
// How it stays fast at 10^6-10^7 statements (docs/PERFORMANCE.md, "Import"):
// - every statement key ("r:<recordId>", "s:<statementID>") is interned once, on arrival, into
//   a dense key id, references included; after the input, resolving a reference or a
//   replacement is a vector lookup by key id, not a hash lookup;
// - entities are added to the DatasetBuilder in group order and their positions remembered per
//   group, so edges are added by position (add_edge_between) without looking ids up again;
// - kept statements are compact and trivially destructible: their strings live in a
//   StringArena and their lists in block stores, so the end of the import frees a few thousand
//   blocks instead of millions of strings.

#include "formats/bods/bods_importer.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "formats/bods/statement.h"
#include "formats/internal/dataset_builder.h"
#include "formats/internal/flat_index.h"
#include "formats/internal/json_records.h"
#include "formats/internal/string_arena.h"
#include "formats/internal/string_interner.h"

namespace pw::formats::bods {
namespace {

using internal::IssueCollector;
using internal::RecordRef;
using EntityIndex = internal::DatasetBuilder::EntityIndex;

// Statement positions, key ids, entity positions and list offsets are 32-bit. The import stops
// with an error before a file reaches kMaxStatements statements (a file of some 500 GB) or
// kMaxItems keys or list elements, so that entity positions (at most one per statement and two
// per relationship: placeholders, unspecified parties) stay below the markers.
constexpr std::uint32_t kNone = 0xffffffffu;
constexpr std::size_t kMaxStatements = std::size_t{1} << 30;
constexpr std::size_t kMaxItems = std::size_t{kNone} - 2;
// What a reference's key resolves to when it is no entity (see Assembler::key_target_).
constexpr std::uint32_t kMissing = kNone;           // no statement has the key
constexpr std::uint32_t kRelationship = kNone - 1;  // the key's record is a relationship

// An append-only sequence in fixed blocks: elements never move, growing costs no copy, and a
// file's elements cost one allocation per block.
template <typename T, std::size_t kBlock>
class BlockStore {
 public:
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return blocks_[i / kBlock][i % kBlock]; }
  const T& operator[](std::size_t i) const { return blocks_[i / kBlock][i % kBlock]; }
  T& push_back(T&& value) {
    if (size_ % kBlock == 0) blocks_.push_back(std::make_unique<T[]>(kBlock));
    T& slot = (*this)[size_++];
    slot = std::move(value);
    return slot;
  }

 private:
  std::vector<std::unique_ptr<T[]>> blocks_;
  std::size_t size_ = 0;
};

// A kept statement. Strings view the Assembler's arena; `first`/`count` name a range of
// identifiers (entity, person) or interests (relationship) in the Assembler's stores.
struct Stored {
  RecordRef ref;
  std::optional<domain::Date> date;
  std::string_view date_text;
  std::string_view statement_id;  // empty if absent
  std::string_view name;          // entity or person
  std::string_view country;       // entity or person
  std::string_view unspecified_reason;
  std::uint32_t key = kNone;  // key id
  // Relationship: key ids of the references; interested_party is kNone when unspecified.
  std::uint32_t subject = kNone;
  std::uint32_t interested_party = kNone;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  std::uint32_t interests_stated = 0;
  std::uint32_t replaces_first = 0;  // key ids in replaced_ (0.2/0.3)
  std::uint32_t replaces_count = 0;
  StatementKind kind = StatementKind::kEntity;
  domain::EntityKind entity_kind = domain::EntityKind::kCompany;
  bool closed = false;
  bool v04 = false;

  std::string_view field_prefix() const { return v04 ? "recordDetails." : ""; }
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

std::string statement_id_field(bool v04) {
  return v04 ? "statementId" : "statementID";
}

class Assembler {
 public:
  explicit Assembler(IssueCollector& issues) : issues_(issues) {}
  Assembler(const Assembler&) = delete;
  Assembler& operator=(const Assembler&) = delete;

  // Sizes the indexes for about `records` statements (a hint; growing past it is fine).
  void reserve(std::size_t records) {
    keys_.reserve(records);
    key_first_.reserve(records);
    by_statement_id_.reserve(records);
    parent_.reserve(records);
  }
  // Keeps a statement (or reports why not). May move from parsed.identifiers.
  core::Status add(ParsedStatement& parsed);
  core::Result<domain::OwnershipDataset> finish();

 private:
  std::uint32_t root(std::uint32_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  // Orders statements of one record: the later statementDate wins, then the later in the file.
  bool later(std::uint32_t a, std::uint32_t b) const {
    const Stored& x = statements_[a];
    const Stored& y = statements_[b];
    return std::tie(x.date, x.date_text, a) > std::tie(y.date, y.date_text, b);
  }
  // Builds `prefix` + `public_id` in `out` and returns its hash, for intern_key.
  static std::uint32_t make_key(std::string& out, std::string_view prefix,
                                std::string_view public_id) {
    out.assign(prefix);
    out.append(public_id);
    return internal::StringInterner::hash(out);
  }
  // Whether keeping `s` keeps every position within 32 bits (see kMaxStatements).
  bool fits(const ParsedStatement& s) const {
    return statements_.size() < kMaxStatements &&
           keys_.size() + 3 + s.replaces.size() <= kMaxItems &&
           interests_.size() + s.interests.size() <= kMaxItems &&
           identifiers_.size() + s.identifiers.size() <= kMaxItems &&
           replaced_.size() + s.replaces.size() <= kMaxItems;
  }
  // The key id of `key` (whose hash is `h`), interning the key if it is new.
  std::uint32_t intern_key(std::string_view key, std::uint32_t h);
  std::string_view public_id(std::uint32_t key) const { return keys_.view(key).substr(2); }
  core::Status add_entity(std::uint32_t group, std::uint32_t index, std::uint32_t first);
  core::Status add_relationship(const Stored& s);
  // The entity a relationship's reference (a key id) resolves to, creating a placeholder if the
  // record is not in the file; kNone (after reporting) if the reference names a relationship.
  core::Result<EntityIndex> resolve(const Stored& s, std::uint32_t key, std::string_view field);

  struct StatementIdOf {
    const BlockStore<Stored, 4096>* statements;
    std::string_view operator()(std::uint32_t i) const { return (*statements)[i].statement_id; }
  };

  IssueCollector& issues_;
  BlockStore<Stored, 4096> statements_;
  BlockStore<domain::Identifier, 4096> identifiers_;
  BlockStore<InterestRecord, 4096> interests_;
  std::vector<std::uint32_t> replaced_;  // key ids, ranges per statement
  internal::StringArena strings_;
  internal::StringInterner keys_;
  std::string key_scratch_, subject_scratch_, party_scratch_, replaced_scratch_;
  std::vector<std::uint32_t> key_first_;  // key id -> first statement with that key, or kNone
  // Key id -> the entity position a reference to the key resolves to, or kMissing or
  // kRelationship; filled by finish() once the entities are added.
  std::vector<std::uint32_t> key_target_;
  internal::FlatIndex<StatementIdOf> by_statement_id_{StatementIdOf{&statements_}};
  std::vector<std::uint32_t> parent_;
  // Per group root, after finish() grouped them: the winning statement and the entity added
  // for the group (entity and person groups).
  std::vector<std::uint32_t> winner_;
  std::vector<EntityIndex> group_entity_;
  internal::DatasetBuilder builder_;
};

std::uint32_t Assembler::intern_key(std::string_view key, std::uint32_t h) {
  const auto interned = keys_.intern(key, h);
  if (interned.inserted) key_first_.push_back(kNone);
  return interned.id;
}

core::Status Assembler::add(ParsedStatement& s) {
  if (!fits(s)) {
    return core::invalid_argument(issues_.file() + ": record " + std::to_string(s.ref.number) +
                                  ": the file has more statements, keys, interests or "
                                  "identifiers than the importer can hold");
  }
  for (auto& w : s.warnings) issues_.warning(s.ref, std::move(w.field), std::move(w.message));
  // Up to four lookups in tables far larger than the caches, independent of each other: their
  // slots are loaded together rather than one miss after another.
  const bool relationship = s.kind == StatementKind::kRelationship;
  const bool party = relationship && !s.interested_party.empty();
  std::uint32_t statement_id_hash = 0;
  if (!s.statement_id.empty()) {
    statement_id_hash = decltype(by_statement_id_)::hash(s.statement_id);
    by_statement_id_.prefetch(statement_id_hash);
  }
  const std::uint32_t key_hash = make_key(key_scratch_, s.key_prefix(), s.public_id);
  keys_.prefetch(key_hash);
  std::uint32_t subject_hash = 0, party_hash = 0;
  if (relationship) {
    subject_hash = make_key(subject_scratch_, s.key_prefix(), s.subject);
    keys_.prefetch(subject_hash);
  }
  if (party) {
    party_hash = make_key(party_scratch_, s.key_prefix(), s.interested_party);
    keys_.prefetch(party_hash);
  }
  if (!s.statement_id.empty()) {
    if (const std::uint32_t dup = by_statement_id_.find(s.statement_id, statement_id_hash);
        dup != kNone) {
      ++issues_.summary().records_skipped;
      return issues_.error(s.ref, statement_id_field(s.v04),
                           "duplicate statement id '" + std::string(s.statement_id) +
                               "' (first in record " + std::to_string(statements_[dup].ref.number) +
                               "); skipped");
    }
  }
  const std::uint32_t key = intern_key(key_scratch_, key_hash);
  const std::uint32_t same_key = key_first_[key];
  if (same_key != kNone) {
    const Stored& first = statements_[same_key];
    if (first.kind != s.kind) {
      ++issues_.summary().records_skipped;
      return issues_.error(s.ref, "recordType",
                           "record '" + std::string(s.public_id) + "' is " +
                               std::string(kind_name(first.kind)) + " (record " +
                               std::to_string(first.ref.number) + ") and cannot become " +
                               std::string(kind_name(s.kind)) + "; skipped");
    }
  }
  for (auto& e : s.errors) PW_TRY(issues_.error(s.ref, std::move(e.field), std::move(e.message)));

  Stored st;
  st.ref = s.ref;
  st.date = s.date;
  st.date_text = strings_.store(s.date_text);
  st.statement_id = strings_.store(s.statement_id);
  st.key = key;
  st.kind = s.kind;
  st.entity_kind = s.entity_kind;
  st.closed = s.closed;
  st.v04 = s.v04;
  if (relationship) {
    st.subject = intern_key(subject_scratch_, subject_hash);
    if (party) {
      st.interested_party = intern_key(party_scratch_, party_hash);
    } else {
      st.unspecified_reason = strings_.store(s.unspecified_reason);
    }
    st.first = static_cast<std::uint32_t>(interests_.size());
    st.count = static_cast<std::uint32_t>(s.interests.size());
    for (const InterestRecord& interest : s.interests)
      interests_.push_back(InterestRecord(interest));
    st.interests_stated = static_cast<std::uint32_t>(s.interests_stated);
  } else {
    st.name = strings_.store(s.name);
    st.country = strings_.store(s.country);
    st.first = static_cast<std::uint32_t>(identifiers_.size());
    st.count = static_cast<std::uint32_t>(s.identifiers.size());
    for (domain::Identifier& id : s.identifiers) identifiers_.push_back(std::move(id));
  }
  st.replaces_first = static_cast<std::uint32_t>(replaced_.size());
  st.replaces_count = static_cast<std::uint32_t>(s.replaces.size());
  for (std::string_view replaced : s.replaces) {
    const std::uint32_t h = make_key(replaced_scratch_, "s:", replaced);
    replaced_.push_back(intern_key(replaced_scratch_, h));
  }

  const auto index = static_cast<std::uint32_t>(statements_.size());
  statements_.push_back(std::move(st));
  parent_.push_back(index);
  if (!s.statement_id.empty()) by_statement_id_.insert(index, statement_id_hash);
  if (same_key == kNone) {
    key_first_[key] = index;
  } else {
    unite(index, same_key);
  }
  return core::ok();
}

core::Result<EntityIndex> Assembler::resolve(const Stored& s, std::uint32_t key,
                                             std::string_view field) {
  const std::uint32_t target = key_target_[key];
  if (target == kMissing) {
    const std::string_view id_text = public_id(key);
    PW_TRY(issues_.error(s.ref, std::string(s.field_prefix()) + std::string(field),
                         "'" + std::string(id_text) +
                             "' refers to no statement in this file; an unknown entity stands "
                             "in for it"));
    domain::Entity placeholder;
    placeholder.id = "bods:" + std::string(id_text);
    placeholder.kind = domain::EntityKind::kUnknown;
    placeholder.source = issues_.source(s.ref);
    return builder_.add_placeholder(std::move(placeholder), issues_.summary());
  }
  if (target == kRelationship) {
    PW_TRY(issues_.error(s.ref, std::string(s.field_prefix()) + std::string(field),
                         "'" + std::string(public_id(key)) +
                             "' is a relationship, not an entity or person; skipped"));
    return kNone;
  }
  return target;
}

core::Status Assembler::add_entity(std::uint32_t group, std::uint32_t index, std::uint32_t first) {
  const Stored& s = statements_[index];
  domain::Entity e;
  e.id = "bods:" + std::string(public_id(statements_[first].key));
  e.kind = s.entity_kind;
  e.name = std::string(s.name);
  e.country = std::string(s.country);
  e.identifiers.reserve(s.count);
  for (std::uint32_t k = 0; k < s.count; ++k)
    e.identifiers.push_back(std::move(identifiers_[s.first + k]));
  e.source = issues_.source(s.ref);
  // Ids are unique per group except when a 0.4 record and a 0.2/0.3 statement share a public
  // id; then the group's references go to the entity that holds the id.
  group_entity_[group] = builder_.insert_entity(std::move(e)).index;
  return core::ok();
}

core::Status Assembler::add_relationship(const Stored& s) {
  PW_ASSIGN_OR_RETURN(const EntityIndex owned, resolve(s, s.subject, "subject"));
  if (owned == kNone) return core::ok();
  EntityIndex owner = kNone;
  if (s.interested_party != kNone) {
    PW_ASSIGN_OR_RETURN(owner, resolve(s, s.interested_party, "interestedParty"));
    if (owner == kNone) return core::ok();
  } else {
    domain::Entity unknown;
    unknown.id = "bods:" + std::string(public_id(s.key)) + "#unspecified";
    unknown.kind = domain::EntityKind::kUnknown;
    unknown.name = "unspecified interested party (" + std::string(s.unspecified_reason) + ")";
    unknown.source = issues_.source(s.ref);
    owner = builder_.insert_entity(std::move(unknown)).index;
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
  const std::string source = issues_.source(s.ref);
  auto make_edge = [&](domain::Interest interest) {
    domain::Edge edge;
    edge.interest = interest;
    edge.source = source;
    return edge;
  };
  if (s.interests_stated == 0) {
    domain::Edge edge = make_edge(domain::Interest::kDeclaredController);
    edge.end = closed_on;
    return builder_.add_edge_between(
        owner, owned, std::move(edge), s.ref,
        [&] { return std::string(s.field_prefix()) + "interests"; }, issues_);
  }
  for (std::uint32_t k = 0; k < s.count; ++k) {
    const InterestRecord& interest = interests_[s.first + k];
    domain::Edge edge = make_edge(interest.interest);
    edge.share = interest.share;
    edge.direct = interest.direct;
    edge.start = interest.start;
    edge.end = interest.end ? interest.end : closed_on;
    PW_TRY(builder_.add_edge_between(
        owner, owned, std::move(edge), s.ref,
        [&] {
          return std::string(s.field_prefix()) + "interests[" + std::to_string(interest.index) +
                 "]";
        },
        issues_));
  }
  return core::ok();
}

core::Result<domain::OwnershipDataset> Assembler::finish() {
  const auto n = static_cast<std::uint32_t>(statements_.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    const Stored& s = statements_[i];
    for (std::uint32_t k = 0; k < s.replaces_count; ++k) {
      const std::uint32_t replaced = key_first_[replaced_[s.replaces_first + k]];
      if (replaced != kNone) unite(i, replaced);
    }
  }
  winner_.assign(n, n);
  std::vector<std::uint32_t> first(n, n);  // per root: the earliest statement (the record's id)
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t g = root(i);
    if (winner_[g] == n || later(i, winner_[g])) winner_[g] = i;
    if (first[g] == n || later(first[g], i)) first[g] = i;
  }
  for (std::uint32_t g = 0; g < n; ++g) {
    if (root(g) != g) ++issues_.summary().records_superseded;
  }
  // A 0.2/0.3 replacement chain must not change a record's type (0.4 is checked on arrival).
  for (std::uint32_t i = 0; i < n; ++i) {
    const Stored& w = statements_[winner_[root(i)]];
    if (statements_[i].kind != w.kind) {
      PW_TRY(issues_.error(w.ref, "replacesStatements",
                           "replaces '" + std::string(public_id(statements_[i].key)) +
                               "', which is " + std::string(kind_name(statements_[i].kind)) +
                               ", with " + std::string(kind_name(w.kind))));
    }
  }
  std::size_t parties = 0, interests = 0;
  for (std::uint32_t g = 0; g < n; ++g) {
    if (root(g) != g) continue;
    const Stored& w = statements_[winner_[g]];
    if (w.kind == StatementKind::kRelationship) {
      interests += std::max<std::size_t>(w.count, 1);
    } else {
      ++parties;
    }
  }
  builder_.reserve(parties, interests);
  group_entity_.assign(n, kNone);
  for (std::uint32_t g = 0; g < n; ++g) {
    if (root(g) == g && statements_[winner_[g]].kind != StatementKind::kRelationship) {
      PW_TRY(add_entity(g, winner_[g], first[g]));
    }
  }
  // What each key resolves to, in one pass in key order (close to file order, so the reads
  // of the group arrays are nearly sequential), instead of per reference in random order.
  key_target_.assign(keys_.size(), kMissing);
  for (std::uint32_t k = 0; k < keys_.size(); ++k) {
    if (key_first_[k] == kNone) continue;
    const std::uint32_t g = root(key_first_[k]);
    key_target_[k] = statements_[winner_[g]].kind == StatementKind::kRelationship
                         ? kRelationship
                         : group_entity_[g];
  }
  for (std::uint32_t g = 0; g < n; ++g) {
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
  StatementParser parser;
  PW_TRY(internal::read_json_records(
      source, issues,
      [&](simdjson::ondemand::object& record, const RecordRef& ref) -> core::Status {
        auto parsed = parser.parse(record, ref);
        if (!parsed) {
          ++issues.summary().records_skipped;
          return issues.error(ref, std::move(parsed.error().field),
                              std::move(parsed.error().message));
        }
        return assembler.add(*parsed);
      }));
  return assembler.finish();
}

}  // namespace pw::formats::bods
