// The market-wide screen in cardinal mode against OCDS Cardinal's own fixtures
// (../shared/testdata/ocds, from open-contracting/cardinal-rs tests/fixtures/indicators; see
// SOURCES.md there): each R0xx.jsonl is read through the OCDS reader, screened, and the flagged
// OCIDs (with their d) and Tenderers must equal R0xx.expected exactly.
//
// Settings: cardinal's fixture tests run every indicator with
//   no_price_comparison_procurement_methods = NPC
//   [exclusions] procurement_method_details = EXC
// (cardinal-rs build.rs); the same values are given here as MarketOptions.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "formats/ocds/ocds_reader.h"
#include "procurement/market.h"
#include "support/test_support.h"

namespace pw::procurement {
namespace {

// Group -> key -> indicator -> value, as cardinal prints its results.
using Results = std::map<std::string, std::map<std::string, std::map<std::string, double>>>;

class OcdsConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto root = pw::testing::testdata_dir();
    dir_ = root / "ocds";
    if (root.empty() || !std::filesystem::is_directory(dir_)) {
      GTEST_SKIP() << "cardinal fixtures not found at " << dir_.string()
                   << " (../shared/testdata/ocds; set PW_TESTDATA_DIR)";
    }
  }

  // Reads `name`.jsonl and runs the cardinal screen; the indicator's side gives the results.
  Results run(const std::string& name, FenceSide side) {
    MarketOptions options;
    options.method = MarketMethod::kCardinal;
    options.no_price_comparison_methods = {"NPC"};
    options.excluded_method_details = {"EXC"};
    MarketAccumulator acc(options);
    auto read = formats::ocds::read_file(
        (dir_ / (name + ".jsonl")).string(), formats::ocds::ReadOptions{},
        [&](domain::Procedure&& p, const formats::ocds::ReleaseRef&) { return acc.add(p); });
    EXPECT_TRUE(read) << (read ? "" : read.error().to_string());
    if (!read) return {};
    EXPECT_EQ(read->summary.errors, 0u);
    for (const auto& issue : read->issues) ADD_FAILURE() << issue.to_string();
    const MarketResult result = acc.finish();
    Results out;
    for (const auto& f : result.flags) {
      if (f.side == side) out["OCID"][f.point.procedure_id][name] = f.point.d;
    }
    for (const auto& t : flagged_tenderers(result, side)) out["Tenderer"][t][name] = 0.0;
    return out;
  }

  Results expected(const std::string& name) {
    std::ifstream in(dir_ / (name + ".expected"));
    const auto j = nlohmann::json::parse(in);
    Results out;
    for (const auto& [group, keys] : j.items())
      for (const auto& [key, indicators] : keys.items())
        for (const auto& [indicator, value] : indicators.items())
          out[group][key][indicator] = value.get<double>();
    return out;
  }

  static void expect_equal(const Results& got, const Results& want) {
    EXPECT_EQ(got.size(), want.size());
    for (const auto& [group, keys] : want) {
      ASSERT_TRUE(got.count(group)) << "missing group " << group;
      const auto& got_keys = got.at(group);
      EXPECT_EQ(got_keys.size(), keys.size()) << group;
      for (const auto& [key, indicators] : keys) {
        ASSERT_TRUE(got_keys.count(key)) << group << " " << key << " not flagged";
        for (const auto& [indicator, value] : indicators) {
          ASSERT_TRUE(got_keys.at(key).count(indicator)) << group << " " << key;
          EXPECT_NEAR(got_keys.at(key).at(indicator), value, 1e-9) << group << " " << key;
        }
      }
      for (const auto& [key, unused] : got_keys)
        EXPECT_TRUE(keys.count(key)) << group << " " << key << " flagged, not expected";
    }
  }

  std::filesystem::path dir_;
};

TEST_F(OcdsConformance, R024PriceCloseToWinningBid) {
  expect_equal(run("R024", FenceSide::kLow), expected("R024"));
}

TEST_F(OcdsConformance, R058HeavilyDiscountedBid) {
  expect_equal(run("R058", FenceSide::kHigh), expected("R058"));
}

}  // namespace
}  // namespace pw::procurement
