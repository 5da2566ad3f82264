// Property tests on random graphs (fixed seeds): the solver against brute-force path
// enumeration on acyclic graphs, against the linear equations and a dense inverse on cyclic ones,
// bounds against sampled shares, and ultimate owners summing to 100% with complete data.

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <functional>
#include <random>

#include "ownership/exposure.h"
#include "ownership/integrated.h"
#include "ownership/test_graphs.h"

namespace pw::ownership {
namespace {

using testing::DatasetBuilder;

constexpr int kNodes = 30;

std::string name(int i) {
  return "c" + std::to_string(i);
}

// A random ownership matrix over kNodes companies: each company gets up to `owners` owners
// (earlier companies only when acyclic), column sums at most `max_column`.
Eigen::MatrixXd random_w(std::mt19937_64& rng, bool acyclic, int owners, double max_column) {
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(kNodes, kNodes);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int j = 0; j < kNodes; ++j) {
    const int limit = acyclic ? j : kNodes;
    if (limit == 0) continue;
    std::uniform_int_distribution<int> pick(0, limit - 1);
    double room = max_column;
    for (int t = 0; t < owners; ++t) {
      const int i = pick(rng);
      if (i == j || w(i, j) > 0) continue;
      const double s = std::min(room, unit(rng) * max_column / 2);
      if (s < 1e-3) continue;
      w(i, j) = s;
      room -= s;
    }
  }
  return w;
}

Graph graph_of(const Eigen::MatrixXd& w) {
  DatasetBuilder b;
  for (int i = 0; i < kNodes; ++i) b.company(name(i));
  for (int i = 0; i < kNodes; ++i) {
    for (int j = 0; j < kNodes; ++j) {
      if (w(i, j) > 0) b.owns(name(i), name(j), w(i, j));
    }
  }
  return b.graph();
}

// Sum over all paths i -> j of the product of shares, by enumeration (acyclic W only).
double brute_force(const Eigen::MatrixXd& w, int i, int j) {
  if (i == j) return 1.0;
  double sum = 0.0;
  for (int k = 0; k < kNodes; ++k) {
    if (w(i, k) > 0) sum += w(i, k) * brute_force(w, k, j);
  }
  return sum;
}

TEST(OwnershipProperty, AcyclicEqualsBruteForcePathEnumeration) {
  std::mt19937_64 rng(20210419);
  for (int round = 0; round < 5; ++round) {
    const Eigen::MatrixXd w = random_w(rng, true, 4, 1.0);
    const Graph g = graph_of(w);
    for (int i = 0; i < kNodes; ++i) {
      for (int j = 0; j < kNodes; ++j) {
        if (i == j) continue;
        auto x = integrated(g, i, j);
        ASSERT_TRUE(x);
        const double expected = brute_force(w, i, j);
        EXPECT_NEAR(x->share.min, expected, 1e-12) << i << " -> " << j;
        EXPECT_NEAR(x->share.max, expected, 1e-12);
        EXPECT_EQ(x->walk_sum.min, x->share.min);
      }
    }
  }
}

TEST(OwnershipProperty, CyclicSatisfiesTheLinearEquationsAndTheInverse) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 5; ++round) {
    const Eigen::MatrixXd w = random_w(rng, false, 4, 0.95);
    const Graph g = graph_of(w);
    int in_cycles = 0;
    for (int i = 0; i < kNodes; ++i)
      in_cycles += integrated(g, i, (i + 1) % kNodes)->owner_in_cycle;
    EXPECT_GT(in_cycles, kNodes / 2);  // the random graphs do have sizeable cycles
    const Eigen::MatrixXd l = (Eigen::MatrixXd::Identity(kNodes, kNodes) - w).inverse();
    for (int i = 0; i < kNodes; ++i) {
      // x = first-passage shares from i: x_i = 1, x_j = sum_k W[k][j] x_k for j != i.
      Eigen::VectorXd x = Eigen::VectorXd::Zero(kNodes);
      x(i) = 1.0;
      for (int j = 0; j < kNodes; ++j) {
        if (j == i) continue;
        auto r = integrated(g, i, j);
        ASSERT_TRUE(r);
        x(j) = r->share.min;
        EXPECT_NEAR(r->share.max, r->share.min, 1e-12);
        EXPECT_NEAR(r->share.min, l(i, j) / l(i, i), 1e-12);
        EXPECT_NEAR(r->walk_sum.min, l(i, j), 1e-12);
      }
      const Eigen::VectorXd wx = w.transpose() * x;
      for (int j = 0; j < kNodes; ++j) {
        if (j == i) continue;
        EXPECT_NEAR(x(j), wx(j), 1e-9);
      }
    }
  }
}

// Shares drawn inside the ranges (within each company's equity) never leave the bounds, and the
// lower bound is the value at all minimums.
TEST(OwnershipProperty, SampledSharesStayWithinTheBounds) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int round = 0; round < 3; ++round) {
    const Eigen::MatrixXd mid = random_w(rng, false, 4, 0.9);
    Eigen::MatrixXd lo = Eigen::MatrixXd::Zero(kNodes, kNodes);
    Eigen::MatrixXd hi = Eigen::MatrixXd::Zero(kNodes, kNodes);
    DatasetBuilder b;
    for (int i = 0; i < kNodes; ++i) b.company(name(i));
    for (int i = 0; i < kNodes; ++i) {
      for (int j = 0; j < kNodes; ++j) {
        if (mid(i, j) <= 0) continue;
        lo(i, j) = mid(i, j) * unit(rng);
        hi(i, j) = std::min(1.0, mid(i, j) * (1 + unit(rng)));
        b.owns(name(i), name(j), lo(i, j), hi(i, j));
      }
    }
    const Graph g = b.graph();
    std::vector<Integrated> bounds;
    const int source = round;
    for (int j = 0; j < kNodes; ++j) {
      bounds.push_back(j == source ? Integrated{} : *integrated(g, source, j));
    }
    auto first_passage = [&](Eigen::MatrixXd w) {
      w.col(source).setZero();  // the owner's own owners are cut off
      Eigen::VectorXd e = Eigen::VectorXd::Zero(kNodes);
      e(source) = 1.0;
      return Eigen::VectorXd(
          (Eigen::MatrixXd::Identity(kNodes, kNodes) - w.transpose()).partialPivLu().solve(e));
    };
    const Eigen::VectorXd at_min = first_passage(lo);
    for (int j = 0; j < kNodes; ++j) {
      if (j == source) continue;
      EXPECT_NEAR(bounds[j].share.min, at_min(j), 1e-12);
    }
    for (int sample = 0; sample < 50; ++sample) {
      Eigen::MatrixXd w = lo;
      for (int j = 0; j < kNodes; ++j) {
        double free = 1.0 - lo.col(j).sum();
        for (int i = 0; i < kNodes; ++i) {
          const double extra = std::min(free, (hi(i, j) - lo(i, j)) * unit(rng));
          w(i, j) += extra;
          free -= extra;
        }
      }
      const Eigen::VectorXd x = first_passage(w);
      for (int j = 0; j < kNodes; ++j) {
        if (j == source) continue;
        EXPECT_GE(x(j), bounds[j].share.min - 1e-12);
        EXPECT_LE(x(j), bounds[j].share.max + 1e-12);
      }
    }
  }
}

TEST(OwnershipProperty, UltimateOwnersOfCompleteDataSumToOne) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int round = 0; round < 3; ++round) {
    const Eigen::MatrixXd w = random_w(rng, false, 4, 0.9);
    DatasetBuilder b;
    for (int i = 0; i < kNodes; ++i) b.company(name(i));
    const int persons = 6;
    for (int p = 0; p < persons; ++p) b.person("p" + std::to_string(p));
    b.entity("state", domain::EntityKind::kState, "State", "XX");
    for (int i = 0; i < kNodes; ++i) {
      for (int j = 0; j < kNodes; ++j) {
        if (w(i, j) > 0) b.owns(name(i), name(j), w(i, j));
      }
    }
    // The rest of each company goes to one or two persons or the state: complete data.
    Eigen::MatrixXd e = Eigen::MatrixXd::Zero(persons + 1, kNodes);
    for (int j = 0; j < kNodes; ++j) {
      const double rest = 1.0 - w.col(j).sum();
      const int a = static_cast<int>(unit(rng) * (persons + 1));
      const int c = static_cast<int>(unit(rng) * (persons + 1));
      const double split = a == c ? rest : rest * unit(rng);
      e(a, j) += split;
      if (a != c) e(c, j) += rest - split;
      for (int o = 0; o <= persons; ++o) {
        if (e(o, j) <= 0) continue;
        b.owns(o == persons ? "state" : "p" + std::to_string(o), name(j), e(o, j));
      }
    }
    const Graph g = b.graph();
    const Eigen::MatrixXd u =
        e * (Eigen::MatrixXd::Identity(kNodes, kNodes) - w).inverse();  // U = E (I - W)^-1
    for (int j = 0; j < kNodes; ++j) {
      auto owners = ultimate_owners(g, j);
      ASSERT_TRUE(owners);
      double total_min = 0.0, total_max = 0.0;
      for (const UltimateOwner& o : owners->owners) {
        total_min += o.share.min;
        total_max += o.share.max;
        if (o.kind == UltimateOwner::Kind::kEntity) {
          const int p = std::stoi(g.entity(o.entity).id.substr(1));
          EXPECT_NEAR(o.share.min, u(p, j), 1e-12);
        } else if (o.kind == UltimateOwner::Kind::kState) {
          EXPECT_NEAR(o.share.min, u(persons, j), 1e-12);
        } else {
          EXPECT_NEAR(o.share.max, 0.0, 1e-9);
        }
      }
      EXPECT_NEAR(total_min, 1.0, 1e-9);
      EXPECT_NEAR(total_max, 1.0, 1e-9);
    }
  }
}

}  // namespace
}  // namespace pw::ownership
