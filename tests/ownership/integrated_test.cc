#include "ownership/integrated.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>

#include "ownership/test_graphs.h"

namespace pw::ownership {
namespace {

using domain::EntityKind;
using domain::Share;
using testing::DatasetBuilder;
using testing::node;
using testing::seed;

Integrated integrated_of(const Graph& g, std::string_view owner, std::string_view owned) {
  auto x = integrated(g, node(g, owner), node(g, owned));
  EXPECT_TRUE(x) << x.error().to_string();
  return x.value_or(Integrated{});
}

TEST(Integrated, SeedCnncHoldsTwentyOnePercentOfSeventySixPercent) {
  const Graph g = seed().graph();
  const Integrated x = integrated_of(g, "cnnc", "nuctech");
  EXPECT_NEAR(x.share.min, 0.1596, 1e-12);
  EXPECT_NEAR(x.share.max, 0.1596, 1e-12);
  EXPECT_TRUE(x.share.known);
  EXPECT_FALSE(x.owner_in_cycle);
  EXPECT_EQ(x.walk_sum.min, x.share.min);
  // SASAC holds all of CNNC, so the same.
  EXPECT_NEAR(integrated_of(g, "sasac", "nuctech").share.min, 0.1596, 1e-12);
  // Nothing flows upwards.
  EXPECT_EQ(integrated_of(g, "nuctech", "cnnc").share.max, 0.0);
}

// The worked example of integrated.h: A owns 50% of B, B owns 20% of A, A owns 10% of C and
// B 40% of C. By hand: det(I - W) = 1 - 0.5 * 0.2 = 0.9.
//   A in B: corrected 50% (only A -> B leaves A for good); walk sum 0.5 / 0.9 = 55.56%.
//   A in C: corrected 0.1 + 0.5 * 0.4 = 30%; walk sum 0.3 / 0.9 = 33.33%.
//   B in C: corrected 0.4 + 0.2 * 0.1 = 42%; walk sum 0.42 / 0.9 = 46.67%.
DatasetBuilder cross_holding() {
  DatasetBuilder b;
  b.company("a").company("b").company("c");
  b.owns("a", "b", 0.5).owns("b", "a", 0.2).owns("a", "c", 0.1).owns("b", "c", 0.4);
  return b;
}

TEST(Integrated, VitaliGlattfelderBattistonCorrectionWorkedExample) {
  const Graph g = cross_holding().graph();
  const Integrated ab = integrated_of(g, "a", "b");
  EXPECT_TRUE(ab.owner_in_cycle);
  EXPECT_NEAR(ab.share.min, 0.5, 1e-12);
  EXPECT_NEAR(ab.walk_sum.min, 0.5 / 0.9, 1e-12);
  const Integrated ac = integrated_of(g, "a", "c");
  EXPECT_NEAR(ac.share.min, 0.30, 1e-12);
  EXPECT_NEAR(ac.share.max, 0.30, 1e-12);
  EXPECT_NEAR(ac.walk_sum.min, 0.30 / 0.9, 1e-12);
  EXPECT_NEAR(ac.walk_sum.max, 0.30 / 0.9, 1e-12);
  const Integrated bc = integrated_of(g, "b", "c");
  EXPECT_NEAR(bc.share.min, 0.42, 1e-12);
  EXPECT_NEAR(bc.walk_sum.min, 0.42 / 0.9, 1e-12);

  // The same figures from the inverse: L = (I - W)^-1, F[i][j] = L[i][j] / L[i][i].
  Eigen::Matrix3d w = Eigen::Matrix3d::Zero();  // order a, b, c
  w(0, 1) = 0.5;
  w(1, 0) = 0.2;
  w(0, 2) = 0.1;
  w(1, 2) = 0.4;
  const Eigen::Matrix3d l = (Eigen::Matrix3d::Identity() - w).inverse();
  EXPECT_NEAR(ac.walk_sum.min, l(0, 2), 1e-12);
  EXPECT_NEAR(ac.share.min, l(0, 2) / l(0, 0), 1e-12);
  EXPECT_NEAR(bc.share.min, l(1, 2) / l(1, 1), 1e-12);
}

// A three-company ring, each holding 50% of the next, and person X with 50% of A. By hand:
// x_A = 0.5 + 0.5 x_C, x_B = 0.5 x_A, x_C = 0.5 x_B, so x_A = 0.5 / (1 - 0.125) = 4/7,
// x_B = 2/7, x_C = 1/7.
TEST(Integrated, RingOfCrossHoldingsSolvedByHand) {
  DatasetBuilder b;
  b.person("x").company("a").company("b").company("c");
  b.owns("x", "a", 0.5).owns("a", "b", 0.5).owns("b", "c", 0.5).owns("c", "a", 0.5);
  const Graph g = b.graph();
  EXPECT_NEAR(integrated_of(g, "x", "a").share.min, 4.0 / 7.0, 1e-12);
  EXPECT_NEAR(integrated_of(g, "x", "b").share.min, 2.0 / 7.0, 1e-12);
  EXPECT_NEAR(integrated_of(g, "x", "c").share.min, 1.0 / 7.0, 1e-12);
  // A's stake in C, corrected: A -> B -> C only, 25%.
  EXPECT_NEAR(integrated_of(g, "a", "c").share.min, 0.25, 1e-12);
}

TEST(Integrated, RangesGiveExactBoundsWithTightenedMaximums) {
  DatasetBuilder b;
  b.person("p").company("a").company("b").company("x");
  // A holds 30%-80% of X, but B holds exactly 40%: A can hold at most 60%.
  b.owns("a", "x", 0.3, 0.8).owns("b", "x", 0.4);
  b.owns("p", "a", 0.2, 0.4);
  const Graph g = b.graph();
  const Integrated ax = integrated_of(g, "a", "x");
  EXPECT_NEAR(ax.share.min, 0.3, 1e-15);
  EXPECT_NEAR(ax.share.max, 0.6, 1e-15);
  EXPECT_TRUE(ax.share.known);
  EXPECT_FALSE(ax.share.exact());
  const Integrated px = integrated_of(g, "p", "x");
  EXPECT_NEAR(px.share.min, 0.06, 1e-15);
  EXPECT_NEAR(px.share.max, 0.24, 1e-15);
}

// S holds all of A and half of B; A and B each hold 20%-70% of J. Together they can hold at
// most 100% of J, so the most S can hold is with A at 70% and B at 30%: 0.7 + 0.5 * 0.3 = 85%.
// The tightened maximums alone (70% each) would claim 0.7 + 0.5 * 0.7 = 105%.
TEST(Integrated, UpperBoundRespectsTheWholeCompany) {
  DatasetBuilder b;
  b.person("s").company("a").company("b").company("j");
  b.owns("s", "a", 1.0).owns("s", "b", 0.5).owns("a", "j", 0.2, 0.7).owns("b", "j", 0.2, 0.7);
  const Graph g = b.graph();
  const Integrated sj = integrated_of(g, "s", "j");
  EXPECT_NEAR(sj.share.min, 0.2 + 0.5 * 0.2, 1e-15);
  EXPECT_NEAR(sj.share.max, 0.85, 1e-15);
}

TEST(Integrated, UnknownShareIsReportedAsUnknownWithHonestBounds) {
  DatasetBuilder b;
  b.person("s").company("a").company("x");
  b.edge("s", "a", Share::unknown()).owns("a", "x", 0.6);
  const Graph g = b.graph();
  const Integrated sx = integrated_of(g, "s", "x");
  EXPECT_FALSE(sx.share.known);
  EXPECT_EQ(sx.share.min, 0.0);
  EXPECT_NEAR(sx.share.max, 0.6, 1e-15);
  EXPECT_EQ(format_bounds(sx.share), "unknown (0%-60%)");
}

TEST(Integrated, RejectsBadArguments) {
  const Graph g = seed().graph();
  EXPECT_FALSE(integrated(g, 0, 0));
  EXPECT_FALSE(integrated(g, -1, 0));
  EXPECT_FALSE(integrated(g, 0, 99));
}

double share_of(const UltimateOwners& u, UltimateOwner::Kind kind, std::int32_t id,
                bool upper = false) {
  for (const UltimateOwner& o : u.owners) {
    if (o.kind != kind) continue;
    if ((kind == UltimateOwner::Kind::kEntity && o.entity == id) ||
        (kind == UltimateOwner::Kind::kState && o.state == id) ||
        kind == UltimateOwner::Kind::kUndisclosed) {
      return upper ? o.share.max : o.share.min;
    }
  }
  return -1.0;
}

TEST(UltimateOwners, SeedChinaAndTheUndisclosedRest) {
  const Graph g = seed().graph();
  auto u = ultimate_owners(g, node(g, "nuctech"));
  ASSERT_TRUE(u);
  ASSERT_EQ(u->owners.size(), 2u);
  EXPECT_EQ(u->owners[0].kind, UltimateOwner::Kind::kState);
  EXPECT_EQ(g.states()[u->owners[0].state].key, "CN");
  EXPECT_NEAR(u->owners[0].share.min, 0.1596, 1e-12);
  EXPECT_EQ(u->owners[1].kind, UltimateOwner::Kind::kUndisclosed);
  EXPECT_NEAR(u->owners[1].share.min, 1 - 0.1596, 1e-12);
  EXPECT_NEAR(u->owners[1].share.max, 1 - 0.1596, 1e-12);
}

// The cross-holding of the worked example with its outside owners: P1 80% of A, P2 50% of B.
// P1 holds 0.8 * L[A][B] = 0.8 * 0.5 / 0.9 = 44.44% of B and P2 0.5 * L[B][B] = 55.56%.
TEST(UltimateOwners, CrossHoldingWithCompleteDataSumsToOne) {
  DatasetBuilder b;
  b.person("p1").person("p2").company("a").company("b");
  b.owns("a", "b", 0.5).owns("b", "a", 0.2).owns("p1", "a", 0.8).owns("p2", "b", 0.5);
  const Graph g = b.graph();
  auto u = ultimate_owners(g, node(g, "b"));
  ASSERT_TRUE(u);
  EXPECT_NEAR(share_of(*u, UltimateOwner::Kind::kEntity, node(g, "p1")), 0.4 / 0.9, 1e-12);
  EXPECT_NEAR(share_of(*u, UltimateOwner::Kind::kEntity, node(g, "p2")), 0.5 / 0.9, 1e-12);
  EXPECT_NEAR(share_of(*u, UltimateOwner::Kind::kUndisclosed, 0, true), 0.0, 1e-12);
  double total = 0;
  for (const UltimateOwner& o : u->owners) total += o.share.min;
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(UltimateOwners, RangesAndUnknownsWidenTheUndisclosedRemainder) {
  DatasetBuilder b;
  b.person("p").person("q").company("x");
  b.owns("p", "x", 0.3, 0.5).edge("q", "x", Share::unknown());
  const Graph g = b.graph();
  auto u = ultimate_owners(g, node(g, "x"));
  ASSERT_TRUE(u);
  EXPECT_NEAR(share_of(*u, UltimateOwner::Kind::kEntity, node(g, "p")), 0.3, 1e-15);
  EXPECT_NEAR(share_of(*u, UltimateOwner::Kind::kEntity, node(g, "p"), true), 0.5, 1e-15);
  EXPECT_NEAR(share_of(*u, UltimateOwner::Kind::kEntity, node(g, "q"), true), 0.7, 1e-15);
  // At all minimums 70% is undisclosed; at most P and Q hold everything.
  EXPECT_NEAR(share_of(*u, UltimateOwner::Kind::kUndisclosed, 0), 0.0, 1e-15);
  EXPECT_NEAR(share_of(*u, UltimateOwner::Kind::kUndisclosed, 0, true), 0.7, 1e-15);
  EXPECT_FALSE(u->owners.back().share.known);
}

TEST(UltimateOwners, StateBodiesOfOneCountryAreOneOwnerAndEndTheChain) {
  DatasetBuilder b;
  b.entity("fi", EntityKind::kState, "Finland", "FI")
      .entity("tem", EntityKind::kStateBody, "Ministry", "FI")
      .company("holding")
      .company("target")
      .person("z");
  b.owns("fi", "tem", 0.9).owns("tem", "holding", 1.0).owns("holding", "target", 0.765);
  b.owns("fi", "target", 0.235);
  // Someone holds part of the ministry's fund: not followed, the state body ends the chain.
  b.owns("z", "tem", 0.1);
  const Graph g = b.graph();
  auto u = ultimate_owners(g, node(g, "target"));
  ASSERT_TRUE(u);
  ASSERT_EQ(u->owners.size(), 2u);
  EXPECT_EQ(u->owners[0].kind, UltimateOwner::Kind::kState);
  EXPECT_NEAR(u->owners[0].share.min, 1.0, 1e-12);
  EXPECT_NEAR(u->owners[1].share.max, 0.0, 1e-12);
}

}  // namespace
}  // namespace pw::ownership
