#include "formats/internal/dataset_builder.h"

#include <utility>

namespace pw::formats::internal {

const domain::Entity* DatasetBuilder::find_entity(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &dataset_.entities[*it];
}

bool DatasetBuilder::add_entity(domain::Entity entity) {
  if (index_.contains(std::string_view(entity.id))) return false;
  dataset_.entities.push_back(std::move(entity));
  index_.insert(dataset_.entities.size() - 1);
  return true;
}

void DatasetBuilder::add_placeholder(domain::Entity entity, ImportSummary& summary) {
  if (add_entity(std::move(entity))) ++summary.placeholders;
}

core::Status DatasetBuilder::add_edge(domain::Edge edge, const RecordRef& ref,
                                      std::string_view field, IssueCollector& issues) {
  if (!has_entity(edge.owner) || !has_entity(edge.owned)) {
    return core::internal_error("edge " + edge.owner + " -> " + edge.owned +
                                " refers to an entity the importer did not add");
  }
  if (edge.owner == edge.owned) {
    return issues.error(ref, std::string(field),
                        "'" + edge.owner +
                            "' is recorded as owning itself (a reference loop); "
                            "the edge is dropped");
  }
  if (auto ok = domain::validate_share(edge.share); !ok) {
    return issues.error(ref, std::string(field), ok.error().message());
  }
  if (edge.start && edge.end && *edge.end < *edge.start) {
    return issues.error(ref, std::string(field),
                        "end date " + domain::format_date(*edge.end) + " is before start date " +
                            domain::format_date(*edge.start) + "; the edge is dropped");
  }
  dataset_.edges.push_back(std::move(edge));
  return core::ok();
}

}  // namespace pw::formats::internal
