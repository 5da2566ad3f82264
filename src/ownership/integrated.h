#pragma once
// Integrated (economic) ownership and ultimate owners (DESIGN.md: Ownership and control, Q7).
//
// Integrated ownership of owner i in company j is the sum over all paths from i to j of the
// product of the direct shares on the path. With W the direct share matrix (W[i][j] = share of
// i in j), the sum over all walks is the Leontief-type inverse L = (I - W)^-1 = I + W + W^2 + ...;
// the engine never enumerates paths: it solves the linear system (internal/propagate.h).
//
// Cross-holdings: the Vitali-Glattfelder-Battiston correction (S. Vitali, J.B. Glattfelder,
// S. Battiston, "The network of global corporate control", PLoS ONE 6(10) e25995, 2011,
// Appendix S1 section 3). When i sits in a cycle, walks from i to j that pass through i again
// count i's stake in itself, and L[i][j] overstates what i holds. Every walk from i to j splits
// uniquely into a closed walk from i back to i followed by a walk that never returns to i, so
//     L[i][j] = L[i][i] * F[i][j],     F[i][j] = L[i][j] / L[i][i],
// where F sums only the paths that leave i for good. F is the corrected integrated ownership; it
// equals L[i][j] whenever i is not in a cycle (L[i][i] = 1). The engine computes F directly, as
// the propagation from i with i's own owners cut off, and reports L[i][j] beside it.
//
// Worked example (also a test): A owns 50% of B, B owns 20% of A; A owns 10% of C, B 40% of C.
//   det(I - W) on {A, B} = 1 - 0.5 * 0.2 = 0.9, so L[A][A] = 1 / 0.9 = 1.1111.
//   Corrected, from A with A's owners cut: x_B = 0.5; x_C = 0.1 + 0.4 * 0.5 = 0.30.
//   Uncorrected: L[A][C] = 0.30 * 1.1111 = 0.3333 (A -> C, A -> B -> C, then the same again
//   after each round A -> B -> A, which multiplies by 1 + 0.1 + 0.01 + ... = 1 / 0.9).
//   L[A][B] = 0.5 / 0.9 = 0.5556, but A's stake in B is 50%: the extra 5.56% is A's 10% stake in
//   itself (through B) applied to B again.
//
// Ultimate owners of company c: U = E (I - W)^-1, where E holds the direct shares of the owners
// at which chains end (persons, states, kUnknown entities) and, per company, the part of its
// equity its disclosed owners do not account for (the "undisclosed" remainder, float). A state
// and its state bodies (same country) are one owner; a state body ends a chain (its own owners
// are not followed). With complete data (every company's owners add up to 100%) the ultimate
// owners of every company sum to exactly 100% (a test checks this).
//
// Ranges: the lower bound uses every share at its minimum, the upper bound the largest value
// consistent shares within the ranges allow (internal/budget.h); both are attained by actual
// shares, and no point value is ever made up from a range.

#include <vector>

#include "core/result.h"
#include "ownership/graph.h"

namespace pw::ownership {

struct Integrated {
  Bounds share;     // corrected integrated ownership F[owner][owned]
  Bounds walk_sum;  // L[owner][owned] = share * L[owner][owner]; max may be +inf when the
                    // ranges allow a loop holding all of the owner
  bool owner_in_cycle = false;  // the correction applies (share may differ from walk_sum)
};

// invalid_argument for unknown node ids or owner == owned.
core::Result<Integrated> integrated(const Graph& graph, NodeId owner, NodeId owned);

struct UltimateOwner {
  enum class Kind {
    kEntity,       // a person or an entity of kind kUnknown
    kState,        // a state with its state bodies (Graph::states()[state])
    kUndisclosed,  // equity not accounted for by disclosed owners, anywhere up the chains
  };
  Kind kind = Kind::kEntity;
  NodeId entity = -1;       // kEntity
  std::int32_t state = -1;  // kState
  Bounds share;
};

struct UltimateOwners {
  // Largest (by upper bound) first; the undisclosed remainder last, always present.
  std::vector<UltimateOwner> owners;
};

// Ultimate owners of `company`. For a person, state body or other chain end: itself, 100%.
core::Result<UltimateOwners> ultimate_owners(const Graph& graph, NodeId company);

}  // namespace pw::ownership
