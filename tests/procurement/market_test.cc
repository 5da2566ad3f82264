// The market-wide Tukey screen (procurement/market.h), worked by hand.
#include "procurement/market.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "procurement/test_util.h"

namespace pw::procurement {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::make_lot;

Procedure proc(std::string id, std::vector<Lot> lots) {
  Procedure p;
  p.id = std::move(id);
  p.lots = std::move(lots);
  return p;
}

// A one-lot procedure whose winner bids 100000 and runner-up 100000 * (1 + d_percent / 100).
Procedure with_d(std::string id, std::int64_t d_basis_points) {
  return proc(std::move(id), {make_lot(std::nullopt, {100000 + 10 * d_basis_points, 100000})});
}

TEST(Quantile, Type7MatchesR) {
  // R: quantile(c(1, 2, 3, 4)) gives 1.75 and 3.25 at 25 % and 75 %: h = 3p, x[h] interpolated.
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile_type7(v, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(quantile_type7(v, 0.75), 3.25);
  EXPECT_DOUBLE_EQ(quantile_type7(v, 0.0), 1);
  EXPECT_DOUBLE_EQ(quantile_type7(v, 1.0), 4);
  EXPECT_DOUBLE_EQ(quantile_type7({7}, 0.5), 7);
}

TEST(MarketTukey, FlagsBothFencesAndSkipsLotsWithoutARunnerUp) {
  // d over 8 lots: 0 (identical bids), 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 1.0 (one far above).
  // Type 7, n = 8: Q1 at h = 1.75: 0.05 + 0.75 * 0.01 = 0.0575; Q3 at h = 5.25: 0.09 + 0.25 *
  // 0.01 = 0.0925; IQR 0.035; fences 0.0575 - 0.0525 = 0.005 and 0.0925 + 0.0525 = 0.145.
  // d = 0 < 0.005: prices suspiciously close; d = 1.0 > 0.145: heavily discounted winner.
  std::vector<Procedure> ps = {
      with_d("P0", 0),    with_d("P1", 500),   with_d("P2", 600),
      with_d("P3", 700),  with_d("P4", 800),   with_d("P5", 900),
      with_d("P6", 1000), with_d("P7", 10000), proc("P8", {make_lot(std::nullopt, {5000})})};
  auto r = screen_market_tukey(ps);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->applicable);
  EXPECT_EQ(r->points.size(), 8u);
  EXPECT_THAT(r->q1, DoubleNear(0.0575, 1e-12));
  EXPECT_THAT(r->q3, DoubleNear(0.0925, 1e-12));
  EXPECT_THAT(r->lower, DoubleNear(0.005, 1e-12));
  EXPECT_THAT(r->upper, DoubleNear(0.145, 1e-12));
  ASSERT_EQ(r->flags.size(), 2u);
  EXPECT_EQ(r->flags[0].point.procedure_id, "P0");
  EXPECT_EQ(r->flags[0].side, FenceSide::kLow);
  EXPECT_EQ(r->flags[1].point.procedure_id, "P7");
  EXPECT_EQ(r->flags[1].side, FenceSide::kHigh);
  // The winner is the lowest bid (b2 = 100000), the runner-up b1 = 200000: d = 1.
  EXPECT_EQ(r->flags[1].point.winner_bid_id, "b2");
  EXPECT_EQ(r->flags[1].point.second, 200000);
  EXPECT_THAT(r->flags[1].explanation, HasSubstr("d = 1.0000 > Q3 + 1.5 IQR = 0.1450"));
  EXPECT_THAT(r->skipped, ElementsAre(HasSubstr("procedure P8 lot L1: 1 valid bid(s)")));
}

TEST(MarketTukey, TiedWinnersGiveZero) {
  // Lowest two bids equal: d = 0 whatever the third.
  auto r = screen_market_tukey({proc("P", {make_lot(std::nullopt, {300, 100, 100})})});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->points.size(), 1u);
  EXPECT_EQ(r->points[0].d, 0.0);
  EXPECT_FALSE(r->applicable);  // one d is too few for fences
}

TEST(MarketTukey, ZeroWinningBidIsSkippedNotDividedBy) {
  auto r = screen_market_tukey({proc("P", {make_lot(std::nullopt, {0, 100})})});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->points.empty());
  EXPECT_THAT(r->skipped, ElementsAre(HasSubstr("winning bid is 0, d is undefined (bid b1)")));
  EXPECT_EQ(r->skipped_count, 1u);
}

TEST(MarketTukey, BadDataIsRefusedNamingProcedureLotAndBid) {
  Lot bad = make_lot(std::nullopt, {100, 200});
  bad.bids[1].amount->currency = "CNY";
  auto r = screen_market_tukey({with_d("P0", 0), proc("P9", {bad})});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("procedure P9: lot L1: bid b2 (B2): currency CNY"));
  Lot missing = make_lot(std::nullopt, {100, 200});
  missing.bids[0].amount.reset();
  EXPECT_FALSE(screen_market_tukey({proc("P", {missing})}));
}

}  // namespace
}  // namespace pw::procurement
