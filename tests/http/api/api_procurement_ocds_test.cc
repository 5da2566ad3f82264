// POST /v1/tenders with OCDS releases (release package and JSON lines, strict and lenient),
// POST /v1/tenders/analyse over every procedure, and versions that are journal positions: a
// change made through the CLI in between makes an API write with the old version fail (409
// with current_version) and change nothing.
#include <string>

#include "http/api/api_fixture.h"
#include "support/test_support.h"

namespace pw::http::api {
namespace {

std::string bid(const char* id, const char* who, const char* amount) {
  return std::string(R"({"id":")") + id + R"(","status":"valid","tenderers":[{"id":")" + who +
         R"("}],"value":{"amount":)" + amount + R"(,"currency":"EUR"}})";
}

// Estimate EUR 1,000,000; bid n by nuctech at `low` (600000: flagged twice).
std::string release(const char* ocid, const char* low) {
  return std::string(R"({"ocid":")") + ocid +
         R"(","tender":{"title":"Scanners","value":{"amount":1000000,"currency":"EUR"}},)"
         R"("bids":{"details":[)" +
         bid("k", "kestrel", "990000") + "," + bid("b", "borealis", "1010000") + "," +
         bid("n", "nuctech", low) + "]}}";
}

std::string package(const std::vector<std::string>& releases) {
  std::string out = R"({"uri":"https://example.test/p","releases":[)";
  for (std::size_t i = 0; i < releases.size(); ++i) out += (i ? "," : "") + releases[i];
  return out + "]}";
}

class ApiProcurementOcdsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    login("buy");
  }
  Reply lines(const std::string& body, const std::string& query = "",
              const std::string& type = "application/x-ndjson") {
    return call("POST", "/v1/tenders" + query, "buy", "",
                {"-H", "Content-Type: " + type, "--data-binary", body});
  }
};

TEST_F(ApiProcurementOcdsTest, AReleasePackageIsImportedThroughTheService) {
  auto r = call("POST", "/v1/tenders", "buy", package({release("ocds-a", "600000")}));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["stored"], 1);
  EXPECT_EQ(r.body["procedures"][0]["id"], "ocds-a");
  EXPECT_EQ(r.body["releases_read"], 1);
  auto t = call("GET", "/v1/tenders/ocds-a", "buy");
  ASSERT_EQ(t.status, 200) << t.raw;
  EXPECT_EQ(t.body["procedure"]["lots"][0]["bids"].size(), 3u);
  EXPECT_EQ(t.body["import_version"], 1);
  // The service's own form still works beside it.
  EXPECT_EQ(call("POST", "/v1/tenders", "buy", R"({"procedures":[]})").status, 400);
}

TEST_F(ApiProcurementOcdsTest, StrictIsTheDefaultAndABadReleaseStoresNothing) {
  const auto before = *journal_->size();
  const std::string body = release("ocds-a", "600000") + "\n" + release("ocds-b", "-1") + "\n";
  auto r = lines(body);
  EXPECT_EQ(r.status, 400) << r.raw;
  const std::string m = r.body["error"]["message"].get<std::string>();
  EXPECT_NE(m.find("record 2"), std::string::npos) << m;
  EXPECT_NE(m.find("bids.details[2].value.amount"), std::string::npos) << m;
  EXPECT_EQ(*journal_->size(), before) << "nothing stored";
  EXPECT_EQ(call("GET", "/v1/tenders/ocds-a", "buy").status, 404);
  // A release package the same.
  r = call("POST", "/v1/tenders?mode=strict", "buy",
           package({release("ocds-a", "600000"), release("ocds-b", "-1")}));
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(*journal_->size(), before);
  // Malformed JSON lines, an unknown mode, a wrong media type.
  EXPECT_EQ(lines("{\"ocid\":\n").status, 400);
  EXPECT_EQ(lines(body, "?mode=sloppy").status, 400);
  EXPECT_EQ(lines(body, "", "text/plain").status, 400);
  EXPECT_EQ(*journal_->size(), before);
}

TEST_F(ApiProcurementOcdsTest, LenientReportsEachBadRecordAndStoresTheOthers) {
  const std::string body = release("ocds-a", "600000") + "\n" + release("ocds-b", "-1") + "\n";
  auto r = lines(body, "?mode=lenient", "application/jsonl");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["stored"], 1);
  EXPECT_EQ(r.body["releases_skipped"], 1);
  ASSERT_EQ(r.body["issues"].size(), 1u) << r.raw;
  EXPECT_EQ(r.body["issues"][0]["record"], 2);
  EXPECT_EQ(r.body["issues"][0]["severity"], "error");
  EXPECT_NE(r.body["issues"][0]["field"].get<std::string>().find("amount"), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/tenders/ocds-a", "buy").status, 200);
  EXPECT_EQ(call("GET", "/v1/tenders/ocds-b", "buy").status, 404);
  // Nothing good at all: 422 with the report.
  const auto before = *journal_->size();
  r = lines(release("ocds-c", "-1") + "\n", "?mode=lenient");
  EXPECT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["issues"].size(), 1u);
  EXPECT_EQ(*journal_->size(), before);
}

TEST_F(ApiProcurementOcdsTest, AnalyseAllScreensEveryStoredProcedure) {
  ASSERT_EQ(lines(release("ocds-a", "600000") + "\n" + release("ocds-b", "600000") + "\n").status,
            200);
  auto r = call("POST", "/v1/tenders/analyse", "buy", R"({"methods":["estimate_ratio"]})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["analysis"]["new_flags"], 2);
  EXPECT_EQ(r.body["analysis"]["opened_requests"],
            nlohmann::json::array({"ocds-a//n", "ocds-b//n"}));
  r = call("POST", "/v1/tenders/analyse", "buy", "");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["analysis"]["opened_requests"].size(), 0u) << "never a second request";
  EXPECT_EQ(call("POST", "/v1/tenders/analyse", "buy", R"({"methods":["dice"]})").status, 400);
  EXPECT_EQ(call("POST", "/v1/tenders/analyse", "buy", R"({"version":3})").status, 400);
  login("aud");
  EXPECT_EQ(call("POST", "/v1/tenders/analyse", "aud", "{}").status, 403);
}

TEST_F(ApiProcurementOcdsTest, AChangeThroughTheCliMakesAnOldVersionStale) {
  ASSERT_EQ(lines(release("ocds-a", "600000") + "\n").status, 200);
  auto t = call("GET", "/v1/tenders/ocds-a", "buy");
  ASSERT_EQ(t.status, 200) << t.raw;
  const auto v = t.body["version"].get<std::uint64_t>();
  EXPECT_EQ(v, *journal_->size() - 1) << "the version is the import's journal seq";
  EXPECT_EQ(t.header("etag"), "\"" + std::to_string(v) + "\"");
  EXPECT_EQ(call("GET", "/v1/tenders", "buy").body["tenders"][0]["version"], v);

  // The buyer's colleague changes the settings with the CLI, on the same journal.
  auto cli = pw::testing::run_portwarden(
      {"--db", paths_.db, "tender", "configure", "ocds-a", "--spain", "on"});
  ASSERT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  const auto before = *journal_->size();

  auto r = call("POST", "/v1/tenders/ocds-a/configure", "buy", R"({"italy":true})",
                {"-H", "If-Match: \"" + std::to_string(v) + "\""});
  ASSERT_EQ(r.status, 409) << r.raw;
  const auto current = r.body["current_version"].get<std::uint64_t>();
  EXPECT_GT(current, v);
  EXPECT_EQ(r.header("etag"), "\"" + std::to_string(current) + "\"");
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("stale version"), std::string::npos);
  r = call("POST", "/v1/tenders/ocds-a/analyse", "buy", nlohmann::json{{"version", v}}.dump());
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(*journal_->size(), before) << "the stale writes changed nothing";
  EXPECT_FALSE(
      call("GET", "/v1/tenders/ocds-a", "buy").body["settings"]["screens"]["italy"].get<bool>());

  // With the version the CLI's change left, it goes through.
  r = call("POST", "/v1/tenders/ocds-a/configure", "buy",
           nlohmann::json{{"italy", true}, {"version", current}}.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["version"], *journal_->size() - 1);
}

}  // namespace
}  // namespace pw::http::api
