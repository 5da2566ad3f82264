// The access records' JSON: complete round trips, and errors that name the field, never a throw.

#include <gtest/gtest.h>

#include "access/state.h"
#include "domain/access.h"
#include "fixtures.h"

namespace pw::access::testing {
namespace {

using nlohmann::json;

domain::Grant sample_grant() {
  domain::Grant g;
  g.id = "req-1#2";
  g.request = "req-1";
  g.person = "tech-a1";
  g.vendor = "vendor-a";
  g.asset = "scanner-1";
  g.mode = GrantMode::kRemote;
  g.window = win("2026-03-01T13:00:00.000001Z", "2026-03-01T15:00:00Z");
  g.escorted = false;
  g.supervised = true;
  g.recorded = true;
  g.max_session_minutes = 240;
  g.state = domain::GrantState::kClosed;
  g.handed_over_from = "req-1#1";
  g.issued_by = "operator-1";
  g.issued_at = t("2026-03-01T12:00:00Z");
  g.ended_at = t("2026-03-01T14:00:00Z");
  g.end_reason = "done";
  return g;
}

TEST(AccessJson, RecordsRoundTrip) {
  const domain::Grant g = sample_grant();
  EXPECT_EQ(domain::grant_from_json(domain::grant_to_json(g)).value(), g);

  domain::AccessRequest r;
  r.id = "req-1";
  r.kind = RequestKind::kCorrective;
  r.requester = "staff-1";
  r.technicians = {"tech-a1", "tech-a3"};
  r.vendor = "vendor-a";
  r.asset = "scanner-1";
  r.fault = "fault-1";
  r.permit = "permit-1";
  r.window = win("2026-03-01T13:00:00Z", "2026-03-01T15:00:00Z");
  r.reason = "fault";
  r.state = domain::RequestState::kApproved;
  r.created_at = t("2026-03-01T12:00:00Z");
  r.round = 2;
  r.extension_end = t("2026-03-01T16:00:00Z");
  r.approvals = {{"operator-1", Role::kCustomsOperator, t("2026-03-01T12:01:00Z"),
                  domain::ApprovalDecision::kApprove, "ok", 1},
                 {"security-1", Role::kSecurityOfficer, t("2026-03-01T12:02:00Z"),
                  domain::ApprovalDecision::kDeny, "no", 2}};
  EXPECT_EQ(domain::request_from_json(domain::request_to_json(r)).value(), r);

  domain::WorkPermit p;
  p.id = "permit-1";
  p.asset = "scanner-1";
  p.fault = "fault-1";
  p.people = {"tech-a1"};
  p.window = win("2026-03-01T13:00:00Z", "2026-03-01T18:00:00Z");
  p.requested_by = "tech-a1";
  p.approved_by = "staff-1";
  p.issued_by = "staff-2";
  p.state = domain::PermitState::kExtended;
  p.started = true;
  p.extension_end = t("2026-03-01T20:00:00Z");
  EXPECT_EQ(domain::permit_from_json(domain::permit_to_json(p)).value(), p);

  domain::Suspension s{"s-1",
                       domain::SuspensionScope::kPerson,
                       "tech-a1",
                       {GrantMode::kRemote, GrantMode::kServerRoom},
                       "kill switch",
                       t("2026-03-01T13:00:00Z"),
                       std::nullopt,
                       "security-1",
                       t("2026-03-01T12:00:00Z")};
  EXPECT_EQ(domain::suspension_from_json(domain::suspension_to_json(s)).value(), s);
  s.until = t("2026-03-02T00:00:00Z");
  EXPECT_EQ(domain::suspension_from_json(domain::suspension_to_json(s)).value(), s);

  domain::AssetFreeze f{"scanner-1", "forensics", "security-1", t("2026-03-01T12:00:00Z")};
  EXPECT_EQ(domain::asset_freeze_from_json(domain::asset_freeze_to_json(f)).value(), f);

  // Integers, booleans and strings only.
  const json j = domain::grant_to_json(g);
  for (const auto& [k, v] : j.items()) EXPECT_FALSE(v.is_number_float()) << k;
  EXPECT_EQ(j["window"]["start"], "2026-03-01T13:00:00.000001Z");
}

TEST(AccessJson, ErrorsNameTheFieldAndNeverThrow) {
  json g = domain::grant_to_json(sample_grant());
  auto message = [](auto r) { return r ? std::string("(accepted)") : r.error().message(); };

  json bad = g;
  bad["window"]["end"] = "yesterday";
  EXPECT_NE(message(domain::grant_from_json(bad)).find("grant.window.end:"), std::string::npos);
  bad = g;
  bad["window"]["end"] = bad["window"]["start"];
  EXPECT_NE(message(domain::grant_from_json(bad)).find("grant.window.end: must be after start"),
            std::string::npos);
  bad = g;
  bad["escorted"] = "yes";
  EXPECT_EQ(message(domain::grant_from_json(bad)), "grant.escorted: expected a boolean");
  bad = g;
  bad["mode"] = "teleport";
  EXPECT_NE(
      message(domain::grant_from_json(bad))
          .find("grant.mode: unknown grant mode 'teleport' (want onsite, server_room, remote)"),
      std::string::npos);
  bad = g;
  bad["colour"] = "red";
  EXPECT_EQ(message(domain::grant_from_json(bad)), "grant.colour: unknown key");
  bad = g;
  bad["max_session_minutes"] = 1.5;
  EXPECT_EQ(message(domain::grant_from_json(bad)),
            "grant.max_session_minutes: expected an integer");
  bad = g;
  bad.erase("id");
  EXPECT_EQ(message(domain::grant_from_json(bad)), "grant.id: is required");
  EXPECT_EQ(message(domain::grant_from_json(json::array())), "grant: expected an object");

  json r = domain::request_to_json(
      domain::AccessRequest{"r",
                            RequestKind::kRemote,
                            "tech-a1",
                            {"tech-a1"},
                            "vendor-a",
                            "scanner-1",
                            "",
                            "fault-1",
                            "",
                            win("2026-03-01T13:00:00Z", "2026-03-01T15:00:00Z"),
                            "",
                            {},
                            {},
                            1,
                            {},
                            {}});
  r["approvals"] = json::array({{{"by", "x"}}});
  EXPECT_NE(message(domain::request_from_json(r)).find("request.approvals[0].role: is required"),
            std::string::npos);
  r["technicians"] = json::array({1});
  EXPECT_EQ(message(domain::request_from_json(r)), "request.technicians[0]: expected a string");

  // apply_event: unknown types and malformed payloads are errors and change nothing.
  AccessState s;
  EXPECT_FALSE(apply_event(s, Event{"access.teleported", json::object()}));
  EXPECT_FALSE(apply_event(s, Event{std::string(domain::kAccessGrantIssued), json::array()}));
  json two = json::object();
  two["request"] = domain::request_to_json(
      domain::request_from_json(domain::request_to_json(domain::AccessRequest{
                                    "r",
                                    RequestKind::kRemote,
                                    "tech-a1",
                                    {"tech-a1"},
                                    "vendor-a",
                                    "scanner-1",
                                    "",
                                    "fault-1",
                                    "",
                                    win("2026-03-01T13:00:00Z", "2026-03-01T15:00:00Z"),
                                    "",
                                    {},
                                    {},
                                    1,
                                    {},
                                    {}}))
          .value());
  two["grant"] = bad;  // malformed: the valid request must not be applied either
  EXPECT_FALSE(apply_event(s, Event{std::string(domain::kAccessApproved), two}));
  EXPECT_TRUE(s.requests.empty());
}

}  // namespace
}  // namespace pw::access::testing
