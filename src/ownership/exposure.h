#pragma once
// State exposure (DESIGN.md: Ownership and control, Q7): how much of every entity each state
// holds, directly or through any chain of companies, with a country's state and state bodies
// taken as one owner (Graph::states()).
//
// The exposure of entity j to state s is the integrated ownership of the state's group in j:
// the sum over all paths from any body of s to j, not re-entering the group, of the product of
// shares; with cycles solved as linear systems, never by enumerating paths
// (internal/propagate.h). Lower bound: all shares at their minimums. Upper bound: the largest
// value consistent shares within the ranges allow (the tightened maximums, and where several
// ranges compete for one company's equity the best allocation of it, internal/budget.h).
// `known` is false where an unknown share lies on a contributing path. Equity not disclosed at
// all is not counted: ownership/explain.h lists it.
//
// Cost: one pass over the part of the graph below the states per group of states solved
// together (ExposureOptions::states_per_pass), in topological order of the strongly connected
// components, O(edges reached x states in the pass). Values are kept sparsely (one entry per
// entity and reaching state), so memory grows with what the states actually reach.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/result.h"
#include "ownership/graph.h"

namespace pw::ownership {

struct ExposureEntry {
  NodeId entity = 0;
  Bounds share;
};

struct ExposureOptions {
  int threads = 1;                 // worker threads; 1 computes on the calling thread
  int states_per_pass = 8;         // states solved together in one pass (memory grows with it)
  std::int32_t dense_limit = 256;  // cycles up to this many entities are solved by dense LU
};

// Called once per state with every entity it reaches (its own bodies at 100% included), in
// topological order (owners first). Calls never overlap; with threads > 1 they come from worker
// threads, states in any order. The span lives for the duration of the call only.
using ExposureVisitor = std::function<void(std::int32_t state, std::span<const ExposureEntry>)>;

core::Status for_each_state_exposure(const Graph& graph, const ExposureVisitor& visit,
                                     const ExposureOptions& options = {});

struct StateExposure {
  NodeId entity = 0;
  std::int32_t state = 0;  // index into Graph::states()
  Bounds share;
};

// Every (entity, state) pair with a possible exposure, by state then topological order. For
// graphs that fit in memory several times over; use the visitor form for registers.
core::Result<std::vector<StateExposure>> state_exposure(const Graph& graph,
                                                        const ExposureOptions& options = {});

// The exposure of one entity to one state (index into Graph::states()).
core::Result<Bounds> state_exposure_of(const Graph& graph, NodeId entity, std::int32_t state);

}  // namespace pw::ownership
