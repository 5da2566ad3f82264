// Each lifecycle of issue 5 end to end on the small register: preventive visit, corrective visit
// under a work permit, server-room entry, remote session; extension, handover, close, replay.

#include <gtest/gtest.h>

#include "access/engine.h"
#include "access/index.h"
#include "access/state.h"
#include "fixtures.h"

namespace pw::access::testing {
namespace {

TEST_F(AccessTest, PreventiveVisitIsRequestedApprovedAndGrantedForTheContractWindow) {
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  EXPECT_EQ(state_.request("req-1")->state, domain::RequestState::kRequested);
  EXPECT_EQ(state_.request("req-1")->vendor, "vendor-a");
  EXPECT_TRUE(state_.grants.empty());

  auto o = approve(state_, ctx(), "operator-1", now(), "req-1", "ok");
  ASSERT_TRUE(o) << o.error().summary();
  // Medium risk: one customs operator completes the quorum; one onsite grant per technician.
  ASSERT_EQ(o->events.size(), 2u);
  EXPECT_EQ(o->events[0].type, domain::kAccessApproved);
  EXPECT_TRUE(o->events[0].payload["complete"].get<bool>());
  EXPECT_EQ(o->events[1].type, domain::kAccessGrantIssued);
  ok(o);
  ASSERT_EQ(state_.grants.size(), 1u);
  const domain::Grant& g = state_.grants.begin()->second;
  EXPECT_EQ(g.id, "req-1#1");
  EXPECT_EQ(g.person, "tech-a1");
  EXPECT_EQ(g.mode, GrantMode::kOnsite);
  EXPECT_EQ(g.window, preventive().window);
  EXPECT_FALSE(g.escorted);  // medium: on-site visits need no escort
  EXPECT_EQ(state_.request("req-1")->state, domain::RequestState::kApproved);

  // The window starts in the future: the check denies until the exact instant it starts, and
  // from the exact instant it ends.
  AccessIndex ix = AccessIndex::build(state_);
  const auto start = t("2026-03-02T08:00:00Z");
  const auto end = t("2026-03-02T12:00:00Z");
  EXPECT_FALSE(ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, plus_micros(start, -1)).allow);
  EXPECT_TRUE(ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, start).allow);
  EXPECT_TRUE(ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, plus_micros(end, -1)).allow);
  CheckResult at_end = ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, end);
  EXPECT_FALSE(at_end.allow);
  EXPECT_NE(at_end.reasons.at(0).find("ended at 2026-03-02T12:00:00"), std::string::npos);
  // Not for another mode, person or asset.
  EXPECT_FALSE(ix.check("tech-a1", "scanner-1", GrantMode::kRemote, start).allow);
  EXPECT_FALSE(ix.check("tech-a2", "scanner-1", GrantMode::kOnsite, start).allow);
  EXPECT_FALSE(ix.check("tech-a1", "scanner-2", GrantMode::kOnsite, start).allow);
}

TEST_F(AccessTest, VeryHighRiskVisitNeedsOperatorAndSecurityOfficerAndIsEscorted) {
  risk_.erase("vendor-a");  // no assessment: very_high (fail closed)
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  auto first = approve(state_, ctx(), "operator-1", now(), "req-1");
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->events[0].payload["complete"].get<bool>());
  EXPECT_EQ(first->events.size(), 1u);  // no grant yet
  ok(first);
  ok(approve(state_, ctx(), "security-1", now(), "req-1"));
  ASSERT_EQ(state_.grants.size(), 1u);
  EXPECT_TRUE(state_.grants.begin()->second.escorted);
}

TEST_F(AccessTest, CorrectiveVisitRunsUnderTheTerminalsWorkPermit) {
  PermitDraft pd{"permit-1",
                 "scanner-1",
                 "fault-1",
                 {"tech-a1"},
                 win("2026-03-01T13:00:00Z", "2026-03-01T18:00:00Z"),
                 "detector fault"};
  ok(request_permit(state_, ctx(), "tech-a1", now(), pd));
  EXPECT_EQ(state_.permit("permit-1")->state, domain::PermitState::kRequested);
  // Issuing before approval is refused.
  Decision early = denied(issue_permit(state_, ctx(), "staff-1", now(), "permit-1"));
  EXPECT_TRUE(failed(early, "permit.state"));
  ok(approve_permit(state_, ctx(), "staff-1", now(), "permit-1"));
  EXPECT_EQ(state_.permit("permit-1")->state, domain::PermitState::kApproved);
  ok(issue_permit(state_, ctx(), "staff-2", now(), "permit-1"));
  EXPECT_EQ(state_.permit("permit-1")->state, domain::PermitState::kIssued);
  EXPECT_EQ(state_.permit("permit-1")->issued_by, "staff-2");

  VisitDraft v;
  v.id = "corr-1";
  v.kind = RequestKind::kCorrective;
  v.technicians = {"tech-a1"};
  v.asset = "scanner-1";
  v.permit = "permit-1";
  v.window = win("2026-03-01T14:00:00Z", "2026-03-01T17:00:00Z");
  ok(request_visit(state_, ctx(), "tech-a1", now(), v));
  EXPECT_EQ(state_.request("corr-1")->fault, "fault-1");  // taken from the permit
  auto o = approve(state_, ctx(), "operator-1", now(), "corr-1");
  ASSERT_TRUE(o) << o.error().summary();
  EXPECT_EQ(o->events.back().type, domain::kAccessPermitActivated);
  ok(o);
  EXPECT_EQ(state_.permit("permit-1")->state, domain::PermitState::kActive);
  ASSERT_EQ(state_.grants.size(), 1u);

  // The terminal suspends the permit: the grant fails every check until it is resumed.
  AccessIndex ix = AccessIndex::build(state_);
  const auto mid = t("2026-03-01T15:00:00Z");
  EXPECT_TRUE(ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, mid).allow);
  auto sp = suspend_permit(state_, ctx(), "staff-1", mid, "permit-1", "crane work nearby");
  ok(sp);
  for (const Event& e : sp->events) ASSERT_TRUE(ix.apply(e));
  CheckResult r = ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, mid);
  EXPECT_FALSE(r.allow);
  EXPECT_NE(r.reasons.at(0).find("permit 'permit-1' is suspended"), std::string::npos);
  EXPECT_EQ(effective_state(state_, state_.grants.begin()->second, mid),
            domain::GrantState::kSuspended);
  auto rp = resume_permit(state_, ctx(), "operator-1", mid, "permit-1");
  ok(rp);
  for (const Event& e : rp->events) ASSERT_TRUE(ix.apply(e));
  EXPECT_EQ(state_.permit("permit-1")->state, domain::PermitState::kActive);
  EXPECT_TRUE(ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, mid).allow);

  // Closing the permit closes the grants resting on it.
  auto cp = close_permit(state_, ctx(), "staff-1", t("2026-03-01T16:00:00Z"), "permit-1", "fixed");
  ok(cp);
  EXPECT_EQ(state_.permit("permit-1")->state, domain::PermitState::kClosed);
  EXPECT_EQ(state_.grants.begin()->second.state, domain::GrantState::kClosed);
}

TEST_F(AccessTest, PermitExtensionNeedsTheTerminalsApprovalAgain) {
  PermitDraft pd{"permit-1",
                 "scanner-1",
                 "fault-1",
                 {"tech-a1"},
                 win("2026-03-01T13:00:00Z", "2026-03-01T18:00:00Z"),
                 "fault"};
  ok(request_permit(state_, ctx(), "staff-1", now(), pd));
  ok(approve_permit(state_, ctx(), "staff-2", now(), "permit-1"));
  ok(issue_permit(state_, ctx(), "staff-2", now(), "permit-1"));
  ok(extend_permit(state_, ctx(), "tech-a1", now(), "permit-1", t("2026-03-01T20:00:00Z"),
                   "parts late"));
  EXPECT_EQ(state_.permit("permit-1")->state, domain::PermitState::kExtended);
  EXPECT_EQ(state_.permit("permit-1")->window.end, t("2026-03-01T18:00:00Z"));
  // The requester cannot approve their own permit's extension.
  Decision d = denied(approve_permit(state_, ctx(), "staff-1", now(), "permit-1"));
  EXPECT_TRUE(failed(d, "approver.not_requester"));
  auto o = approve_permit(state_, ctx(), "staff-2", now(), "permit-1");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->events[0].type, domain::kAccessPermitExtended);
  ok(o);
  EXPECT_EQ(state_.permit("permit-1")->state, domain::PermitState::kIssued);
  EXPECT_EQ(state_.permit("permit-1")->window.end, t("2026-03-01T20:00:00Z"));
}

TEST_F(AccessTest, ServerRoomEntryIsACheckInByTheSystemOperatorUntilCheckOutOrWindowEnd) {
  risk_["vendor-a"] = RiskLevel::kHigh;
  VisitDraft v;
  v.id = "room-1";
  v.kind = RequestKind::kServerRoom;
  v.technicians = {"tech-a1"};
  v.room = "server-room";
  v.window = win("2026-03-01T13:00:00Z", "2026-03-01T17:00:00Z");
  ok(request_visit(state_, ctx(), "tech-a1", now(), v));
  ok(approve(state_, ctx(), "operator-1", now(), "room-1"));
  ok(approve(state_, ctx(), "security-1", now(), "room-1"));
  EXPECT_TRUE(state_.grants.empty());  // the grant comes at check-in

  // Reporting before the window opens is refused; a security officer is not the system operator.
  Decision early = denied(check_in(state_, ctx(), "operator-2", now(), "room-1", "tech-a1"));
  EXPECT_TRUE(failed(early, "window.now"));
  const auto arrive = t("2026-03-01T13:30:00Z");
  Decision wrong = denied(check_in(state_, ctx(), "security-1", arrive, "room-1", "tech-a1"));
  EXPECT_TRUE(failed(wrong, "actor.role"));

  auto in = check_in(state_, ctx(), "operator-2", arrive, "room-1", "tech-a1");
  ASSERT_TRUE(in) << in.error().summary();
  EXPECT_EQ(in->events[0].type, domain::kAccessCheckedIn);
  ok(in);
  const domain::Grant g = state_.grants.begin()->second;
  EXPECT_EQ(g.mode, GrantMode::kServerRoom);
  EXPECT_EQ(g.room, "server-room");
  EXPECT_EQ(g.window, (domain::Window{arrive, t("2026-03-01T17:00:00Z")}));
  EXPECT_TRUE(g.escorted);  // high risk: escorted
  // Checked in once at a time.
  Decision twice = denied(check_in(state_, ctx(), "operator-1", arrive, "room-1", "tech-a1"));
  EXPECT_TRUE(failed(twice, "grant.not_checked_in"));

  AccessIndex ix = AccessIndex::build(state_);
  EXPECT_TRUE(ix.check("tech-a1", "server-room", GrantMode::kServerRoom, arrive).allow);
  const auto leave = t("2026-03-01T15:00:00Z");
  auto out = check_out(state_, ctx(), "operator-1", leave, g.id);
  ok(out);
  for (const Event& e : out->events) ASSERT_TRUE(ix.apply(e));
  EXPECT_FALSE(ix.check("tech-a1", "server-room", GrantMode::kServerRoom, leave).allow);
  EXPECT_EQ(*state_.grant(g.id)->ended_at, leave);
}

TEST_F(AccessTest, AVisitToAServerInTheServerRoomAlsoAllowsCheckIn) {
  VisitDraft v = preventive("req-srv");
  v.asset = "srv-a";
  ok(request_visit(state_, ctx(), "tech-a1", now(), v));
  ok(approve(state_, ctx(), "operator-1", now(), "req-srv"));
  ok(check_in(state_, ctx(), "operator-1", t("2026-03-02T09:00:00Z"), "req-srv", "tech-a1"));
  const domain::Grant* g = state_.grant("req-srv#2");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->room, "server-room");
  EXPECT_FALSE(g->escorted);  // medium: unescorted
}

TEST_F(AccessTest, RemoteSessionAtHighRiskNeedsOperatorAndSecurityOfficerAndIsSupervised) {
  risk_["vendor-a"] = RiskLevel::kHigh;
  ok(request_visit(state_, ctx(), "tech-a1", now(), remote()));
  // A second operator does not complete a quorum that needs a security officer.
  ok(approve(state_, ctx(), "operator-1", now(), "rem-1"));
  Decision d = denied(approve(state_, ctx(), "operator-2", now(), "rem-1"));
  EXPECT_TRUE(failed(d, "approver.role"));
  EXPECT_NE(reason(d, "approver.role").find("security_officer"), std::string::npos);
  // Nor does the same operator twice.
  Decision again = denied(approve(state_, ctx(), "operator-1", now(), "rem-1"));
  EXPECT_TRUE(failed(again, "approver.not_twice"));
  EXPECT_TRUE(state_.grants.empty());
  ok(approve(state_, ctx(), "security-1", now(), "rem-1"));
  ASSERT_EQ(state_.grants.size(), 1u);
  const domain::Grant& g = state_.grants.begin()->second;
  EXPECT_EQ(g.mode, GrantMode::kRemote);
  EXPECT_TRUE(g.supervised);  // high: supervised, though the register's policy is not
  EXPECT_TRUE(g.recorded);
  EXPECT_EQ(g.max_session_minutes, 240);  // min(policy 480, high 240)
  AccessIndex ix = AccessIndex::build(state_);
  CheckResult r = ix.check("tech-a1", "scanner-1", GrantMode::kRemote, t("2026-03-01T13:00:00Z"));
  EXPECT_TRUE(r.allow);
  EXPECT_EQ(r.grant, g.id);
  EXPECT_EQ(*r.grant_end, t("2026-03-01T15:00:00Z"));
  EXPECT_TRUE(r.supervised);
}

TEST_F(AccessTest, RemoteSessionAtLowRiskNeedsOneOperator) {
  risk_["vendor-a"] = RiskLevel::kLow;
  ok(request_visit(state_, ctx(), "tech-a1", now(), remote()));
  ok(approve(state_, ctx(), "operator-1", now(), "rem-1"));
  ASSERT_EQ(state_.grants.size(), 1u);
  EXPECT_FALSE(state_.grants.begin()->second.supervised);
  EXPECT_EQ(state_.grants.begin()->second.max_session_minutes, 480);
}

TEST_F(AccessTest, ExtensionNeedsTheQuorumAgainAndOnlyThenMovesTheGrantsEnd) {
  risk_["vendor-a"] = RiskLevel::kHigh;
  ok(request_visit(state_, ctx(), "tech-a1", now(), remote()));
  ok(approve(state_, ctx(), "operator-1", now(), "rem-1"));
  ok(approve(state_, ctx(), "security-1", now(), "rem-1"));
  const auto during = t("2026-03-01T14:00:00Z");
  // Customs staff do not ask for extensions; the technician does.
  EXPECT_TRUE(failed(denied(extend(state_, ctx(), "operator-1", during, "rem-1",
                                   t("2026-03-01T16:00:00Z"), "more time")),
                     "actor.role"));
  // Beyond the risk level's 240 minutes: refused with the limit in the reason.
  Decision too_long =
      denied(extend(state_, ctx(), "tech-a1", during, "rem-1", t("2026-03-01T17:30:00Z"), "more"));
  EXPECT_TRUE(failed(too_long, "window.risk_limits"));
  EXPECT_NE(reason(too_long, "window.risk_limits").find("270 min exceeds"), std::string::npos);

  ok(extend(state_, ctx(), "tech-a1", during, "rem-1", t("2026-03-01T16:00:00Z"), "more time"));
  EXPECT_EQ(state_.request("rem-1")->round, 2);
  // Until the new round's quorum approves, the grant keeps its old end.
  EXPECT_EQ(state_.grants.begin()->second.window.end, t("2026-03-01T15:00:00Z"));
  ok(approve(state_, ctx(), "operator-2", during, "rem-1"));  // any operator fills round 2
  EXPECT_EQ(state_.grants.begin()->second.window.end, t("2026-03-01T15:00:00Z"));
  auto o = approve(state_, ctx(), "security-1", during, "rem-1");
  ASSERT_TRUE(o) << o.error().summary();
  EXPECT_EQ(o->events.back().type, domain::kAccessGrantExtended);
  ok(o);
  EXPECT_EQ(state_.grants.begin()->second.window.end, t("2026-03-01T16:00:00Z"));
  EXPECT_EQ(state_.request("rem-1")->window.end, t("2026-03-01T16:00:00Z"));
  EXPECT_FALSE(state_.request("rem-1")->extension_end.has_value());
}

TEST_F(AccessTest, DeniedExtensionKeepsTheApprovedWindow) {
  ok(request_visit(state_, ctx(), "tech-a1", now(), remote()));
  ok(approve(state_, ctx(), "operator-1", now(), "rem-1"));
  ok(extend(state_, ctx(), "tech-a1", now(), "rem-1", t("2026-03-01T16:00:00Z"), "more"));
  ok(deny(state_, ctx(), "operator-2", now(), "rem-1", "not needed"));
  EXPECT_EQ(state_.request("rem-1")->state, domain::RequestState::kApproved);
  EXPECT_EQ(state_.request("rem-1")->window.end, t("2026-03-01T15:00:00Z"));
  EXPECT_EQ(state_.grants.begin()->second.state, domain::GrantState::kActive);
}

TEST_F(AccessTest, HandOverClosesTheOldGrantAndOpensOneForTheOtherTechnician) {
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  ok(approve(state_, ctx(), "operator-1", now(), "req-1"));
  const auto at = t("2026-03-02T10:00:00Z");
  // tech-b1 works for another vendor: refused, with the reason.
  Decision d = denied(hand_over(state_, ctx(), "operator-1", at, "req-1#1", "tech-b1", "shift"));
  EXPECT_TRUE(failed(d, "technician.vendor", "tech-b1"));
  // Before the grant starts there is nothing to hand over.
  EXPECT_TRUE(
      failed(denied(hand_over(state_, ctx(), "operator-1", now(), "req-1#1", "tech-a3", "shift")),
             "grant.started"));
  auto o = hand_over(state_, ctx(), "operator-1", at, "req-1#1", "tech-a3", "shift change");
  ASSERT_TRUE(o) << o.error().summary();
  ok(o);
  const domain::Grant* old = state_.grant("req-1#1");
  const domain::Grant* fresh = state_.grant("req-1#2");
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(old->state, domain::GrantState::kClosed);
  EXPECT_EQ(*old->ended_at, at);
  EXPECT_EQ(fresh->person, "tech-a3");
  EXPECT_EQ(fresh->handed_over_from, "req-1#1");
  EXPECT_EQ(fresh->window, (domain::Window{at, t("2026-03-02T12:00:00Z")}));
  AccessIndex ix = AccessIndex::build(state_);
  EXPECT_FALSE(ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, at).allow);
  EXPECT_TRUE(ix.check("tech-a3", "scanner-1", GrantMode::kOnsite, at).allow);
  EXPECT_TRUE(ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, plus_micros(at, -1)).allow);
}

TEST_F(AccessTest, CloseRevokeCancelAndExpire) {
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive("req-1", {"tech-a1", "tech-a3"})));
  ok(approve(state_, ctx(), "operator-1", now(), "req-1"));
  ASSERT_EQ(state_.grants.size(), 2u);
  const auto at = t("2026-03-02T09:00:00Z");
  // A technician closes their own grant, not a colleague's.
  EXPECT_TRUE(failed(denied(close(state_, ctx(), "tech-a1", at, "req-1#2", "done")), "actor.role"));
  ok(close(state_, ctx(), "tech-a1", at, "req-1#1", "done"));
  EXPECT_EQ(state_.grant("req-1#1")->state, domain::GrantState::kClosed);
  // Revoking needs customs staff not of the vendor, and a reason.
  Decision d = denied(revoke(state_, ctx(), "rogue-op", at, "req-1#2", ""));
  EXPECT_TRUE(failed(d, "actor.not_vendor"));
  EXPECT_TRUE(failed(d, "decision.reason"));
  ok(revoke(state_, ctx(), "security-1", at, "req-1#2", "camera shows unexpected cabling"));
  EXPECT_EQ(state_.grant("req-1#2")->state, domain::GrantState::kRevoked);
  // A second request, cancelled before approval.
  VisitDraft v = preventive("req-2");
  ok(request_visit(state_, ctx(), "tech-a1", now(), v));
  ok(cancel(state_, ctx(), "tech-a1", now(), "req-2", "not needed"));
  EXPECT_EQ(state_.request("req-2")->state, domain::RequestState::kCancelled);
  // Expiry sweep: a third grant running to its end.
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive("req-3")));
  ok(approve(state_, ctx(), "operator-2", now(), "req-3"));
  Change c = expire(state_, t("2026-03-02T12:00:00Z"));
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].type, domain::kAccessGrantExpired);
  state_ = c.state;
  journal_.insert(journal_.end(), c.events.begin(), c.events.end());
  EXPECT_EQ(state_.grant("req-3#1")->state, domain::GrantState::kExpired);
}

TEST_F(AccessTest, ReplayingTheEventsRebuildsTheStateAndIndexesAgree) {
  risk_["vendor-a"] = RiskLevel::kHigh;
  ok(request_visit(state_, ctx(), "tech-a1", now(), remote()));
  ok(approve(state_, ctx(), "operator-1", now(), "rem-1"));
  ok(approve(state_, ctx(), "security-1", now(), "rem-1"));
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  ok(approve(state_, ctx(), "operator-1", now(), "req-1"));
  ok(approve(state_, ctx(), "security-1", now(), "req-1"));
  ok(hand_over(state_, ctx(), "operator-2", t("2026-03-02T09:00:00Z"), "req-1#1", "tech-a3", "x"));
  SuspensionDraft sd{"s-1",           domain::SuspensionScope::kVendor,
                     "vendor-a",      {GrantMode::kRemote},
                     "audit finding", std::nullopt,
                     std::nullopt};
  ok(suspend(state_, ctx(), "security-1", now(), sd));
  ok(freeze_asset(state_, ctx(), "security-1", now(), "scanner-1", "suspected tampering"));
  ok(unfreeze_asset(state_, ctx(), "security-1", now(), "scanner-1", "cleared"));
  ok(resume(state_, ctx(), "operator-1", t("2026-03-01T14:00:00Z"), "s-1", "finding closed"));

  AccessState replayed;
  AccessIndex incremental;
  for (const Event& e : journal_) {
    ASSERT_TRUE(apply_event(replayed, e)) << e.type;
    ASSERT_TRUE(incremental.apply(e)) << e.type;
  }
  EXPECT_EQ(replayed, state_);
  const AccessIndex built = AccessIndex::build(state_);
  for (const char* when : {"2026-03-01T12:30:00Z", "2026-03-01T13:30:00Z", "2026-03-01T14:30:00Z",
                           "2026-03-02T08:30:00Z", "2026-03-02T09:30:00Z"}) {
    for (const char* who : {"tech-a1", "tech-a3"}) {
      for (GrantMode m : {GrantMode::kOnsite, GrantMode::kRemote}) {
        CheckResult a = built.check(who, "scanner-1", m, t(when));
        CheckResult b = incremental.check(who, "scanner-1", m, t(when));
        EXPECT_EQ(a.allow, b.allow) << who << " " << when;
        EXPECT_EQ(a.reasons, b.reasons) << who << " " << when;
      }
    }
  }
}

}  // namespace
}  // namespace pw::access::testing
