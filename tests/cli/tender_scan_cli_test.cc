// `portwarden tender scan FILE` through the real binary: the market-wide screen over an OCDS
// file, its JSON and text output, issues, and exit codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace pw::testing {
namespace {

// A lot-less release whose winner W bids 100.00 EUR and L bids `second` (major units), awarded
// to W.
std::string release(const std::string& ocid, const std::string& second) {
  return R"({"ocid":")" + ocid +
         R"(","bids":{"details":[{"status":"valid","tenderers":[{"id":"W"}],"value":{"amount":100,"currency":"EUR"}},)"
         R"({"status":"valid","tenderers":[{"id":"L"}],"value":{"amount":)" +
         second +
         R"(,"currency":"EUR"}}]},"awards":[{"status":"active","suppliers":[{"id":"W"}]}]})";
}

// d = 0.05, 0.06, 0.07, 0.08, 1.0: type 7 (market): Q1 0.06, Q3 0.08, fences 0.03 and 0.11:
// "far" (d = 1.0) is flagged high. Type 8 (cardinal), n = 5: Q1 at h = 1.667: 0.05 + 0.667 *
// 0.01 = 0.05667, Q3 at h = 4.333: 0.08 + 0.333 * 0.92 = 0.38667; upper fence 0.38667 + 1.5 *
// 0.33 = 0.88167 <= 1.0: "far" flagged by R058 too.
std::string market_file() {
  return release("p1", "105") + "\n" + release("p2", "106") + "\n" + release("p3", "107") + "\n" +
         release("p4", "108") + "\n" + release("far", "200") + "\n";
}

class TenderScanCli : public ::testing::Test {
 protected:
  std::string file(const std::string& name, const std::string& content) {
    const auto path = dir_.path() / name;
    write_file(path, content);
    return path.string();
  }
  TempDir dir_;
};

TEST_F(TenderScanCli, MarketMethodFlagsTheHeavilyDiscountedWinnerInJson) {
  auto r = run_portwarden({"--json", "tender", "scan", file("m.jsonl", market_file())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["procedures"], 5);
  EXPECT_EQ(j["values"], 5);
  EXPECT_NEAR(j["q1"].get<double>(), 0.06, 1e-12);
  EXPECT_NEAR(j["q3"].get<double>(), 0.08, 1e-12);
  EXPECT_NEAR(j["upper_fence"].get<double>(), 0.11, 1e-12);
  ASSERT_EQ(j["flags"].size(), 1u);
  EXPECT_EQ(j["flags"][0]["ocid"], "far");
  EXPECT_EQ(j["flags"][0]["side"], "high");
  EXPECT_EQ(j["flags"][0]["winning_minor"], 10000);
  EXPECT_EQ(j["flags"][0]["second_minor"], 20000);
  EXPECT_EQ(j["tenderers"], nlohmann::json::array({"W"}));
}

TEST_F(TenderScanCli, CardinalR058UsesType8QuartilesAndPrintsText) {
  auto r = run_portwarden(
      {"tender", "scan", file("m.jsonl", market_file()), "--method", "cardinal-r058"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("5 values of d; Q1 0.0567, Q3 0.3867"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("high far: winning bid EUR 100.00 (W) and second-lowest EUR 200.00 (L): "
                       "d = 1.0000 >= Q3 + 1.5 IQR = 0.8817"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("tenderers flagged: W\n"), std::string::npos) << r.out;
}

TEST_F(TenderScanCli, CardinalOptionsLeaveOutProcedures) {
  // Excluding "far" by its procurementMethodDetails leaves four values of d and no flag.
  std::string text = market_file();
  const std::string far = release("far", "200");
  text.replace(text.find(far), far.size(),
               far.substr(0, far.size() - 1) + R"(,"tender":{"procurementMethodDetails":"EXC"}})");
  auto r = run_portwarden({"--json", "tender", "scan", file("m.jsonl", text), "--method",
                           "cardinal-r058", "--exclude-method-details", "X|EXC"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["values"], 4);
  EXPECT_TRUE(j["flags"].empty());
  EXPECT_EQ(j["skipped_reasons"]["procurementMethodDetails is excluded"], 1);
  // Cardinal options with the market method are refused.
  auto bad = run_portwarden({"tender", "scan", file("m.jsonl", text), "--currency", "EUR"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("cardinal methods only"), std::string::npos) << bad.err;
}

TEST_F(TenderScanCli, BadReleasesAreIssuesLenientAndStopStrict) {
  const std::string text = market_file() +
                           R"({"ocid":"neg","bids":{"details":[{"status":"valid","value":)"
                           R"({"amount":-3,"currency":"EUR"}}]}})"
                           "\n";
  const std::string path = file("bad.jsonl", text);
  auto lenient = run_portwarden({"--json", "tender", "scan", path});
  ASSERT_EQ(lenient.exit_code, 0) << lenient.err;
  const auto j = nlohmann::json::parse(lenient.out);
  EXPECT_EQ(j["releases_skipped"], 1);
  ASSERT_EQ(j["issues"].size(), 1u);
  EXPECT_EQ(j["issues"][0]["record"], 6);
  EXPECT_EQ(j["issues"][0]["field"], "bids.details[0].value.amount");
  auto strict = run_portwarden({"tender", "scan", path, "--strict"});
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_NE(strict.err.find("bad.jsonl record 6: bids.details[0].value.amount: -3 is negative"),
            std::string::npos)
      << strict.err;
}

TEST_F(TenderScanCli, FileLevelErrorsExitNonZero) {
  auto missing = run_portwarden({"tender", "scan", (dir_.path() / "none.json").string()});
  EXPECT_EQ(missing.exit_code, 3);
  auto truncated =
      run_portwarden({"tender", "scan", file("t.json", R"({"releases":[{"ocid":"a"},)")});
  EXPECT_EQ(truncated.exit_code, 5);
  EXPECT_NE(truncated.err.find("truncated"), std::string::npos) << truncated.err;
  auto empty = run_portwarden({"tender", "scan", file("e.json", "")});
  EXPECT_EQ(empty.exit_code, 2);
  auto method = run_portwarden({"tender", "scan", file("m.jsonl", market_file()), "--method", "x"});
  EXPECT_EQ(method.exit_code, 2);
}

}  // namespace
}  // namespace pw::testing
