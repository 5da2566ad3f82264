#include "ownership/control.h"

#include <gtest/gtest.h>

#include "ownership/test_graphs.h"

namespace pw::ownership {
namespace {

using domain::Interest;
using domain::Share;
using testing::DatasetBuilder;
using testing::node;
using testing::seed;

ControlAnswer control_of(const Graph& g, std::string_view controller, std::string_view company,
                         const ControlOptions& options = {}) {
  auto a = control(g, node(g, controller), node(g, company), options);
  EXPECT_TRUE(a) << a.error().to_string();
  return a.value_or(ControlAnswer{});
}

// Seed: economic 15.96%, weakest link 21%, no majority chain to CNNC; at a 20% threshold the
// chain CNNC -21%-> Tongfang -76%-> Nuctech does count, and the rules disagree.
TEST(Control, SeedRulesDisagreeAndSaySo) {
  const Graph g = seed().graph();
  const ControlAnswer a = control_of(g, "cnnc", "nuctech");
  EXPECT_NEAR(a.economic.min, 0.1596, 1e-12);
  EXPECT_NEAR(a.weakest_link.min, 0.21, 1e-15);
  EXPECT_NEAR(a.weakest_link.max, 0.21, 1e-15);
  ASSERT_EQ(a.weakest_chain.size(), 2u);
  EXPECT_EQ(a.weakest_chain[0].owned, node(g, "tongfang"));
  ASSERT_EQ(a.majority.size(), 3u);
  EXPECT_EQ(a.majority[0].verdict, Verdict::kNo);   // 50%
  EXPECT_EQ(a.majority[1].verdict, Verdict::kNo);   // 25%
  EXPECT_EQ(a.majority[2].verdict, Verdict::kYes);  // 20%
  ASSERT_EQ(a.majority[2].chain.size(), 2u);
  EXPECT_EQ(a.majority[2].chain[1].owned, node(g, "nuctech"));
  EXPECT_EQ(a.declared, Verdict::kNo);
  EXPECT_EQ(a.controls, Verdict::kNo);
  EXPECT_TRUE(a.concluded_by.empty());
  EXPECT_EQ(a.summary,
            "economic 15.96%, weakest link 21%, no majority chain (>50%), no declared control");
  ASSERT_EQ(a.disagreements.size(), 1u);
  EXPECT_EQ(a.disagreements[0],
            "at 20%: economic 15.96% no; weakest link 21% yes; majority chain yes; declared no");
  // SASAC controls CNNC outright: every rule agrees.
  const ControlAnswer s = control_of(g, "sasac", "cnnc");
  EXPECT_EQ(s.controls, Verdict::kYes);
  EXPECT_EQ(s.concluded_by,
            (std::vector<ControlRule>{ControlRule::kMajorityChain, ControlRule::kWeakestLink}));
  EXPECT_TRUE(s.disagreements.empty());
}

// P holds 60% of A and of B; A and B hold 30% of X each. No single chain is a majority, but the
// votes of what P controls add up to 60% of X.
TEST(Control, MajorityAggregatesVotesOfControlledEntities) {
  DatasetBuilder b;
  b.person("p").company("a").company("b").company("x");
  b.owns("p", "a", 0.6).owns("p", "b", 0.6).owns("a", "x", 0.3).owns("b", "x", 0.3);
  const Graph g = b.graph();
  const ControlAnswer c = control_of(g, "p", "x");
  EXPECT_EQ(c.majority[0].verdict, Verdict::kYes);
  EXPECT_TRUE(c.majority[0].aggregated);
  EXPECT_NEAR(c.weakest_link.min, 0.3, 1e-15);
  EXPECT_NEAR(c.economic.min, 0.36, 1e-15);
  EXPECT_EQ(c.controls, Verdict::kYes);
  EXPECT_EQ(c.concluded_by, std::vector<ControlRule>{ControlRule::kMajorityChain});
  ASSERT_FALSE(c.disagreements.empty());
  EXPECT_EQ(c.disagreements[0].substr(0, 8), "at 50%: ");
}

TEST(Control, VotingRightsOverrideShares) {
  DatasetBuilder b;
  b.person("p").company("x");
  b.owns("p", "x", 0.3);
  b.edge("p", "x", Share::exact(0.6), Interest::kVotingRights);
  const Graph g = b.graph();
  const ControlAnswer c = control_of(g, "p", "x");
  EXPECT_NEAR(c.economic.min, 0.3, 1e-15);
  EXPECT_NEAR(c.weakest_link.min, 0.6, 1e-15);
  EXPECT_EQ(c.majority[0].verdict, Verdict::kYes);
}

TEST(Control, MoreThanFiftyPercentIsAMajorityAndRangesArePossible) {
  DatasetBuilder b;
  b.person("p").person("q").company("x").company("y");
  b.edge("p", "x", Share::range(0.5, 0.75, true, false));  // "more than 50%"
  b.owns("q", "y", 0.4, 0.6);
  const Graph g = b.graph();
  EXPECT_EQ(control_of(g, "p", "x").majority[0].verdict, Verdict::kYes);
  const ControlAnswer q = control_of(g, "q", "y");
  EXPECT_EQ(q.majority[0].verdict, Verdict::kPossible);
  EXPECT_EQ(q.controls, Verdict::kPossible);
  EXPECT_TRUE(q.concluded_by.empty());
  EXPECT_EQ(q.summary,
            "economic 40%-60%, weakest link 40%-60%, possible majority chain (>50%), no declared "
            "control");
}

TEST(Control, DeclaredControlWithoutEconomicShare) {
  DatasetBuilder b;
  b.company("parent").company("sub").company("x");
  b.edge("parent", "sub", Share::unknown(), Interest::kConsolidation);
  b.owns("sub", "x", 0.8);
  const Graph g = b.graph();
  const ControlAnswer c = control_of(g, "parent", "x");
  EXPECT_EQ(c.declared, Verdict::kYes);
  ASSERT_EQ(c.declared_chain.size(), 2u);
  EXPECT_TRUE(c.declared_chain[0].declared);
  EXPECT_EQ(c.declared_chain[0].interest, Interest::kConsolidation);
  EXPECT_EQ(c.economic.max, 0.0);
  EXPECT_EQ(c.majority[0].verdict, Verdict::kNo);
  EXPECT_EQ(c.controls, Verdict::kYes);
  EXPECT_EQ(c.concluded_by, std::vector<ControlRule>{ControlRule::kDeclared});
  EXPECT_EQ(c.disagreements.size(), 3u);
}

TEST(Control, BoardAppointmentAndDeclaredControllerCount) {
  DatasetBuilder b;
  b.person("p").company("a").company("b");
  b.edge("p", "a", Share::unknown(), Interest::kBoardAppointment);
  b.edge("a", "b", Share::unknown(), Interest::kDeclaredController);
  b.edge("p", "b", Share::unknown(), Interest::kOtherInfluence);
  const Graph g = b.graph();
  const ControlAnswer c = control_of(g, "p", "b");
  EXPECT_EQ(c.declared, Verdict::kYes);
  EXPECT_EQ(c.declared_chain.size(), 2u);
  // Other influence alone is not control.
  DatasetBuilder i;
  i.person("p").company("a");
  i.edge("p", "a", Share::unknown(), Interest::kOtherInfluence);
  EXPECT_EQ(control_of(i.graph(), "p", "a").controls, Verdict::kNo);
}

TEST(Control, RejectsBadArguments) {
  const Graph g = seed().graph();
  EXPECT_FALSE(control(g, 1, 1));
  EXPECT_FALSE(control(g, 0, 50));
  EXPECT_FALSE(control(g, 0, 1, ControlOptions{{}}));
  EXPECT_FALSE(control(g, 0, 1, ControlOptions{{1.5}}));
}

}  // namespace
}  // namespace pw::ownership
