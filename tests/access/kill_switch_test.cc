// The kill switch (Q10): suspensions of a vendor, a person or a grant block new grants at once
// and fail every access check from their exact first instant to their exact end.

#include <gtest/gtest.h>

#include "access/engine.h"
#include "access/index.h"
#include "fixtures.h"

namespace pw::access::testing {
namespace {

using domain::SuspensionScope;

class KillSwitchTest : public AccessTest {
 protected:
  // A running remote grant rem-1#1 for tech-a1 on scanner-1, 13:00-15:00.
  void SetUp() override {
    ok(request_visit(state_, ctx(), "tech-a1", now(), remote()));
    ok(approve(state_, ctx(), "operator-1", now(), "rem-1"));
  }
  static SuspensionDraft draft(std::string id, SuspensionScope scope, std::string subject,
                               std::vector<GrantMode> modes = {}) {
    return SuspensionDraft{std::move(id), scope,        std::move(subject), std::move(modes),
                           "kill switch", std::nullopt, std::nullopt};
  }
};

TEST_F(KillSwitchTest, VendorSuspensionBlocksNewGrantsAtOnce) {
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  auto o = suspend(state_, ctx(), "security-1", now(),
                   draft("s-1", SuspensionScope::kVendor, "vendor-a"));
  ASSERT_TRUE(o) << o.error().summary();
  EXPECT_EQ(o->events[0].type, domain::kAccessSuspended);
  // The event names the grants it cuts, for the gateways.
  EXPECT_EQ(o->events[0].payload["affected_grants"], nlohmann::json::array({"rem-1#1"}));
  ok(o);
  Decision d = denied(approve(state_, ctx(), "operator-1", now(), "req-1"));
  EXPECT_TRUE(failed(d, "vendor.not_suspended", "vendor-a"));
  EXPECT_NE(reason(d, "vendor.not_suspended").find("suspended by 's-1'"), std::string::npos);
  EXPECT_TRUE(failed(denied(request_visit(state_, ctx(), "tech-a1", now(), remote("rem-2"))),
                     "vendor.not_suspended"));
  AccessIndex ix = AccessIndex::build(state_);
  CheckResult r = ix.check("tech-a1", "scanner-1", GrantMode::kRemote, t("2026-03-01T13:30:00Z"));
  EXPECT_FALSE(r.allow);
  EXPECT_NE(r.reasons.at(0).find("vendor 'vendor-a' suspended by 's-1'"), std::string::npos);
}

TEST_F(KillSwitchTest, SuspensionTakesEffectAtItsExactInstantsAndResumeLiftsIt) {
  const auto from = t("2026-03-01T13:30:00Z");
  const auto until = t("2026-03-01T14:00:00Z");
  SuspensionDraft sd = draft("s-1", SuspensionScope::kVendor, "vendor-a", {GrantMode::kRemote});
  sd.from = from;
  sd.until = until;
  ok(suspend(state_, ctx(), "operator-2", now(), sd));
  AccessIndex ix = AccessIndex::build(state_);
  auto remote_at = [&](core::Timestamp x) {
    return ix.check("tech-a1", "scanner-1", GrantMode::kRemote, x).allow;
  };
  EXPECT_TRUE(remote_at(plus_micros(from, -1)));
  EXPECT_FALSE(remote_at(from));
  EXPECT_FALSE(remote_at(plus_micros(until, -1)));
  EXPECT_TRUE(remote_at(until));
  EXPECT_EQ(effective_state(state_, *state_.grant("rem-1#1"), from),
            domain::GrantState::kSuspended);
  EXPECT_EQ(effective_state(state_, *state_.grant("rem-1#1"), until), domain::GrantState::kActive);

  // A scheduled suspension that overlaps a requested window blocks the request now.
  VisitDraft v = remote("rem-2");
  v.window = win("2026-03-01T12:30:00Z", "2026-03-01T13:45:00Z");
  EXPECT_TRUE(
      failed(denied(request_visit(state_, ctx(), "tech-a1", now(), v)), "vendor.not_suspended"));
  // One that ends before the window starts does not.
  v.window = win("2026-03-01T14:00:00Z", "2026-03-01T14:30:00Z");
  ok(request_visit(state_, ctx(), "tech-a1", now(), v));

  // Resumed early at 13:40: allowed again from that instant.
  const auto lift = t("2026-03-01T13:40:00Z");
  auto r = resume(state_, ctx(), "security-1", lift, "s-1", "false alarm");
  ok(r);
  for (const Event& e : r->events) ASSERT_TRUE(ix.apply(e));
  EXPECT_FALSE(remote_at(plus_micros(lift, -1)));
  EXPECT_TRUE(remote_at(lift));
  EXPECT_TRUE(
      failed(denied(resume(state_, ctx(), "security-1", t("2026-03-01T14:00:00Z"), "s-1", "again")),
             "suspension.state"));
}

TEST_F(KillSwitchTest, RemoteOnlySuspensionLeavesOnSiteRepairsOpen) {
  ok(suspend(state_, ctx(), "security-1", now(),
             draft("s-remote", SuspensionScope::kVendor, "vendor-a", {GrantMode::kRemote})));
  EXPECT_TRUE(failed(denied(request_visit(state_, ctx(), "tech-a1", now(), remote("rem-2"))),
                     "vendor.not_suspended"));
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  ok(approve(state_, ctx(), "operator-1", now(), "req-1"));
  AccessIndex ix = AccessIndex::build(state_);
  EXPECT_TRUE(
      ix.check("tech-a1", "scanner-1", GrantMode::kOnsite, t("2026-03-02T09:00:00Z")).allow);
  EXPECT_FALSE(
      ix.check("tech-a1", "scanner-1", GrantMode::kRemote, t("2026-03-01T13:00:00Z")).allow);
}

TEST_F(KillSwitchTest, PersonAndGrantSuspensions) {
  ok(suspend(state_, ctx(), "security-1", now(),
             draft("s-grant", SuspensionScope::kGrant, "rem-1#1")));
  AccessIndex ix = AccessIndex::build(state_);
  CheckResult r = ix.check("tech-a1", "scanner-1", GrantMode::kRemote, t("2026-03-01T13:00:00Z"));
  EXPECT_FALSE(r.allow);
  EXPECT_NE(r.reasons.at(0).find("grant 'rem-1#1' suspended by 's-grant'"), std::string::npos);
  // A grant suspension does not stop the person's other requests; a person suspension does.
  ok(request_visit(state_, ctx(), "tech-a1", now(), preventive()));
  ok(suspend(state_, ctx(), "security-1", now(),
             draft("s-person", SuspensionScope::kPerson, "tech-a1")));
  Decision d = denied(approve(state_, ctx(), "operator-1", now(), "req-1"));
  EXPECT_TRUE(failed(d, "person.not_suspended", "tech-a1"));
  EXPECT_FALSE(failed(d, "vendor.not_suspended"));
  // A colleague of the same vendor is not affected.
  ok(request_visit(state_, ctx(), "tech-a3", now(), preventive("req-3", {"tech-a3"})));
  ok(approve(state_, ctx(), "operator-1", now(), "req-3"));
}

TEST_F(KillSwitchTest, OnlyCustomsStaffNotOfTheVendorPullTheSwitchAndNotRetroactively) {
  SuspensionDraft sd = draft("s-1", SuspensionScope::kVendor, "vendor-a");
  EXPECT_TRUE(failed(denied(suspend(state_, ctx(), "analyst-1", now(), sd)), "actor.role"));
  EXPECT_TRUE(failed(denied(suspend(state_, ctx(), "rogue-op", now(), sd)), "actor.not_vendor"));
  sd.from = plus_micros(now(), -1);
  EXPECT_TRUE(failed(denied(suspend(state_, ctx(), "security-1", now(), sd)), "suspension.from"));
  sd.from.reset();
  sd.reason.clear();
  EXPECT_TRUE(failed(denied(suspend(state_, ctx(), "security-1", now(), sd)), "decision.reason"));
  SuspensionDraft unknown = draft("s-2", SuspensionScope::kVendor, "douane");  // not a vendor
  EXPECT_TRUE(
      failed(denied(suspend(state_, ctx(), "security-1", now(), unknown)), "suspension.subject"));
}

TEST_F(KillSwitchTest, AFrozenAssetFailsEveryCheckFromTheFreezeOn) {
  const auto at = t("2026-03-01T13:30:00Z");
  auto o = freeze_asset(state_, ctx(), "security-1", at, "scanner-1", "seal broken");
  ok(o);
  EXPECT_EQ(o->events[0].payload["affected_grants"], nlohmann::json::array({"rem-1#1"}));
  AccessIndex ix = AccessIndex::build(state_);
  EXPECT_TRUE(ix.check("tech-a1", "scanner-1", GrantMode::kRemote, plus_micros(at, -1)).allow);
  CheckResult r = ix.check("tech-a1", "scanner-1", GrantMode::kRemote, at);
  EXPECT_FALSE(r.allow);
  EXPECT_NE(r.reasons.at(0).find("seal broken"), std::string::npos);
}

TEST_F(KillSwitchTest, UnknownSubjectsAreDeniedByDefault) {
  AccessIndex ix = AccessIndex::build(state_);
  CheckResult r = ix.check("stranger", "scanner-1", GrantMode::kRemote, t("2026-03-01T13:00:00Z"));
  EXPECT_FALSE(r.allow);
  EXPECT_NE(r.reasons.at(0).find("deny by default"), std::string::npos);
  EXPECT_FALSE(ix.check("tech-a1", "nope", GrantMode::kRemote, t("2026-03-01T13:00:00Z")).allow);
  EXPECT_FALSE(AccessIndex{}.check("tech-a1", "scanner-1", GrantMode::kRemote, now()).allow);
}

}  // namespace
}  // namespace pw::access::testing
