#pragma once
// The Rotterdam scenario with a remote grant, for the grant CA and the gateway's control plane:
// Borealis assessed and signed off at medium risk, an open software fault on scanner-05 (whose
// register entry has a remote-access policy and a maintenance endpoint), a maintenance
// contract for scanner-06, and helpers that run the access engine's commands. The clock is a
// FakeClock started at (just before) the real time, so certificates it issues also verify with
// the real `openssl verify` now. The services come from ServiceStack.

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "access/engine.h"
#include "app/service_stack.h"

namespace pw::app::testing {

inline constexpr std::int64_t kMinute = 60'000'000;

class GatewayFixture : public ::testing::Test, protected ServiceStack<core::FakeClock> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(build_services());
    ASSERT_NO_FATAL_FAILURE(assess_borealis_medium());
    ASSERT_NO_FATAL_FAILURE(import_borealis_work("fault-gw-1", at(-60), "contract-gw", at(-120)));
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
    return request_and_approve(d);
  }

  // A preventive (on-site) visit to scanner-06 inside the contract window; returns the grant.
  std::string onsite_grant(const std::string& request) {
    access::VisitDraft d;
    d.id = request;
    d.kind = domain::RequestKind::kPreventive;
    d.technicians = {"tech-borealis-2"};
    d.asset = "scanner-06";
    d.window = {ts(0), ts(120)};
    return request_and_approve(d);
  }

  // The first technician of `d` requests it and operator-1 approves; returns the grant's id.
  std::string request_and_approve(const access::VisitDraft& d) {
    auto r = access_->run(d.technicians.front(), [&](const auto& s, const auto& ctx,
                                                     std::string_view actor, core::Timestamp now) {
      return access::request_visit(s, ctx, actor, now, d);
    });
    EXPECT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
    r = access_->run("operator-1", [&](const auto& s, const auto& ctx, std::string_view actor,
                                       core::Timestamp now) {
      return access::approve(s, ctx, actor, now, d.id);
    });
    EXPECT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
    return d.id + "#1";
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

  // The payloads of the journal's events of `type`, oldest first.
  std::vector<nlohmann::json> events(std::string_view type) {
    std::vector<nlohmann::json> out;
    EXPECT_TRUE(journal_->scan_events(0, type, [&](const journal::Envelope& e) -> core::Status {
      if (e.type == type) out.push_back(e.payload);
      return core::ok();
    }));
    return out;
  }

  void revoke(const std::string& grant) {
    auto r = access_->run("operator-1", [&](const auto& s, const auto& ctx, std::string_view actor,
                                            core::Timestamp now) {
      return access::revoke(s, ctx, actor, now, grant, "no longer needed");
    });
    ASSERT_TRUE(r && r->allowed()) << (r ? r->decision.summary() : r.error().to_string());
  }
};

}  // namespace pw::app::testing
