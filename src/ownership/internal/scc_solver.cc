#include "ownership/internal/scc_solver.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace pw::ownership::internal {
namespace {

// Gauss-Seidel stops when no value moved by more than this in a sweep (values lie in [0, 1]).
constexpr double kSweepTolerance = 1e-15;
// A linear solution is accepted when finite, within [0, 1] up to this, and its residual below it.
constexpr double kSolutionTolerance = 1e-9;
constexpr int kMaxPolicyRounds = 100;
// Sweeps tried before a direct solve. Weak cross-holdings (a few percent each way, the common
// case) converge within them; a sweep costs O(edges), a dense solve O(m^3).
constexpr long kQuickSweeps = 60;
// Iteration budget: sweeps * edges; beyond it a component is reported as not converging.
constexpr double kMaxSweepWork = 4e8;

bool any_fixed(const SccColumn& col) {
  return std::any_of(col.fixed.begin(), col.fixed.end(), [](Fixed f) { return f != Fixed::kFree; });
}

}  // namespace

SccSolver::SccSolver(const SccSystem& system, std::int32_t dense_limit)
    : sys_(system), dense_limit_(dense_limit) {
  w_min_.reserve(sys_.edges.size());
  w_max_.reserve(sys_.edges.size());
  for (const SccSystem::Edge& e : sys_.edges) {
    w_min_.push_back(e.min);
    w_max_.push_back(e.max);
  }
}

double SccSolver::evaluate(std::int32_t i, bool upper, const SccColumn& col,
                           const std::vector<double>& x) {
  const std::int32_t b = sys_.edge_begin[i];
  const std::int32_t e = sys_.edge_begin[i + 1];
  auto value = [&](const SccSystem::Edge& edge) {
    if (edge.owner >= 0) return x[edge.owner];
    return upper ? col.ext_hi[-1 - edge.owner] : col.ext_lo[-1 - edge.owner];
  };
  double sum = 0.0;
  if (!upper || !sys_.binding[i]) {
    for (std::int32_t k = b; k < e; ++k) {
      const SccSystem::Edge& edge = sys_.edges[k];
      sum += (upper ? edge.max : edge.min) * value(edge);
    }
  } else {
    candidates_.clear();
    for (std::int32_t k = b; k < e; ++k) {
      const SccSystem::Edge& edge = sys_.edges[k];
      const double v = value(edge);
      sum += edge.min * v;
      if (edge.max > edge.min) candidates_.push_back({v, edge.max - edge.min, k});
    }
    sum += allocate_slack(candidates_, sys_.slack[i]);
  }
  return std::clamp(sum, 0.0, 1.0);
}

void SccSolver::choose_weights(std::int32_t i, const SccColumn& col, const std::vector<double>& x,
                               std::vector<double>& w) {
  const std::int32_t b = sys_.edge_begin[i];
  const std::int32_t e = sys_.edge_begin[i + 1];
  if (!sys_.binding[i]) {
    for (std::int32_t k = b; k < e; ++k) w[k] = sys_.edges[k].max;
    return;
  }
  candidates_.clear();
  for (std::int32_t k = b; k < e; ++k) {
    const SccSystem::Edge& edge = sys_.edges[k];
    w[k] = 0.0;
    const double v = edge.owner >= 0 ? x[edge.owner] : col.ext_hi[-1 - edge.owner];
    if (edge.max > edge.min) candidates_.push_back({v, edge.max - edge.min, k});
  }
  allocate_slack(candidates_, sys_.slack[i], w);
  for (std::int32_t k = b; k < e; ++k) w[k] += sys_.edges[k].min;
}

SccSolver::Lu SccSolver::factor(const SccColumn* col, const std::vector<double>& w) const {
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(sys_.m, sys_.m);
  for (std::int32_t i = 0; i < sys_.m; ++i) {
    if (col && col->fixed[i] != Fixed::kFree) continue;  // row stays x_i = fixed value
    for (std::int32_t k = sys_.edge_begin[i]; k < sys_.edge_begin[i + 1]; ++k) {
      const std::int32_t o = sys_.edges[k].owner;
      if (o >= 0) a(i, o) -= w[k];
    }
  }
  return Lu(a);
}

std::optional<std::vector<double>> SccSolver::solve_linear(const SccColumn& col,
                                                           const std::vector<double>& w,
                                                           const std::vector<double>& ext,
                                                           Lu* cached) {
  const bool fixed = any_fixed(col);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(sys_.m);
  for (std::int32_t i = 0; i < sys_.m; ++i) {
    if (col.fixed[i] == Fixed::kOne) {
      rhs(i) = 1.0;
      continue;
    }
    if (col.fixed[i] == Fixed::kZero) continue;
    for (std::int32_t k = sys_.edge_begin[i]; k < sys_.edge_begin[i + 1]; ++k) {
      const std::int32_t o = sys_.edges[k].owner;
      if (o < 0) rhs(i) += w[k] * ext[-1 - o];
    }
  }
  std::optional<Lu> local;
  const Lu* lu = cached;
  if (fixed || !cached) {
    local.emplace(factor(&col, w));
    lu = &*local;
  }
  const Eigen::VectorXd x = lu->solve(rhs);
  // Accept only a genuine solution: a singular system (a loop the chosen shares close) shows as
  // non-finite or out-of-range values or a large residual.
  std::vector<double> out(sys_.m);
  for (std::int32_t i = 0; i < sys_.m; ++i) {
    if (!std::isfinite(x(i)) || x(i) < -kSolutionTolerance || x(i) > 1.0 + kSolutionTolerance) {
      return std::nullopt;
    }
    out[i] = std::clamp(x(i), 0.0, 1.0);
  }
  for (std::int32_t i = 0; i < sys_.m; ++i) {
    if (col.fixed[i] != Fixed::kFree) continue;
    double r = out[i] - rhs(i);
    for (std::int32_t k = sys_.edge_begin[i]; k < sys_.edge_begin[i + 1]; ++k) {
      const std::int32_t o = sys_.edges[k].owner;
      if (o >= 0) r -= w[k] * out[o];
    }
    if (std::abs(r) > kSolutionTolerance) return std::nullopt;
  }
  return out;
}

bool SccSolver::sweep(bool upper, const SccColumn& col, std::vector<double>& x, long max_sweeps) {
  for (long n = 0; n < max_sweeps; ++n) {
    double change = 0.0;
    for (std::int32_t i = 0; i < sys_.m; ++i) {
      double v = 0.0;
      if (col.fixed[i] == Fixed::kOne) {
        v = 1.0;
      } else if (col.fixed[i] == Fixed::kFree) {
        v = evaluate(i, upper, col, x);
      }
      change = std::max(change, std::abs(v - x[i]));
      x[i] = v;
    }
    if (change <= kSweepTolerance) return true;
  }
  return false;
}

core::Status SccSolver::iterate(bool upper, const SccColumn& col, std::vector<double>& x) {
  const double work = static_cast<double>(std::max<std::size_t>(sys_.edges.size(), 1));
  if (sweep(upper, col, x, std::max(1000L, static_cast<long>(kMaxSweepWork / work)))) {
    return core::ok();
  }
  return core::failed_precondition(
      "ownership cycle of " + std::to_string(sys_.m) +
      " entities does not converge: its cross-holdings allow nearly 100% inside the cycle");
}

core::Status SccSolver::policy_iteration(const SccColumn& col, std::vector<double>& x) {
  std::vector<double> w(sys_.edges.size(), 0.0);
  std::vector<double> previous;
  for (int round = 0; round < kMaxPolicyRounds; ++round) {
    for (std::int32_t i = 0; i < sys_.m; ++i) choose_weights(i, col, x, w);
    if (w == previous) return core::ok();  // x solves the system of its own best policy
    auto next = solve_linear(col, w, col.ext_hi, nullptr);
    if (!next) break;
    bool improved = true;
    for (std::int32_t i = 0; i < sys_.m; ++i) improved = improved && (*next)[i] >= x[i] - 1e-12;
    if (!improved) break;
    x = std::move(*next);
    previous = w;
  }
  return iterate(true, col, x);
}

core::Status SccSolver::solve(const SccColumn& col, std::vector<double>& lo,
                              std::vector<double>& hi) {
  lo.assign(sys_.m, 0.0);
  if (!sweep(false, col, lo, kQuickSweeps)) {
    std::optional<std::vector<double>> x;
    if (dense()) {
      if (!any_fixed(col) && !lu_lo_) lu_lo_.emplace(factor(nullptr, w_min_));
      x = solve_linear(col, w_min_, col.ext_lo, lu_lo_ ? &*lu_lo_ : nullptr);
    }
    // The minimum system is never singular (Graph::build); without a solution here (too large,
    // or numerically poor) the iteration continues.
    if (x) {
      lo = std::move(*x);
    } else {
      PW_TRY(iterate(false, col, lo));
    }
  }

  hi = lo;  // every upper value is at least the lower one: a start from below
  if (sweep(true, col, hi, kQuickSweeps)) return core::ok();
  if (!dense()) return iterate(true, col, hi);
  if (sys_.any_binding) return policy_iteration(col, hi);
  if (!any_fixed(col) && !lu_hi_) lu_hi_.emplace(factor(nullptr, w_max_));
  auto x = solve_linear(col, w_max_, col.ext_hi, lu_hi_ ? &*lu_hi_ : nullptr);
  if (x) {
    hi = std::move(*x);
    return core::ok();
  }
  return iterate(true, col, hi);
}

}  // namespace pw::ownership::internal
