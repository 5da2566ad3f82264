#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace pw::core {
namespace {

// 2023-11-14T22:13:20.123456Z: 1700000000123 ms = 0x018bcfe56800 + 123 = 0x018bcfe5687b.
constexpr Timestamp kNow{1'700'000'000'123'456};

TEST(UuidV7, HasTheRfc9562Shape) {
  auto random = make_seeded_random(1);
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_uuid_v7(kNow, *random);
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '7') << id;                                          // version
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // variant 10xx
  }
}

TEST(UuidV7, StartsWithTheMillisecondTimestamp) {
  auto random = make_seeded_random(2);
  const std::string id = new_uuid_v7(kNow, *random);
  EXPECT_EQ(id.substr(0, 13), "018bcfe5-687b") << id;
  const std::string epoch = new_uuid_v7(Timestamp{0}, *random);
  EXPECT_EQ(epoch.substr(0, 13), "00000000-0000");
  // The random bits come from the injected generator.
  EXPECT_NE(id.substr(15), std::string(21, '0'));
}

TEST(UuidV7, IsRepeatableWithASeededRandom) {
  auto a = make_seeded_random(99);
  auto b = make_seeded_random(99);
  auto c = make_seeded_random(100);
  const std::string ia = new_uuid_v7(kNow, *a);
  EXPECT_EQ(ia, new_uuid_v7(kNow, *b));
  EXPECT_NE(ia, new_uuid_v7(kNow, *c));
  EXPECT_NE(ia, new_uuid_v7(kNow, *a));  // the generator advances
}

TEST(UuidV7, SortsByTimeAcrossMilliseconds) {
  auto random = make_seeded_random(3);
  std::string previous;
  std::set<std::string> seen;
  for (int ms = 0; ms < 200; ++ms) {
    const std::string id = new_uuid_v7(Timestamp{kNow.micros + ms * 1000}, *random);
    if (!previous.empty()) {
      EXPECT_LT(previous, id);
    }
    previous = id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(IsUuid, AcceptsOnlyLowercaseHyphenated) {
  EXPECT_TRUE(is_uuid("018f3c1e-7b2a-7cde-8f00-0123456789ab"));
  EXPECT_TRUE(is_uuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_FALSE(is_uuid("018F3C1E-7B2A-7CDE-8F00-0123456789AB"));
  EXPECT_FALSE(is_uuid("018f3c1e7b2a7cde8f000123456789ab"));
  EXPECT_FALSE(is_uuid("018f3c1e-7b2a-7cde-8f00-0123456789a"));
  EXPECT_FALSE(is_uuid("018f3c1e-7b2a-7cde-8f00-0123456789abc"));
  EXPECT_FALSE(is_uuid("018f3c1e-7b2a-7cde-8f000-123456789ab"));
  EXPECT_FALSE(is_uuid("018f3c1g-7b2a-7cde-8f00-0123456789ab"));
  EXPECT_FALSE(is_uuid("{018f3c1e-7b2a-7cde-8f00-0123456789a}"));
  EXPECT_FALSE(is_uuid(""));
}

TEST(SeededRandom, IsDeterministicAndFillsOddLengths) {
  auto a = make_seeded_random(5);
  auto b = make_seeded_random(5);
  std::array<std::uint8_t, 13> x{};
  std::array<std::uint8_t, 13> y{};
  a->fill(x);
  b->fill(y);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, (std::array<std::uint8_t, 13>{}));
  EXPECT_EQ(a->next_u64(), b->next_u64());
  auto secure = make_secure_random();
  EXPECT_NE(secure->next_u64(), secure->next_u64());
}

}  // namespace
}  // namespace pw::core
