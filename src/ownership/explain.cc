#include "ownership/explain.h"

#include <algorithm>
#include <queue>

#include "ownership/internal/cone.h"
#include "ownership/internal/graph_data.h"

namespace pw::ownership {

using internal::GraphData;
using internal::InEdge;

namespace {

// Best product of tightened maximums from each node down to `target` (0 where unreachable).
std::vector<double> best_to(const GraphData& g, NodeId target) {
  std::vector<double> best(g.n, 0.0);
  best[target] = 1.0;
  std::priority_queue<std::pair<double, NodeId>> heap;
  heap.push({1.0, target});
  while (!heap.empty()) {
    const auto [b, v] = heap.top();
    heap.pop();
    if (b < best[v]) continue;
    for (std::int32_t k = g.in_begin[v]; k < g.in_begin[v + 1]; ++k) {
      const InEdge& e = g.in[k];
      const double through = b * e.max;
      if (through > best[e.owner]) {
        best[e.owner] = through;
        heap.push({through, e.owner});
      }
    }
  }
  return best;
}

// Best-first search for the k best simple chains from `sources` to `target`.
void best_paths(const GraphData& g, const std::vector<NodeId>& sources, NodeId target,
                const ExplainOptions& options, Explanation& out) {
  const std::vector<double> h = best_to(g, target);
  struct Partial {
    NodeId node;
    std::int32_t parent;    // index into `partials`, -1 at a source
    std::int32_t in_index;  // the W entry used to get here
    double lo;
    double hi;
    bool known;
  };
  std::vector<Partial> partials;
  std::priority_queue<std::pair<double, std::int32_t>> frontier;
  for (NodeId s : sources) {
    if (h[s] <= 0.0) continue;
    partials.push_back({s, -1, -1, 1.0, 1.0, true});
    frontier.push({h[s], static_cast<std::int32_t>(partials.size()) - 1});
  }
  std::int64_t expansions = 0;
  while (!frontier.empty() && static_cast<int>(out.paths.size()) < options.k) {
    if (++expansions > options.max_expansions) {
      out.truncated = true;
      break;
    }
    const std::int32_t at = frontier.top().second;
    frontier.pop();
    const Partial cur = partials[at];
    if (cur.node == target) {
      ExplainedPath path;
      path.product = {cur.lo, cur.hi, cur.known};
      for (std::int32_t i = at; partials[i].parent >= 0; i = partials[i].parent) {
        const InEdge& e = g.in[partials[i].in_index];
        path.steps.push_back({e.owner, partials[i].node, e.edge, {e.min, e.max, e.known}});
      }
      std::reverse(path.steps.begin(), path.steps.end());
      out.paths.push_back(std::move(path));
      continue;  // a simple chain ends at the company
    }
    for (std::int32_t k = g.out_begin[cur.node]; k < g.out_begin[cur.node + 1]; ++k) {
      const NodeId w = g.out[k].owned;
      if (h[w] <= 0.0) continue;
      // A chain can revisit an entity only inside a cycle; the part of the chain in w's cycle is
      // its tail (a chain that leaves a cycle never comes back to it).
      if (g.in_cycle(w)) {
        const std::int32_t scc = g.scc_begin[g.pos[w]];
        bool repeat = false;
        for (std::int32_t i = at; i >= 0 && g.scc_begin[g.pos[partials[i].node]] == scc;
             i = partials[i].parent) {
          if (partials[i].node == w) {
            repeat = true;
            break;
          }
        }
        if (repeat) continue;
      }
      const InEdge& e = g.in[g.out[k].in_index];
      partials.push_back(
          {w, at, g.out[k].in_index, cur.lo * e.min, cur.hi * e.max, cur.known && e.known});
      frontier.push({cur.hi * e.max * h[w], static_cast<std::int32_t>(partials.size()) - 1});
    }
  }
}

template <typename T>
bool add_listed(std::vector<T>& list, T item, const ExplainOptions& options, Explanation& out) {
  if (list.size() >= options.max_listed) {
    out.gaps_truncated = true;
    return false;
  }
  list.push_back(std::move(item));
  return true;
}

void list_gaps(const GraphData& g, NodeId owned, std::optional<NodeId> owner,
               const std::vector<std::uint8_t>& cone, const ExplainOptions& options,
               Explanation& out) {
  for (std::int32_t p = 0; p < g.n; ++p) {
    const NodeId v = g.order[p];
    if (!cone[v]) continue;
    double max_sum = 0.0;
    bool known = true;
    for (std::int32_t k = g.in_begin[v]; k < g.in_begin[v + 1]; ++k) {
      const InEdge& e = g.in[k];
      max_sum += e.max;
      known = known && e.known;
      if (!e.known) add_listed(out.unknown_shares, {e.owner, v, e.edge}, options, out);
    }
    const double undisclosed = 1.0 - g.owner_min_sum[v];
    if (!g.terminal(v) && undisclosed > 1e-12) {
      add_listed(out.undisclosed,
                 {v, {std::max(0.0, 1.0 - max_sum), std::max(0.0, undisclosed), known}}, options,
                 out);
    }
  }
  for (const ExcludedEdge& x : g.excluded) {
    if (cone[x.owned] || (owner && x.owner == *owner)) add_listed(out.excluded, x, options, out);
  }
  for (std::int32_t i : g.indirect) {
    const domain::Edge& e = g.dataset.edges[i];
    if (e.owned != g.dataset.entities[owned].id) continue;
    if (owner && e.owner != g.dataset.entities[*owner].id) continue;
    out.stated_indirect.push_back(i);
  }
}

}  // namespace

core::Result<Explanation> explain(const Graph& graph, NodeId owned, std::optional<NodeId> owner,
                                  const ExplainOptions& options) {
  if (!graph.contains(owned)) return core::invalid_argument("owned is not a node of the graph");
  if (owner && !graph.contains(*owner)) {
    return core::invalid_argument("owner is not a node of the graph");
  }
  if (owner && *owner == owned) return core::invalid_argument("owner and owned are the same");
  if (options.k < 0) return core::invalid_argument("k must not be negative");
  const GraphData& g = graph.data();
  Explanation out;
  const std::vector<std::uint8_t> cone = internal::upstream_cone(g, owned);
  std::vector<NodeId> sources;
  if (owner) {
    sources.push_back(*owner);
    PW_ASSIGN_OR_RETURN(out.integrated, integrated(graph, *owner, owned));
  } else {
    for (NodeId v = 0; v < g.n; ++v) {
      if (cone[v] && v != owned && (g.terminal(v) || g.in_begin[v] == g.in_begin[v + 1])) {
        sources.push_back(v);
      }
    }
  }
  best_paths(g, sources, owned, options, out);
  list_gaps(g, owned, owner, cone, options, out);
  return out;
}

}  // namespace pw::ownership
