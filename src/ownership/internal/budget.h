#pragma once
// The upper bound of a share-weighted sum over one company's owners, within the company's equity.
//
// Given the owners e of company j with ranges [min_e, max'_e] and values v_e >= 0 (what one unit
// of the owner's equity is worth to the question asked: an integrated share, a probability of
// reaching a state), the largest sum_e w_e * v_e over all allowed shares w satisfies
//   min_e <= w_e <= max'_e  and  sum_e w_e <= 1
// (the rest of j belongs to other, undisclosed owners). It is a fractional knapsack: start from
// the minimums and hand the remaining equity 1 - sum_e min_e to the owners of highest value first.
// The tightened maximum max' = min(max, 1 - sum of the other minimums) alone is the special case
// of one owner with slack; when several ranges compete for the same equity the plain sum of the
// maximums overstates what any one consistent set of shares allows, so the engine uses this
// allocation wherever GraphData::binding is set. The result is attained by actual shares, which
// is what makes the engine's upper bounds exact rather than merely safe.

#include <cstdint>
#include <span>

namespace pw::ownership::internal {

struct Candidate {
  double value = 0.0;      // v_e
  double room = 0.0;       // max'_e - min_e
  std::int32_t index = 0;  // caller's index of the owner, to report the allocation
};

// Returns sum of room taken * value, giving `slack` to the candidates of highest value first.
// Reorders `candidates`. If `taken` is not empty, taken[c.index] receives the room given to c.
double allocate_slack(std::span<Candidate> candidates, double slack, std::span<double> taken = {});

}  // namespace pw::ownership::internal
