#include "formats/percentage.h"

#include <gtest/gtest.h>

#include <string>

namespace pw::formats {
namespace {

struct Case {
  const char* text;
  double min, max;
  bool min_excl, max_excl;
};

class PercentageReads : public ::testing::TestWithParam<Case> {};

TEST_P(PercentageReads, AsShare) {
  const Case& c = GetParam();
  auto s = parse_percentage_text(c.text);
  ASSERT_TRUE(s.has_value()) << c.text << ": " << s.error().to_string();
  EXPECT_TRUE(s->known);
  EXPECT_DOUBLE_EQ(s->min, c.min) << c.text;
  EXPECT_DOUBLE_EQ(s->max, c.max) << c.text;
  EXPECT_EQ(s->min_exclusive, c.min_excl) << c.text;
  EXPECT_EQ(s->max_exclusive, c.max_excl) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    FreeText, PercentageReads,
    ::testing::Values(
        Case{"100", 1.0, 1.0, false, false}, Case{"76.50", 0.765, 0.765, false, false},
        Case{"76.5 %", 0.765, 0.765, false, false}, Case{"76,5%", 0.765, 0.765, false, false},
        Case{"0.5", 0.005, 0.005, false, false},  // always percent
        Case{"25-50%", 0.25, 0.50, false, false},
        Case{"25–50%", 0.25, 0.50, false, false},  // en dash
        Case{"25% - 50%", 0.25, 0.50, false, false},
        Case{"25 to 50 percent", 0.25, 0.50, false, false},
        Case{"between 25% and 50%", 0.25, 0.50, false, false}, Case{">50%", 0.50, 1.0, true, false},
        Case{"> 50 %", 0.50, 1.0, true, false}, Case{">=50%", 0.50, 1.0, false, false},
        Case{"≥ 50%", 0.50, 1.0, false, false}, Case{"<25%", 0.0, 0.25, false, true},
        Case{"≤25%", 0.0, 0.25, false, false}, Case{"50%+", 0.50, 1.0, false, false},
        Case{"More than 25%", 0.25, 1.0, true, false},
        Case{"at least 10%", 0.10, 1.0, false, false}, Case{"up to 5%", 0.0, 0.05, false, false},
        Case{"less than 5%", 0.0, 0.05, false, true},
        Case{"more than 25% but not more than 50%", 0.25, 0.50, true, false},
        Case{"more than 50% but less than 75%", 0.50, 0.75, true, true},
        Case{">25% and <=50%", 0.25, 0.50, true, false}));

TEST(Percentage, UnreadableTextSaysWhy) {
  for (const char* text : {"", "lots", "about half", "25, 50", "50-", "25%%"}) {
    auto s = parse_percentage_text(text);
    ASSERT_FALSE(s.has_value()) << text;
    EXPECT_EQ(s.error().code(), core::Code::kInvalidArgument);
  }
  EXPECT_EQ(parse_percentage_text("about half").error().message(),
            "cannot read percentage 'about half': no number found");
}

TEST(Percentage, ValuesOutsideZeroToHundredAreRejected) {
  EXPECT_EQ(parse_percentage_text("-5%").error().message(),
            "cannot read percentage '-5%': -5% is outside 0-100%");
  EXPECT_EQ(parse_percentage_text("150%").error().message(),
            "cannot read percentage '150%': 150% is outside 0-100%");
  EXPECT_EQ(parse_percentage_text("50-25%").error().message(),
            "cannot read percentage '50-25%': the lower bound 50% is above the upper bound 25%");
  EXPECT_FALSE(parse_percentage_text(">100%").has_value());  // an empty range (100, 100]
  EXPECT_FALSE(parse_percentage_text("1e999").has_value());
}

}  // namespace
}  // namespace pw::formats
