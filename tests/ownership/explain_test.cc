#include "ownership/explain.h"

#include <gtest/gtest.h>

#include "ownership/test_graphs.h"

namespace pw::ownership {
namespace {

using domain::Interest;
using domain::Share;
using testing::DatasetBuilder;
using testing::node;
using testing::seed;

Explanation explain_of(const Graph& g, std::string_view owned,
                       std::optional<std::string_view> owner, int k = 5) {
  ExplainOptions options;
  options.k = k;
  auto e = explain(g, node(g, owned), owner ? std::optional<NodeId>(node(g, *owner)) : std::nullopt,
                   options);
  EXPECT_TRUE(e) << e.error().to_string();
  return e.value_or(Explanation{});
}

TEST(Explain, SeedPathAndItsProduct) {
  const Graph g = seed().graph();
  const Explanation e = explain_of(g, "nuctech", "cnnc");
  ASSERT_EQ(e.paths.size(), 1u);
  const ExplainedPath& p = e.paths[0];
  ASSERT_EQ(p.steps.size(), 2u);
  EXPECT_EQ(p.steps[0].owner, node(g, "cnnc"));
  EXPECT_EQ(p.steps[0].owned, node(g, "tongfang"));
  EXPECT_EQ(p.steps[0].share.min, 0.21);
  EXPECT_EQ(p.steps[1].owned, node(g, "nuctech"));
  EXPECT_EQ(p.steps[1].share.min, 0.76);
  EXPECT_NEAR(p.product.min, 0.1596, 1e-15);
  EXPECT_TRUE(p.product.exact());
  EXPECT_EQ(g.statement(p.steps[1].statement).owner, "tongfang");
  ASSERT_TRUE(e.integrated);
  EXPECT_NEAR(e.integrated->share.min, 0.1596, 1e-12);
  EXPECT_FALSE(e.truncated);
  // Gaps: 24% of Nuctech and 79% of Tongfang are held by owners the data does not name.
  ASSERT_EQ(e.undisclosed.size(), 2u);
  EXPECT_EQ(e.undisclosed[0].company, node(g, "tongfang"));
  EXPECT_NEAR(e.undisclosed[0].share.min, 0.79, 1e-15);
  EXPECT_EQ(e.undisclosed[1].company, node(g, "nuctech"));
  EXPECT_NEAR(e.undisclosed[1].share.max, 0.24, 1e-15);
  EXPECT_TRUE(e.unknown_shares.empty());
}

TEST(Explain, TopPathsBestFirstWithoutAnOwner) {
  // P reaches X through A (0.5 * 0.6 = 30%) and B (0.5 * 0.4 = 20%); Q directly with 10%.
  DatasetBuilder b;
  b.person("p").person("q").company("a").company("b").company("x");
  b.owns("p", "a", 0.5).owns("p", "b", 0.5).owns("a", "x", 0.6).owns("b", "x", 0.3);
  b.owns("q", "x", 0.1);
  const Graph g = b.graph();
  const Explanation all = explain_of(g, "x", std::nullopt);
  ASSERT_EQ(all.paths.size(), 3u);
  EXPECT_NEAR(all.paths[0].product.min, 0.30, 1e-15);
  EXPECT_NEAR(all.paths[1].product.min, 0.15, 1e-15);
  EXPECT_NEAR(all.paths[2].product.min, 0.10, 1e-15);
  EXPECT_EQ(all.paths[2].steps[0].owner, node(g, "q"));
  const Explanation best = explain_of(g, "x", "p", 1);
  ASSERT_EQ(best.paths.size(), 1u);
  EXPECT_EQ(best.paths[0].steps[0].owned, node(g, "a"));
  EXPECT_NEAR(best.integrated->share.min, 0.45, 1e-15);
}

TEST(Explain, OnlySimplePathsThroughCycles) {
  DatasetBuilder b;
  b.person("x").company("a").company("b").company("c");
  b.owns("x", "a", 0.5).owns("a", "b", 0.5).owns("b", "c", 0.5).owns("c", "a", 0.5);
  const Graph g = b.graph();
  const Explanation e = explain_of(g, "c", "x", 10);
  ASSERT_EQ(e.paths.size(), 1u);  // x -> a -> b -> c; going round again is not a simple path
  EXPECT_EQ(e.paths[0].steps.size(), 3u);
  EXPECT_NEAR(e.paths[0].product.min, 0.125, 1e-15);
  EXPECT_NEAR(e.integrated->share.min, 1.0 / 7.0, 1e-12);  // the figure counts the rounds
}

TEST(Explain, ReportsUnknownSharesExcludedStatementsAndStatedIndirectOwnership) {
  DatasetBuilder b = seed();
  b.person("ghost").edge("ghost", "tongfang", Share::unknown());
  b.owns("cnnc", "nuctech", 0.1596);
  b.last_edge().direct = false;
  b.company("old").owns("old", "nuctech", 0.1);
  b.last_edge().end = *domain::parse_date("2019-01-01");
  const Graph g = b.graph(*domain::parse_date("2021-04-19"));
  const Explanation e = explain_of(g, "nuctech", "cnnc");
  ASSERT_EQ(e.unknown_shares.size(), 1u);
  EXPECT_EQ(e.unknown_shares[0].owner, node(g, "ghost"));
  ASSERT_EQ(e.excluded.size(), 1u);
  EXPECT_TRUE(e.excluded[0].ended);
  EXPECT_EQ(e.excluded[0].owner, node(g, "old"));
  ASSERT_EQ(e.stated_indirect.size(), 1u);
  EXPECT_EQ(g.statement(e.stated_indirect[0]).share.min, 0.1596);
  // Tongfang's remainder is now [0, 79%]: the unknown holder may have all of it.
  EXPECT_EQ(e.undisclosed[0].company, node(g, "tongfang"));
  EXPECT_EQ(e.undisclosed[0].share.min, 0.0);
  EXPECT_FALSE(e.undisclosed[0].share.known);
}

TEST(Explain, SearchIsBounded) {
  // A ladder with two ways at each of 20 rungs has 2^20 chains; ask for many with a small budget.
  DatasetBuilder b;
  b.person("p").company("n0");
  b.owns("p", "n0", 0.5);
  for (int i = 0; i < 20; ++i) {
    const std::string from = "n" + std::to_string(i);
    const std::string to = "n" + std::to_string(i + 1);
    b.company("u" + std::to_string(i)).company("d" + std::to_string(i)).company(to);
    b.owns(from, "u" + std::to_string(i), 0.5).owns(from, "d" + std::to_string(i), 0.5);
    b.owns("u" + std::to_string(i), to, 0.5).owns("d" + std::to_string(i), to, 0.4);
  }
  const Graph g = b.graph();
  ExplainOptions options;
  options.k = 1'000'000;
  options.max_expansions = 5000;
  auto e = explain(g, node(g, "n20"), node(g, "p"), options);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->truncated);
  EXPECT_GT(e->paths.size(), 100u);
  for (std::size_t i = 1; i < e->paths.size(); ++i) {
    EXPECT_LE(e->paths[i].product.max, e->paths[i - 1].product.max * (1 + 1e-12));
  }
}

TEST(Explain, RejectsBadArguments) {
  const Graph g = seed().graph();
  EXPECT_FALSE(explain(g, 1, 1));
  EXPECT_FALSE(explain(g, 77));
  EXPECT_FALSE(explain(g, 1, 77));
}

}  // namespace
}  // namespace pw::ownership
