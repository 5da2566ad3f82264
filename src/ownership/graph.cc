#include "ownership/graph.h"

#include <cstdio>
#include <utility>

#include "ownership/internal/graph_build.h"
#include "ownership/internal/graph_data.h"

namespace pw::ownership {

using internal::GraphData;

std::string format_percent(double fraction) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", fraction * 100.0);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s + "%";
}

std::string format_bounds(const Bounds& b) {
  std::string figure =
      b.min == b.max ? format_percent(b.min) : format_percent(b.min) + "-" + format_percent(b.max);
  return b.known ? figure : "unknown (" + figure + ")";
}

core::Result<Graph> Graph::build(domain::OwnershipDataset dataset,
                                 std::optional<domain::Date> as_of) {
  auto data = std::make_unique<GraphData>();
  data->dataset = std::move(dataset);
  data->as_of = as_of;
  PW_TRY(internal::index_entities(*data));
  PW_TRY(internal::compile_statements(*data));
  PW_TRY(internal::condense_and_check(*data));
  return Graph(std::move(data));
}

Graph::Graph(std::unique_ptr<GraphData> data) : data_(std::move(data)) {}
Graph::Graph(Graph&&) noexcept = default;
Graph& Graph::operator=(Graph&&) noexcept = default;
Graph::~Graph() = default;

std::int32_t Graph::size() const {
  return data_->n;
}
const domain::Entity& Graph::entity(NodeId node) const {
  return data_->dataset.entities[node];
}
const domain::Edge& Graph::statement(std::int32_t edge) const {
  return data_->dataset.edges[edge];
}
const std::optional<domain::Date>& Graph::as_of() const {
  return data_->as_of;
}
std::span<const StateGroup> Graph::states() const {
  return data_->states;
}
std::int32_t Graph::state_of(NodeId node) const {
  return data_->state_of[node];
}
std::span<const ExcludedEdge> Graph::excluded_edges() const {
  return data_->excluded;
}
std::span<const std::int32_t> Graph::indirect_statements() const {
  return data_->indirect;
}

namespace {

// One match, or an error listing the candidates (ids and countries, so that a caller can pick).
core::Result<NodeId> single(const GraphData& g, const std::vector<NodeId>& hits,
                            const std::string& what) {
  if (hits.size() == 1) return hits.front();
  std::string list;
  constexpr std::size_t kShown = 10;
  for (std::size_t i = 0; i < hits.size() && i < kShown; ++i) {
    const domain::Entity& e = g.dataset.entities[hits[i]];
    list += (i ? ", " : "") + e.id + (e.country.empty() ? "" : " (" + e.country + ")");
  }
  if (hits.size() > kShown) list += ", ... (" + std::to_string(hits.size()) + " in all)";
  return core::invalid_argument(what + " is ambiguous: " + std::to_string(hits.size()) +
                                " entities match: " + list);
}

}  // namespace

core::Result<NodeId> Graph::find_by_id(std::string_view id) const {
  auto it = data_->by_id.find(id);
  if (it == data_->by_id.end())
    return core::not_found("no entity with id '" + std::string(id) + "'");
  return it->second;
}

core::Result<NodeId> Graph::find_by_identifier(std::string_view scheme,
                                               std::string_view value) const {
  std::string key = std::string(scheme) + '\x1f' + std::string(value);
  auto it = data_->by_identifier.find(key);
  const std::string what = "identifier '" + std::string(scheme) + ":" + std::string(value) + "'";
  if (it == data_->by_identifier.end()) return core::not_found("no entity with " + what);
  return single(*data_, it->second, what);
}

core::Result<NodeId> Graph::find_by_name(std::string_view name) const {
  auto it = data_->by_name.find(name);
  const std::string what = "name '" + std::string(name) + "'";
  if (it == data_->by_name.end()) return core::not_found("no entity with " + what);
  return single(*data_, it->second, what);
}

core::Result<NodeId> Graph::find(std::string_view query) const {
  if (auto by_id = find_by_id(query)) return by_id;
  if (auto colon = query.find(':'); colon != std::string_view::npos) {
    auto hit = find_by_identifier(query.substr(0, colon), query.substr(colon + 1));
    if (hit || hit.error().code() != core::Code::kNotFound) return hit;
  }
  auto hit = find_by_name(query);
  if (!hit && hit.error().code() == core::Code::kNotFound) {
    return core::not_found("no entity with id, identifier or name '" + std::string(query) + "'");
  }
  return hit;
}

core::Result<std::int32_t> Graph::find_state(std::string_view key) const {
  for (std::size_t i = 0; i < data_->states.size(); ++i) {
    if (data_->states[i].key == key) return static_cast<std::int32_t>(i);
  }
  return core::not_found("no state or state body of '" + std::string(key) + "' in the graph");
}

}  // namespace pw::ownership
