// The supplier assessment through the real binary, on the Rotterdam scenario: Nuctech's draft
// carries the 15.96% chain, four-eyes holds, a change of inputs makes it stale, and the report is
// well-formed HTML containing the chain.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_test_util.h"

namespace pw::testing {
namespace {

namespace fs = std::filesystem;

fs::path rotterdam() {
  return tests_dir().parent_path() / "examples" / "rotterdam";
}

class AssessCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(j_.run({"inventory", "import", rotterdam().string()}).exit_code, 0);
    auto r = j_.run({"ownership", "import",
                     (rotterdam() / "ownership" / "nuctech-bods-0.4.json").string(), "--format",
                     "bods"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult assess(std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "assess"});
    return j_.run(args);
  }
  RunResult judge_all(const std::string& person) {
    RunResult r;
    for (const char* c : {"1", "2", "3a", "3b"}) {
      r = assess({"judge", "nuctech", "--as", person, "--criterion", c, "--answer", "yes",
                  "--judgement", "reviewed the evidence"});
      if (r.exit_code != 0) return r;
    }
    return r;
  }
  JournalDir j_;
};

TEST_F(AssessCli, DraftCarriesTheSeedChainAndAllFourCriteria) {
  auto r = assess({"start", "nuctech", "--as", "analyst-1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto a = nlohmann::json::parse(r.out);
  EXPECT_EQ(a.at("status"), "draft");
  ASSERT_EQ(a.at("criteria").size(), 4u);
  EXPECT_EQ(a.at("criteria")[0].at("criterion"), "1");
  EXPECT_EQ(a.at("criteria")[0].at("suggested"), "yes");
  EXPECT_NE(r.out.find("China National Nuclear Corporation -21%-> Tongfang Co., Ltd. -76%-> "
                       "Nuctech Company Limited = 15.96%"),
            std::string::npos);
  // A second draft while one is open is refused.
  EXPECT_EQ(assess({"start", "nuctech", "--as", "analyst-2"}).exit_code, 3);
}

TEST_F(AssessCli, FourEyesAuthorAndTechnicianCannotSign) {
  ASSERT_EQ(assess({"start", "nuctech", "--as", "analyst-1"}).exit_code, 0);
  // A technician cannot assess.
  auto r = assess({"judge", "nuctech", "--as", "tech-nuctech-1", "--criterion", "1", "--answer",
                   "yes", "--judgement", "x"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  ASSERT_EQ(judge_all("analyst-1").exit_code, 0);
  // The author cannot sign their own assessment.
  r = assess({"sign", "nuctech", "--as", "analyst-1"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  r = assess({"sign", "nuctech", "--as", "tech-nuctech-1"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  r = assess({"sign", "nuctech", "--as", "analyst-2", "--note", "agreed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("status"), "signed_off");
  EXPECT_EQ(j_.run({"journal", "verify"}).exit_code, 0);
}

TEST_F(AssessCli, ChangedMitigationMakesASignedAssessmentStale) {
  ASSERT_EQ(assess({"start", "nuctech", "--as", "analyst-1"}).exit_code, 0);
  ASSERT_EQ(judge_all("analyst-1").exit_code, 0);
  ASSERT_EQ(assess({"sign", "nuctech", "--as", "analyst-2"}).exit_code, 0);
  auto r = assess({"nuctech"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(nlohmann::json::parse(r.out).at("stale_now").get<bool>());
  EXPECT_EQ(nlohmann::json::parse(r.out).at("assessment").at("status"), "signed_off");
  r = assess({"mitigation", "nuctech", "remote-supervised-recorded", "--as", "analyst-2",
              "--status", "implemented"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The change itself journals the staleness.
  EXPECT_NE(r.err.find("1 assessment marked stale"), std::string::npos) << r.err;
  r = assess({"nuctech"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rep = nlohmann::json::parse(r.out);
  EXPECT_EQ(rep.at("assessment").at("status"), "stale");
  // Sign-off of a stale assessment is refused; a revision is the way on.
  EXPECT_NE(assess({"sign", "nuctech", "--as", "analyst-2"}).exit_code, 0);
  // A revision starts from the stale one.
  r = assess({"start", "nuctech", "--as", "analyst-2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("revision"), 2);
  EXPECT_EQ(j_.run({"journal", "verify"}).exit_code, 0);
}

TEST_F(AssessCli, ChangedRegisterMakesADraftStale) {
  ASSERT_EQ(assess({"start", "nuctech", "--as", "analyst-1"}).exit_code, 0);
  // Another Nuctech scanner appears: the access (criterion 3a) changed.
  const auto file = j_.dir() / "more.toml";
  write_file(file, R"T([[asset]]
id = "scanner-99"
kind = "scanner"
name = "Extra scanner (fictional)"
vendor = "nuctech"
criticality = "high"
provenance = "fictional"
)T");
  auto r = j_.run({"inventory", "import", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 assessment marked stale"), std::string::npos) << r.err;
  r = assess({"nuctech"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("assessment").at("status"), "stale");
  EXPECT_FALSE(nlohmann::json::parse(r.out).at("stale_now").get<bool>()) << "already journaled";
  // A stale draft cannot be judged until its evidence is renewed; then it is a draft again.
  EXPECT_NE(judge_all("analyst-1").exit_code, 0);
  r = assess({"refresh", "nuctech", "--as", "analyst-1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("status"), "draft");
  EXPECT_NE(r.out.find("scanner-99"), std::string::npos) << "the new asset is in the evidence";
  EXPECT_EQ(judge_all("analyst-1").exit_code, 0);
}

TEST_F(AssessCli, ReportIsWellFormedHtmlContainingTheChain) {
  ASSERT_EQ(assess({"start", "nuctech", "--as", "analyst-1"}).exit_code, 0);
  const auto html = j_.dir() / "nuctech.html";
  auto r = j_.run({"assess", "nuctech", "--html", html.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = read_file(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("15.96%"), std::string::npos);
  EXPECT_NE(page.find("Tongfang"), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos) << "the ownership diagram is embedded";
  EXPECT_NE(page.find("mixed-vendors-room:server-room-maasvlakte"), std::string::npos);
  // Well-formed (the page is polyglot XHTML): xmllint is the real parser here.
  // (libxml2-utils, installed by scripts/install-deps.sh)
  auto lint = run_process({"/usr/bin/xmllint", "--noout", html.string()});
  EXPECT_EQ(lint.exit_code, 0) << lint.err;
}

TEST_F(AssessCli, UnknownSupplierIsNotFound) {
  EXPECT_EQ(assess({"start", "nobody", "--as", "analyst-1"}).exit_code, 3);
  EXPECT_EQ(assess({"nuctech"}).exit_code, 3) << "no assessment yet";
}

}  // namespace
}  // namespace pw::testing
