#include "ownership/internal/cone.h"

namespace pw::ownership::internal {

std::vector<std::uint8_t> upstream_cone(const GraphData& g, NodeId node,
                                        std::span<const std::uint8_t> barrier) {
  std::vector<std::uint8_t> seen(g.n, 0);
  std::vector<NodeId> queue{node};
  seen[node] = 1;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const NodeId v = queue[head];
    if (v != node && !barrier.empty() && barrier[v]) continue;
    for (std::int32_t k = g.in_begin[v]; k < g.in_begin[v + 1]; ++k) {
      const NodeId o = g.in[k].owner;
      if (!seen[o]) {
        seen[o] = 1;
        queue.push_back(o);
      }
    }
  }
  return seen;
}

std::vector<std::uint8_t> downstream_cone(const GraphData& g, NodeId node) {
  std::vector<std::uint8_t> seen(g.n, 0);
  std::vector<NodeId> queue{node};
  seen[node] = 1;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const NodeId v = queue[head];
    for (std::int32_t k = g.out_begin[v]; k < g.out_begin[v + 1]; ++k) {
      const NodeId w = g.out[k].owned;
      if (!seen[w]) {
        seen[w] = 1;
        queue.push_back(w);
      }
    }
  }
  return seen;
}

}  // namespace pw::ownership::internal
