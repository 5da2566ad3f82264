#include "formats/internal/dataset_builder.h"

#include <utility>

namespace pw::formats::internal {

const domain::Entity* DatasetBuilder::find_entity(std::string_view id) const {
  const EntityIndex i = index_.find(id);
  return i == kNoEntity ? nullptr : &dataset_.entities[i];
}

DatasetBuilder::Inserted DatasetBuilder::insert_entity(domain::Entity entity) {
  const std::uint32_t h = FlatIndex<IdOf>::hash(entity.id);
  if (const EntityIndex existing = index_.find(entity.id, h); existing != kNoEntity) {
    return {existing, false};
  }
  const auto i = static_cast<EntityIndex>(dataset_.entities.size());
  dataset_.entities.push_back(std::move(entity));
  index_.insert(i, h);
  return {i, true};
}

DatasetBuilder::EntityIndex DatasetBuilder::add_placeholder(domain::Entity entity,
                                                            ImportSummary& summary) {
  const Inserted r = insert_entity(std::move(entity));
  if (r.added) ++summary.placeholders;
  return r.index;
}

std::string DatasetBuilder::check_edge(const domain::Edge& edge) {
  if (edge.owner == edge.owned) {
    return "'" + edge.owner +
           "' is recorded as owning itself (a reference loop); "
           "the edge is dropped";
  }
  if (auto ok = domain::validate_share(edge.share); !ok) return ok.error().message();
  if (edge.start && edge.end && *edge.end < *edge.start) {
    return "end date " + domain::format_date(*edge.end) + " is before start date " +
           domain::format_date(*edge.start) + "; the edge is dropped";
  }
  return {};
}

core::Status DatasetBuilder::add_edge(domain::Edge edge, const RecordRef& ref,
                                      std::string_view field, IssueCollector& issues) {
  if (!has_entity(edge.owner) || !has_entity(edge.owned)) {
    return core::internal_error("edge " + edge.owner + " -> " + edge.owned +
                                " refers to an entity the importer did not add");
  }
  if (std::string problem = check_edge(edge); !problem.empty()) {
    return issues.error(ref, std::string(field), std::move(problem));
  }
  dataset_.edges.push_back(std::move(edge));
  return core::ok();
}

}  // namespace pw::formats::internal
