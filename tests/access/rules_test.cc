// Every rule's failure is reported with its reason, next to every other rule checked (never only
// the first failure).

#include <gtest/gtest.h>

#include "access/engine.h"
#include "fixtures.h"

namespace pw::access::testing {
namespace {

TEST_F(AccessTest, ADecisionListsEveryRuleCheckedNotOnlyTheFirstFailure) {
  ok(freeze_asset(state_, ctx(), "security-1", now(), "scanner-1", "suspected tampering"));
  VisitDraft v = preventive("req-x", {"ghost", "tech-a1", "tech-b1"});
  v.window = win("2026-03-02T14:00:00Z", "2026-03-02T16:00:00Z");  // past the contract window
  Decision d = denied(request_visit(state_, ctx(), "tech-a1", now(), v));
  EXPECT_TRUE(failed(d, "technician.registered", "ghost"));
  EXPECT_TRUE(failed(d, "technician.vendor", "tech-b1"));
  EXPECT_TRUE(failed(d, "asset.not_frozen", "scanner-1"));
  EXPECT_TRUE(failed(d, "contract.window"));
  EXPECT_NE(reason(d, "contract.window").find("runs past the end of contract window"),
            std::string::npos);
  EXPECT_NE(reason(d, "asset.not_frozen").find("suspected tampering"), std::string::npos);
  // The rules that hold are listed too, with their reasons.
  const Check* ok_tech = d.find("technician.registered", "tech-a1");
  ASSERT_NE(ok_tech, nullptr);
  EXPECT_TRUE(ok_tech->pass);
  const Check* vendor = d.find("vendor.not_suspended");
  ASSERT_NE(vendor, nullptr);
  EXPECT_TRUE(vendor->pass);
  EXPECT_GE(d.failures().size(), 4u);
  EXPECT_NE(d.summary().find("technician.registered (ghost)"), std::string::npos);
  const nlohmann::json j = decision_to_json(d);
  EXPECT_FALSE(j["allowed"].get<bool>());
  EXPECT_EQ(j["checks"].size(), d.checks.size());
}

TEST_F(AccessTest, RequesterCannotApproveTheirOwnRequest) {
  ok(request_visit(state_, ctx(), "operator-1", now(), preventive()));  // customs asks for a visit
  Decision d = denied(approve(state_, ctx(), "operator-1", now(), "req-1"));
  EXPECT_TRUE(failed(d, "approver.not_requester"));
  EXPECT_NE(reason(d, "approver.not_requester").find("four eyes"), std::string::npos);
  ok(approve(state_, ctx(), "operator-2", now(), "req-1"));
}

TEST_F(AccessTest, ApproverEmployedByTheVendorIsRefusedWhateverTheirRole) {
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  Decision d = denied(approve(state_, ctx(), "rogue-op", now(), "req-1"));
  EXPECT_TRUE(failed(d, "approver.not_vendor"));
  EXPECT_NE(reason(d, "approver.not_vendor").find("employed by vendor 'vendor-a'"),
            std::string::npos);
  // The role itself fits: only the employer refuses it.
  EXPECT_TRUE(d.find("approver.role")->pass);
  // A technician of the request cannot approve it either; an analyst has no approving role.
  EXPECT_TRUE(
      failed(denied(approve(state_, ctx(), "tech-a1", now(), "req-1")), "approver.not_requester"));
  EXPECT_TRUE(failed(denied(approve(state_, ctx(), "analyst-1", now(), "req-1")), "approver.role"));
  EXPECT_TRUE(failed(denied(approve(state_, ctx(), "nobody", now(), "req-1")), "actor.registered"));
}

TEST_F(AccessTest, TechnicianRulesEachFailWithTheirReason) {
  VisitDraft v = preventive("req-x", {"operator-2", "tech-b1", "ghost"});
  Decision d = denied(request_visit(state_, ctx(), "operator-1", now(), v));
  EXPECT_TRUE(failed(d, "technician.role", "operator-2"));
  EXPECT_NE(reason(d, "technician.role", "operator-2").find("does not have the role technician"),
            std::string::npos);
  EXPECT_TRUE(failed(d, "technician.vendor", "tech-b1"));
  EXPECT_NE(reason(d, "technician.vendor", "tech-b1").find("employed by 'vendor-b'"),
            std::string::npos);
  EXPECT_TRUE(failed(d, "technician.registered", "ghost"));
  EXPECT_TRUE(failed(d, "screening.valid", "ghost"));
  // A vendor's employee requests only for their own vendor.
  Decision other = denied(request_visit(state_, ctx(), "tech-b1", now(), preventive()));
  EXPECT_TRUE(failed(other, "requester.vendor"));
  // Auditors and analysts do not request access.
  EXPECT_TRUE(
      failed(denied(request_visit(state_, ctx(), "analyst-1", now(), preventive())), "actor.role"));
}

TEST_F(AccessTest, TheVendorMustHoldAContractCoveringTheAsset) {
  VisitDraft v = preventive("req-b", {"tech-b1"});
  v.asset = "scanner-2";
  Decision d = denied(request_visit(state_, ctx(), "tech-b1", now(), v));
  EXPECT_TRUE(failed(d, "contract.covers_asset"));
  EXPECT_NE(reason(d, "contract.covers_asset").find("has no maintenance contract listing"),
            std::string::npos);
  // A window after the contract ends.
  VisitDraft late = preventive("req-late");
  late.window = win("2027-01-04T08:00:00Z", "2027-01-04T10:00:00Z");
  Decision l = denied(request_visit(state_, ctx(), "tech-a1", now(), late));
  EXPECT_TRUE(failed(l, "contract.covers_asset"));
  EXPECT_NE(reason(l, "contract.covers_asset").find("runs [2026-01-01, 2027-01-01)"),
            std::string::npos);
}

TEST_F(AccessTest, PreventiveWindowMustLieInsideAContractWindowToTheMicrosecond) {
  VisitDraft v = preventive();
  v.window = win("2026-03-02T07:00:00Z", "2026-03-02T15:00:00Z");  // exactly the contract window
  ok(request_visit(state_, ctx(), "tech-a1", now(), v));
  VisitDraft over = preventive("req-2");
  over.window =
      domain::Window{t("2026-03-02T07:00:00Z"), plus_micros(t("2026-03-02T15:00:00Z"), 1)};
  EXPECT_TRUE(
      failed(denied(request_visit(state_, ctx(), "tech-a1", now(), over)), "contract.window"));
  // The next window is 91 days on.
  VisitDraft next = preventive("req-3");
  next.window = win("2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z");
  ok(request_visit(state_, ctx(), "tech-a1", now(), next));
}

TEST_F(AccessTest, ScreeningMustBeValidForTheWholeWindow) {
  // tech-a2's VOG is valid until 2026-03-03T00:00:00Z (exclusive expiry date).
  VisitDraft v = remote("rem-x");
  v.technicians = {"tech-a2"};
  v.window = win("2026-03-02T22:00:00Z", "2026-03-03T01:00:00Z");
  Decision d = denied(request_visit(state_, ctx(), "tech-a2", now(), v));
  EXPECT_TRUE(failed(d, "screening.valid", "tech-a2"));
  EXPECT_NE(reason(d, "screening.valid", "tech-a2")
                .find("expires at 2026-03-03T00:00:00.000000Z, before the window ends at "
                      "2026-03-03T01:00:00.000000Z"),
            std::string::npos);
  // A window ending exactly at expiry is covered; one microsecond later is not.
  v.window = win("2026-03-02T22:00:00Z", "2026-03-03T00:00:00Z");
  ok(request_visit(state_, ctx(), "tech-a2", now(), v));
  VisitDraft w = v;
  w.id = "rem-y";
  w.window.end = plus_micros(w.window.end, 1);
  EXPECT_TRUE(failed(denied(request_visit(state_, ctx(), "tech-a2", now(), w)), "screening.valid"));
}

TEST_F(AccessTest, ScreeningExpiringBeforeApprovalOfAnApprovedWindowIsCaughtAtApproval) {
  // Requested while valid; the register loses the screening before customs approves.
  VisitDraft v = remote("rem-x");
  v.technicians = {"tech-a2"};
  ok(request_visit(state_, ctx(), "tech-a2", now(), v));
  reg_.screenings.erase(reg_.screenings.begin() + 1);  // vog-a2
  Decision d = denied(approve(state_, ctx(), "operator-1", now(), "rem-x"));
  EXPECT_TRUE(failed(d, "screening.valid", "tech-a2"));
  EXPECT_NE(reason(d, "screening.valid", "tech-a2").find("no vog on record"), std::string::npos);
}

TEST_F(AccessTest, VgbIsRequiredWhereConfiguredPerSiteOrAssetAndSatisfiesVog) {
  screening_.by_site["port"] = domain::ScreeningKind::kVgb;  // covers terminal-1 below it
  Decision d = denied(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  EXPECT_TRUE(failed(d, "screening.valid", "tech-a1"));
  EXPECT_NE(reason(d, "screening.valid", "tech-a1").find("configured for site 'port'"),
            std::string::npos);
  ok(request_visit(state_, ctx(), "tech-a3", now(), preventive("req-3", {"tech-a3"})));
  screening_.by_site.clear();
  screening_.by_asset["scanner-1"] = domain::ScreeningKind::kVgb;
  EXPECT_TRUE(failed(denied(request_visit(state_, ctx(), "tech-a1", now(), preventive("req-4"))),
                     "screening.valid"));
}

TEST_F(AccessTest, WindowRulesAndTheRiskLevelsLimits) {
  VisitDraft v = remote("rem-x");
  v.window = win("2026-03-01T13:00:00Z", "2026-03-01T18:00:00Z");  // 300 min > 240 at medium
  Decision d = denied(request_visit(state_, ctx(), "tech-a1", now(), v));
  EXPECT_TRUE(failed(d, "window.risk_limits"));
  EXPECT_NE(reason(d, "window.risk_limits").find("300 min exceeds the limit of 240 min"),
            std::string::npos);
  VisitDraft past = remote("rem-p");
  past.window = win("2026-03-01T10:00:00Z", "2026-03-01T12:00:00Z");  // ends exactly now
  EXPECT_TRUE(
      failed(denied(request_visit(state_, ctx(), "tech-a1", now(), past)), "window.not_over"));
  VisitDraft backwards = remote("rem-b");
  backwards.window = win("2026-03-01T14:00:00Z", "2026-03-01T13:00:00Z");
  EXPECT_TRUE(
      failed(denied(request_visit(state_, ctx(), "tech-a1", now(), backwards)), "window.valid"));
}

TEST_F(AccessTest, UnassessedVendorIsTreatedAsVeryHighAndGetsNoRemoteAccess) {
  risk_.erase("vendor-a");
  Decision d = denied(request_visit(state_, ctx(), "tech-a1", now(), remote()));
  EXPECT_TRUE(failed(d, "remote.allowed"));
  EXPECT_NE(reason(d, "remote.allowed").find("very_high is suspended"), std::string::npos);
  EXPECT_NE(reason(d, "risk.level").find("fail closed"), std::string::npos);
}

TEST_F(AccessTest, RemoteRulesFaultCapabilityAndPolicy) {
  VisitDraft v = remote("rem-x");
  v.fault = "fault-old";  // resolved on 2026-01-01
  Decision d = denied(request_visit(state_, ctx(), "tech-a1", now(), v));
  EXPECT_TRUE(failed(d, "fault.open"));
  EXPECT_NE(reason(d, "fault.open").find("was resolved"), std::string::npos);
  v.fault.clear();
  EXPECT_TRUE(failed(denied(request_visit(state_, ctx(), "tech-a1", now(), v)), "fault.open"));
  // A scanner that cannot be maintained remotely and that no policy covers.
  VisitDraft b = remote("rem-b");
  b.technicians = {"tech-b1"};
  b.asset = "scanner-2";
  b.fault.clear();
  Decision db = denied(request_visit(state_, ctx(), "tech-b1", now(), b));
  EXPECT_TRUE(failed(db, "remote.asset_capable"));
  EXPECT_TRUE(failed(db, "remote.policy"));
  EXPECT_NE(reason(db, "remote.policy").find("no remote-access policy"), std::string::npos);
}

TEST_F(AccessTest, CorrectiveVisitNeedsAPermitForThatAssetPersonAndWindowIssuedByTheTerminal) {
  VisitDraft v;
  v.id = "corr-x";
  v.kind = RequestKind::kCorrective;
  v.technicians = {"tech-a1", "tech-a3"};
  v.asset = "scanner-1";
  v.window = win("2026-03-01T14:00:00Z", "2026-03-01T17:00:00Z");
  EXPECT_TRUE(failed(denied(request_visit(state_, ctx(), "tech-a1", now(), v)), "permit.exists"));
  // A permit issued by another terminal's staff, naming only tech-a1, ending before the window.
  domain::WorkPermit p;
  p.id = "permit-x";
  p.asset = "scanner-1";
  p.people = {"tech-a1"};
  p.window = win("2026-03-01T13:00:00Z", "2026-03-01T16:00:00Z");
  p.requested_by = "tech-a1";
  p.issued_by = "staff-x";
  p.state = domain::PermitState::kIssued;
  state_.permits[p.id] = p;
  v.permit = "permit-x";
  Decision d = denied(request_visit(state_, ctx(), "tech-a1", now(), v));
  EXPECT_TRUE(failed(d, "permit.issuer"));
  EXPECT_NE(reason(d, "permit.issuer").find("not terminal staff of 'terminal-op'"),
            std::string::npos);
  EXPECT_TRUE(failed(d, "permit.names_person", "tech-a3"));
  EXPECT_TRUE(failed(d, "permit.window"));
  EXPECT_FALSE(failed(d, "permit.names_person", "tech-a1"));
  // The other terminal's staff cannot approve or issue a permit for this terminal's scanner.
  PermitDraft pd{"permit-y", "scanner-1", "", {"tech-a1"}, p.window, "x"};
  ok(request_permit(state_, ctx(), "tech-a1", now(), pd));
  EXPECT_TRUE(failed(denied(approve_permit(state_, ctx(), "staff-x", now(), "permit-y")),
                     "actor.terminal_staff"));
  // A requested permit is not yet a permit to work.
  v.permit = "permit-y";
  v.technicians = {"tech-a1"};
  v.window = win("2026-03-01T13:00:00Z", "2026-03-01T14:00:00Z");
  Decision r = denied(request_visit(state_, ctx(), "tech-a1", now(), v));
  EXPECT_TRUE(failed(r, "permit.state"));
  EXPECT_NE(reason(r, "permit.state").find("permit is requested"), std::string::npos);
}

TEST_F(AccessTest, ServerRoomEntryRefusedByPolicyIsExplained) {
  policy_.levels[1].server_room = domain::RoomEntry::kRefused;
  VisitDraft v;
  v.id = "room-x";
  v.kind = RequestKind::kServerRoom;
  v.technicians = {"tech-a1"};
  v.room = "control-room";  // not a server room either
  v.window = win("2026-03-01T13:00:00Z", "2026-03-01T17:00:00Z");
  Decision d = denied(request_visit(state_, ctx(), "tech-a1", now(), v));
  EXPECT_TRUE(failed(d, "window.risk_limits"));
  EXPECT_NE(reason(d, "window.risk_limits").find("is refused"), std::string::npos);
  EXPECT_TRUE(failed(d, "room.exists"));
  EXPECT_NE(reason(d, "room.exists").find("not a server room"), std::string::npos);
}

TEST_F(AccessTest, FrozenAssetBlocksApprovalOfAnEarlierRequest) {
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  ok(freeze_asset(state_, ctx(), "security-1", now(), "scanner-1", "forensics"));
  EXPECT_TRUE(
      failed(denied(approve(state_, ctx(), "operator-1", now(), "req-1")), "asset.not_frozen"));
  ok(unfreeze_asset(state_, ctx(), "security-1", now(), "scanner-1", "clean"));
  ok(approve(state_, ctx(), "operator-1", now(), "req-1"));
}

TEST_F(AccessTest, CommandsOnUnknownRecordsAreDeniedNotCrashed) {
  EXPECT_TRUE(
      failed(denied(approve(state_, ctx(), "operator-1", now(), "nope")), "request.exists"));
  EXPECT_TRUE(
      failed(denied(revoke(state_, ctx(), "operator-1", now(), "nope", "x")), "grant.exists"));
  EXPECT_TRUE(
      failed(denied(issue_permit(state_, ctx(), "staff-1", now(), "nope")), "permit.exists"));
  EXPECT_TRUE(
      failed(denied(resume(state_, ctx(), "operator-1", now(), "nope", "x")), "suspension.exists"));
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  EXPECT_TRUE(
      failed(denied(request_visit(state_, ctx(), "tech-a1", now(), preventive())), "request.id"));
}

}  // namespace
}  // namespace pw::access::testing
