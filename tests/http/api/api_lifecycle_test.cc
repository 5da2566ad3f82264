// The lifecycle steps after a request or permit is made, through the real server: every permit
// and grant step of a corrective visit, server-room check-out, revocation, the end of a
// suspension, asset freezes, and versions (ETag, If-Match, 409 on a stale version) throughout.
#include "http/api/api_fixture.h"

namespace pw::http::api {
namespace {

std::vector<std::string> if_match(std::uint64_t version) {
  return {"-H", "If-Match: \"" + std::to_string(version) + "\""};
}

std::uint64_t version_of(const Reply& r) {
  return r.body.at("version").get<std::uint64_t>();
}

class ApiLifecycleTest : public ApiTest {
 protected:
  // A token a gateway would hold, for the access check.
  std::vector<std::string> gateway() {
    auto token = auth_->issue_token("op", {"access:check"}, std::chrono::hours(1), "admin");
    EXPECT_TRUE(token);
    return {"-H", "Authorization: Bearer " + token->token};
  }
  bool allowed(const std::string& subject, const std::string& target, const std::string& mode) {
    auto r = call("POST", "/v1/access/check", "",
                  nlohmann::json{{"subject", subject}, {"target", target}, {"mode", mode}}.dump(),
                  gateway());
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body.value("allow", false);
  }
  // A corrective visit on scanner-01 (terminal-noord) by tech-nuctech-1 under permit "permit-lc"
  // naming tech-nuctech-1 and -2, approved by operator and security officer (very high risk).
  // Returns the grant's id.
  std::string corrective_visit() {
    for (const char* u : {"tech", "noord", "zuid", "op", "sec", "btech"}) login(u);
    const nlohmann::json permit = {{"id", "permit-lc"},
                                   {"asset", "scanner-01"},
                                   {"people", {"tech-nuctech-1", "tech-nuctech-2"}},
                                   {"from", offset_hours(-1)},
                                   {"to", offset_hours(5)},
                                   {"reason", "detector fault"}};
    EXPECT_EQ(call("POST", "/v1/permits", "tech", permit.dump()).status, 200);
    EXPECT_EQ(call("POST", "/v1/permits/permit-lc/approve", "noord").status, 200);
    EXPECT_EQ(call("POST", "/v1/permits/permit-lc/issue", "noord").status, 200);
    const nlohmann::json visit = {{"id", "req-lc"},          {"kind", "corrective"},
                                  {"asset", "scanner-01"},   {"permit", "permit-lc"},
                                  {"from", offset_hours(0)}, {"to", offset_hours(4)}};
    EXPECT_EQ(call("POST", "/v1/access/requests", "tech", visit.dump()).status, 200);
    EXPECT_EQ(call("POST", "/v1/access/requests/req-lc/approve", "op").status, 200);
    EXPECT_EQ(call("POST", "/v1/access/requests/req-lc/approve", "sec").status, 200);
    auto grants = call("GET", "/v1/access/grants?request=req-lc", "op");
    EXPECT_EQ(grants.status, 200) << grants.raw;
    if (grants.body["grants"].size() != 1) {
      ADD_FAILURE() << grants.raw;
      return "";
    }
    return grants.body["grants"][0]["id"].get<std::string>();
  }
};

TEST_F(ApiLifecycleTest, CorrectiveVisitThroughEveryPermitAndGrantStep) {
  const std::string grant = corrective_visit();
  ASSERT_FALSE(grant.empty());
  // Single records carry their version, also as ETag.
  auto permit = call("GET", "/v1/permits/permit-lc", "noord");
  ASSERT_EQ(permit.status, 200) << permit.raw;
  EXPECT_EQ(permit.body["state"], "active");
  EXPECT_EQ(permit.header("etag"), "\"" + std::to_string(version_of(permit)) + "\"");
  auto g = call("GET", "/v1/access/grants/" + enc(grant), "tech");
  ASSERT_EQ(g.status, 200) << g.raw;
  EXPECT_EQ(g.body["effective_state"], "active");
  EXPECT_TRUE(allowed("tech-nuctech-1", "scanner-01", "onsite"));

  // A stale version changes nothing and says what the current one is.
  const std::uint64_t v = version_of(permit);
  auto stale = call("POST", "/v1/permits/permit-lc/suspend", "noord", R"({"reason":"crane work"})",
                    if_match(v - 1));
  ASSERT_EQ(stale.status, 409) << stale.raw;
  EXPECT_EQ(stale.body["current_version"], v);
  EXPECT_EQ(call("GET", "/v1/permits/permit-lc", "noord").body["state"], "active");
  // The body's version does the same as If-Match; they must agree when both are given.
  auto disagree = call("POST", "/v1/permits/permit-lc/suspend", "noord",
                       nlohmann::json{{"reason", "x"}, {"version", v}}.dump(), if_match(v + 1));
  EXPECT_EQ(disagree.status, 400) << disagree.raw;
  auto suspended = call("POST", "/v1/permits/permit-lc/suspend", "noord",
                        nlohmann::json{{"reason", "crane work"}, {"version", v}}.dump());
  ASSERT_EQ(suspended.status, 200) << suspended.raw;
  EXPECT_GT(version_of(suspended), v);
  EXPECT_EQ(call("GET", "/v1/access/grants/" + enc(grant), "op").body["effective_state"],
            "suspended");
  EXPECT_FALSE(allowed("tech-nuctech-1", "scanner-01", "onsite"));
  // Customs may resume it too; the grant runs again.
  ASSERT_EQ(call("POST", "/v1/permits/permit-lc/resume", "op", "", if_match(version_of(suspended)))
                .status,
            200);
  EXPECT_TRUE(allowed("tech-nuctech-1", "scanner-01", "onsite"));

  // Extending the permit needs the terminal's approval again.
  auto ext = call("POST", "/v1/permits/permit-lc/extend", "tech",
                  nlohmann::json{{"to", offset_hours(8)}, {"reason", "parts late"}}.dump());
  ASSERT_EQ(ext.status, 200) << ext.raw;
  EXPECT_EQ(call("GET", "/v1/permits/permit-lc", "tech").body["state"], "extended");
  ASSERT_EQ(call("POST", "/v1/permits/permit-lc/approve", "noord").status, 200);
  EXPECT_EQ(call("GET", "/v1/permits/permit-lc", "tech").body["state"], "active");

  // Extending the request: a new round for the quorum; until then the old end holds.
  auto rext = call("POST", "/v1/access/requests/req-lc/extend", "tech",
                   nlohmann::json{{"to", offset_hours(6)}, {"reason", "parts late"}}.dump());
  ASSERT_EQ(rext.status, 200) << rext.raw;
  auto req = call("GET", "/v1/access/requests/req-lc", "tech");
  ASSERT_EQ(req.status, 200) << req.raw;
  EXPECT_EQ(req.body["round"], 2);
  EXPECT_EQ(call("POST", "/v1/access/requests/req-lc/extend", "op", R"({"to":"x"})").status, 403)
      << "customs staff approve extensions, they do not ask for them";
  ASSERT_EQ(call("POST", "/v1/access/requests/req-lc/approve", "op").status, 200);
  ASSERT_EQ(call("POST", "/v1/access/requests/req-lc/approve", "sec").status, 200);
  req = call("GET", "/v1/access/requests/req-lc", "op");
  EXPECT_GT(req.body["window"]["end"].get<std::string>(), offset_hours(5)) << req.raw;

  // Handover to the other technician the permit names: the old grant closes, a new one runs.
  auto hand = call("POST", "/v1/access/grants/" + enc(grant) + "/handover", "sec",
                   R"({"to":"tech-nuctech-2","reason":"shift change"})");
  ASSERT_EQ(hand.status, 200) << hand.raw;
  EXPECT_EQ(call("GET", "/v1/access/grants/" + enc(grant), "op").body["state"], "closed");
  std::string next;
  for (const auto& e : hand.body["events"]) {
    if (e["type"] == "access.grant.handed_over") next = e["payload"]["to_id"].get<std::string>();
  }
  ASSERT_FALSE(next.empty()) << hand.raw;
  EXPECT_EQ(call("GET", "/v1/access/grants/" + enc(next), "op").body["handed_over_from"], grant);
  EXPECT_EQ(call("GET", "/v1/access/grants/" + enc(next), "op").body["person"], "tech-nuctech-2");
  EXPECT_FALSE(allowed("tech-nuctech-1", "scanner-01", "onsite"));
  EXPECT_TRUE(allowed("tech-nuctech-2", "scanner-01", "onsite"));
  // tech-nuctech-1 no longer holds it and cannot close it; customs can.
  auto not_holder = call("POST", "/v1/access/grants/" + enc(next) + "/close", "tech", "{}");
  EXPECT_EQ(not_holder.status, 403) << not_holder.raw;
  ASSERT_EQ(call("POST", "/v1/access/grants/" + enc(next) + "/close", "op", R"({"reason":"done"})")
                .status,
            200);
  EXPECT_FALSE(allowed("tech-nuctech-2", "scanner-01", "onsite"));
  // Closing the permit and cancelling the request end the visit.
  ASSERT_EQ(call("POST", "/v1/permits/permit-lc/close", "noord", R"({"reason":"fixed"})").status,
            200);
  EXPECT_EQ(call("GET", "/v1/permits/permit-lc", "op").body["state"], "closed");
  ASSERT_EQ(
      call("POST", "/v1/access/requests/req-lc/cancel", "tech", R"({"reason":"done"})").status,
      200);
  EXPECT_EQ(call("GET", "/v1/access/requests/req-lc", "op").body["state"], "cancelled");
  // Lists are paginated and filtered.
  auto closed = call("GET", "/v1/access/grants?state=closed&limit=1", "op");
  ASSERT_EQ(closed.status, 200) << closed.raw;
  EXPECT_EQ(closed.body["total"], 2);
  EXPECT_EQ(closed.body["grants"].size(), 1u);
  EXPECT_EQ(call("GET", "/v1/permits?state=closed", "noord").body["total"], 1);
  EXPECT_EQ(call("GET", "/v1/permits?colour=red", "noord").status, 400);
}

TEST_F(ApiLifecycleTest, ServerRoomCheckOutRevocationAndFreezes) {
  for (const char* u : {"tech", "op", "sec"}) login(u);
  const nlohmann::json request = {{"id", "req-room"},
                                  {"kind", "server_room"},
                                  {"room", "server-room-maasvlakte"},
                                  {"from", offset_hours(-1)},
                                  {"to", offset_hours(4)}};
  ASSERT_EQ(call("POST", "/v1/access/requests", "tech", request.dump()).status, 200);
  ASSERT_EQ(call("POST", "/v1/access/requests/req-room/approve", "op").status, 200);
  ASSERT_EQ(call("POST", "/v1/access/requests/req-room/approve", "sec").status, 200);
  auto in =
      call("POST", "/v1/access/requests/req-room/checkin", "op", R"({"person":"tech-nuctech-1"})");
  ASSERT_EQ(in.status, 200) << in.raw;
  auto room = [&] {
    auto r = call("GET", "/v1/access/grants?mode=server_room&state=active", "op");
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["grants"].empty() ? std::string() : r.body["grants"][0]["id"].get<std::string>();
  };
  const std::string first = room();
  ASSERT_FALSE(first.empty());
  EXPECT_TRUE(
      call("POST", "/v1/access/check", "",
           R"({"subject":"tech-nuctech-1","target":"server-room-maasvlakte","mode":"server_room"})",
           gateway())
          .body["allow"]
          .get<bool>());
  // Revoked by the security officer: the room is closed to them at once.
  auto revoke = call("POST", "/v1/access/grants/" + enc(first) + "/revoke", "sec",
                     R"({"reason":"left the escort"})");
  ASSERT_EQ(revoke.status, 200) << revoke.raw;
  EXPECT_EQ(call("GET", "/v1/access/grants/" + enc(first), "op").body["state"], "revoked");
  EXPECT_FALSE(allowed("tech-nuctech-1", "server-room-maasvlakte", "server_room"));
  // Checked in again, then the holder checks out.
  ASSERT_EQ(
      call("POST", "/v1/access/requests/req-room/checkin", "op", R"({"person":"tech-nuctech-1"})")
          .status,
      200);
  const std::string second = room();
  ASSERT_FALSE(second.empty());
  ASSERT_NE(second, first);
  auto out = call("POST", "/v1/access/grants/" + enc(second) + "/checkout", "tech");
  ASSERT_EQ(out.status, 200) << out.raw;
  EXPECT_EQ(call("GET", "/v1/access/grants/" + enc(second), "tech").body["state"], "closed");
  EXPECT_FALSE(allowed("tech-nuctech-1", "server-room-maasvlakte", "server_room"));
  // A step on an ended grant is the engine's refusal, with the rule.
  auto again = call("POST", "/v1/access/grants/" + enc(second) + "/checkout", "op");
  EXPECT_EQ(again.status, 403);
  EXPECT_NE(again.raw.find("grant.state"), std::string::npos) << again.raw;

  // Freezing an asset, with versions; a stale unfreeze changes nothing.
  auto frozen = call("POST", "/v1/assets/scanner-01/freeze", "sec", R"({"reason":"suspected"})");
  ASSERT_EQ(frozen.status, 200) << frozen.raw;
  EXPECT_EQ(
      call("POST", "/v1/assets/scanner-01/unfreeze", "op", R"({"reason":"x"})", if_match(1)).status,
      409);
  auto unfrozen = call("POST", "/v1/assets/scanner-01/unfreeze", "op", R"({"reason":"cleared"})",
                       if_match(version_of(frozen)));
  ASSERT_EQ(unfrozen.status, 200) << unfrozen.raw;
  EXPECT_EQ(call("POST", "/v1/assets/no-such-asset/freeze", "sec", R"({"reason":"x"})").status,
            404);
  // A request still waiting can be cancelled by its requester.
  nlohmann::json second_request = request;
  second_request["id"] = "req-room-2";
  ASSERT_EQ(call("POST", "/v1/access/requests", "tech", second_request.dump()).status, 200);
  ASSERT_EQ(call("POST", "/v1/access/requests/req-room-2/cancel", "tech").status, 200);
  EXPECT_EQ(call("GET", "/v1/access/requests/req-room-2", "tech").body["state"], "cancelled");
  EXPECT_EQ(call("GET", "/v1/access/requests/no-such/cancel", "tech").status, 405);
  EXPECT_EQ(call("POST", "/v1/access/requests/no-such/cancel", "tech").status, 404);
}

TEST_F(ApiLifecycleTest, SuspensionsAreListedAndEndedEarly) {
  for (const char* u : {"tech", "op", "sec", "noord"}) login(u);
  const nlohmann::json suspend = {{"id", "susp-person"},
                                  {"scope", "person"},
                                  {"subject", "tech-nuctech-1"},
                                  {"reason", "badge lost"}};
  auto made = call("POST", "/v1/suspensions", "sec", suspend.dump());
  ASSERT_EQ(made.status, 200) << made.raw;
  auto list = call("GET", "/v1/suspensions?scope=person", "op");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["total"], 1);
  EXPECT_TRUE(list.body["suspensions"][0]["in_force"].get<bool>());
  EXPECT_EQ(call("GET", "/v1/suspensions", "noord").body["total"], 1) << "terminal staff see it";
  EXPECT_EQ(call("GET", "/v1/suspensions", "tech").body["total"], 0) << "customs' records";
  EXPECT_EQ(call("GET", "/v1/suspensions/susp-person", "tech").status, 403);
  auto one = call("GET", "/v1/suspensions/susp-person", "op");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.header("etag"), "\"" + std::to_string(version_of(one)) + "\"");
  EXPECT_EQ(version_of(one), version_of(made));
  auto stale =
      call("POST", "/v1/suspensions/susp-person/resume", "sec", "", if_match(version_of(one) + 1));
  ASSERT_EQ(stale.status, 409) << stale.raw;
  EXPECT_EQ(stale.body["current_version"], version_of(one));
  EXPECT_EQ(call("POST", "/v1/suspensions/susp-person/resume", "noord", "{}").status, 403);
  auto resumed =
      call("POST", "/v1/suspensions/susp-person/resume", "sec",
           nlohmann::json{{"reason", "badge found"}, {"version", version_of(one)}}.dump());
  ASSERT_EQ(resumed.status, 200) << resumed.raw;
  EXPECT_FALSE(call("GET", "/v1/suspensions/susp-person", "op").body["in_force"].get<bool>());
  EXPECT_EQ(call("POST", "/v1/suspensions/no-such/resume", "sec", "{}").status, 404);
}

// A technician of another vendor, and terminal staff of another terminal, reach for the
// records of a Nuctech visit at terminal-noord: every record route refuses them, naming the
// scoping rule, and nothing changes.
TEST_F(ApiLifecycleTest, AnotherVendorsTechnicianAndAnotherTerminalAreRefused) {
  const std::string grant = corrective_visit();
  ASSERT_FALSE(grant.empty());
  ASSERT_EQ(call("POST", "/v1/suspensions", "sec",
                 R"({"id":"susp-x","scope":"person","subject":"tech-nuctech-2","reason":"x"})")
                .status,
            200);
  const auto before = access_->snapshot();
  ASSERT_TRUE(before);
  int checked = 0;
  for (const auto& route : routes_) {
    const std::string& p = route.pattern;
    std::string id;
    if (p.rfind("/v1/access/requests/{id}", 0) == 0) id = "req-lc";
    if (p.rfind("/v1/access/grants/{id}", 0) == 0) id = grant;
    if (p.rfind("/v1/permits/{id}", 0) == 0) id = "permit-lc";
    if (p.rfind("/v1/suspensions/{id}", 0) == 0) id = "susp-x";
    if (id.empty()) continue;
    std::string path = p;
    path.replace(path.find("{id}"), 4, enc(id));
    for (const std::string user : {"btech", "zuid"}) {
      // Suspensions are not a terminal's: every terminal's staff see them (not change them).
      if (user == "zuid" && p == "/v1/suspensions/{id}" && route.method == Method::kGet) continue;
      const std::string body =
          route.method == Method::kPost ? R"({"reason":"x","to":")" + offset_hours(9) + "\"}" : "";
      auto r = call(std::string(method_name(route.method)), path, user,
                    route.method == Method::kPost && path.find("/handover") != std::string::npos
                        ? R"({"reason":"x","to":"tech-borealis-2"})"
                        : body);
      EXPECT_EQ(r.status, 403) << user << " " << path << ": " << r.raw;
      EXPECT_NE(r.raw.find("not allowed to"), std::string::npos) << user << " " << path << r.raw;
      ++checked;
    }
  }
  EXPECT_GE(checked, 2 * 20 - 1);
  auto after = access_->snapshot();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->versions, before->versions) << "nothing changed";
  // And the other vendor's technician sees none of it in the lists.
  EXPECT_EQ(call("GET", "/v1/access/grants", "btech").body["total"], 0);
  EXPECT_EQ(call("GET", "/v1/permits", "btech").body["total"], 0);
  EXPECT_EQ(call("GET", "/v1/access/requests", "btech").body["total"], 0);
  EXPECT_EQ(call("GET", "/v1/access/grants", "zuid").body["total"], 0);
  EXPECT_EQ(call("GET", "/v1/permits", "zuid").body["total"], 0);
  EXPECT_EQ(call("GET", "/v1/access/grants", "noord").body["total"], 1);
  EXPECT_EQ(call("GET", "/v1/access/requests", "zuid").body["total"], 0);
  EXPECT_EQ(call("GET", "/v1/access/requests", "noord").body["total"], 1);
}

TEST_F(ApiLifecycleTest, HostileStepsGet4xxAndChangeNothing) {
  const std::string grant = corrective_visit();
  ASSERT_FALSE(grant.empty());
  const auto size = journal_->size();
  ASSERT_TRUE(size);
  const std::string close = "/v1/access/grants/" + enc(grant) + "/close";
  for (const auto& [body, what] : std::vector<std::pair<std::string, std::string>>{
           {R"({"reason":5})", "reason"},
           {R"({"reason":"x","colour":"red"})", "colour"},
           {R"({"version":"7"})", "version"},
           {R"({"version":-1})", "version"},
           {R"([1,2])", ""},
           {"{not json", ""}}) {
    auto r = call("POST", close, "op", body);
    EXPECT_EQ(r.status, 400) << body << ": " << r.raw;
    EXPECT_NE(r.raw.find(what), std::string::npos) << body << ": " << r.raw;
  }
  EXPECT_EQ(call("POST", close, "op", "{}", {"-H", "If-Match: W/\"x\""}).status, 400);
  EXPECT_EQ(call("POST", "/v1/permits/permit-lc/extend", "tech", R"({"to":"tomorrow"})").status,
            400);
  EXPECT_EQ(
      call("POST", "/v1/access/grants/" + enc(grant) + "/handover", "sec", R"({"to":"x"})").status,
      400)
      << "reason is required";
  // Ids with path traversal never reach a handler (the server refuses them) or find nothing.
  for (const char* path :
       {"/v1/access/grants/..%2F..%2Fetc%2Fpasswd", "/v1/access/grants/../grants",
        "/v1/permits/%2e%2e/close", "/v1/access/requests/a%00b/cancel"}) {
    auto r = call("POST", path, "op", "{}");
    EXPECT_TRUE(r.status == 400 || r.status == 404 || r.status == 405) << path << ": " << r.raw;
  }
  EXPECT_EQ(*journal_->size(), *size);
  EXPECT_EQ(call("GET", "/v1/access/grants/" + enc(grant), "op").body["state"], "active");
}

}  // namespace
}  // namespace pw::http::api
