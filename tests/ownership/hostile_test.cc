// Hostile and extreme input: deep chains and long cycles must neither exhaust the stack nor lose
// precision; invalid input gets an error that names it (see also graph_test.cc).

#include <gtest/gtest.h>

#include <cmath>

#include "ownership/control.h"
#include "ownership/explain.h"
#include "ownership/exposure.h"
#include "ownership/integrated.h"
#include "ownership/test_graphs.h"

namespace pw::ownership {
namespace {

using testing::DatasetBuilder;
using testing::node;

constexpr int kDepth = 100'000;
constexpr double kLink = 0.99999;

std::string name(int i) {
  return "n" + std::to_string(i);
}

// A state body at the top of a chain of kDepth companies, each holding 99.999% of the next.
Graph chain() {
  DatasetBuilder b;
  b.entity("top", domain::EntityKind::kStateBody, "Top", "XX");
  for (int i = 0; i < kDepth; ++i) b.company(name(i));
  b.owns("top", name(0), kLink);
  for (int i = 0; i + 1 < kDepth; ++i) b.owns(name(i), name(i + 1), kLink);
  return b.graph();
}

TEST(OwnershipHostile, HundredThousandLinkChain) {
  const Graph g = chain();
  const NodeId last = node(g, name(kDepth - 1));
  const double expected = std::pow(kLink, kDepth);
  auto x = integrated(g, node(g, "top"), last);
  ASSERT_TRUE(x);
  EXPECT_NEAR(x->share.min, expected, 1e-12);

  auto u = ultimate_owners(g, last);
  ASSERT_TRUE(u);
  EXPECT_NEAR(u->owners[0].share.min, expected, 1e-12);
  EXPECT_NEAR(u->owners[0].share.min + u->owners[1].share.min, 1.0, 1e-9);

  auto e = explain(g, last, node(g, "top"), {1, 1'000'000, 10});
  ASSERT_TRUE(e);
  ASSERT_EQ(e->paths.size(), 1u);
  EXPECT_EQ(e->paths[0].steps.size(), static_cast<std::size_t>(kDepth));
  EXPECT_TRUE(e->gaps_truncated);  // every company has 0.001% undisclosed

  auto c = control(g, node(g, "top"), last);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->majority[0].verdict, Verdict::kYes);
  EXPECT_EQ(c->majority[0].chain.size(), static_cast<std::size_t>(kDepth));
  EXPECT_NEAR(c->weakest_link.min, kLink, 1e-15);

  std::size_t reached = 0;
  ASSERT_TRUE(for_each_state_exposure(
      g, [&](std::int32_t, std::span<const ExposureEntry> entries) { reached = entries.size(); }));
  EXPECT_EQ(reached, static_cast<std::size_t>(kDepth) + 1);
}

// One cycle through 100,000 companies (far above the dense limit: solved by iteration).
TEST(OwnershipHostile, HundredThousandCompanyCycle) {
  DatasetBuilder b;
  b.person("p");
  for (int i = 0; i < kDepth; ++i) b.company(name(i));
  for (int i = 0; i < kDepth; ++i) b.owns(name(i), name((i + 1) % kDepth), 0.5);
  b.owns("p", name(0), 0.5);
  const Graph g = b.graph();
  // x_0 = 0.5 + 0.5^kDepth x_0, so x_0 = 0.5 to double precision, x_k = 0.5^(k+1).
  auto x = integrated(g, node(g, "p"), node(g, name(3)));
  ASSERT_TRUE(x);
  EXPECT_TRUE(std::abs(x->share.min - 0.0625) < 1e-15);
  auto self = integrated(g, node(g, name(0)), node(g, name(1)));
  ASSERT_TRUE(self);
  EXPECT_TRUE(self->owner_in_cycle);
  EXPECT_NEAR(self->share.min, 0.5, 1e-15);
}

TEST(OwnershipHostile, UnknownCrossHoldingsDoNotMakeUpFigures) {
  // Two companies holding unknown stakes in each other, one of them 1% owned by a state: the
  // ranges allow the state anything from 1% to 100% of both, and the answer says it is unknown.
  DatasetBuilder b;
  b.entity("s", domain::EntityKind::kState, "S", "XX").company("a").company("b");
  b.edge("a", "b", domain::Share::unknown()).edge("b", "a", domain::Share::unknown());
  b.owns("s", "a", 0.01);
  const Graph g = b.graph();
  auto x = integrated(g, node(g, "s"), node(g, "b"));
  ASSERT_TRUE(x) << x.error().to_string();
  EXPECT_EQ(x->share.min, 0.0);
  EXPECT_NEAR(x->share.max, 1.0, 1e-12);
  EXPECT_FALSE(x->share.known);
  // A's stake in B: up to all of it; counting the walks that return through A (up to 99% of A
  // is B's), up to 1 / (1 - 0.99) = 100 times that.
  auto ab = integrated(g, node(g, "a"), node(g, "b"));
  ASSERT_TRUE(ab);
  EXPECT_TRUE(ab->owner_in_cycle);
  EXPECT_NEAR(ab->share.max, 1.0, 1e-12);
  EXPECT_NEAR(ab->walk_sum.max, 100.0, 1e-9);
  EXPECT_EQ(ab->walk_sum.min, 0.0);
}

}  // namespace
}  // namespace pw::ownership
