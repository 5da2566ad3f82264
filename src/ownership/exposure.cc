#include "ownership/exposure.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "ownership/internal/cone.h"
#include "ownership/internal/graph_data.h"
#include "ownership/internal/propagate.h"

namespace pw::ownership {
namespace {

// Solves the states [first, last) in one propagation and hands each its entries.
core::Status run_pass(const internal::GraphData& g, std::int32_t first, std::int32_t last,
                      std::int32_t dense_limit, const ExposureVisitor& visit, std::mutex& lock) {
  internal::PropagationRequest request;
  request.dense_limit = dense_limit;
  for (std::int32_t s = first; s < last; ++s) request.sources.push_back(g.states[s].members);
  internal::Propagation p;
  { PW_ASSIGN_OR_RETURN(p, internal::propagate(g, request)); }
  // The entries grouped by state (a counting sort keeping topological order), then handed out
  // one state at a time, so that one state's list is held beside the propagation, not all.
  const std::int32_t columns = last - first;
  std::vector<std::size_t> start(columns + 1, 0);
  for (NodeId v : p.reached()) {
    for (const internal::ColumnValue& x : p.at(v)) ++start[x.column + 1];
  }
  for (std::int32_t c = 0; c < columns; ++c) start[c + 1] += start[c];
  std::vector<std::pair<NodeId, std::uint32_t>> by_column(start[columns]);  // node, entry
  std::vector<std::size_t> fill(start.begin(), start.end() - 1);
  for (NodeId v : p.reached()) {
    const auto values = p.at(v);
    for (std::uint32_t i = 0; i < values.size(); ++i) by_column[fill[values[i].column]++] = {v, i};
  }
  std::vector<ExposureEntry> entries;
  std::lock_guard<std::mutex> hold(lock);
  for (std::int32_t c = 0; c < columns; ++c) {
    entries.clear();
    for (std::size_t k = start[c]; k < start[c + 1]; ++k) {
      const auto [v, i] = by_column[k];
      const internal::ColumnValue& x = p.at(v)[i];
      entries.push_back({v, {x.lo, x.hi, x.known}});
    }
    visit(first + c, entries);
  }
  return core::ok();
}

}  // namespace

core::Status for_each_state_exposure(const Graph& graph, const ExposureVisitor& visit,
                                     const ExposureOptions& options) {
  const internal::GraphData& g = graph.data();
  const auto states = static_cast<std::int32_t>(g.states.size());
  const std::int32_t per_pass = std::max(1, options.states_per_pass);
  const std::int32_t passes = (states + per_pass - 1) / per_pass;
  std::mutex lock;
  std::atomic<std::int32_t> next{0};
  std::optional<core::Error> failure;
  auto worker = [&] {
    for (std::int32_t pass = next++; pass < passes; pass = next++) {
      const std::int32_t first = pass * per_pass;
      auto done =
          run_pass(g, first, std::min(states, first + per_pass), options.dense_limit, visit, lock);
      if (!done) {
        std::lock_guard<std::mutex> hold(lock);
        if (!failure) failure = done.error();
        next = passes;  // the others stop after their current pass
      }
    }
  };
  const int threads = std::clamp(options.threads, 1, std::max(1, passes));
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  }
  if (failure) return std::unexpected(*failure);
  return core::ok();
}

core::Result<std::vector<StateExposure>> state_exposure(const Graph& graph,
                                                        const ExposureOptions& options) {
  std::vector<std::vector<StateExposure>> per_state(graph.states().size());
  PW_TRY(for_each_state_exposure(
      graph,
      [&](std::int32_t state, std::span<const ExposureEntry> entries) {
        for (const ExposureEntry& e : entries)
          per_state[state].push_back({e.entity, state, e.share});
      },
      options));
  std::vector<StateExposure> out;
  for (auto& rows : per_state) out.insert(out.end(), rows.begin(), rows.end());
  return out;
}

core::Result<Bounds> state_exposure_of(const Graph& graph, NodeId entity, std::int32_t state) {
  if (!graph.contains(entity)) return core::invalid_argument("entity is not a node of the graph");
  if (state < 0 || state >= static_cast<std::int32_t>(graph.states().size())) {
    return core::invalid_argument("state index out of range");
  }
  const internal::GraphData& g = graph.data();
  internal::PropagationRequest request;
  request.sources = {g.states[state].members};
  const std::vector<std::uint8_t> cone = internal::upstream_cone(g, entity);
  request.allowed = cone;
  request.stop_after = entity;
  internal::Propagation p;
  { PW_ASSIGN_OR_RETURN(p, internal::propagate(g, request)); }
  const internal::ColumnValue* x = p.find(entity, 0);
  if (!x) return Bounds{};
  return Bounds{x->lo, x->hi, x->known};
}

}  // namespace pw::ownership
