#pragma once
// The Rotterdam scenario with a remote grant, for the grant CA and the gateway's control plane:
// Borealis assessed and signed off at medium risk, an open software fault on scanner-05 (whose
// register entry has a remote-access policy and a maintenance endpoint), a maintenance
// contract for scanner-06, and helpers that run the access engine's commands. The clock is a
// FakeClock started at (just before) the real time, so certificates it issues also verify with the
// real `openssl verify` now.

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>

#include "access/engine.h"
#include "app/access_service.h"
#include "app/assessment_service.h"
#include "app/gateway_service.h"
#include "app/grant_ca.h"
#include "app/journal_service.h"
#include "app/ownership_service.h"
#include "app/register_service.h"
#include "support/test_support.h"

namespace pw::app::testing {

inline constexpr std::int64_t kMinute = 60'000'000;

class GatewayFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    // A few seconds behind the real clock, so that a window starting "now" has surely started
    // for `openssl verify` too.
    clock_.set({core::SystemClock().now().micros - 5'000'000});
    paths_ = {(dir_ / "j.db").string(), (dir_ / "j.key").string()};
    ASSERT_TRUE(init_journal(paths_, "test.example/log", clock_));
    journal_ = std::move(*JournalService::open(paths_, clock_));
    reg_ = std::make_unique<RegisterService>(*journal_, clock_);
    const auto root = pw::testing::tests_dir().parent_path();
    ASSERT_TRUE(reg_->import((root / "examples" / "rotterdam").string(), "test"));
    own_ = std::make_unique<OwnershipService>(*journal_, clock_, (dir_ / "blobs").string());
    AssessmentConfig ac;
    ac.countries_path = (root / "data" / "countries.toml").string();
    assess_ = std::make_unique<AssessmentService>(*journal_, *own_, *reg_, clock_, ac);
    AccessConfig xc;
    xc.access_policy_path = (root / "data" / "access-policy.toml").string();
    access_ = std::make_unique<AccessService>(*journal_, *reg_, clock_, xc);
    ca_ = std::make_unique<GrantCa>(*journal_, *access_, *reg_, clock_, grant_ca_files(paths_.db));
    gw_ = std::make_unique<GatewayService>(*journal_, *access_, *reg_, *ca_, clock_);
    // Borealis at medium risk: one operator's approval opens a remote session.
    ASSERT_TRUE(assess_->start("borealis", "analyst-1"));
    for (auto [c, answer] : {std::pair{domain::Criterion::k1, domain::Answer::kNo},
                             std::pair{domain::Criterion::k2, domain::Answer::kNo},
                             std::pair{domain::Criterion::k3a, domain::Answer::kYes},
                             std::pair{domain::Criterion::k3b, domain::Answer::kYes}}) {
      ASSERT_TRUE(assess_->judge("borealis", "analyst-1", c, answer, "reviewed"));
    }
    ASSERT_TRUE(assess_->sign_off("borealis", "analyst-2", ""));
    const auto extra = dir_ / "extra.toml";
    std::ofstream(extra) << "[[fault]]\nid = \"fault-gw-1\"\nasset = \"scanner-05\"\n"
                         << "reported = \"" << at(-60) << "\"\ncategory = \"software\"\n"
                         << "[[maintenance_contract]]\nid = \"contract-gw\"\nvendor = "
                         << "\"borealis\"\nassets = [\"scanner-06\"]\nstart = 2026-01-01\n"
                         << "end = 2030-12-31\nfirst_window = \"" << at(-120)
                         << "\"\nevery_days = 91\nwindow_hours = 8\n"
                         << "agreed_with = [\"douane\"]\n";
    ASSERT_TRUE(reg_->import(extra.string(), "test"));
  }

  std::string at(std::int64_t minutes) const {
    return core::format_rfc3339({clock_.now().micros + minutes * kMinute});
  }
  core::Timestamp ts(std::int64_t minutes) const {
    return {clock_.now().micros + minutes * kMinute};
  }

  // A remote request for `person` on scanner-05 for [now, now + minutes), approved by an
  // operator; returns the grant's id.
  std::string remote_grant(const std::string& request, const std::string& person,
                           std::int64_t minutes = 120) {
    access::VisitDraft d;
    d.id = request;
    d.kind = domain::RequestKind::kRemote;
    d.technicians = {person};
    d.asset = "scanner-05";
    d.fault = "fault-gw-1";
    d.window = {ts(0), ts(minutes)};
    d.reason = "software fault";
    auto r = access_->run(
        person, [&](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::request_visit(s, ctx, actor, now, d);
        });
    EXPECT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
    r = access_->run("operator-1", [&](const auto& s, const auto& ctx, std::string_view actor,
                                       core::Timestamp now) {
      return access::approve(s, ctx, actor, now, request);
    });
    EXPECT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
    return request + "#1";
  }

  // A preventive (on-site) visit to scanner-06 inside the contract window; returns the grant.
  std::string onsite_grant(const std::string& request) {
    access::VisitDraft d;
    d.id = request;
    d.kind = domain::RequestKind::kPreventive;
    d.technicians = {"tech-borealis-2"};
    d.asset = "scanner-06";
    d.window = {ts(0), ts(120)};
    auto r = access_->run("tech-borealis-2", [&](const auto& s, const auto& ctx,
                                                 std::string_view actor, core::Timestamp now) {
      return access::request_visit(s, ctx, actor, now, d);
    });
    EXPECT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
    r = access_->run("operator-1", [&](const auto& s, const auto& ctx, std::string_view actor,
                                       core::Timestamp now) {
      return access::approve(s, ctx, actor, now, request);
    });
    EXPECT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
    return request + "#1";
  }

  void suspend_vendor(const std::string& id, const std::string& vendor) {
    access::SuspensionDraft d;
    d.id = id;
    d.scope = domain::SuspensionScope::kVendor;
    d.subject = vendor;
    d.reason = "suspected exfiltration";
    auto r = access_->run("security-officer-1", [&](const auto& s, const auto& ctx,
                                                    std::string_view actor, core::Timestamp now) {
      return access::suspend(s, ctx, actor, now, d);
    });
    ASSERT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
  }

  void revoke(const std::string& grant) {
    auto r = access_->run("operator-1", [&](const auto& s, const auto& ctx, std::string_view actor,
                                            core::Timestamp now) {
      return access::revoke(s, ctx, actor, now, grant, "no longer needed");
    });
    ASSERT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
  }

  pw::testing::TempDir dir_;
  core::FakeClock clock_{core::Timestamp{0}};
  JournalPaths paths_;
  std::unique_ptr<JournalService> journal_;
  std::unique_ptr<RegisterService> reg_;
  std::unique_ptr<OwnershipService> own_;
  std::unique_ptr<AssessmentService> assess_;
  std::unique_ptr<AccessService> access_;
  std::unique_ptr<GrantCa> ca_;
  std::unique_ptr<GatewayService> gw_;
};

}  // namespace pw::app::testing
