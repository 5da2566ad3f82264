// The procurement routes (api_procurement.cc) through the real server and the real service:
// import, list and one procedure with its version, settings, the screens opening an art. 2.116
// explanation request, the bidder's explanation and the buyer's decision, the FSR check, the
// award blocked with every reason and then allowed, security requirements (Q5, Q14); and every
// refusal: bad bodies (400 naming the field), unknown procedures and requests (404), stale
// versions (409, nothing changed), roles without the right (403).
#include <string>

#include "domain/procurement.h"
#include "domain/procurement_workflow.h"
#include "http/api/api_fixture.h"

namespace pw::http::api {
namespace {

constexpr const char* kProc = "ocds-test-0001";

domain::Bid bid(const std::string& id, const std::string& bidder, std::int64_t euros) {
  domain::Bid b;
  b.id = id;
  b.bidder = bidder;
  b.amount = domain::Money{euros * 100, "EUR"};
  b.status = "valid";
  b.tenderers = {bidder};
  return b;
}

// One lot estimated at EUR 1,000,000 (far below the FSR thresholds) with three bids: Kestrel
// at 950,000, Borealis at 900,000, Nuctech at 500,000. Only Nuctech is flagged: below 70 % of
// the estimate and more than 20 % below the mean of the others (925,000).
domain::Procedure procedure(const std::string& id = kProc) {
  domain::Procedure p;
  p.id = id;
  p.title = "Container scanners, Maasvlakte";
  p.buyer = "douane";
  p.estimated_value = domain::Money{100'000'000, "EUR"};
  domain::Lot lot;
  lot.id = "lot-1";
  lot.title = "Two high-energy scanners";
  lot.estimate = domain::Money{100'000'000, "EUR"};
  lot.bids = {bid("bid-k", "kestrel", 950'000), bid("bid-b", "borealis", 900'000),
              bid("bid-n", "nuctech", 500'000)};
  p.lots.push_back(lot);
  return p;
}

std::string import_body(const std::vector<domain::Procedure>& ps) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : ps) list.push_back(domain::procedure_to_json(p));
  return nlohmann::json{{"procedures", list}}.dump();
}

std::vector<std::string> codes(const nlohmann::json& blocks) {
  std::vector<std::string> out;
  for (const auto& b : blocks) out.push_back(b["code"].get<std::string>());
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class ApiProcurementTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    login("buy");
  }

  // Imports the procedure and runs the screens; the request opened for Nuctech's bid.
  std::string flagged() {
    auto r = call("POST", "/v1/tenders", "buy", import_body({procedure()}));
    EXPECT_EQ(r.status, 200) << r.raw;
    r = call("POST", std::string("/v1/tenders/") + kProc + "/analyse", "buy", "{}");
    EXPECT_EQ(r.status, 200) << r.raw;
    auto t = call("GET", std::string("/v1/tenders/") + kProc, "buy");
    EXPECT_EQ(t.status, 200) << t.raw;
    for (const auto& q : t.body["requests"]) {
      if (q["bid"] == "bid-n") return q["id"].get<std::string>();
    }
    ADD_FAILURE() << "no explanation request for Nuctech's bid: " << t.raw;
    return "";
  }

  std::string path(const std::string& tail = "") const {
    return std::string("/v1/tenders/") + kProc + tail;
  }
};

TEST_F(ApiProcurementTest, ImportListAndShowWithVersionAndEtag) {
  auto r = call("POST", "/v1/tenders", "buy", import_body({procedure()}));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["stored"], 1);
  EXPECT_EQ(r.body["procedures"][0]["id"], kProc);
  EXPECT_EQ(r.body["procedures"][0]["import_version"], 1);
  // The same data again: unchanged, nothing journaled.
  const auto before = *journal_->size();
  r = call("POST", "/v1/tenders", "buy", import_body({procedure()}));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["unchanged"], 1);
  EXPECT_EQ(*journal_->size(), before);

  r = call("GET", "/v1/tenders", "buy");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["total"], 1);
  EXPECT_EQ(r.body["tenders"][0]["id"], kProc);
  EXPECT_EQ(r.body["tenders"][0]["bids"], 3);
  EXPECT_EQ(call("GET", "/v1/tenders?colour=red", "buy").status, 400);
  EXPECT_EQ(call("GET", "/v1/tenders?buyer=douane", "buy").body["total"], 1);
  EXPECT_EQ(call("GET", "/v1/tenders?buyer=nobody", "buy").body["total"], 0);

  r = call("GET", path(), "buy");
  ASSERT_EQ(r.status, 200) << r.raw;
  const auto version = r.body["version"].get<std::uint64_t>();
  EXPECT_EQ(r.header("etag"), "\"" + std::to_string(version) + "\"");
  EXPECT_EQ(r.body["award_checks"].size(), 3u) << r.raw;
  // Reading changes nothing, so the version stays.
  EXPECT_EQ(call("GET", path(), "buy").body["version"], version);
}

TEST_F(ApiProcurementTest, ImportRefusesBadBodiesAndReportsBadProcedures) {
  const auto before = *journal_->size();
  auto r = call("POST", "/v1/tenders", "buy", "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.procedures"), std::string::npos) << r.raw;
  r = call("POST", "/v1/tenders", "buy", R"({"procedures":[]})");
  EXPECT_EQ(r.status, 400);
  r = call("POST", "/v1/tenders", "buy", R"({"procedures":[{"id":7}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.procedures[0]"), std::string::npos) << r.raw;
  r = call("POST", "/v1/tenders", "buy", import_body({procedure()}).replace(0, 1, "[ "));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(*journal_->size(), before) << "a refused import stores nothing";
  // A negative amount: the procedure is refused with the engine's reason, the good one stored.
  auto bad = procedure("ocds-test-bad");
  bad.lots[0].bids[0].amount->minor = -5;
  r = call("POST", "/v1/tenders", "buy", import_body({bad}));
  EXPECT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["refused"], 1);
  EXPECT_FALSE(r.body["procedures"][0]["error"].get<std::string>().empty()) << r.raw;
  r = call("POST", "/v1/tenders", "buy", import_body({bad, procedure()}));
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["stored"], 1);
  EXPECT_EQ(r.body["refused"], 1);
  EXPECT_EQ(call("GET", "/v1/tenders/ocds-test-bad", "buy").status, 404);
}

TEST_F(ApiProcurementTest, ScreensFlagTheLowBidAndOpenAnExplanationRequest) {
  ASSERT_EQ(call("POST", "/v1/tenders", "buy", import_body({procedure()})).status, 200);
  auto r = call("POST", path("/analyse"), "buy", "{}");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_GE(r.body["analysis"]["new_flags"].get<int>(), 1) << r.raw;
  EXPECT_EQ(r.body["analysis"]["opened_requests"].size(), 1u) << r.raw;
  auto t = call("GET", path(), "buy");
  ASSERT_EQ(t.status, 200);
  EXPECT_EQ(r.body["version"], t.body["version"]) << "the answer carries the new version";
  ASSERT_FALSE(t.body["flags"].empty()) << t.raw;
  for (const auto& f : t.body["flags"]) EXPECT_EQ(f["bid"], "bid-n") << f.dump();
  ASSERT_EQ(t.body["requests"].size(), 1u) << t.raw;
  EXPECT_EQ(t.body["requests"][0]["state"], "open");
  EXPECT_EQ(t.body["requests"][0]["overdue"], false) << "the deadline is days away";
  // Analysing again opens no second request.
  r = call("POST", path("/analyse"), "buy", "{}");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.body["analysis"]["opened_requests"].empty()) << r.raw;
  EXPECT_EQ(call("POST", path("/analyse"), "buy", R"({"methods":"spain"})").status, 400);
}

TEST_F(ApiProcurementTest, AwardIsBlockedWithEveryReasonUntilTheWorkflowIsDone) {
  const std::string request = flagged();
  ASSERT_FALSE(request.empty());
  const auto before = *journal_->size();
  auto r = call("POST", path("/award"), "buy", R"({"lot":"lot-1","bid":"bid-n"})");
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(r.body["awarded"], false);
  EXPECT_EQ(r.body["error"]["code"], "failed_precondition");
  const auto blocked = codes(r.body["blocks"]);
  EXPECT_TRUE(has(blocked, "explanation_open")) << r.raw;
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("blocked"), std::string::npos);
  EXPECT_EQ(*journal_->size(), before) << "a blocked award journals nothing";
  // The same reasons show on the procedure.
  auto t = call("GET", path(), "buy");
  for (const auto& c : t.body["award_checks"]) {
    if (c["bid"] == "bid-n") {
      EXPECT_EQ(codes(c["blocks"]), blocked) << c.dump();
    }
  }

  // A decision before the explanation (deadline not passed) is refused by the workflow.
  r = call("POST", path("/explanations/decide"), "buy",
           nlohmann::json{{"request", request}, {"decision", "accept"}}.dump());
  EXPECT_EQ(r.status, 409) << r.raw;
  r = call("POST", path("/explanations/receive"), "buy",
           nlohmann::json{{"request", request},
                          {"text", "Our own factory; state support is not involved."},
                          {"evidence", "doc-17"}}
               .dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["request"]["state"], "received");
  r = call("POST", path("/explanations/decide"), "buy",
           nlohmann::json{{"request", request}, {"decision", "accept"}}.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["request"]["state"], "accepted");
  // A second decision is refused.
  EXPECT_EQ(call("POST", path("/explanations/decide"), "buy",
                 nlohmann::json{{"request", request}, {"decision", "accept"}}.dump())
                .status,
            409);

  // Whatever still blocks (the FSR check of the bidder), the award names it; the check clears
  // it (EUR 1 million is far below the thresholds: a declaration).
  r = call("POST", path("/award"), "buy", R"({"lot":"lot-1","bid":"bid-n"})");
  if (r.status == 409) {
    EXPECT_FALSE(has(codes(r.body["blocks"]), "explanation_open")) << r.raw;
    auto c = call("POST", path("/fsr/check"), "buy", R"({"bidder":"nuctech"})");
    ASSERT_EQ(c.status, 200) << c.raw;
    EXPECT_EQ(c.body["case"]["notify"], false) << c.raw;
    r = call("POST", path("/award"), "buy", R"({"lot":"lot-1","bid":"bid-n"})");
  }
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["awarded"], true);
  EXPECT_EQ(r.body["award"]["bid"], "bid-n");
  t = call("GET", path(), "buy");
  ASSERT_EQ(t.body["awards"].size(), 1u) << t.raw;
}

TEST_F(ApiProcurementTest, SecurityRequirementsBlockAnAwardWithoutASignedOffAssessment) {
  ASSERT_EQ(call("POST", "/v1/tenders", "buy", import_body({procedure()})).status, 200);
  auto r =
      call("POST", path("/configure"), "buy",
           R"({"security_requirements":true,"security_text":"Q5: no remote access from abroad"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["settings"]["security_requirements"], true) << r.raw;
  ASSERT_EQ(call("POST", path("/fsr/check"), "buy", R"({"bidder":"borealis"})").status, 200);
  r = call("POST", path("/award"), "buy", R"({"lot":"lot-1","bid":"bid-b"})");
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_TRUE(has(codes(r.body["blocks"]), "security_no_signed_assessment")) << r.raw;
  ASSERT_NO_FATAL_FAILURE(assess_borealis_medium());
  r = call("POST", path("/award"), "buy", R"({"lot":"lot-1","bid":"bid-b"})");
  EXPECT_EQ(r.status, 200) << r.raw;
}

TEST_F(ApiProcurementTest, FsrContributionsNotificationAndReview) {
  ASSERT_EQ(call("POST", "/v1/tenders", "buy", import_body({procedure()})).status, 200);
  auto r =
      call("POST", "/v1/tenders/fsr/contributions", "buy",
           R"({"entity":"nuctech","country":"CN","eur_cents":500000000,)"
           R"("period_start":"2025-01-01","period_end":"2025-12-31","source":"annual report"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["contribution"]["country"], "CN");
  r = call("GET", "/v1/tenders/fsr/contributions", "buy");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["total"], 1);
  r = call("POST", "/v1/tenders/fsr/contributions", "buy",
           R"({"entity":"nuctech","country":"CN"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.eur_cents"), std::string::npos) << r.raw;

  r = call("POST", path("/fsr/check"), "buy", R"({"bidder":"nuctech"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["case"]["notify"], false) << "EUR 1 million is below EUR 250 million";
  EXPECT_TRUE(r.body["case"].contains("status")) << r.raw;
  r = call("POST", path("/fsr/review"), "buy", R"({"bidder":"nuctech","step":"sideways"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.step"), std::string::npos) << r.raw;
  r = call("POST", path("/fsr/review"), "buy", R"({"bidder":"nuctech","step":"outcome"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.outcome"), std::string::npos) << r.raw;
  r = call("POST", path("/fsr/notified"), "buy", R"({"bidder":"nuctech","date":"yesterday"})");
  EXPECT_EQ(r.status, 400) << r.raw;
}

// Above the FSR thresholds (EUR 300 million, EUR 5 million from China in the three years
// before): the award waits for the notification and then for the Commission's review.
TEST_F(ApiProcurementTest, FsrNotificationDutyBlocksTheAwardUntilTheReviewEnds) {
  auto big = procedure("ocds-test-big");
  big.estimated_value = domain::Money{30'000'000'000, "EUR"};
  big.lots[0].estimate = domain::Money{30'000'000'000, "EUR"};
  big.lots[0].bids = {bid("bid-n", "nuctech", 280'000'000)};
  ASSERT_EQ(call("POST", "/v1/tenders", "buy", import_body({big})).status, 200);
  const std::string p = "/v1/tenders/ocds-test-big";
  const std::string award = R"({"lot":"lot-1","bid":"bid-n"})";
  auto r = call("POST", p + "/award", "buy", award);
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(codes(r.body["blocks"]), std::vector<std::string>{"fsr_not_checked"}) << r.raw;
  // Notified before any check: the workflow refuses.
  EXPECT_EQ(call("POST", p + "/fsr/notified", "buy", R"({"bidder":"nuctech"})").status, 409);

  const core::SystemClock clock;
  const std::string year = core::format_rfc3339(clock.now()).substr(0, 4);
  const std::string last_year = std::to_string(std::stoi(year) - 1);
  r = call("POST", "/v1/tenders/fsr/contributions", "buy",
           nlohmann::json{{"entity", "nuctech"},
                          {"country", "CN"},
                          {"eur_cents", 500'000'000},
                          {"period_start", last_year + "-01-01"},
                          {"period_end", last_year + "-12-31"},
                          {"source", "annual report"}}
               .dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  r = call("POST", p + "/fsr/check", "buy", R"({"bidder":"nuctech"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["case"]["notify"], true) << r.raw;
  EXPECT_EQ(r.body["case"]["status"], "must_notify") << r.raw;
  r = call("POST", p + "/award", "buy", award);
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(codes(r.body["blocks"]), std::vector<std::string>{"fsr_not_notified"}) << r.raw;

  r = call("POST", p + "/fsr/notified", "buy", R"({"bidder":"nuctech"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["case"]["status"], "preliminary_review") << r.raw;
  EXPECT_FALSE(r.body["case"]["preliminary_deadline"].get<std::string>().empty()) << r.raw;
  r = call("POST", p + "/award", "buy", award);
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(codes(r.body["blocks"]), std::vector<std::string>{"fsr_review_pending"}) << r.raw;
  auto t = call("GET", p, "buy");
  ASSERT_EQ(t.body["fsr"].size(), 1u) << t.raw;
  EXPECT_EQ(t.body["fsr"][0]["status"], "preliminary_review");

  // A prohibition closes only an in-depth investigation; "no objection" ends the review.
  r = call("POST", p + "/fsr/review", "buy",
           R"({"bidder":"nuctech","step":"outcome","outcome":"prohibition"})");
  EXPECT_EQ(r.status, 409) << r.raw;
  r = call("POST", p + "/fsr/review", "buy",
           R"({"bidder":"nuctech","step":"outcome","outcome":"no_objection","text":"cleared"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["case"]["status"], "closed") << r.raw;
  r = call("POST", p + "/award", "buy", award);
  EXPECT_EQ(r.status, 200) << r.raw;
}

// A labour-law finding (art. 69(3)) leaves only the rejection for that reason.
TEST_F(ApiProcurementTest, ALabourLawFindingLeavesOnlyTheMandatoryRejection) {
  const std::string request = flagged();
  ASSERT_FALSE(request.empty());
  auto r = call("POST", path("/explanations/receive"), "buy",
                nlohmann::json{{"request", request}, {"text", "cheap labour"}}.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  r = call("POST", path("/explanations/finding"), "buy",
           nlohmann::json{{"request", request}, {"text", "wages below the legal minimum"}}.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["request"]["labour_law_finding"], "wages below the legal minimum");
  r = call("POST", path("/explanations/decide"), "buy",
           nlohmann::json{{"request", request}, {"decision", "accept"}}.dump());
  EXPECT_EQ(r.status, 409) << r.raw;
  r = call("POST", path("/explanations/decide"), "buy",
           nlohmann::json{{"request", request},
                          {"decision", "reject"},
                          {"reason", "labour_law_breach"},
                          {"text", "art. 69(3)"}}
               .dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["request"]["state"], "rejected");
  r = call("POST", path("/award"), "buy", R"({"lot":"lot-1","bid":"bid-n"})");
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_TRUE(has(codes(r.body["blocks"]), "bid_rejected")) << r.raw;
}

TEST_F(ApiProcurementTest, BadBodiesUnknownRecordsAndStaleVersionsChangeNothing) {
  const std::string request = flagged();
  ASSERT_FALSE(request.empty());
  auto t = call("GET", path(), "buy");
  const auto version = t.body["version"].get<std::uint64_t>();
  const auto before = *journal_->size();
  // 400 naming the field.
  auto r = call("POST", path("/configure"), "buy", R"({"estimate_ratio":"yes"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.estimate_ratio"), std::string::npos) << r.raw;
  r = call("POST", path("/configure"), "buy", R"({"colour":"red"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.colour"), std::string::npos) << r.raw;
  r = call("POST", path("/configure"), "buy", R"({"bidder_vendors":{"nuctech":3}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.bidder_vendors.nuctech"), std::string::npos) << r.raw;
  r = call("POST", path("/configure"), "buy", R"({"estimate_ratio_bp":20000})");
  EXPECT_EQ(r.status, 400) << r.raw;
  r = call("POST", path("/explanations/receive"), "buy", R"({"request":"x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.text"), std::string::npos) << r.raw;
  r = call("POST", path("/explanations/decide"), "buy",
           nlohmann::json{{"request", request}, {"decision", "maybe"}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.decision"), std::string::npos) << r.raw;
  r = call(
      "POST", path("/explanations/decide"), "buy",
      nlohmann::json{{"request", request}, {"decision", "reject"}, {"reason", "cheap"}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.reason"), std::string::npos) << r.raw;
  r = call("POST", path("/award"), "buy", R"({"lot":"lot-1"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("$.bid"), std::string::npos) << r.raw;
  EXPECT_EQ(call("POST", path("/award"), "buy", "{not json").status, 400);
  // 404: unknown procedure, request, bid.
  EXPECT_EQ(call("GET", "/v1/tenders/ocds-nothing", "buy").status, 404);
  EXPECT_EQ(call("POST", "/v1/tenders/ocds-nothing/analyse", "buy", "{}").status, 404);
  r = call("POST", path("/explanations/receive"), "buy", R"({"request":"nope","text":"t"})");
  EXPECT_EQ(r.status, 404) << r.raw;
  EXPECT_NE(r.raw.find("nope"), std::string::npos) << r.raw;
  EXPECT_EQ(call("POST", path("/award"), "buy", R"({"lot":"lot-1","bid":"bid-x"})").status, 404);
  // 409: a stale version, in If-Match or in the body; the current one comes back.
  r = call("POST", path("/configure"), "buy", R"({"spain":true})", {"-H", "If-Match: \"1\""});
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(r.body["current_version"], version);
  EXPECT_EQ(r.header("etag"), "\"" + std::to_string(version) + "\"");
  r = call("POST", path("/explanations/receive"), "buy",
           nlohmann::json{{"request", request}, {"text", "t"}, {"version", version + 1}}.dump());
  EXPECT_EQ(r.status, 409) << r.raw;
  r = call("POST", path("/configure"), "buy", R"({"spain":true,"version":1})",
           {"-H", "If-Match: \"2\""});
  EXPECT_EQ(r.status, 400) << "If-Match and the body disagree: " << r.raw;
  EXPECT_EQ(*journal_->size(), before) << "no refusal above journaled anything";
  EXPECT_EQ(call("GET", path(), "buy").body["version"], version);

  // With the current version the change goes through, and the version moves on.
  r = call("POST", path("/configure"), "buy", R"({"spain":true})",
           {"-H", "If-Match: \"" + std::to_string(version) + "\""});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_NE(r.body["version"], version);
  EXPECT_EQ(r.header("etag"), "\"" + std::to_string(r.body["version"].get<std::uint64_t>()) + "\"");
  // The old version is now stale.
  r = call("POST", path("/configure"), "buy", R"({"italy":true})",
           {"-H", "If-Match: \"" + std::to_string(version) + "\""});
  EXPECT_EQ(r.status, 409) << r.raw;
}

TEST_F(ApiProcurementTest, RolesWithoutTheRightAreRefusedAndJournaled) {
  ASSERT_EQ(call("POST", "/v1/tenders", "buy", import_body({procedure()})).status, 200);
  for (const std::string user : {"tech", "op", "noord", "gw"}) {
    login(user);
    auto r = call("GET", "/v1/tenders", user);
    EXPECT_EQ(r.status, 403) << user << ": " << r.raw;
    r = call("POST", path("/analyse"), user, "{}");
    EXPECT_EQ(r.status, 403) << user << ": " << r.raw;
  }
  // Auditors, analysts and security officers read (the award checks the assessments they
  // keep) and change nothing.
  for (const std::string user : {"aud", "ana", "sec"}) login(user);
  const auto before = *journal_->size();
  for (const std::string user : {"aud", "ana", "sec"}) {
    EXPECT_EQ(call("GET", path(), user).status, 200) << user;
    EXPECT_EQ(call("GET", "/v1/tenders", user).status, 200) << user;
    auto r = call("POST", path("/analyse"), user, "{}");
    EXPECT_EQ(r.status, 403) << user << ": " << r.raw;
    EXPECT_NE(r.raw.find("not allowed to"), std::string::npos) << r.raw;
    EXPECT_EQ(call("POST", "/v1/tenders", user, import_body({procedure("ocds-x")})).status, 403);
  }
  EXPECT_EQ(call("GET", "/v1/tenders/ocds-x", "buy").status, 404);
  // Only the refusals were journaled (auth.denied), nothing of the workflow.
  std::uint64_t denied = 0;
  ASSERT_TRUE(journal_->scan_events(before, "", [&](const journal::Envelope& e) -> core::Status {
    EXPECT_EQ(e.type, "auth.denied") << e.payload.dump();
    ++denied;
    return core::ok();
  }));
  EXPECT_EQ(denied, 6u);
  // Without a session at all: 401.
  EXPECT_EQ(call("GET", "/v1/tenders").status, 401);
}

}  // namespace
}  // namespace pw::http::api
