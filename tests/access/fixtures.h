#pragma once
// A small register for the access engine's tests: one customs office with a server room, one
// terminal (and a second operator's staff for "wrong terminal" cases), two vendors, a scanner
// and a server of vendor A under a contract with quarterly 8-hour windows from
// 2026-03-02T07:00Z, an open software fault, and the people of every role. The access policy is
// data/access-policy.toml's. Everything is fictional; times are exact so tests can hit
// boundaries to the microsecond.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "access/context.h"
#include "access/engine.h"
#include "access/index.h"
#include "core/clock.h"
#include "domain/access.h"
#include "domain/access_policy.h"
#include "domain/register.h"

namespace pw::access::testing {

using domain::GrantMode;
using domain::RequestKind;
using domain::RiskLevel;
using domain::Role;

inline core::Timestamp t(const char* rfc3339) {
  return *core::parse_rfc3339(rfc3339);
}
inline core::Timestamp plus_micros(core::Timestamp x, std::int64_t us) {
  return core::Timestamp{x.micros + us};
}
inline domain::Window win(const char* a, const char* b) {
  return domain::Window{t(a), t(b)};
}
inline domain::Date day(const char* iso) {
  return *domain::parse_date(iso);
}

inline domain::Register small_register() {
  using namespace domain;
  Register r;
  r.organisations = {
      {"douane", "Douane", OrgKind::kCustoms, "NL", "", {}, "fictional"},
      {"vendor-a", "Vendor A", OrgKind::kVendor, "CN", "", {}, "fictional"},
      {"vendor-b", "Vendor B", OrgKind::kVendor, "DE", "", {}, "fictional"},
      {"terminal-op", "Terminal Op", OrgKind::kTerminalOperator, "NL", "", {}, "fictional"},
      {"terminal-op-2", "Other Terminal Op", OrgKind::kTerminalOperator, "NL", "", {}, "fictional"},
  };
  r.sites = {
      {"port", "Port", SiteKind::kPort, "", "", "fictional"},
      {"terminal-1", "Terminal 1", SiteKind::kTerminal, "port", "terminal-op", "fictional"},
      {"office", "Customs office", SiteKind::kCustomsOffice, "port", "douane", "fictional"},
  };
  r.rooms = {{"server-room", "Server room", "office", RoomKind::kServerRoom, "fictional"},
             {"control-room", "Control room", "office", RoomKind::kControlRoom, "fictional"}};
  auto asset = [](std::string id, AssetKind kind, std::string vendor, std::string site,
                  std::string room, bool remote) {
    Asset a;
    a.id = std::move(id);
    a.kind = kind;
    a.vendor = std::move(vendor);
    a.site = std::move(site);
    a.room = std::move(room);
    a.remote_capable = remote;
    return a;
  };
  r.assets = {asset("gw-1", AssetKind::kGateway, "", "office", "", false),
              asset("scanner-1", AssetKind::kScanner, "vendor-a", "terminal-1", "", true),
              asset("scanner-2", AssetKind::kScanner, "vendor-b", "terminal-1", "", false),
              asset("srv-a", AssetKind::kServer, "vendor-a", "office", "server-room", false)};
  RemoteAccessPolicy rp;
  rp.id = "policy-a";
  rp.vendor = "vendor-a";
  rp.gateway = "gw-1";
  rp.supervised = false;
  rp.recorded = true;
  rp.max_session_minutes = 480;
  r.remote_access_policies = {rp};
  auto person = [](std::string id, std::string org, std::vector<Role> roles) {
    return Person{id, id, std::move(org), std::move(roles), "fictional"};
  };
  r.people = {person("tech-a1", "vendor-a", {Role::kTechnician}),
              person("tech-a2", "vendor-a", {Role::kTechnician}),
              person("tech-a3", "vendor-a", {Role::kTechnician}),
              person("tech-b1", "vendor-b", {Role::kTechnician}),
              person("operator-1", "douane", {Role::kCustomsOperator}),
              person("operator-2", "douane", {Role::kCustomsOperator}),
              person("security-1", "douane", {Role::kSecurityOfficer}),
              person("staff-1", "terminal-op", {Role::kTerminalStaff}),
              person("staff-2", "terminal-op", {Role::kTerminalStaff}),
              person("staff-x", "terminal-op-2", {Role::kTerminalStaff}),
              // A data error the rules must survive: an "operator" on the vendor's payroll.
              person("rogue-op", "vendor-a", {Role::kCustomsOperator}),
              person("analyst-1", "douane", {Role::kAnalyst})};
  auto screening = [](std::string id, std::string who, ScreeningKind k, const char* from,
                      const char* to) {
    return Screening{id, std::move(who), k, day(from), day(to), "", "fictional"};
  };
  r.screenings = {
      screening("vog-a1", "tech-a1", ScreeningKind::kVog, "2025-01-01", "2027-01-01"),
      // Valid until 2026-03-03T00:00:00Z exactly (expiry dates are exclusive).
      screening("vog-a2", "tech-a2", ScreeningKind::kVog, "2025-01-01", "2026-03-03"),
      screening("vgb-a3", "tech-a3", ScreeningKind::kVgb, "2025-01-01", "2028-01-01"),
      screening("vog-b1", "tech-b1", ScreeningKind::kVog, "2025-01-01", "2027-01-01"),
  };
  MaintenanceContract c;
  c.id = "contract-a";
  c.vendor = "vendor-a";
  c.assets = {"scanner-1", "srv-a"};
  c.start = day("2026-01-01");
  c.end = day("2027-01-01");
  c.first_window = "2026-03-02T07:00:00Z";
  c.every_days = 91;
  c.window_hours = 8;
  c.agreed_with = {"douane", "terminal-op"};
  r.maintenance_contracts = {c};
  Fault f;
  f.id = "fault-1";
  f.asset = "scanner-1";
  f.reported = "2026-03-01T10:00:00Z";
  f.category = FaultCategory::kSoftware;
  Fault closed = f;
  closed.id = "fault-old";
  closed.reported = "2026-01-01T10:00:00Z";
  closed.resolved = "2026-01-01T12:00:00Z";
  r.faults = {f, closed};
  return r;
}

// data/access-policy.toml, as values.
inline domain::AccessPolicy default_policy() {
  using namespace domain;
  AccessPolicy p;
  p.levels[0] = {RiskLevel::kLow, RemoteMode::kAllowed,     true, 480, RoomEntry::kUnescorted,
                 false,           {Role::kCustomsOperator}, "low"};
  p.levels[1] = {RiskLevel::kMedium,
                 RemoteMode::kAllowed,
                 true,
                 240,
                 RoomEntry::kUnescorted,
                 false,
                 {Role::kCustomsOperator},
                 "medium"};
  p.levels[2] = {RiskLevel::kHigh,
                 RemoteMode::kSupervised,
                 true,
                 240,
                 RoomEntry::kEscorted,
                 false,
                 {Role::kCustomsOperator, Role::kSecurityOfficer},
                 "high"};
  p.levels[3] = {RiskLevel::kVeryHigh,
                 RemoteMode::kSuspended,
                 true,
                 0,
                 RoomEntry::kEscorted,
                 true,
                 {Role::kCustomsOperator, Role::kSecurityOfficer},
                 "very_high"};
  return p;
}

// The register, risk map, policy and screening rules a Context borrows, kept together so the
// Context's references stay valid for the fixture's life.
class AccessTest : public ::testing::Test {
 protected:
  domain::Register reg_ = small_register();
  VendorRisk risk_{{"vendor-a", RiskLevel::kMedium}, {"vendor-b", RiskLevel::kLow}};
  domain::AccessPolicy policy_ = default_policy();
  ScreeningRules screening_;
  AccessState state_;
  std::vector<Event> journal_;  // every event of every successful command, in order

  Context ctx() const { return Context{reg_, risk_, policy_, screening_}; }

  // Applies a successful outcome to state_ (and records its events); fails the test otherwise.
  void ok(const Outcome& o) {
    ASSERT_TRUE(o.has_value()) << (o ? "" : o.error().summary());
    state_ = o->state;
    journal_.insert(journal_.end(), o->events.begin(), o->events.end());
  }
  // The denial's decision; fails the test when the command was allowed.
  Decision denied(const Outcome& o) {
    EXPECT_FALSE(o.has_value()) << "expected a denial";
    return o ? Decision{} : o.error();
  }
  static bool failed(const Decision& d, std::string_view rule, std::string_view subject = {}) {
    for (const Check& c : d.checks) {
      if (c.rule == rule && !c.pass && (subject.empty() || c.subject == subject)) return true;
    }
    return false;
  }
  static std::string reason(const Decision& d, std::string_view rule,
                            std::string_view subject = {}) {
    const Check* c = d.find(rule, subject);
    return c ? c->reason : "(rule " + std::string(rule) + " not checked)";
  }

  // A preventive visit inside the first contract window.
  static VisitDraft preventive(std::string id = "req-1",
                               std::vector<std::string> techs = {"tech-a1"}) {
    VisitDraft v;
    v.id = std::move(id);
    v.kind = RequestKind::kPreventive;
    v.technicians = std::move(techs);
    v.asset = "scanner-1";
    v.window = win("2026-03-02T08:00:00Z", "2026-03-02T12:00:00Z");
    v.reason = "quarterly maintenance";
    return v;
  }
  static VisitDraft remote(std::string id = "rem-1") {
    VisitDraft v;
    v.id = std::move(id);
    v.kind = RequestKind::kRemote;
    v.technicians = {"tech-a1"};
    v.asset = "scanner-1";
    v.fault = "fault-1";
    v.window = win("2026-03-01T13:00:00Z", "2026-03-01T15:00:00Z");
    v.reason = "software fault";
    return v;
  }
  static core::Timestamp now() { return t("2026-03-01T12:00:00Z"); }
};

}  // namespace pw::access::testing
