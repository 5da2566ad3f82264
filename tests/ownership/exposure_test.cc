#include "ownership/exposure.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "ownership/integrated.h"
#include "ownership/test_graphs.h"

namespace pw::ownership {
namespace {

using domain::EntityKind;
using domain::Share;
using testing::DatasetBuilder;
using testing::node;
using testing::seed;

std::map<std::pair<NodeId, std::int32_t>, Bounds> table(const Graph& g,
                                                        const ExposureOptions& options = {}) {
  auto rows = state_exposure(g, options);
  EXPECT_TRUE(rows) << rows.error().to_string();
  std::map<std::pair<NodeId, std::int32_t>, Bounds> out;
  for (const StateExposure& r : rows.value_or(std::vector<StateExposure>{})) {
    EXPECT_TRUE(out.emplace(std::pair{r.entity, r.state}, r.share).second);
  }
  return out;
}

// The Finnish state holds 23.5% directly and 76.5% through a company its ministry owns
// entirely: state and ministry are one owner, exposed to 100% of the target.
TEST(StateExposure, StateAndMinistryAreOneCountry) {
  DatasetBuilder b;
  b.entity("fi", EntityKind::kState, "Republic of Finland", "FI")
      .entity("fi-tem", EntityKind::kStateBody, "Ministry of Economic Affairs", "FI")
      .company("solidium", "Solidium Oy", "FI")
      .company("target", "Target Oyj", "FI");
  b.owns("fi-tem", "solidium", 1.0).owns("solidium", "target", 0.765).owns("fi", "target", 0.235);
  const Graph g = b.graph();
  const std::int32_t fi = *g.find_state("FI");
  const auto t = table(g);
  EXPECT_NEAR(t.at({node(g, "target"), fi}).min, 1.0, 1e-12);
  EXPECT_NEAR(t.at({node(g, "target"), fi}).max, 1.0, 1e-12);
  EXPECT_NEAR(t.at({node(g, "solidium"), fi}).min, 1.0, 1e-12);
  EXPECT_EQ(t.at({node(g, "fi"), fi}).min, 1.0);  // the state's own bodies are listed at 100%
  EXPECT_EQ(t.size(), 4u);
  auto one = state_exposure_of(g, node(g, "target"), fi);
  ASSERT_TRUE(one);
  EXPECT_NEAR(one->min, 1.0, 1e-12);
}

TEST(StateExposure, SeedChinaInNuctech) {
  const Graph g = seed().graph();
  const std::int32_t cn = *g.find_state("CN");
  auto x = state_exposure_of(g, node(g, "nuctech"), cn);
  ASSERT_TRUE(x);
  EXPECT_NEAR(x->min, 0.1596, 1e-12);
  EXPECT_NEAR(x->max, 0.1596, 1e-12);
  EXPECT_TRUE(x->known);
}

TEST(StateExposure, RangesAndUnknownSharesPerState) {
  DatasetBuilder b;
  b.entity("cn", EntityKind::kStateBody, "SASAC", "CN")
      .entity("fr", EntityKind::kState, "France", "FR")
      .company("a")
      .company("b")
      .company("x");
  b.owns("cn", "a", 0.3, 0.5).edge("fr", "b", Share::unknown());
  b.owns("a", "x", 0.5).owns("b", "x", 0.4);
  const Graph g = b.graph();
  const auto t = table(g);
  const Bounds cn_x = t.at({node(g, "x"), *g.find_state("CN")});
  EXPECT_NEAR(cn_x.min, 0.15, 1e-15);
  EXPECT_NEAR(cn_x.max, 0.25, 1e-15);
  EXPECT_TRUE(cn_x.known);
  const Bounds fr_x = t.at({node(g, "x"), *g.find_state("FR")});
  EXPECT_EQ(fr_x.min, 0.0);
  EXPECT_NEAR(fr_x.max, 0.4, 1e-15);
  EXPECT_FALSE(fr_x.known);
}

// Cross-holdings below two states; cycles solved the same by dense LU and by iteration, one or
// two threads, one or several states per pass.
TEST(StateExposure, SameAnswerWhicheverWayItIsComputed) {
  DatasetBuilder b;
  b.entity("s1", EntityKind::kState, "", "AA").entity("s2", EntityKind::kStateBody, "", "BB");
  b.entity("s3", EntityKind::kState, "", "CC");
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> share(0.05, 0.3);
  const int n = 40;
  for (int i = 0; i < n; ++i) b.company("c" + std::to_string(i));
  std::vector<double> room(n, 1.0);
  auto add = [&](const std::string& owner, int owned) {
    const double s = std::min(share(rng), room[owned] - 0.05);
    if (s <= 0) return;
    room[owned] -= s;
    b.owns(owner, "c" + std::to_string(owned), s);
  };
  for (int i = 0; i < n; ++i) {
    add("c" + std::to_string((i + 1) % n), i);  // a ring through everything
    add("c" + std::to_string((i * 7 + 3) % n), i);
  }
  add("s1", 0);
  add("s2", 10);
  add("s3", 20);
  const Graph g = b.graph();
  const auto reference = table(g);
  for (const ExposureOptions& o :
       {ExposureOptions{1, 1, 0}, ExposureOptions{2, 1, 256}, ExposureOptions{2, 2, 0}}) {
    const auto other = table(g, o);
    ASSERT_EQ(other.size(), reference.size());
    for (const auto& [key, v] : reference) {
      EXPECT_NEAR(other.at(key).min, v.min, 1e-12);
      EXPECT_NEAR(other.at(key).max, v.max, 1e-12);
    }
  }
  // Every company is in the ring, so each state reaches all 40 and its own body.
  EXPECT_EQ(reference.size(), 3u * (n + 1));
  // And each figure is the integrated ownership of the state's body.
  for (const char* s : {"s1", "s2", "s3"}) {
    const std::int32_t state = g.state_of(node(g, s));
    for (int i = 0; i < n; i += 7) {
      const NodeId c = node(g, "c" + std::to_string(i));
      EXPECT_NEAR(reference.at({c, state}).min, integrated(g, node(g, s), c)->share.min, 1e-12);
    }
  }
}

// A state body in a cycle: a company it half owns holds 30% of it back. The state is exposed to
// 50% of the company (the stake coming back is the state's own); the body is the state itself.
TEST(StateExposure, StateBodyInsideACycle) {
  DatasetBuilder b;
  b.entity("fund", EntityKind::kStateBody, "Fund", "NO").company("c").company("d");
  b.owns("fund", "c", 0.5).owns("c", "fund", 0.3).owns("c", "d", 0.4);
  const Graph g = b.graph();
  const auto t = table(g);
  const std::int32_t no = *g.find_state("NO");
  EXPECT_NEAR(t.at({node(g, "c"), no}).min, 0.5, 1e-15);
  EXPECT_NEAR(t.at({node(g, "d"), no}).max, 0.2, 1e-15);
  EXPECT_EQ(t.at({node(g, "fund"), no}).min, 1.0);
  auto u = ultimate_owners(g, node(g, "d"));
  ASSERT_TRUE(u);
  EXPECT_EQ(u->owners[0].kind, UltimateOwner::Kind::kState);
  EXPECT_NEAR(u->owners[0].share.min, 0.2, 1e-15);
  EXPECT_NEAR(u->owners.back().share.min, 0.8, 1e-15);
}

// Cross-holdings whose ranges compete for equity and converge slowly (99% may go round): the
// upper bound is the exact fixed point, by policy iteration (dense) or long iteration.
TEST(StateExposure, CompetingRangesInACycle) {
  DatasetBuilder b;
  b.entity("s", EntityKind::kState, "S", "SS").company("a").company("b").person("p");
  b.owns("s", "a", 0.01).owns("b", "a", 0.0, 0.99).owns("p", "a", 0.0, 0.99);
  b.edge("a", "b", Share::unknown());
  const Graph g = b.graph();
  for (std::int32_t dense : {256, 0}) {
    const auto t = table(g, {1, 8, dense});
    const Bounds x = t.at({node(g, "b"), 0});
    EXPECT_NEAR(x.min, 0.0, 1e-15);
    EXPECT_NEAR(x.max, 1.0, 1e-12) << dense;
    EXPECT_FALSE(x.known);
    EXPECT_NEAR(t.at({node(g, "a"), 0}).min, 0.01, 1e-15);
    EXPECT_NEAR(t.at({node(g, "a"), 0}).max, 1.0, 1e-12);
  }
}

TEST(StateExposure, VisitorSeesEveryStateOnce) {
  const Graph g = seed().graph();
  int calls = 0;
  auto done = for_each_state_exposure(g, [&](std::int32_t state, std::span<const ExposureEntry> e) {
    ++calls;
    EXPECT_EQ(state, 0);
    ASSERT_EQ(e.size(), 4u);  // SASAC, CNNC, Tongfang, Nuctech in topological order
    EXPECT_EQ(e.front().entity, node(g, "sasac"));
    EXPECT_EQ(e.back().entity, node(g, "nuctech"));
  });
  EXPECT_TRUE(done);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace pw::ownership
