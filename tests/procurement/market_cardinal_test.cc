// The market-wide screen in cardinal mode and the streaming accumulator (procurement/market.h),
// worked by hand. The conformance test runs cardinal's own fixtures; these pin each rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "procurement/market.h"

namespace pw::procurement {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Bid bid(std::string tenderer, std::int64_t minor, std::string status = "valid",
        std::string currency = "EUR") {
  Bid b;
  b.id = tenderer + std::to_string(minor);
  b.bidder = tenderer;
  b.tenderers = {tenderer};
  b.status = status;
  b.valid = status == "valid";
  b.amount = Money{minor, std::move(currency)};
  return b;
}

Award award(std::vector<std::string> suppliers, std::string status = "active") {
  Award a;
  a.id = "a";
  a.status = std::move(status);
  a.suppliers = std::move(suppliers);
  return a;
}

// One lot-less procedure: bids, and one active award to `winner`.
Procedure proc(std::string id, std::vector<Bid> bids, std::string winner = "W") {
  Procedure p;
  p.id = std::move(id);
  Lot lot;
  lot.bids = std::move(bids);
  lot.awards = {award({std::move(winner)})};
  p.lots = {std::move(lot)};
  return p;
}

MarketOptions cardinal() {
  MarketOptions o;
  o.method = MarketMethod::kCardinal;
  return o;
}

MarketResult run(const std::vector<Procedure>& ps, MarketOptions o = cardinal()) {
  auto r = screen_market_tukey(ps, o);
  EXPECT_TRUE(r);
  return r ? *r : MarketResult{};
}

TEST(Quantile, Type8MatchesRAndStatrs) {
  // R: quantile(1:4, type = 8) = 1.416667 (25 %), 3.583333 (75 %): h = (n + 1/3) p + 1/3.
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_NEAR(quantile_type8(v, 0.25), 1.0 + 5.0 / 12.0, 1e-12);
  EXPECT_NEAR(quantile_type8(v, 0.75), 3.0 + 7.0 / 12.0, 1e-12);
  EXPECT_EQ(quantile_type8(v, 0.0), 1);
  EXPECT_EQ(quantile_type8(v, 1.0), 4);
  EXPECT_EQ(quantile_type8({7}, 0.25), 7);  // h = 0.667: below the first order statistic
}

TEST(MarketCardinal, TheWinnerIsTheAwardedSuppliersLowestBid) {
  // W bid 120 and 100, L 150: the winner's lowest bid counts, d = (150 - 100) / 100 = 0.5.
  auto r = run({proc("P", {bid("W", 120), bid("W", 100), bid("L", 150)})});
  ASSERT_EQ(r.points.size(), 1u);
  EXPECT_EQ(r.points[0].winning, 100);
  EXPECT_EQ(r.points[0].second_bidder, "L");
  EXPECT_DOUBLE_EQ(r.points[0].d, 0.5);
  // The lowest-bid method takes 100 and the next-lowest 120: d = 0.2.
  auto lowest = screen_market_tukey({proc("P", {bid("W", 120), bid("W", 100), bid("L", 150)})});
  ASSERT_TRUE(lowest);
  EXPECT_DOUBLE_EQ(lowest->points[0].d, 0.2);
}

TEST(MarketCardinal, LotsThatDoNotFitAreSkippedWithTheReason) {
  Procedure cancelled = proc("cancelled", {bid("W", 1), bid("L", 2)});
  cancelled.tender_status = "cancelled";
  Procedure pending = proc("pending", {bid("W", 1), bid("L", 2)});
  pending.lots[0].awards.push_back(award({}, "pending"));
  Procedure two_awards = proc("two", {bid("W", 1), bid("L", 2)});
  two_awards.lots[0].awards.push_back(award({"W"}));
  Procedure consortium = proc("consortium", {bid("W", 1), bid("L", 2)}, "W");
  consortium.lots[0].awards[0].suppliers = {"W", "X"};
  Procedure earlier = proc("earlier", {bid("W", 1), bid("L", 2)});
  earlier.lots[0].awards.push_back(award({"C"}, "cancelled"));
  earlier.lots[0].awards.push_back(award({"U"}, "unsuccessful"));
  Bid joint = bid("L", 2);
  joint.tenderers = {"L", "M"};
  auto r = run({cancelled, pending, two_awards, consortium,
                proc("not price", {bid("W", 2), bid("L", 1)}),
                proc("disqualified", {bid("W", 1, "disqualified"), bid("L", 2)}),
                proc("joint", {bid("W", 1), joint}), earlier});
  ASSERT_EQ(r.points.size(), 1u);  // only "earlier": cancelled and unsuccessful awards are past
  EXPECT_EQ(r.points[0].procedure_id, "earlier");
  EXPECT_EQ(r.skipped_count, 7u);
  EXPECT_THAT(r.skipped,
              ElementsAre(HasSubstr("procedure cancelled: the tender is cancelled"),
                          HasSubstr("an award is not final (award a is pending)"),
                          HasSubstr("not exactly one active award (2 active)"),
                          HasSubstr("not exactly one supplier (2 suppliers)"),
                          HasSubstr("the lowest bid did not win"),
                          HasSubstr("no valid single-tenderer bid of the awarded supplier (W)"),
                          HasSubstr("no valid single-tenderer bid of another tenderer")));
}

TEST(MarketCardinal, ProcurementMethodDetailsOptions) {
  Procedure npc = proc("npc", {bid("W", 1), bid("L", 2)});
  npc.method_details = "NPC";
  Procedure exc = proc("exc", {bid("W", 1), bid("L", 2)});
  exc.method_details = "EXC";
  Procedure plain = proc("plain", {bid("W", 1), bid("L", 2)});
  MarketOptions o = cardinal();
  o.no_price_comparison_methods = {"NPC"};
  o.excluded_method_details = {"EXC"};
  auto deny = run({npc, exc, plain}, o);
  ASSERT_EQ(deny.points.size(), 1u);
  EXPECT_EQ(deny.points[0].procedure_id, "plain");
  // An allow list decides alone: only "NPC" passes, and a procedure without details does not.
  o.price_comparison_methods = {"NPC"};
  auto allow = run({npc, exc, plain}, o);
  ASSERT_EQ(allow.points.size(), 1u);
  EXPECT_EQ(allow.points[0].procedure_id, "npc");
}

TEST(MarketCardinal, OnlyTheFirstCurrencySeenIsCompared) {
  auto r = run({proc("eur", {bid("W", 100), bid("L", 150)}),
                proc("usd", {bid("W", 100, "valid", "USD"), bid("L", 150, "valid", "USD")})});
  EXPECT_EQ(r.currency, "EUR");
  ASSERT_EQ(r.points.size(), 1u);
  EXPECT_EQ(r.other_currency_bids, 2u);
  MarketOptions o = cardinal();
  o.currency = "USD";
  auto usd = run({proc("eur", {bid("W", 100), bid("L", 150)}),
                  proc("usd", {bid("W", 100, "valid", "USD"), bid("L", 150, "valid", "USD")})},
                 o);
  ASSERT_EQ(usd.points.size(), 1u);
  EXPECT_EQ(usd.points[0].procedure_id, "usd");
}

TEST(MarketCardinal, FencesAreInclusiveAndNameBothTenderersOnTheLowSide) {
  // Thresholds replace the fences; d = 10 / 100 = 0.1 sits exactly on the lower one and
  // d = 50 / 100 = 0.5 exactly on the upper one: both flagged (<= and >=).
  MarketOptions o = cardinal();
  o.lower_threshold = 0.1;
  o.upper_threshold = 0.5;
  auto r = run(
      {proc("close", {bid("W", 100), bid("L", 110)}), proc("mid", {bid("W", 100), bid("L", 130)}),
       proc("far", {bid("V", 100), bid("L", 150)}, "V")},
      o);
  ASSERT_EQ(r.flags.size(), 2u);
  EXPECT_EQ(r.flags[0].point.procedure_id, "close");
  EXPECT_EQ(r.flags[0].side, FenceSide::kLow);
  EXPECT_THAT(r.flags[0].explanation, HasSubstr("d = 0.1000 <= Q1 - 1.5 IQR = 0.1000"));
  EXPECT_EQ(r.flags[1].point.procedure_id, "far");
  EXPECT_EQ(r.flags[1].side, FenceSide::kHigh);
  EXPECT_THAT(flagged_tenderers(r, FenceSide::kLow), ElementsAre("L", "W"));
  EXPECT_THAT(flagged_tenderers(r, FenceSide::kHigh), ElementsAre("V"));
}

TEST(MarketCardinal, TheLowerFenceHoldsBackWhenAQuarterHaveNoDifference) {
  // d = 0, 0, 0, 0.5: type 8 with n = 4: Q1 at h = 1.4167 is 0, so R024 does not flag (it
  // would flag three quarters of the market); Q3 at h = 3.5833 is 0 + 0.5833 * 0.5 = 0.29167,
  // IQR 0.29167, upper fence 0.29167 + 0.4375 = 0.72917 > 0.5: nothing flagged either side.
  auto r =
      run({proc("a", {bid("W", 100), bid("L", 100)}), proc("b", {bid("W", 100), bid("L", 100)}),
           proc("c", {bid("W", 100), bid("L", 100)}), proc("d", {bid("W", 100), bid("L", 150)})});
  EXPECT_TRUE(r.applicable);
  EXPECT_EQ(r.q1, 0.0);
  EXPECT_NEAR(r.q3, 0.5 * 7.0 / 12.0, 1e-12);
  EXPECT_FALSE(r.low_fence_applies);
  EXPECT_TRUE(r.high_fence_applies);
  EXPECT_NEAR(r.upper, 0.5 * 7.0 / 12.0 * 2.5, 1e-12);
  EXPECT_TRUE(r.flags.empty());
}

TEST(MarketAccumulator, StreamsWithoutKeepingPointsAndCountsReasons) {
  MarketOptions o;  // lowest-bid method
  o.keep_points = false;
  o.max_skipped = 1;
  MarketAccumulator acc(o);
  // d = 0.05, 0.06, 0.07, 0.08 and 1.0 (one far above): type 7, n = 5: Q1 = 0.06, Q3 = 0.08,
  // IQR 0.02, fences 0.03 and 0.11: only d = 1.0 is flagged (high).
  const std::int64_t seconds[] = {105, 106, 107, 108, 200};
  for (std::size_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(acc.add(proc("P" + std::to_string(i), {bid("W", 100), bid("L", seconds[i])})));
  }
  ASSERT_TRUE(acc.add(proc("one", {bid("W", 100)})));
  ASSERT_TRUE(acc.add(proc("two", {bid("W", 100)})));
  // Bad data is refused and leaves the accumulator as it was.
  Procedure bad = proc("bad", {bid("W", 100), bid("L", 50, "valid", "USD")});
  EXPECT_FALSE(acc.add(bad));
  EXPECT_EQ(acc.points(), 5u);
  const MarketResult r = acc.finish();
  EXPECT_TRUE(r.points.empty());
  EXPECT_EQ(r.point_count, 5u);
  EXPECT_NEAR(r.q1, 0.06, 1e-12);
  EXPECT_NEAR(r.q3, 0.08, 1e-12);
  ASSERT_EQ(r.flags.size(), 1u);
  EXPECT_EQ(r.flags[0].point.procedure_id, "P4");
  EXPECT_EQ(r.flags[0].point.second_bidder, "L");
  EXPECT_EQ(r.skipped_count, 2u);
  EXPECT_EQ(r.skipped.size(), 1u);
  ASSERT_EQ(r.skipped_reasons.size(), 1u);
  EXPECT_EQ(r.skipped_reasons[0].first, "1 valid bid(s), d needs 2");
  EXPECT_EQ(r.skipped_reasons[0].second, 2u);
}

}  // namespace
}  // namespace pw::procurement
