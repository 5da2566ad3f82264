#pragma once
// Solves the propagation equations (internal/propagate.h) inside one strongly connected
// component (a set of cross-holdings), for one column at a time.
//
// Lower bound, a linear system: x_i = sum_{internal e} min_e x_owner + b_i, i.e. (I - M) x = b.
// The component never holds all its own equity (Graph::build rejects that), so the spectral
// radius of M is below 1 and the system has one solution.
//
// Upper bound, the least fixed point of the budgeted maximum of internal/budget.h. When no
// member's owners compete for equity the policy is fixed (the tightened maximums) and this too is
// one linear system. Otherwise: policy iteration (choose each member's best allocation for the
// current values, solve the linear system of that choice, repeat until the choice is stable),
// which ends in a few rounds and is exact. Where the chosen shares could close a loop with no
// outside owner the system is singular; the solver notices (a solution that is not finite, not in
// [0, 1], or not better than the last) and finishes by value iteration, which converges from
// below to the least fixed point.
//
// Each column is first swept by Gauss-Seidel a few dozen times: weak cross-holdings (the common
// case) converge there, no value moving by more than 1e-15 in a sweep; convergence that quick
// means a contraction that keeps the remaining error of the same order, far below 1e-12. Otherwise,
// components up to the dense limit are solved directly with Eigen's PartialPivLU (O(m^3)); larger
// ones go on sweeping. The LU of a matrix that does not depend on the column is computed once per
// component and reused for every column.

#include <Eigen/Dense>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "ownership/internal/budget.h"

namespace pw::ownership::internal {

struct SccSystem {
  struct Edge {
    std::int32_t owner = 0;  // >= 0: a member (local index); < 0: external slot -1 - owner
    double min = 0.0;
    double max = 0.0;
    bool known = true;
  };
  std::int32_t m = 0;
  std::int32_t externals = 0;
  std::vector<std::int32_t> edge_begin;  // m + 1; member i's owners: edges[begin[i], begin[i+1])
  std::vector<Edge> edges;
  std::vector<std::uint8_t> binding;  // per member, as GraphData::binding
  std::vector<double> slack;          // per member, 1 - sum of its owners' minimums (>= 0)
  bool any_binding = false;
};

enum class Fixed : std::uint8_t {
  kFree,  // solved for
  kOne,   // a source of the column
  kZero,  // outside the question (not allowed, or a barrier that is not a source)
};

struct SccColumn {
  std::vector<double> ext_lo;  // per external slot: the owner's value in this column
  std::vector<double> ext_hi;
  std::vector<Fixed> fixed;  // per member
};

class SccSolver {
 public:
  // `system` must outlive the solver.
  SccSolver(const SccSystem& system, std::int32_t dense_limit);

  // Fills lo and hi (m values each). failed_precondition if an iteration does not converge.
  core::Status solve(const SccColumn& column, std::vector<double>& lo, std::vector<double>& hi);

 private:
  using Lu = Eigen::PartialPivLU<Eigen::MatrixXd>;

  bool dense() const { return sys_.m <= dense_limit_; }
  // One member's equation evaluated at x: the plain (lo) or budgeted (hi) sum.
  double evaluate(std::int32_t i, bool upper, const SccColumn& col, const std::vector<double>& x);
  // Greedy weights of member i's edges for values x (the policy of policy iteration).
  void choose_weights(std::int32_t i, const SccColumn& col, const std::vector<double>& x,
                      std::vector<double>& w);
  // Solves (I - W_internal) x = W_external * ext for edge weights w (dense LU); `cached` (if
  // set) is the factorization to use when no member is fixed.
  std::optional<std::vector<double>> solve_linear(const SccColumn& col,
                                                  const std::vector<double>& w,
                                                  const std::vector<double>& ext, Lu* cached);
  Lu factor(const SccColumn* col, const std::vector<double>& w) const;
  // Gauss-Seidel sweeps from x until no value moves by more than the tolerance; false if
  // `max_sweeps` did not suffice (x holds the last sweep, still below the solution).
  bool sweep(bool upper, const SccColumn& col, std::vector<double>& x, long max_sweeps);
  // Sweeps within the iteration budget, or failed_precondition.
  core::Status iterate(bool upper, const SccColumn& col, std::vector<double>& x);
  core::Status policy_iteration(const SccColumn& col, std::vector<double>& x);

  const SccSystem& sys_;  // borrowed; see constructor
  std::int32_t dense_limit_;
  std::vector<double> w_min_;  // per edge
  std::vector<double> w_max_;
  std::optional<Lu> lu_lo_;  // factorizations for columns without fixed members
  std::optional<Lu> lu_hi_;
  std::vector<Candidate> candidates_;  // scratch
};

}  // namespace pw::ownership::internal
