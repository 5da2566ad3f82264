#pragma once
// Reachability in W, by breadth-first search with an explicit queue (deep chains are fine).

#include <cstdint>
#include <span>
#include <vector>

#include "ownership/internal/graph_data.h"

namespace pw::ownership::internal {

// Per node, 1 if it can reach `node` through W (owners of owners ...), `node` included. The
// owners of a node marked in `barrier` (if given) are not followed, unless it is `node` itself.
std::vector<std::uint8_t> upstream_cone(const GraphData& g, NodeId node,
                                        std::span<const std::uint8_t> barrier = {});

// Per node, 1 if `node` reaches it through W, `node` included.
std::vector<std::uint8_t> downstream_cone(const GraphData& g, NodeId node);

}  // namespace pw::ownership::internal
