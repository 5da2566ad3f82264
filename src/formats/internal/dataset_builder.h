#pragma once
// Accumulates one input's entities and edges and enforces the dataset invariants every
// importer shares: entity ids are unique, every edge joins two entities of the dataset, no edge
// joins an entity to itself, shares are valid fractions, validity dates are ordered.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"
#include "formats/internal/flat_index.h"
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
// At most kNoEntity - 1 entities (far beyond what fits in memory).
class DatasetBuilder {
 public:
  // An entity's position in the dataset, stable until take().
  using EntityIndex = std::uint32_t;
  static constexpr EntityIndex kNoEntity = 0xffffffffu;

  DatasetBuilder() = default;
  DatasetBuilder(const DatasetBuilder&) = delete;
  DatasetBuilder& operator=(const DatasetBuilder&) = delete;

  bool has_entity(std::string_view id) const { return index_.find(id) != kNoEntity; }
  const domain::Entity* find_entity(std::string_view id) const;
  EntityIndex index_of(std::string_view id) const { return index_.find(id); }
  const domain::Entity& entity(EntityIndex i) const { return dataset_.entities[i]; }

  struct Inserted {
    EntityIndex index;  // of the entity with the id: the new one, or the one already there
    bool added;
  };
  // Adds an entity unless its id is taken (then changes nothing).
  Inserted insert_entity(domain::Entity entity);
  // Adds an entity; returns false, changing nothing, if its id is already taken.
  bool add_entity(domain::Entity entity) { return insert_entity(std::move(entity)).added; }
  // Adds an entity standing in for a referenced record the input does not contain, unless the
  // id exists. Counted in ImportSummary::placeholders. Returns the index of the entity with the
  // id (the placeholder or the entity already there).
  EntityIndex add_placeholder(domain::Entity entity, ImportSummary& summary);

  // Checks an edge and adds it, or reports why not (an error issue naming `field`) and drops
  // it. Both endpoints must already be entities. Returns the IssueCollector's verdict.
  core::Status add_edge(domain::Edge edge, const RecordRef& ref, std::string_view field,
                        IssueCollector& issues);

  // The same for an importer that already holds the endpoints' indexes (from insert_entity,
  // index_of or add_placeholder): sets edge.owner and edge.owned to their ids, so no id is
  // looked up. `field()` returns the field to name in an issue; it is called only when the edge
  // is dropped, so the common path builds no string.
  template <typename FieldFn>
  core::Status add_edge_between(EntityIndex owner, EntityIndex owned, domain::Edge edge,
                                const RecordRef& ref, const FieldFn& field,
                                IssueCollector& issues) {
    if (owner >= dataset_.entities.size() || owned >= dataset_.entities.size()) {
      return core::internal_error("edge between entity positions " + std::to_string(owner) +
                                  " and " + std::to_string(owned) + " of " +
                                  std::to_string(dataset_.entities.size()));
    }
    edge.owner = dataset_.entities[owner].id;
    edge.owned = dataset_.entities[owned].id;
    if (std::string problem = check_edge(edge); !problem.empty()) {
      return issues.error(ref, std::string(field()), std::move(problem));
    }
    dataset_.edges.push_back(std::move(edge));
    return core::ok();
  }

  void reserve(std::size_t entities, std::size_t edges) {
    dataset_.entities.reserve(entities);
    dataset_.edges.reserve(edges);
    index_.reserve(entities);
  }

  std::size_t entity_count() const { return dataset_.entities.size(); }
  std::size_t edge_count() const { return dataset_.edges.size(); }

  domain::OwnershipDataset take() { return std::move(dataset_); }

 private:
  // Why an edge between two entities of the dataset cannot be added, or "" if it can.
  static std::string check_edge(const domain::Edge& edge);

  // Entity positions, hashed and compared by the entity's id, so the index holds no copy of
  // the ids.
  struct IdOf {
    const std::vector<domain::Entity>* entities;
    std::string_view operator()(std::uint32_t i) const { return (*entities)[i].id; }
  };

  domain::OwnershipDataset dataset_;
  FlatIndex<IdOf> index_{IdOf{&dataset_.entities}};
};

}  // namespace pw::formats::internal
