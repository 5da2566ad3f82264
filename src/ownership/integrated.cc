#include "ownership/integrated.h"

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>

#include "ownership/internal/budget.h"
#include "ownership/internal/cone.h"
#include "ownership/internal/graph_data.h"
#include "ownership/internal/propagate.h"

namespace pw::ownership {

using internal::GraphData;

namespace {

core::Status check_node(const Graph& graph, NodeId node, const char* what) {
  if (!graph.contains(node)) {
    return core::invalid_argument(std::string(what) + " " + std::to_string(node) +
                                  " is not a node of the graph");
  }
  return core::ok();
}

// What flows from the owner back to itself: sum over its owners k of W[k][owner] * F[owner][k],
// in [lo, hi]; L[owner][owner] = 1 / (1 - return share).
Bounds return_share(const GraphData& g, const internal::Propagation& p, NodeId owner) {
  Bounds r;
  std::vector<internal::Candidate> candidates;
  for (std::int32_t k = g.in_begin[owner]; k < g.in_begin[owner + 1]; ++k) {
    const internal::InEdge& e = g.in[k];
    const internal::ColumnValue* x = p.find(e.owner, 0);
    if (!x) continue;
    r.min += e.min * x->lo;
    if (g.binding[owner]) {
      r.max += e.min * x->hi;
      candidates.push_back({x->hi, e.max - e.min, k});
    } else {
      r.max += e.max * x->hi;
    }
    r.known = r.known && e.known && x->known;
  }
  r.max += internal::allocate_slack(candidates, std::max(0.0, 1.0 - g.owner_min_sum[owner]));
  return r;
}

double divide_by_remainder(double share, double returned) {
  if (share == 0.0) return 0.0;
  if (returned >= 1.0) return std::numeric_limits<double>::infinity();
  return share / (1.0 - returned);
}

}  // namespace

core::Result<Integrated> integrated(const Graph& graph, NodeId owner, NodeId owned) {
  PW_TRY(check_node(graph, owner, "owner"));
  PW_TRY(check_node(graph, owned, "owned"));
  if (owner == owned) return core::invalid_argument("owner and owned are the same entity");
  const GraphData& g = graph.data();
  internal::PropagationRequest request;
  request.sources = {{owner}};
  // Only what lies above `owned` matters; that includes the owner's own cycle (needed for the
  // return share) whenever the owner reaches `owned` at all.
  const std::vector<std::uint8_t> cone = internal::upstream_cone(g, owned);
  request.allowed = cone;
  request.stop_after = g.pos[owned] > g.pos[owner] ? owned : owner;
  internal::Propagation p;
  { PW_ASSIGN_OR_RETURN(p, internal::propagate(g, request)); }
  Integrated out;
  if (const internal::ColumnValue* x = p.find(owned, 0)) out.share = {x->lo, x->hi, x->known};
  out.owner_in_cycle = g.in_cycle(owner);
  const Bounds r = out.owner_in_cycle ? return_share(g, p, owner) : Bounds{};
  out.walk_sum = {divide_by_remainder(out.share.min, r.min),
                  divide_by_remainder(out.share.max, r.max), out.share.known && r.known};
  return out;
}

core::Result<UltimateOwners> ultimate_owners(const Graph& graph, NodeId company) {
  PW_TRY(check_node(graph, company, "company"));
  const GraphData& g = graph.data();
  UltimateOwners out;
  if (g.terminal(company)) {
    UltimateOwner self;
    const std::int32_t state = g.state_of[company];
    self.kind = state >= 0 ? UltimateOwner::Kind::kState : UltimateOwner::Kind::kEntity;
    self.entity = state >= 0 ? -1 : company;
    self.state = state;
    self.share = {1.0, 1.0, true};
    out.owners.push_back(self);
    out.owners.push_back({UltimateOwner::Kind::kUndisclosed, -1, -1, {0.0, 0.0, true}});
    return out;
  }

  // Chain ends act as barriers: value reaches them only as sources.
  std::vector<std::uint8_t> barrier(g.n, 0);
  for (NodeId v = 0; v < g.n; ++v) barrier[v] = g.terminal(v) ? 1 : 0;
  const std::vector<std::uint8_t> cone = internal::upstream_cone(g, company, barrier);

  // One column per ultimate owner (a state's bodies together), and one for all of them.
  internal::PropagationRequest request;
  std::vector<UltimateOwner> columns;
  std::vector<std::int32_t> state_column(g.states.size(), -1);
  std::vector<NodeId> all;
  for (NodeId v = 0; v < g.n; ++v) {
    if (!cone[v] || !barrier[v]) continue;
    all.push_back(v);
    const std::int32_t state = g.state_of[v];
    if (state >= 0) {
      if (state_column[state] < 0) {
        state_column[state] = static_cast<std::int32_t>(columns.size());
        columns.push_back({UltimateOwner::Kind::kState, -1, state, {}});
        request.sources.emplace_back();
      }
      request.sources[state_column[state]].push_back(v);
    } else {
      columns.push_back({UltimateOwner::Kind::kEntity, v, -1, {}});
      request.sources.push_back({v});
    }
  }
  const auto all_column = static_cast<std::int32_t>(request.sources.size());
  request.sources.push_back(all);
  request.allowed = cone;
  request.barrier = barrier;
  request.stop_after = company;
  internal::Propagation p;
  { PW_ASSIGN_OR_RETURN(p, internal::propagate(g, request)); }

  // Undisclosed remainder: at all minimums the disclosed owners hold their least and the rest is
  // undisclosed, so its maximum is 1 - sum of the owners' minimums; its minimum is 1 - the most
  // all disclosed owners together can hold.
  double sum_min = 0.0;
  for (std::int32_t c = 0; c < all_column; ++c) {
    const internal::ColumnValue* x = p.find(company, c);
    if (!x) continue;
    UltimateOwner o = columns[c];
    o.share = {x->lo, x->hi, x->known};
    sum_min += x->lo;
    out.owners.push_back(o);
  }
  const internal::ColumnValue* any = p.find(company, all_column);
  const double reach_max = any ? any->hi : 0.0;
  const bool known = any ? any->known : true;
  std::sort(out.owners.begin(), out.owners.end(),
            [&](const UltimateOwner& a, const UltimateOwner& b) {
              if (a.share.max != b.share.max) return a.share.max > b.share.max;
              if (a.share.min != b.share.min) return a.share.min > b.share.min;
              return std::tie(a.state, a.entity) < std::tie(b.state, b.entity);
            });
  Bounds undisclosed{std::max(0.0, 1.0 - reach_max), std::max(0.0, 1.0 - sum_min), known};
  // With exact data both ends are 1 minus the same sum, added up in different orders.
  undisclosed.min = std::min(undisclosed.min, undisclosed.max);
  out.owners.push_back({UltimateOwner::Kind::kUndisclosed, -1, -1, undisclosed});
  return out;
}

}  // namespace pw::ownership
