// The FSR notification test (procurement/fsr.h) at, just below and just above each limit.
#include "procurement/fsr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pw::procurement {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::int64_t kM = 100'000'000;  // EUR 1 million in cents

FsrInput input(std::int64_t value, std::vector<ForeignContribution> c,
               std::optional<std::int64_t> lots = std::nullopt) {
  return {value, lots, std::move(c)};
}

FsrDuty duty(const FsrInput& in) {
  auto r = fsr_notification_test(in);
  EXPECT_TRUE(r) << r.error().to_string();
  return r ? r->duty : FsrDuty::kDeclare;
}

TEST(Fsr, ContractValueAtBelowAndAboveTheLimit) {
  // EUR 4 million from CN in each case; only the contract value changes.
  const std::vector<ForeignContribution> cn = {{"CN", 4 * kM, "parent"}};
  EXPECT_EQ(duty(input(250 * kM, cn)), FsrDuty::kNotify);       // exactly 250 million
  EXPECT_EQ(duty(input(250 * kM - 1, cn)), FsrDuty::kDeclare);  // one cent below
  EXPECT_EQ(duty(input(250 * kM + 1, cn)), FsrDuty::kNotify);   // one cent above
}

TEST(Fsr, ContributionsAtBelowAndAboveTheLimit) {
  EXPECT_EQ(duty(input(300 * kM, {{"CN", 4 * kM, "p"}})), FsrDuty::kNotify);
  EXPECT_EQ(duty(input(300 * kM, {{"CN", 4 * kM - 1, "p"}})), FsrDuty::kDeclare);
  EXPECT_EQ(duty(input(300 * kM, {{"CN", 4 * kM + 1, "p"}})), FsrDuty::kNotify);
  EXPECT_EQ(duty(input(300 * kM, {})), FsrDuty::kDeclare);
}

TEST(Fsr, TheLimitIsPerThirdCountry) {
  // 3 + 1 million from CN to two group members: 4 million from CN, notify.
  auto summed = fsr_notification_test(
      input(300 * kM, {{"CN", 3 * kM, "parent"}, {"CN", 1 * kM, "subsidiary"}}));
  ASSERT_TRUE(summed);
  EXPECT_EQ(summed->duty, FsrDuty::kNotify);
  EXPECT_THAT(summed->countries_over, ElementsAre("CN"));
  // 3 million from CN and 3.99 million from RU: 6.99 million in all, but no country reaches 4.
  auto split = fsr_notification_test(
      input(300 * kM, {{"CN", 3 * kM, "parent"}, {"RU", 4 * kM - 1, "supplier"}}));
  ASSERT_TRUE(split);
  EXPECT_EQ(split->duty, FsrDuty::kDeclare);
  EXPECT_EQ(split->third_countries.size(), 2u);
  EXPECT_TRUE(split->countries_over.empty());
}

TEST(Fsr, MemberStatesAreNotThirdCountries) {
  auto r = fsr_notification_test(input(300 * kM, {{"DE", 50 * kM, "bank"}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->duty, FsrDuty::kDeclare);
  EXPECT_THAT(r->reasons, Contains(HasSubstr("DE not counted: an EU member state")));
}

TEST(Fsr, LotsAtBelowAndAboveTheLimit) {
  // Art. 28(2): the whole procurement >= 250 million and the lots applied for >= 125 million.
  const std::vector<ForeignContribution> cn = {{"CN", 5 * kM, "p"}};
  EXPECT_EQ(duty(input(300 * kM, cn, 125 * kM)), FsrDuty::kNotify);
  EXPECT_EQ(duty(input(300 * kM, cn, 125 * kM - 1)), FsrDuty::kDeclare);
  EXPECT_EQ(duty(input(300 * kM, cn, 125 * kM + 1)), FsrDuty::kNotify);
  // Lots of 125 million in a procurement below 250 million: declare.
  EXPECT_EQ(duty(input(250 * kM - 1, cn, 125 * kM)), FsrDuty::kDeclare);
}

TEST(Fsr, ReasonsGiveTheNumbers) {
  auto r = fsr_notification_test(input(250 * kM, {{"CN", 4 * kM, "p"}}, 125 * kM));
  ASSERT_TRUE(r);
  EXPECT_THAT(r->reasons, ElementsAre(HasSubstr("EUR 250000000.00 is at least EUR 250 million"),
                                      HasSubstr("EUR 125000000.00 are at least EUR 125 million"),
                                      HasSubstr("CN over three years: EUR 4000000.00 (at least"),
                                      HasSubstr("notification required")));
}

TEST(Fsr, BadDataIsRefused) {
  auto neg = fsr_notification_test(input(300 * kM, {{"CN", -1, "parent"}}));
  ASSERT_FALSE(neg);
  EXPECT_THAT(neg.error().message(),
              HasSubstr("contribution 0 (parent from CN): amount is negative"));
  EXPECT_FALSE(fsr_notification_test(input(300 * kM, {{"cn", 1, "p"}})));
  EXPECT_FALSE(fsr_notification_test(input(300 * kM, {{"CHN", 1, "p"}})));
  EXPECT_FALSE(fsr_notification_test(input(0, {})));
  EXPECT_FALSE(fsr_notification_test(input(300 * kM, {}, 0)));
  EXPECT_FALSE(fsr_notification_test(input(300 * kM, {}, 300 * kM + 1)));
  EXPECT_FALSE(fsr_notification_test(input(300 * kM, {{"CN", INT64_MAX, "a"}, {"CN", 1, "b"}})));
}

}  // namespace
}  // namespace pw::procurement
