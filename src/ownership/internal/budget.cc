#include "ownership/internal/budget.h"

#include <algorithm>

namespace pw::ownership::internal {

double allocate_slack(std::span<Candidate> candidates, double slack, std::span<double> taken) {
  // Ties are broken by index so that the allocation, and so the policy iteration that repeats it,
  // is deterministic.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.value != b.value ? a.value > b.value : a.index < b.index;
  });
  double sum = 0.0;
  for (const Candidate& c : candidates) {
    if (slack <= 0.0 || c.value <= 0.0) break;
    const double take = std::min(c.room, slack);
    sum += take * c.value;
    slack -= take;
    if (!taken.empty()) taken[c.index] = take;
  }
  return sum;
}

}  // namespace pw::ownership::internal
