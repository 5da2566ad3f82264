#include "ownership/graph.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ownership/integrated.h"
#include "ownership/test_graphs.h"

namespace pw::ownership {
namespace {

using domain::EntityKind;
using domain::Interest;
using domain::Share;
using testing::DatasetBuilder;
using testing::node;
using testing::seed;

std::string build_error(const DatasetBuilder& b) {
  auto g = b.build();
  EXPECT_FALSE(g.has_value());
  return g ? std::string() : g.error().to_string();
}

TEST(Graph, FindsEntitiesByIdIdentifierAndName) {
  const Graph g = seed().graph();
  EXPECT_EQ(*g.find_by_id("nuctech"), node(g, "nuctech"));
  EXPECT_EQ(*g.find_by_identifier("lei", "300300C1050831000081"), node(g, "nuctech"));
  EXPECT_EQ(*g.find_by_name("Tsinghua Tongfang Co. Ltd."), node(g, "tongfang"));
  EXPECT_EQ(*g.find("cn-uscc:91110000100009563N"), node(g, "cnnc"));
  EXPECT_EQ(*g.find("Nuctech Company Limited"), node(g, "nuctech"));
  EXPECT_EQ(*g.find("cnnc"), node(g, "cnnc"));
  EXPECT_EQ(g.find_by_id("nope").error().code(), core::Code::kNotFound);
  EXPECT_EQ(g.find("lei:nothing").error().code(), core::Code::kNotFound);
  EXPECT_EQ(g.find_by_name("nuctech company limited").error().code(), core::Code::kNotFound);
}

TEST(Graph, AmbiguousNameIsAnErrorListingTheCandidates) {
  DatasetBuilder b = seed();
  b.company("nuctech-nl", "Nuctech Company Limited", "NL");
  const Graph g = b.graph();
  auto hit = g.find_by_name("Nuctech Company Limited");
  ASSERT_FALSE(hit);
  EXPECT_EQ(hit.error().code(), core::Code::kInvalidArgument);
  EXPECT_NE(hit.error().message().find("nuctech (CN)"), std::string::npos);
  EXPECT_NE(hit.error().message().find("nuctech-nl (NL)"), std::string::npos);
  EXPECT_FALSE(g.find("Nuctech Company Limited"));
}

TEST(Graph, SharedIdentifierIsAmbiguous) {
  DatasetBuilder b;
  b.company("a").identifier("lei", "X").company("b").identifier("lei", "X");
  auto hit = b.graph().find("lei:X");
  ASSERT_FALSE(hit);
  EXPECT_NE(hit.error().message().find("ambiguous"), std::string::npos);
}

TEST(Graph, RejectsDuplicateAndEmptyIds) {
  DatasetBuilder dup;
  dup.company("a").company("a");
  EXPECT_NE(build_error(dup).find("duplicate entity id 'a'"), std::string::npos);
  DatasetBuilder empty;
  empty.company("");
  EXPECT_NE(build_error(empty).find("empty id"), std::string::npos);
}

TEST(Graph, RejectsStatementsNamingUnknownEntities) {
  DatasetBuilder b;
  b.company("a").owns("ghost", "a", 0.5);
  EXPECT_NE(build_error(b).find("owner 'ghost' is not an entity"), std::string::npos);
  DatasetBuilder c;
  c.company("a").owns("a", "ghost", 0.5);
  EXPECT_NE(build_error(c).find("owned 'ghost' is not an entity"), std::string::npos);
}

TEST(Graph, RejectsSelfOwnership) {
  DatasetBuilder b;
  b.company("a").owns("a", "a", 0.1);
  EXPECT_NE(build_error(b).find("cannot own or control itself"), std::string::npos);
}

TEST(Graph, RejectsInvalidShares) {
  for (const Share& bad : {Share::exact(-0.1), Share::exact(1.5), Share::range(0.6, 0.4),
                           Share::exact(std::numeric_limits<double>::quiet_NaN()),
                           Share::range(0.0, std::numeric_limits<double>::infinity()),
                           Share::range(0.5, 0.5, true, false)}) {
    DatasetBuilder b;
    b.company("a").company("b").edge("a", "b", bad);
    const std::string error = build_error(b);
    EXPECT_NE(error.find("statement #0 (a -> b, shareholding)"), std::string::npos) << error;
  }
}

TEST(Graph, RejectsOwnedPersonsAndStates) {
  DatasetBuilder b;
  b.company("a").person("p", "Jane Doe").owns("a", "p", 0.1);
  EXPECT_NE(build_error(b).find("'Jane Doe' (p) is a person and cannot be owned"),
            std::string::npos);
  DatasetBuilder s;
  s.company("a").entity("cn", EntityKind::kState, "China", "CN").owns("a", "cn", 0.1);
  EXPECT_NE(build_error(s).find("is a state"), std::string::npos);
}

TEST(Graph, RejectsOwnersClaimingMoreThanTheWholeCompany) {
  DatasetBuilder b;
  b.company("x", "X Ltd").person("p").person("q").owns("p", "x", 0.6).owns("q", "x", 0.5, 0.7);
  const std::string error = build_error(b);
  EXPECT_NE(error.find("company 'X Ltd' (x)"), std::string::npos) << error;
  EXPECT_NE(error.find("110%"), std::string::npos) << error;
  // Rounding in sums that are 100% is not an error.
  DatasetBuilder ok;
  ok.company("x").person("p").person("q").person("r");
  ok.owns("p", "x", 0.1).owns("q", "x", 0.2).owns("r", "x", 0.7);
  EXPECT_TRUE(ok.build());
}

TEST(Graph, RejectsVotingRightsAboveTheWhole) {
  DatasetBuilder b;
  b.company("x").person("p").person("q");
  b.edge("p", "x", Share::exact(0.7), Interest::kVotingRights);
  b.edge("q", "x", Share::exact(0.4), Interest::kVotingRights);
  EXPECT_NE(build_error(b).find("voting rights' minimums"), std::string::npos);
}

TEST(Graph, RejectsACycleWhollyOwnedInsideItself) {
  DatasetBuilder b;
  b.company("a", "A").company("b", "B").owns("a", "b", 1.0).owns("b", "a", 1.0);
  const std::string error = build_error(b);
  EXPECT_NE(error.find("ownership cycle with no owner outside it"), std::string::npos) << error;
  // The same loop with room for an outside owner is fine.
  DatasetBuilder open;
  open.company("a").company("b").owns("a", "b", 1.0).owns("b", "a", 0.9);
  EXPECT_TRUE(open.build());
}

TEST(Graph, AsOfKeepsOnlyStatementsValidThatDay) {
  DatasetBuilder b = seed();
  // Tongfang's stake ended at the end of 2020; a new holder from 2022.
  b.last_edge().end = *domain::parse_date("2021-01-01");
  b.company("newco").owns("newco", "nuctech", 0.5);
  b.last_edge().start = *domain::parse_date("2022-01-01");
  // Without a date every statement counts: old and new holders together claim 126%.
  EXPECT_NE(build_error(b).find("sum to 126%"), std::string::npos);

  const Graph in_2021 = b.graph(*domain::parse_date("2021-04-19"));
  ASSERT_EQ(in_2021.excluded_edges().size(), 2u);
  EXPECT_TRUE(in_2021.excluded_edges()[0].ended);
  EXPECT_EQ(in_2021.excluded_edges()[0].owned, node(in_2021, "nuctech"));
  EXPECT_FALSE(in_2021.excluded_edges()[1].ended);
  auto cnnc = integrated(in_2021, node(in_2021, "cnnc"), node(in_2021, "nuctech"));
  ASSERT_TRUE(cnnc);
  EXPECT_EQ(cnnc->share.max, 0.0);

  const Graph in_2020 = b.graph(*domain::parse_date("2020-06-30"));
  auto before = integrated(in_2020, node(in_2020, "cnnc"), node(in_2020, "nuctech"));
  ASSERT_TRUE(before);
  EXPECT_NEAR(before->share.min, 0.1596, 1e-12);
  // The end date is exclusive.
  const Graph on_end = b.graph(*domain::parse_date("2021-01-01"));
  EXPECT_EQ(integrated(on_end, node(on_end, "cnnc"), node(on_end, "nuctech"))->share.max, 0.0);
}

TEST(Graph, IndirectAndUltimateParentStatementsAreNotSummed) {
  DatasetBuilder b = seed();
  // BODS-style indirect statement of the same 15.96%, and a GLEIF ultimate parent shortcut.
  b.owns("cnnc", "nuctech", 0.1596);
  b.last_edge().direct = false;
  b.edge("cnnc", "nuctech", Share::unknown(), Interest::kUltimateParent);
  b.edge("tongfang", "nuctech", Share::unknown(), Interest::kConsolidation);
  const Graph g = b.graph();
  auto x = integrated(g, node(g, "cnnc"), node(g, "nuctech"));
  ASSERT_TRUE(x);
  EXPECT_NEAR(x->share.min, 0.1596, 1e-12);
  EXPECT_NEAR(x->share.max, 0.1596, 1e-12);
  EXPECT_TRUE(x->share.known);  // the unknown share of the shortcut is not on any path
  EXPECT_EQ(g.indirect_statements().size(), 2u);
}

TEST(Graph, StatementsOfOnePairAreSummed) {
  DatasetBuilder b;
  b.person("p").company("x");
  b.owns("p", "x", 0.10).owns("p", "x", 0.05);  // two share classes
  const Graph g = b.graph();
  EXPECT_NEAR(integrated(g, node(g, "p"), node(g, "x"))->share.min, 0.15, 1e-15);
}

TEST(Graph, GroupsStateBodiesByCountry) {
  DatasetBuilder b;
  b.entity("fi", EntityKind::kState, "Republic of Finland", "FI")
      .entity("fi-tem", EntityKind::kStateBody, "Ministry of Economic Affairs", "FI")
      .entity("cn-sasac", EntityKind::kStateBody, "SASAC", "CN")
      .entity("body", EntityKind::kStateBody, "Some agency");
  const Graph g = b.graph();
  ASSERT_EQ(g.states().size(), 3u);
  EXPECT_EQ(g.states()[0].key, "FI");
  EXPECT_EQ(g.states()[0].members.size(), 2u);
  EXPECT_EQ(g.states()[2].key, "body");
  EXPECT_EQ(g.state_of(node(g, "fi-tem")), 0);
  EXPECT_EQ(*g.find_state("CN"), 1);
  EXPECT_FALSE(g.find_state("NL"));
}

TEST(Graph, FormatsBounds) {
  EXPECT_EQ(format_bounds({0.21 * 0.76, 0.21 * 0.76, true}), "15.96%");
  EXPECT_EQ(format_bounds({0.2, 0.35, true}), "20%-35%");
  EXPECT_EQ(format_bounds({0.0, 0.4, false}), "unknown (0%-40%)");
}

}  // namespace
}  // namespace pw::ownership
