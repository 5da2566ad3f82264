// The REST API served by the real HttpServer on a loopback port, called with curl: sessions and
// CSRF, API tokens, the authorization matrix (technicians and other vendors' data, auditors who
// change nothing), a server-room entry end to end, the kill switch, hostile input, and the
// OpenAPI document against the routes the server has.
#include "http/api/api_fixture.h"

namespace pw::http::api {
namespace {

TEST_F(ApiTest, LoginSessionAndCsrf) {
  EXPECT_EQ(call("GET", "/v1/me").status, 401);
  auto bad =
      pw::testing::run_process({"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                "-H", "Content-Type: application/json", "--data-binary",
                                R"({"username":"op","password":"nope"})", url("/v1/login")});
  EXPECT_EQ(bad.out, "401");
  login("op");
  auto me = call("GET", "/v1/me", "op");
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["person"], "operator-1");
  EXPECT_EQ(me.body["organisation"], "douane");
  // A state-changing call with the cookie but without the CSRF header is refused.
  const std::string saved = csrf_["op"];
  csrf_.erase("op");
  auto r = call("POST", "/v1/access/requests/x/approve", "op", "{}");
  EXPECT_EQ(r.status, 403) << r.raw;
  EXPECT_NE(r.raw.find("CSRF"), std::string::npos);
  csrf_["op"] = saved;
}

TEST_F(ApiTest, TechniciansSeeOnlyTheirEmployersAssetsAndAuditorsChangeNothing) {
  login("tech");
  auto list = call("GET", "/v1/assets", "tech");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_FALSE(list.body["assets"].empty());
  for (const auto& a : list.body["assets"]) EXPECT_EQ(a["vendor"], "nuctech") << a.dump();
  auto other = call("GET", "/v1/assets/scanner-05", "tech");  // a Borealis scanner
  EXPECT_EQ(other.status, 403) << other.raw;
  EXPECT_EQ(call("GET", "/v1/assets/scanner-01", "tech").status, 200);
  EXPECT_EQ(call("GET", "/v1/findings", "tech").status, 403);

  login("aud");
  EXPECT_EQ(call("GET", "/v1/findings", "aud").status, 200);
  EXPECT_EQ(call("GET", "/v1/journal/checkpoint", "aud").status, 200);
  auto approve = call("POST", "/v1/access/requests/any/approve", "aud", "{}");
  EXPECT_EQ(approve.status, 403) << approve.raw;
  auto suspend = call("POST", "/v1/suspensions", "aud",
                      R"({"id":"s1","scope":"vendor","subject":"nuctech","reason":"x"})");
  EXPECT_EQ(suspend.status, 403);
  // Refusals are journaled.
  auto proof = call("GET", "/v1/journal/checkpoint", "aud");
  const auto size = proof.body["size"].get<std::uint64_t>();
  auto last = call("GET", "/v1/journal/proof?index=" + std::to_string(size - 1), "aud");
  ASSERT_EQ(last.status, 200) << last.raw;
  EXPECT_NE(last.body["entry"].get<std::string>().find("auth.denied"), std::string::npos);
}

TEST_F(ApiTest, ServerRoomEntryEndToEndThenTheKillSwitch) {
  login("tech");
  login("op");
  login("sec");
  const nlohmann::json request = {
      {"id", "req-api-1"},        {"kind", "server_room"}, {"room", "server-room-maasvlakte"},
      {"from", offset_hours(-1)}, {"to", offset_hours(4)}, {"reason", "replace a disk"}};
  auto r = call("POST", "/v1/access/requests", "tech", request.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.body["allowed"].get<bool>());
  // The technician cannot approve; operator and security officer do (very high risk).
  EXPECT_EQ(call("POST", "/v1/access/requests/req-api-1/approve", "tech", "{}").status, 403);
  ASSERT_EQ(call("POST", "/v1/access/requests/req-api-1/approve", "op", "{}").status, 200);
  ASSERT_EQ(call("POST", "/v1/access/requests/req-api-1/approve", "sec", "{}").status, 200);
  r = call("POST", "/v1/access/requests/req-api-1/checkin", "op", R"({"person":"tech-nuctech-1"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  // A gateway with a token limited to the access check.
  auto token = auth_->issue_token("op", {"access:check"}, std::chrono::hours(1), "admin");
  ASSERT_TRUE(token);
  const std::vector<std::string> bearer{"-H", "Authorization: Bearer " + token->token};
  const std::string check =
      R"({"subject":"tech-nuctech-1","target":"server-room-maasvlakte","mode":"server_room"})";
  r = call("POST", "/v1/access/check", "", check, bearer);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.body["allow"].get<bool>()) << r.raw;
  EXPECT_EQ(call("GET", "/v1/findings", "", "", bearer).status, 403) << "token scope";
  // The kill switch: without confirmation, the cost and no suspension.
  const nlohmann::json suspend = {
      {"id", "susp-api-1"}, {"scope", "vendor"}, {"subject", "nuctech"}, {"reason", "test"}};
  r = call("POST", "/v1/suspensions", "sec", suspend.dump());
  ASSERT_EQ(r.status, 409) << r.raw;
  EXPECT_GT(r.body["downtime_cost"]["faults"].get<int>(), 0);
  EXPECT_TRUE(call("POST", "/v1/access/check", "", check, bearer).body["allow"].get<bool>());
  auto confirmed = suspend;
  confirmed["confirmed"] = true;
  r = call("POST", "/v1/suspensions", "sec", confirmed.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  r = call("POST", "/v1/access/check", "", check, bearer);
  EXPECT_FALSE(r.body["allow"].get<bool>()) << r.raw;
  // Gateways learn of it from the feed, with the grants to cut.
  r = call("GET", "/v1/access/feed?from=0", "", "", bearer);
  ASSERT_EQ(r.status, 200) << r.raw;
  bool seen = false;
  for (const auto& e : r.body["events"]) seen |= e["type"] == "access.suspended";
  EXPECT_TRUE(seen) << r.raw;
  const auto next = r.body["next"].get<std::uint64_t>();
  r = call("GET", "/v1/access/feed?wait=0&from=" + std::to_string(next), "", "", bearer);
  EXPECT_TRUE(r.body["events"].empty()) << "nothing new since";
  auto v = journal_->verify({});
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ok());
}

TEST_F(ApiTest, CorrectiveVisitUnderTheTerminalsWorkPermit) {
  login("tech");
  login("noord");
  login("zuid");
  login("op");
  login("sec");
  // scanner-01 stands at terminal-noord: its staff approve and issue the permit, not zuid's.
  const nlohmann::json permit = {{"id", "permit-api-1"},         {"asset", "scanner-01"},
                                 {"people", {"tech-nuctech-1"}}, {"from", offset_hours(-1)},
                                 {"to", offset_hours(5)},        {"reason", "detector fault"}};
  auto r = call("POST", "/v1/permits", "tech", permit.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  r = call("POST", "/v1/permits/permit-api-1/approve", "zuid", "{}");
  EXPECT_EQ(r.status, 403) << r.raw;
  EXPECT_NE(r.raw.find("another terminal"), std::string::npos) << r.raw;
  ASSERT_EQ(call("POST", "/v1/permits/permit-api-1/approve", "noord", "{}").status, 200);
  ASSERT_EQ(call("POST", "/v1/permits/permit-api-1/issue", "noord", "{}").status, 200);
  const nlohmann::json visit = {{"id", "req-corr-1"},        {"kind", "corrective"},
                                {"asset", "scanner-01"},     {"permit", "permit-api-1"},
                                {"from", offset_hours(0)},   {"to", offset_hours(4)},
                                {"reason", "detector fault"}};
  r = call("POST", "/v1/access/requests", "tech", visit.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(call("POST", "/v1/access/requests/req-corr-1/approve", "op", "{}").status, 200);
  r = call("POST", "/v1/access/requests/req-corr-1/approve", "sec", "{}");
  ASSERT_EQ(r.status, 200) << r.raw;
  bool granted = false;
  for (const auto& e : r.body["events"]) granted |= e["type"] == "access.grant.issued";
  EXPECT_TRUE(granted) << r.raw;
  // The technician sees their own request.
  auto mine = call("GET", "/v1/access/requests", "tech");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body["requests"].size(), 1u);
}

TEST_F(ApiTest, RemoteSessionAndPreventiveVisitOfAVendorAssessedAtMediumRisk) {
  // Borealis (fictional, US) assessed and signed off by two analysts: medium residual risk.
  ASSERT_NO_FATAL_FAILURE(assess_borealis_medium());
  // An open software fault on a Borealis scanner, and a contract window running now.
  ASSERT_NO_FATAL_FAILURE(
      import_borealis_work("fault-api-1", offset_hours(-1), "contract-api", offset_hours(-2)));
  login("btech");
  login("op");
  nlohmann::json remote = {{"id", "req-remote-api"},  {"kind", "remote"},
                           {"asset", "scanner-05"},   {"fault", "fault-api-1"},
                           {"from", offset_hours(0)}, {"to", offset_hours(2)}};
  auto r = call("POST", "/v1/access/requests", "btech", remote.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  r = call("POST", "/v1/access/requests/req-remote-api/approve", "op", "{}");
  ASSERT_EQ(r.status, 200) << r.raw;
  auto token = auth_->issue_token("op", {"access:check"}, std::chrono::hours(1), "admin");
  ASSERT_TRUE(token);
  const std::vector<std::string> bearer{"-H", "Authorization: Bearer " + token->token};
  r = call("POST", "/v1/access/check", "",
           R"({"subject":"tech-borealis-2","target":"scanner-05","mode":"remote"})", bearer);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.body["allow"].get<bool>()) << r.raw;
  EXPECT_TRUE(r.body["recorded"].get<bool>());
  EXPECT_LE(r.body["max_session_minutes"].get<int>(), 240);
  // A preventive visit inside the contract window.
  nlohmann::json visit = {{"id", "req-prev-api"},
                          {"kind", "preventive"},
                          {"asset", "scanner-06"},
                          {"from", offset_hours(-1)},
                          {"to", offset_hours(4)}};
  r = call("POST", "/v1/access/requests", "btech", visit.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(call("POST", "/v1/access/requests/req-prev-api/approve", "op", "{}").status, 200);
  r = call("POST", "/v1/access/check", "",
           R"({"subject":"tech-borealis-2","target":"scanner-06","mode":"onsite"})", bearer);
  EXPECT_TRUE(r.body["allow"].get<bool>()) << r.raw;
  // Outside the contract's window: refused, with the rule.
  visit["id"] = "req-prev-late";
  visit["from"] = offset_hours(30);
  visit["to"] = offset_hours(31);
  r = call("POST", "/v1/access/requests", "btech", visit.dump());
  EXPECT_EQ(r.status, 403) << r.raw;
  auto v = journal_->verify({});
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ok());
}

// Every route, every role: the API refuses exactly where the authorization table (app/authz.h)
// says so. A new route must be added to this map, so it cannot ship unclassified.
TEST_F(ApiTest, AuthorizationMatrixOverEveryRouteAndEveryRole) {
  // A route lets a role in when any of its actions does (the engine or the record's scope may
  // refuse later, with a decision or a scoped reason).
  using Actions = std::vector<app::Action>;
  const std::map<std::string, Actions> action_of = {
      {"GET /v1/journal/checkpoint", {app::Action::kReadJournal}},
      {"GET /v1/journal/proof", {app::Action::kReadJournal}},
      {"GET /v1/journal/export", {app::Action::kExportJournal}},
      {"GET /v1/assets", {app::Action::kReadRegister}},
      {"GET /v1/assets/{id}", {app::Action::kReadRegister}},
      {"POST /v1/assets/{id}/freeze", {app::Action::kSuspend}},
      {"POST /v1/assets/{id}/unfreeze", {app::Action::kSuspend}},
      {"GET /v1/register/{table}", {app::Action::kReadRegister}},
      {"GET /v1/register/{table}/{id}", {app::Action::kReadRegister}},
      {"PUT /v1/register/{table}/{id}", {app::Action::kWriteRegister}},
      {"GET /v1/access/grants", {app::Action::kReadAccess}},
      {"GET /v1/access/grants/{id}", {app::Action::kReadAccess}},
      {"POST /v1/access/grants/{id}/checkout",
       {app::Action::kCheckInOut, app::Action::kRequestAccess}},
      {"POST /v1/access/grants/{id}/handover", {app::Action::kApproveAccess}},
      {"POST /v1/access/grants/{id}/close",
       {app::Action::kApproveAccess, app::Action::kRequestAccess}},
      {"POST /v1/access/grants/{id}/revoke", {app::Action::kSuspend}},
      {"GET /v1/findings", {app::Action::kReadFindings}},
      {"GET /v1/assessments/{supplier}", {app::Action::kReadAssessment}},
      {"GET /v1/access/requests", {app::Action::kReadAccess}},
      {"POST /v1/access/requests", {app::Action::kRequestAccess}},
      {"GET /v1/access/requests/{id}", {app::Action::kReadAccess}},
      {"POST /v1/access/requests/{id}/approve", {app::Action::kApproveAccess}},
      {"POST /v1/access/requests/{id}/deny", {app::Action::kApproveAccess}},
      {"POST /v1/access/requests/{id}/checkin", {app::Action::kCheckInOut}},
      {"POST /v1/access/requests/{id}/cancel",
       {app::Action::kRequestAccess, app::Action::kApproveAccess}},
      {"POST /v1/access/requests/{id}/extend", {app::Action::kRequestAccess}},
      {"POST /v1/access/check", {app::Action::kCheckAccess}},
      {"GET /v1/access/feed", {app::Action::kCheckAccess}},
      {"GET /v1/permits", {app::Action::kReadAccess}},
      {"POST /v1/permits", {app::Action::kReadAccess}},
      {"GET /v1/permits/{id}", {app::Action::kReadAccess}},
      {"POST /v1/permits/{id}/approve", {app::Action::kIssuePermit}},
      {"POST /v1/permits/{id}/issue", {app::Action::kIssuePermit}},
      {"POST /v1/permits/{id}/suspend", {app::Action::kIssuePermit, app::Action::kSuspend}},
      {"POST /v1/permits/{id}/resume", {app::Action::kIssuePermit, app::Action::kSuspend}},
      {"POST /v1/permits/{id}/extend", {app::Action::kIssuePermit, app::Action::kRequestAccess}},
      {"POST /v1/permits/{id}/close", {app::Action::kIssuePermit, app::Action::kSuspend}},
      {"GET /v1/vendors/{id}/downtime-cost", {app::Action::kSuspend}},
      {"GET /v1/suspensions", {app::Action::kReadAccess}},
      {"POST /v1/suspensions", {app::Action::kSuspend}},
      {"GET /v1/suspensions/{id}", {app::Action::kReadAccess}},
      {"POST /v1/suspensions/{id}/resume", {app::Action::kSuspend}},
      {"POST /v1/gateway/admit", {app::Action::kGatewayControl}},
      {"POST /v1/gateway/heartbeat", {app::Action::kGatewayControl}},
      {"POST /v1/gateway/sessions/{id}/close", {app::Action::kGatewayControl}},
      {"GET /v1/sessions", {app::Action::kReadSessions}},
      {"POST /v1/sessions/{id}/kill", {app::Action::kKillSession}},
      {"POST /v1/grants/{id}/certificate", {app::Action::kGrantCertificate}},
      {"GET /v1/suppliers", {app::Action::kReadAssessment}},
      {"GET /v1/suppliers/{id}/ownership", {app::Action::kReadAssessment}},
      {"GET /v1/suppliers/{id}/diagram", {app::Action::kReadAssessment}},
      {"GET /v1/journal/events", {app::Action::kReadJournal}},
      {"POST /v1/assessments/{supplier}/judge", {app::Action::kWriteAssessment}},
      {"POST /v1/assessments/{supplier}/sign", {app::Action::kWriteAssessment}},
      {"GET /v1/tenders", {app::Action::kReadProcurement}},
      {"POST /v1/tenders", {app::Action::kWriteProcurement}},
      {"GET /v1/tenders/{id}", {app::Action::kReadProcurement}},
      {"POST /v1/tenders/{id}/configure", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/{id}/analyse", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/analyse", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/{id}/explanations/receive", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/{id}/explanations/finding", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/{id}/explanations/decide", {app::Action::kWriteProcurement}},
      {"GET /v1/tenders/fsr/contributions", {app::Action::kReadProcurement}},
      {"POST /v1/tenders/fsr/contributions", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/{id}/fsr/check", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/{id}/fsr/notified", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/{id}/fsr/review", {app::Action::kWriteProcurement}},
      {"POST /v1/tenders/{id}/award", {app::Action::kWriteProcurement}},
  };
  const std::set<std::string> open_routes = {"POST /v1/login", "POST /v1/logout", "GET /v1/me"};
  struct As {
    std::string user, person, organisation;
    app::Role role;
  };
  const std::vector<As> people = {
      {"adm", "", "", app::Role::kAdmin},
      {"op", "operator-1", "douane", app::Role::kOperator},
      {"sec", "security-officer-1", "douane", app::Role::kSecurityOfficer},
      {"ana", "analyst-1", "douane", app::Role::kAnalyst},
      {"noord", "terminal-staff-noord", "terminal-op-noord", app::Role::kTerminal},
      {"tech", "tech-nuctech-1", "nuctech", app::Role::kTechnician},
      {"aud", "", "", app::Role::kAuditor},
      {"gw", "", "", app::Role::kGateway},
      {"buy", "", "", app::Role::kBuyer}};
  for (const auto& p : people) login(p.user);
  int checked = 0;
  for (const auto& route : routes_) {
    const std::string key = std::string(method_name(route.method)) + " " + route.pattern;
    if (open_routes.count(key)) continue;
    ASSERT_TRUE(action_of.count(key)) << "route not in the matrix: " << key;
    std::string path = route.pattern;
    for (auto [param, value] : {std::pair{"{id}", "scanner-01"}, std::pair{"{supplier}", "nuctech"},
                                std::pair{"{table}", "asset"}}) {
      if (auto at = path.find(param); at != std::string::npos)
        path.replace(at, strlen(param), value);
    }
    if (path == "/v1/access/feed") path += "?wait=0";  // the long-poll would wait 25 s a call
    for (const auto& p : people) {
      const app::Principal who{p.user, p.person, {p.role}, false, {}, ""};
      bool allowed = false;
      for (app::Action a : action_of.at(key)) {
        allowed |= app::authorize(who, {p.organisation}, a).has_value();
      }
      // A write that gets past the gate must not change anything: a stale version for the
      // register, no reason (a required field) for the kill-switch steps.
      const std::string body = route.method == Method::kPut    ? R"({"version":999999})"
                               : route.method == Method::kPost ? "{}"
                                                               : "";
      auto r = call(std::string(method_name(route.method)), path, p.user, body);
      const bool refused_by_authz =
          r.status == 401 || (r.status == 403 && !r.body.contains("decision") &&
                              r.raw.find("not allowed to") != std::string::npos);
      EXPECT_EQ(refused_by_authz, !allowed)
          << key << " as " << p.user << ": " << r.status << " " << r.raw;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(action_of.size() * people.size()));
}

TEST_F(ApiTest, RegisterTablesArePaginatedFilteredAndScopedForTechnicians) {
  login("op");
  login("tech");
  auto r = call("GET", "/v1/register/asset?kind=scanner&limit=3", "op");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["total"], 7);
  EXPECT_EQ(r.body["records"].size(), 3u);
  r = call("GET", "/v1/register/asset?kind=scanner&limit=3&offset=6", "op");
  EXPECT_EQ(r.body["records"].size(), 1u);
  r = call("GET", "/v1/register/asset?vendor=nuctech&kind=scanner", "op");
  EXPECT_EQ(r.body["total"], 4) << "four of the seven scanners are Nuctech's (Q4)";
  EXPECT_EQ(call("GET", "/v1/register/asset?colour=red", "op").status, 400);
  EXPECT_EQ(call("GET", "/v1/register/asset?limit=0", "op").status, 400);
  EXPECT_EQ(call("GET", "/v1/register/nonsense", "op").status, 400);
  // A technician sees their employer's people and screenings, not the others'.
  r = call("GET", "/v1/register/person", "tech");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_FALSE(r.body["records"].empty());
  for (const auto& p : r.body["records"]) EXPECT_EQ(p["organisation"], "nuctech") << p.dump();
  r = call("GET", "/v1/register/screening", "tech");
  for (const auto& sc : r.body["records"]) {
    EXPECT_EQ(sc["person"].get<std::string>().rfind("tech-nuctech-", 0), 0u) << sc.dump();
  }
  EXPECT_TRUE(call("GET", "/v1/register/zone", "tech").body["records"].empty());
}

TEST_F(ApiTest, HostileInputGets4xxAndChangesNothing) {
  login("tech");
  // (A refused call is journaled as auth.denied: that one is expected.)
  EXPECT_EQ(call("GET", "/v1/journal/proof?index=abc", "tech").status, 403) << "no journal role";
  auto before = journal_->size();
  auto r = call("POST", "/v1/access/requests", "tech",
                R"({"id":"x","kind":"remote","from":"a","to":"b","colour":"red"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("colour"), std::string::npos) << r.raw;
  EXPECT_EQ(call("POST", "/v1/access/requests", "tech", R"({"id":1})").status, 400);
  EXPECT_EQ(call("POST", "/v1/access/requests", "tech", "{not json").status, 400);
  EXPECT_EQ(*journal_->size(), *before);
}

TEST_F(ApiTest, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  std::ifstream in(pw::testing::tests_dir().parent_path() / "docs" / "openapi.yaml");
  ASSERT_TRUE(in) << "docs/openapi.yaml";
  std::set<std::string> documented;
  std::string line, path;
  // "  /v1/x:" opens a path; "    get:" (etc.) under it is one of its operations.
  while (std::getline(in, line)) {
    if (line.size() > 3 && line.compare(0, 3, "  /") == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
    } else if (!path.empty() && line.size() > 4 && line.compare(0, 4, "    ") == 0 &&
               line[4] != ' ') {
      const std::string word = line.substr(4, line.find(':') - 4);
      for (const char* m : {"get", "post", "put", "patch", "delete"}) {
        if (word == m) {
          std::string method = word;
          for (auto& c : method) c = static_cast<char>(std::toupper(c));
          documented.insert(method + " " + path);
        }
      }
    } else if (!line.empty() && line[0] != ' ') {
      path.clear();  // a new top-level section
    }
  }
  std::set<std::string> served{"GET /healthz", "GET /metrics"};  // built into the server
  for (const auto& r : routes_) served.insert(std::string(method_name(r.method)) + " " + r.pattern);
  for (const auto& s : served) EXPECT_TRUE(documented.count(s)) << "undocumented: " << s;
  for (const auto& d : documented) EXPECT_TRUE(served.count(d)) << "documented, not served: " << d;
}

}  // namespace
}  // namespace pw::http::api
