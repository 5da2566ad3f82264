#pragma once
// Strongly connected components of a directed graph given as CSR out-adjacency, by Tarjan's
// algorithm with an explicit stack (ownership chains of 100,000 links must not exhaust the call
// stack).

#include <cstdint>
#include <span>
#include <vector>

namespace pw::ownership::internal {

struct Condensation {
  // Every node once; the members of a component contiguous; components in topological order of
  // the condensation (a component comes before every component it has an edge to).
  std::vector<std::int32_t> order;
  // Component c holds order[begin[c], begin[c + 1]); begin has one entry per component plus one.
  std::vector<std::int32_t> begin;
};

// `begin` has n + 1 entries; the successors of v are targets[begin[v], begin[v + 1]).
Condensation condense(std::span<const std::int32_t> begin, std::span<const std::int32_t> targets);

}  // namespace pw::ownership::internal
