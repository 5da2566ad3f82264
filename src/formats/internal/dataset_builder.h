#pragma once
// Accumulates one input's entities and edges and enforces the dataset invariants every
// importer shares: entity ids are unique, every edge joins two entities of the dataset, no edge
// joins an entity to itself, shares are valid fractions, validity dates are ordered.

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"
#include "formats/internal/issues.h"

namespace pw::formats::internal {

// Transparent hashing so maps keyed by std::string can be probed with a string_view.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// Single use: take() ends its life. Not copyable or movable (the index points into itself).
class DatasetBuilder {
 public:
  DatasetBuilder() = default;
  DatasetBuilder(const DatasetBuilder&) = delete;
  DatasetBuilder& operator=(const DatasetBuilder&) = delete;

  bool has_entity(std::string_view id) const { return index_.contains(id); }
  const domain::Entity* find_entity(std::string_view id) const;

  // Adds an entity; returns false, changing nothing, if its id is already taken.
  bool add_entity(domain::Entity entity);
  // Adds an entity standing in for a referenced record the input does not contain, unless the
  // id exists. Counted in ImportSummary::placeholders.
  void add_placeholder(domain::Entity entity, ImportSummary& summary);

  // Checks an edge and adds it, or reports why not (an error issue naming `field`) and drops
  // it. Both endpoints must already be entities. Returns the IssueCollector's verdict.
  core::Status add_edge(domain::Edge edge, const RecordRef& ref, std::string_view field,
                        IssueCollector& issues);

  void reserve(std::size_t entities, std::size_t edges) {
    dataset_.entities.reserve(entities);
    dataset_.edges.reserve(edges);
    index_.reserve(entities);
  }

  std::size_t entity_count() const { return dataset_.entities.size(); }
  std::size_t edge_count() const { return dataset_.edges.size(); }

  domain::OwnershipDataset take() { return std::move(dataset_); }

 private:
  // Entity positions, hashed and compared by the entity's id, so the index holds no copy of
  // the ids; probed with a string_view.
  struct IdHash {
    using is_transparent = void;
    const std::vector<domain::Entity>* entities;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
    std::size_t operator()(std::size_t i) const { return (*this)((*entities)[i].id); }
  };
  struct IdEq {
    using is_transparent = void;
    const std::vector<domain::Entity>* entities;
    bool operator()(std::size_t a, std::size_t b) const { return a == b; }
    bool operator()(std::string_view id, std::size_t i) const { return id == (*entities)[i].id; }
    bool operator()(std::size_t i, std::string_view id) const { return id == (*entities)[i].id; }
  };

  domain::OwnershipDataset dataset_;
  std::unordered_set<std::size_t, IdHash, IdEq> index_{0, IdHash{&dataset_.entities},
                                                       IdEq{&dataset_.entities}};
};

}  // namespace pw::formats::internal
