// The buyer's workflow through the real binary: import an OCDS file, analyse, the explanation
// request, the decision, security requirements and the FSR check blocking the award, then the
// award; the journal verifies at the end.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_util.h"

namespace pw::testing {
namespace {

std::string bid(const char* id, const char* who, const char* amount) {
  return std::string(R"({"id":")") + id + R"(","status":"valid","tenderers":[{"id":")" + who +
         R"("}],"value":{"amount":)" + amount + R"(,"currency":"EUR"}})";
}

// ocds-p1: estimate EUR 1,000,000, bid c at 600,000 (flagged twice). ocds-big: EUR 300 million.
// ocds-bad: a negative amount, skipped by the reader.
std::string releases() {
  return R"({"ocid":"ocds-p1","tender":{"title":"Scanners","value":{"amount":1000000,"currency":"EUR"}},"bids":{"details":[)" +
         bid("a", "acme", "990000") + "," + bid("b", "nuctech", "1010000") + "," +
         bid("c", "borealis", "600000") + "]}}\n" +
         R"({"ocid":"ocds-big","tender":{"title":"Port","value":{"amount":300000000,"currency":"EUR"}},"bids":{"details":[)" +
         bid("x", "bigco", "290000000") + "]}}\n" +
         R"({"ocid":"ocds-bad","tender":{"value":{"amount":-5,"currency":"EUR"}}})" + "\n";
}

class TenderWorkflowCli : public ::testing::Test {
 protected:
  RunResult run(std::vector<std::string> args) { return j_.run(std::move(args)); }
  nlohmann::json json(std::vector<std::string> args, int expect_exit = 0) {
    args.insert(args.begin(), "--json");
    auto r = run(args);
    EXPECT_EQ(r.exit_code, expect_exit) << r.err << r.out;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }
  JournalDir j_;
};

TEST_F(TenderWorkflowCli, ImportAnalyseExplainDecideAndAward) {
  const auto file = j_.dir() / "releases.jsonl";
  write_file(file, releases());
  auto imp = json({"tender", "import", file.string()}, 2);  // one release refused: exit 2
  EXPECT_EQ(imp["stored"], 2);
  EXPECT_EQ(imp["releases_skipped"], 1);
  EXPECT_NE(imp["issues"].dump().find("negative"), std::string::npos);

  auto an = json({"tender", "analyse", "ocds-p1"});
  EXPECT_EQ(an["new_flags"], 2);
  EXPECT_EQ(an["opened_requests"], nlohmann::json::array({"ocds-p1//c"}));
  // Again: nothing new.
  EXPECT_EQ(json({"tender", "analyse", "--all"})["opened_requests"].size(), 0u);
  EXPECT_EQ(run({"tender", "analyse"}).exit_code, 2);  // neither PROCEDURE nor --all

  auto list = json({"tender", "explanation", "list"});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["state"], "open");

  auto blocked = run({"tender", "award", "ocds-p1", "-", "c"});
  EXPECT_EQ(blocked.exit_code, 3);
  EXPECT_NE(blocked.out.find("[explanation_open]"), std::string::npos) << blocked.out;

  auto early = run({"tender", "explanation", "decide", "ocds-p1//c", "--accept"});
  EXPECT_EQ(early.exit_code, 3);
  EXPECT_NE(early.err.find("hearing the bidder"), std::string::npos) << early.err;
  EXPECT_EQ(run({"tender", "explanation", "decide", "ocds-p1//c"}).exit_code, 2);

  auto rec = json({"tender", "explanation", "receive", "ocds-p1//c", "--text",
                   "own plant, no licence fees", "--evidence", "doc-1"});
  EXPECT_EQ(rec["state"], "received");
  auto dec = json({"tender", "explanation", "decide", "ocds-p1//c", "--accept", "--text", "ok"});
  EXPECT_EQ(dec["state"], "accepted");

  // Security requirements: borealis is no supplier in this (empty) register.
  ASSERT_EQ(run({"tender", "configure", "ocds-p1", "--security-requirements", "on",
                 "--security-text", "Q14 national security"})
                .exit_code,
            0);
  auto sec = json({"tender", "award", "ocds-p1", "-", "c"}, 3);
  EXPECT_EQ(sec["blocks"][0]["code"], "security_no_vendor");
  EXPECT_EQ(run({"tender", "configure", "ocds-p1", "--spain", "maybe"}).exit_code, 2);
  ASSERT_EQ(run({"tender", "configure", "ocds-p1", "--security-requirements", "off"}).exit_code, 0);
  auto ok = json({"tender", "award", "ocds-p1", "-", "c"});
  EXPECT_TRUE(ok["awarded"].get<bool>());
  EXPECT_EQ(ok["award"]["bidder"], "borealis");

  auto verify = run({"journal", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(TenderWorkflowCli, TheFsrReviewBlocksTheAwardUntilItEnds) {
  const auto file = j_.dir() / "releases.jsonl";
  write_file(file, releases());
  run({"tender", "import", file.string()});
  EXPECT_EQ(json({"tender", "award", "ocds-big", "-", "x"}, 3)["blocks"][0]["code"],
            "fsr_not_checked");
  EXPECT_EQ(
      run({"tender", "fsr", "contribution", "add", "--entity", "bigco", "--country", "CN", "--eur",
           "4000000.001", "--from", "2025-01-01", "--to", "2025-12-31", "--source", "report"})
          .exit_code,
      2);
  ASSERT_EQ(
      run({"tender", "fsr", "contribution", "add", "--entity", "bigco", "--country", "CN", "--eur",
           "4000000", "--from", "2025-01-01", "--to", "2025-12-31", "--source", "annual report"})
          .exit_code,
      0);
  auto c = json({"tender", "fsr", "check", "ocds-big", "bigco"});
  EXPECT_TRUE(c["notify"].get<bool>());
  EXPECT_EQ(c["status"], "must_notify");
  auto n = json({"tender", "fsr", "notified", "ocds-big", "bigco"});
  EXPECT_EQ(n["status"], "preliminary_review");
  EXPECT_EQ(json({"tender", "award", "ocds-big", "-", "x"}, 3)["blocks"][0]["code"],
            "fsr_review_pending");
  EXPECT_EQ(run({"tender", "fsr", "review", "ocds-big", "bigco"}).exit_code, 2);
  auto done = json({"tender", "fsr", "review", "ocds-big", "bigco", "--outcome", "no_objection"});
  EXPECT_EQ(done["status"], "closed");
  EXPECT_TRUE(json({"tender", "award", "ocds-big", "-", "x"})["awarded"].get<bool>());
  EXPECT_EQ(run({"journal", "verify"}).exit_code, 0);
}

TEST_F(TenderWorkflowCli, StrictImportStoresNothingAndNamesTheBadRecord) {
  const auto file = j_.dir() / "releases.jsonl";
  write_file(file, releases());
  auto r = run({"tender", "import", "--strict", file.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("releases.jsonl"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("record 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tender.value.amount"), std::string::npos) << r.err;
  EXPECT_EQ(json({"tender", "list"}).size(), 0u) << "nothing stored";
  EXPECT_NE(run({"tender", "import", (j_.dir() / "missing.jsonl").string()}).exit_code, 0);
}

}  // namespace
}  // namespace pw::testing
