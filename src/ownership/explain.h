#pragma once
// Explanation of an ownership figure (DESIGN.md: Ownership and control, Q7): the chains that
// carry most of it, with their products ("CNNC -> Tongfang 21% -> Nuctech 76% = 15.96%"), and
// the gaps that limit it: unknown shares, equity no disclosed owner accounts for, and statements
// the as-of date left out.
//
// The k best chains are found without enumerating all of them: a best-first search over partial
// chains, ordered by (product so far) x (best product from the chain's end to the company). The
// second factor is computed once by a Dijkstra-like search backwards from the company over the
// tightened maximums (a product of shares <= 1 only falls as a chain grows, as a sum of -log
// shares only rises), so it never underestimates and complete chains come out best first. Only
// simple chains are returned: a chain may not visit an entity twice, which can only happen inside
// a cycle and is checked there. The search stops after ExplainOptions::max_expansions partial
// chains and says so.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "ownership/graph.h"
#include "ownership/integrated.h"

namespace pw::ownership {

struct PathStep {
  NodeId owner = 0;
  NodeId owned = 0;
  std::int32_t statement = 0;  // dataset edge index (the first, when several were summed)
  Bounds share;                // [min, tightened max]
};

struct ExplainedPath {
  std::vector<PathStep> steps;
  Bounds product;  // product of the minimums, of the maximums; known if every share is
};

struct UnknownShare {
  NodeId owner = 0;
  NodeId owned = 0;
  std::int32_t statement = 0;
};

// Equity of a company that its disclosed owners do not account for.
struct UndisclosedEquity {
  NodeId company = 0;
  Bounds share;  // [1 - what the owners can hold at most, 1 - their minimums]
};

struct ExplainOptions {
  int k = 5;                              // chains to return
  std::int64_t max_expansions = 200'000;  // partial chains the search may extend
  std::size_t max_listed = 1000;          // entries per gap list
};

struct Explanation {
  std::vector<ExplainedPath> paths;      // best first, by the upper bound of the product
  bool truncated = false;                // the chain search stopped at max_expansions
  std::optional<Integrated> integrated;  // when an owner was given: the full figure

  // Gaps, over everything upstream of the company (the owners of its owners ...):
  std::vector<UnknownShare> unknown_shares;
  std::vector<UndisclosedEquity> undisclosed;
  std::vector<ExcludedEdge> excluded;  // statements the graph's date left out, concerning them
  bool gaps_truncated = false;         // a list reached max_listed
  // Statements of indirect ownership or ultimate parenthood (owner, if given) -> company, kept
  // out of the computation (ownership/graph.h); to compare with the computed figure.
  std::vector<std::int32_t> stated_indirect;
};

// Explains the holdings in `owned`, of `owner` if given, else of the chain ends (persons,
// states, unknown owners, companies with no disclosed owner) above it.
core::Result<Explanation> explain(const Graph& graph, NodeId owned,
                                  std::optional<NodeId> owner = std::nullopt,
                                  const ExplainOptions& options = {});

}  // namespace pw::ownership
