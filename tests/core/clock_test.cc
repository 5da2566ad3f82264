#include "core/clock.h"

#include <gtest/gtest.h>

#include <string>

#include "core/random.h"

namespace pw::core {
namespace {

::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << haystack << "\" does not contain \"" << needle << "\"";
}

constexpr std::int64_t kSecond = 1'000'000;

Timestamp parse_ok(std::string_view text) {
  auto t = parse_rfc3339(text);
  EXPECT_TRUE(t.has_value()) << text << ": " << (t ? "" : t.error().to_string());
  return t ? *t : Timestamp{};
}

TEST(Rfc3339, FormatsAlwaysUtcWithSixFractionDigits) {
  EXPECT_EQ(format_rfc3339(Timestamp{0}), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(Timestamp{1'700'000'000 * kSecond}), "2023-11-14T22:13:20.000000Z");
  EXPECT_EQ(format_rfc3339(Timestamp{1'700'000'000 * kSecond + 123'456}),
            "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(format_rfc3339(Timestamp{-1}), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339(Timestamp{951'782'400 * kSecond}), "2000-02-29T00:00:00.000000Z");
}

TEST(Rfc3339, ParsesZuluAndOffsets) {
  const Timestamp want{1'700'000'000 * kSecond};
  EXPECT_EQ(parse_ok("2023-11-14T22:13:20Z"), want);
  EXPECT_EQ(parse_ok("2023-11-14t22:13:20z"), want);
  EXPECT_EQ(parse_ok("2023-11-15T00:13:20+02:00"), want);
  EXPECT_EQ(parse_ok("2023-11-14T16:43:20-05:30"), want);
  EXPECT_EQ(parse_ok("2023-11-14T22:13:20+00:00"), want);
  EXPECT_EQ(parse_ok("2023-11-14T22:13:20-00:00"), want);
  // An offset that crosses a year boundary.
  EXPECT_EQ(parse_ok("2024-01-01T01:00:00+02:00"), parse_ok("2023-12-31T23:00:00Z"));
}

TEST(Rfc3339, ParsesFractionsAndTruncatesBeyondMicroseconds) {
  const std::int64_t base = 1'700'000'000 * kSecond;
  EXPECT_EQ(parse_ok("2023-11-14T22:13:20.5Z").micros, base + 500'000);
  EXPECT_EQ(parse_ok("2023-11-14T22:13:20.000001Z").micros, base + 1);
  EXPECT_EQ(parse_ok("2023-11-14T22:13:20.123456789Z").micros, base + 123'456);
  EXPECT_EQ(parse_ok("2023-11-14T22:13:20.999999999+01:00").micros,
            base - 3600 * kSecond + 999'999);
}

TEST(Rfc3339, LeapDays) {
  EXPECT_EQ(format_rfc3339(parse_ok("2024-02-29T12:00:00Z")), "2024-02-29T12:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(parse_ok("2000-02-29T00:00:00Z")), "2000-02-29T00:00:00.000000Z");
  EXPECT_EQ(parse_ok("2024-03-01T00:00:00Z").micros - parse_ok("2024-02-28T00:00:00Z").micros,
            2 * 86'400 * kSecond);
  for (const char* no_leap_day :
       {"2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "1900-02-29T00:00:00Z"}) {
    auto r = parse_rfc3339(no_leap_day);
    ASSERT_FALSE(r.has_value()) << no_leap_day;
    EXPECT_TRUE(Contains(r.error().message(), "day out of range"));
  }
}

TEST(Rfc3339, RejectsInvalidDatesAndTimes) {
  const std::pair<const char*, const char*> cases[] = {
      {"2023-13-01T00:00:00Z", "month out of range"},
      {"2023-00-01T00:00:00Z", "month out of range"},
      {"2023-04-31T00:00:00Z", "day out of range"},
      {"2023-01-00T00:00:00Z", "day out of range"},
      {"2023-01-32T00:00:00Z", "day out of range"},
      {"2023-01-01T24:00:00Z", "time out of range"},
      {"2023-01-01T00:60:00Z", "time out of range"},
      {"2023-01-01T00:00:60Z", "time out of range"},
      {"2023-01-01T00:00:00", "malformed"},
      {"2023-01-01 00:00:00Z", "malformed"},
      {"2023-1-01T00:00:00Z", "malformed"},
      {"20230101T000000Z", "malformed"},
      {"", "malformed"},
      {"2023-01-01T00:00:00.Z", "bad fraction"},
      {"2023-01-01T00:00:00.1234567890Z", "bad fraction"},
      {"2023-01-01T00:00:00+0100", "bad UTC offset"},
      {"2023-01-01T00:00:00+24:00", "bad UTC offset"},
      {"2023-01-01T00:00:00+01:60", "bad UTC offset"},
      {"2023-01-01T00:00:00+01", "bad UTC offset"},
      {"2023-01-01T00:00:00X", "missing 'Z' or UTC offset"},
      {"2023-01-01T00:00:00.5", "missing 'Z' or UTC offset"},
      {"2023-01-01T00:00:00Z ", "trailing characters"},
      {"2023-01-01T00:00:00+01:00x", "trailing characters"},
  };
  for (const auto& [text, why] : cases) {
    auto r = parse_rfc3339(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
    EXPECT_TRUE(Contains(r.error().message(), why)) << text;
    EXPECT_TRUE(Contains(r.error().message(), std::string("'") + text + "'"));
  }
}

TEST(Rfc3339, FormatThenParseRoundTrips) {
  auto random = make_seeded_random(3339);
  for (int i = 0; i < 2000; ++i) {
    // Roughly years 1900..2400, both sides of the epoch.
    const std::int64_t span = 500LL * 365 * 86'400 * kSecond;
    const std::int64_t micros =
        static_cast<std::int64_t>(random->next_u64() % static_cast<std::uint64_t>(span)) -
        70LL * 365 * 86'400 * kSecond;
    const Timestamp t{micros};
    const std::string text = format_rfc3339(t);
    auto back = parse_rfc3339(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, t) << text;
  }
}

TEST(Clock, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(Timestamp{1000});
  EXPECT_EQ(clock.now(), Timestamp{1000});
  EXPECT_EQ(clock.now(), Timestamp{1000});
  clock.advance_micros(500);
  EXPECT_EQ(clock.now(), Timestamp{1500});
  clock.set(Timestamp{42});
  EXPECT_EQ(clock.now(), Timestamp{42});
  const Clock& as_interface = clock;
  EXPECT_EQ(as_interface.now(), Timestamp{42});
}

TEST(Clock, SystemClockIsAfter2020) {
  SystemClock clock;
  EXPECT_GT(clock.now(), parse_ok("2020-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace pw::core

namespace pw::core {
namespace {

TEST(ClockCanonical, ParsesExactlyTheFormatWeWrite) {
  for (std::int64_t micros : {0LL, 1'618'790'400'123'456LL, 951'782'400'000'001LL}) {
    const std::string text = format_rfc3339(Timestamp{micros});
    auto t = parse_rfc3339_canonical(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(t->micros, micros) << text;
  }
  for (const char* bad : {"2021-04-19T00:00:00Z", "2021-04-19T00:00:00.000000+00:00",
                          "2021-02-29T00:00:00.000000Z", "2021-04-19t00:00:00.000000Z",
                          "2021-13-01T00:00:00.000000Z", "2021-04-19T24:00:00.000000Z",
                          "2021-04-19T00:00:00.00000aZ"}) {
    EXPECT_FALSE(parse_rfc3339_canonical(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace pw::core
