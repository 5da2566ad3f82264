#pragma once
// The engine's one numerical kernel: integrated shares propagated downstream from sets of
// source nodes, with lower and upper bounds, over the condensation of W.
//
// A column c has a source set S_c (an owner; or all bodies of one state; or the ultimate owners
// of a question). Its value at node j is the first-passage share
//     x_j = 1                                for j in S_c
//     x_j = sum over owners k of W_kj x_k    otherwise,
// i.e. the sum over all paths from S_c to j that do not re-enter S_c of the product of shares.
// For one owner i this is the Vitali-Glattfelder-Battiston corrected integrated ownership
// (see ownership/integrated.h); for the nodes of a state it is the state's exposure.
//
// Lower bound: W at all minimums (linear). Upper bound: the least fixed point of
//     x_j = max over allowed shares of column j of sum_k W_kj x_k      (internal/budget.h),
// which is the largest value any one consistent set of shares in the ranges gives. Both are
// solved in topological order of the strongly connected components: outside cycles each node
// once from its owners; inside a cycle by Gauss-Seidel sweeps, and where those converge slowly by
// a dense LU (Eigen) or policy iteration for components up to `dense_limit` nodes
// (internal/scc_solver.h).
//
// Only nodes reachable from a source are visited, so the cost is that of the part of the graph
// below the sources. Values are stored sparsely: a node keeps one entry per column that reaches
// it.

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "ownership/internal/graph_data.h"

namespace pw::ownership::internal {

struct ColumnValue {
  std::int32_t column = 0;
  bool known = true;  // no unknown share on a contributing path
  double lo = 0.0;
  double hi = 0.0;
};

struct PropagationRequest {
  std::vector<std::vector<NodeId>> sources;  // per column
  // Optional masks over nodes. `allowed`: nodes outside it are never given a value (the question
  // does not need them). `barrier`: nodes whose owners are ignored, so that value reaches them
  // only as sources (ultimate owners: a state body ends a chain).
  std::span<const std::uint8_t> allowed;
  std::span<const std::uint8_t> barrier;
  // Stop once the component of this node is solved: nothing after it in topological order can
  // change it.
  std::optional<NodeId> stop_after;
  std::int32_t dense_limit = 256;
};

class Propagation {
 public:
  // Entries of a node, at most one per column, in no particular column order.
  std::span<const ColumnValue> at(NodeId node) const;
  const ColumnValue* find(NodeId node, std::int32_t column) const;
  // Nodes that received a value, in topological order.
  std::span<const NodeId> reached() const { return reached_; }

 private:
  friend class Propagator;
  struct Span {
    std::uint64_t begin = 0;
    std::uint32_t count = 0;  // 0: not reached
  };
  std::vector<ColumnValue> values_;
  // Per node, its entries in values_: in dense_ (one per node) or, if that is empty, sparse_.
  std::vector<Span> dense_;
  std::unordered_map<NodeId, Span> sparse_;
  std::vector<NodeId> reached_;
};

// Errors: failed_precondition when a cycle's iteration does not converge (cross-holdings whose
// ranges allow nearly 100% inside the cycle), invalid_argument on a bad request.
core::Result<Propagation> propagate(const GraphData& g, const PropagationRequest& request);

}  // namespace pw::ownership::internal
