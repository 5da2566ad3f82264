#pragma once
// A GLEIF record as a small tree, built from XML elements or JSON members alike, so one
// converter serves both encodings. Records are a few kilobytes; a tree per record is cheap.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"
#include "formats/byte_source.h"
#include "formats/internal/dataset_builder.h"
#include "formats/internal/issues.h"

namespace pw::formats::gleif {

struct Node {
  std::string name;  // XML local name or JSON member name
  std::string text;  // character data (XML) or scalar / "$" value (JSON)
  std::vector<Node> children;

  const Node* child(std::string_view child_name) const;
  // Trimmed text of the node at `path` below this one, or "" if absent.
  std::string_view text_at(std::initializer_list<std::string_view> path) const;
  // The members of a repeated group, whichever way it was encoded: XML
  // <Periods><Period/>...</Periods>, JSON "Periods": [{...}, ...] (one node per element), or
  // JSON "Periods": {"Period": [...]}.
  std::vector<const Node*> items(std::string_view plural, std::string_view singular) const;
};

enum class RecordKind { kLei, kRelationship, kException };

// Turns records into entities and edges; edges are resolved at finish() because a
// relationship may name LEIs whose records come later or not at all.
class Converter {
 public:
  explicit Converter(internal::IssueCollector& issues) : issues_(issues) {}

  // Sizes the entity index for about `entities` entities (a hint).
  void reserve(std::size_t entities) { builder_.reserve(entities, entities / 2); }

  core::Status add(const Node& record, RecordKind kind, const internal::RecordRef& ref);
  core::Result<domain::OwnershipDataset> finish();

 private:
  struct PendingEdge {
    std::string owner_lei;  // empty: `owner` is an unknown-parent entity already added
    std::string owner;
    std::string owned_lei;
    domain::Interest interest;
    domain::Share share;
    std::optional<domain::Date> start, end;
    internal::RecordRef ref;
  };
  core::Status add_lei(const Node& r, const internal::RecordRef& ref);
  core::Status add_relationship(const Node& r, const internal::RecordRef& ref);
  core::Status add_exception(const Node& r, const internal::RecordRef& ref);
  void ensure_lei_entity(const std::string& lei, const internal::RecordRef& ref);

  internal::IssueCollector& issues_;
  internal::DatasetBuilder builder_;
  std::vector<PendingEdge> edges_;
};

// Readers: stream records from `source` into `converter`.
core::Status read_xml(ByteSource& source, internal::IssueCollector& issues, Converter& converter);
core::Status read_json(ByteSource& source, internal::IssueCollector& issues, Converter& converter);

}  // namespace pw::formats::gleif
