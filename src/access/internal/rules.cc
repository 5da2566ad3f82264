#include "access/internal/rules.h"

#include <algorithm>
#include <optional>

namespace pw::access::internal {
namespace {

using domain::AccessRequest;
using domain::Asset;
using domain::RequestKind;
using domain::Role;
using domain::ScreeningKind;
using domain::Window;

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
constexpr std::int64_t kMicrosPerHour = 3'600'000'000;
constexpr std::int64_t kMicrosPerMinute = 60'000'000;

std::string window_text(const Window& w) {
  return "[" + at(w.start) + ", " + at(w.end) + ")";
}

// The site and its parents, nearest first (bounded: a cycle in bad data cannot loop forever).
std::vector<const domain::Site*> site_chain(const domain::Register& reg, std::string_view site) {
  std::vector<const domain::Site*> out;
  const domain::Site* s = reg.site(site);
  while (s != nullptr && out.size() < 16) {
    out.push_back(s);
    s = s->parent.empty() ? nullptr : reg.site(s->parent);
  }
  return out;
}

// The screening level required at an asset or in a room, and where that requirement comes from.
struct Requirement {
  ScreeningKind kind = ScreeningKind::kVog;
  std::string source = "default for port sites (seed Q13)";
};

Requirement required_screening(const Context& ctx, const Asset* asset, std::string_view site) {
  Requirement req;
  auto raise = [&](ScreeningKind k, std::string source) {
    if (k == ScreeningKind::kVgb && req.kind != ScreeningKind::kVgb) {
      req.kind = k;
      req.source = std::move(source);
    }
  };
  if (asset != nullptr) {
    if (auto it = ctx.screening.by_asset.find(asset->id); it != ctx.screening.by_asset.end()) {
      raise(it->second, "configured for asset " + q(asset->id));
    }
  }
  for (const domain::Site* s : site_chain(ctx.reg, site)) {
    if (auto it = ctx.screening.by_site.find(s->id); it != ctx.screening.by_site.end()) {
      raise(it->second, "configured for site " + q(s->id));
    }
  }
  return req;
}

bool satisfies(ScreeningKind have, ScreeningKind need) {
  return have == need || (need == ScreeningKind::kVog && have == ScreeningKind::kVgb);
}

// A contract of `vendor` listing `asset` that runs over the whole window.
struct ContractMatch {
  const domain::MaintenanceContract* contract = nullptr;
  std::string why_not;
};

ContractMatch covering_contract(const domain::Register& reg, std::string_view vendor,
                                std::string_view asset, const Window& w) {
  ContractMatch m;
  for (const domain::MaintenanceContract& c : reg.maintenance_contracts) {
    if (c.vendor != vendor || !lists(c.assets, asset)) continue;
    const core::Timestamp start = day_start(c.start);
    const core::Timestamp end = day_start(c.end);
    if (start <= w.start && w.end <= end) {
      m.contract = &c;
      return m;
    }
    m.why_not = "contract " + q(c.id) + " runs [" + domain::format_date(c.start) + ", " +
                domain::format_date(c.end) + "), not over the whole window " + window_text(w);
  }
  if (m.why_not.empty()) {
    m.why_not = "vendor " + q(vendor) + " has no maintenance contract listing asset " + q(asset);
  }
  return m;
}

// The recurring contract window [first + k*every, + hours) that contains w.start, if any.
std::optional<Window> contract_window_at(const domain::MaintenanceContract& c, core::Timestamp t) {
  auto first = core::parse_rfc3339(c.first_window);
  if (!first || c.every_days <= 0 || c.window_hours <= 0) return std::nullopt;
  if (t < *first) return std::nullopt;
  const std::int64_t period = c.every_days * kMicrosPerDay;
  const std::int64_t k = (t.micros - first->micros) / period;
  Window w{{first->micros + k * period},
           {first->micros + k * period + c.window_hours * kMicrosPerHour}};
  if (!w.contains(t)) return std::nullopt;
  return w;
}

void vendor_rules(Decision& d, const Context& ctx, const AccessState& s, core::Timestamp now,
                  const AccessRequest& r, const Window& w) {
  const domain::Organisation* v = r.vendor.empty() ? nullptr : ctx.reg.organisation(r.vendor);
  d.check(
      v != nullptr && v->kind == domain::OrgKind::kVendor, "vendor.known", r.vendor,
      v == nullptr ? "the technicians' employer is not a known organisation"
      : v->kind == domain::OrgKind::kVendor
          ? "vendor " + q(v->id) + " (" + v->name + ")"
          : q(v->id) + " is not a vendor (" + std::string(domain::org_kind_name(v->kind)) + ")");
  const domain::RiskLevel level = ctx.risk_of(r.vendor);
  d.pass("risk.level", r.vendor,
         ctx.assessed(r.vendor)
             ? "risk level " + std::string(domain::risk_level_name(level)) + " (assessment)"
             : "no assessment: treated as very_high (fail closed)");
  not_suspended(d, s, domain::SuspensionScope::kVendor, r.vendor, mode_of(r.kind), now, w);
}

void window_rules(Decision& d, const Context& ctx, core::Timestamp now, const AccessRequest& r,
                  const Window& w) {
  d.check(w.start < w.end, "window.valid", r.id,
          w.start < w.end ? "window " + window_text(w)
                          : "window " + window_text(w) + " does not end after it starts");
  d.check(now < w.end, "window.not_over", r.id,
          now < w.end ? "window ends at " + at(w.end) + ", after now (" + at(now) + ")"
                      : "window ended at " + at(w.end) + ", not after now (" + at(now) + ")");
  const domain::AccessConditions& c = ctx.conditions(r.vendor);
  const std::string level = std::string(domain::risk_level_name(c.level));
  switch (r.kind) {
    case RequestKind::kRemote: {
      d.check(c.remote != domain::RemoteMode::kSuspended, "remote.allowed", r.vendor,
              "remote access at risk level " + level + " is " +
                  std::string(domain::remote_mode_name(c.remote)));
      std::int64_t max = c.max_session_minutes;
      const Asset* a = ctx.reg.asset(r.asset);
      const domain::RemoteAccessPolicy* p = a ? remote_policy(ctx.reg, *a) : nullptr;
      if (p != nullptr) max = std::min(max, p->max_session_minutes);
      const bool ok = w.micros() <= max * kMicrosPerMinute;
      d.check(ok, "window.risk_limits", r.id,
              "session of " + minutes_text(w.micros()) + (ok ? " within" : " exceeds") +
                  " the limit of " + std::to_string(max) + " min (risk level " + level +
                  (p ? ", policy " + q(p->id) : std::string()) + ")");
      break;
    }
    case RequestKind::kServerRoom:
      d.check(c.server_room != domain::RoomEntry::kRefused, "window.risk_limits", r.vendor,
              "server-room entry at risk level " + level + " is " +
                  std::string(domain::room_entry_name(c.server_room)));
      break;
    case RequestKind::kPreventive:
    case RequestKind::kCorrective:
      d.pass("window.risk_limits", r.vendor,
             std::string("on-site visits at risk level ") + level +
                 (c.on_site_escorted ? " are escorted by customs" : " need no escort"));
      break;
  }
}

void fault_rules(Decision& d, const Context& ctx, core::Timestamp now, const AccessRequest& r,
                 bool required) {
  if (r.fault.empty()) {
    if (required) d.fail("fault.open", r.id, "a remote session must name the fault it repairs");
    return;
  }
  const domain::Fault* f = find_fault(ctx.reg, r.fault);
  if (f == nullptr) {
    d.fail("fault.open", r.fault, "fault " + q(r.fault) + " is not in the register");
    return;
  }
  if (f->asset != r.asset) {
    d.fail("fault.open", r.fault,
           "fault " + q(f->id) + " is on asset " + q(f->asset) + ", not " + q(r.asset));
    return;
  }
  auto resolved = f->resolved.empty() ? core::Result<core::Timestamp>(core::invalid_argument(""))
                                      : core::parse_rfc3339(f->resolved);
  const bool open = f->resolved.empty() || (resolved && now < *resolved);
  d.check(open, "fault.open", r.fault,
          open ? "fault " + q(f->id) + " on " + q(f->asset) + " is open"
               : "fault " + q(f->id) + " was resolved at " + f->resolved);
}

void permit_rules(Decision& d, const Context& ctx, const AccessState& s, const AccessRequest& r,
                  const Window& w) {
  const domain::WorkPermit* p = r.permit.empty() ? nullptr : s.permit(r.permit);
  if (!d.check(p != nullptr, "permit.exists", r.permit,
               r.permit.empty() ? "a corrective visit needs the terminal's work permit (Q12)"
               : p              ? "work permit " + q(r.permit)
                                : "work permit " + q(r.permit) + " does not exist")) {
    return;
  }
  d.check(
      p->asset == r.asset, "permit.asset", p->id,
      "permit is for asset " + q(p->asset) + (p->asset == r.asset ? "" : ", not " + q(r.asset)));
  const bool live = p->state == domain::PermitState::kIssued ||
                    p->state == domain::PermitState::kActive ||
                    p->state == domain::PermitState::kExtended;
  d.check(live, "permit.state", p->id,
          "permit is " + std::string(domain::permit_state_name(p->state)) +
              (live ? "" : "; it must be issued or active"));
  d.check(p->window.covers(w), "permit.window", p->id,
          "permit window " + window_text(p->window) +
              (p->window.covers(w) ? " covers " : " does not cover ") + window_text(w));
  // Issued by staff of the terminal operator of the asset's site.
  const Asset* a = ctx.reg.asset(r.asset);
  const domain::Site* site = a ? ctx.reg.site(a->site) : nullptr;
  const domain::Person* issuer = p->issued_by.empty() ? nullptr : ctx.reg.person(p->issued_by);
  const bool by_terminal = site != nullptr && !site->operator_org.empty() && issuer != nullptr &&
                           has_role(*issuer, Role::kTerminalStaff) &&
                           issuer->organisation == site->operator_org;
  d.check(by_terminal, "permit.issuer", p->id,
          issuer == nullptr ? "permit has not been issued by anyone in the register"
          : site == nullptr ? "asset " + q(r.asset) + " has no site with a terminal operator"
          : by_terminal     ? "issued by " + q(issuer->id) + ", staff of " + q(site->operator_org)
                            : "issued by " + q(issuer->id) + ", not terminal staff of " +
                              q(site->operator_org) + ", the operator of site " + q(site->id));
  if (!r.fault.empty() && !p->fault.empty()) {
    d.check(
        r.fault == p->fault, "permit.fault", p->id,
        "permit is for fault " + q(p->fault) + (r.fault == p->fault ? "" : ", not " + q(r.fault)));
  }
}

void target_rules(Decision& d, const Context& ctx, const AccessState& s, core::Timestamp now,
                  const AccessRequest& r, const Window& w) {
  const Asset* a = r.asset.empty() ? nullptr : ctx.reg.asset(r.asset);
  if (r.kind == RequestKind::kServerRoom) {
    const domain::Room* room = r.room.empty() ? nullptr : ctx.reg.room(r.room);
    d.check(room != nullptr && room->kind == domain::RoomKind::kServerRoom, "room.exists", r.room,
            room == nullptr ? "server room " + q(r.room) + " is not in the register"
            : room->kind == domain::RoomKind::kServerRoom
                ? "server room " + q(room->id) + " at site " + q(room->site)
                : q(room->id) + " is a " + std::string(domain::room_kind_name(room->kind)) +
                      ", not a server room");
    if (!r.asset.empty()) {
      d.check(a != nullptr && a->room == r.room, "asset.exists", r.asset,
              a == nullptr ? "asset " + q(r.asset) + " is not in the register"
                           : "asset " + q(a->id) + " is in room " + q(a->room));
      if (a != nullptr) not_frozen(d, s, a->id);
    }
    // The vendor must maintain something in that room under a running contract.
    std::string covered;
    std::string why = "vendor " + q(r.vendor) + " has no asset under contract in room " + q(r.room);
    for (const Asset& x : ctx.reg.assets) {
      if (x.room != r.room || (!r.asset.empty() && x.id != r.asset)) continue;
      ContractMatch m = covering_contract(ctx.reg, r.vendor, x.id, w);
      if (m.contract != nullptr) {
        covered = "contract " + q(m.contract->id) + " covers " + q(x.id) + " in the room";
        break;
      }
      if (m.why_not.starts_with("contract")) why = m.why_not;
    }
    d.check(!covered.empty(), "contract.covers_asset", r.vendor, covered.empty() ? why : covered);
    return;
  }
  if (!d.check(a != nullptr, "asset.exists", r.asset,
               r.asset.empty() ? "the request names no asset"
               : a ? "asset " + q(a->id) + " (" + std::string(domain::asset_kind_name(a->kind)) +
                         ") at site " + q(a->site)
                   : "asset " + q(r.asset) + " is not in the register")) {
    d.fail("contract.covers_asset", r.asset, "no asset to check a contract for");
    return;
  }
  not_frozen(d, s, a->id);
  ContractMatch m = covering_contract(ctx.reg, r.vendor, a->id, w);
  d.check(m.contract != nullptr, "contract.covers_asset", a->id,
          m.contract ? "contract " + q(m.contract->id) + " of " + q(r.vendor) + " lists " +
                           q(a->id) + " and runs over the window"
                     : m.why_not);
  switch (r.kind) {
    case RequestKind::kPreventive: {
      std::string ok_text;
      std::string why = "no contract of " + q(r.vendor) + " listing " + q(a->id) +
                        " has a preventive window containing " + window_text(w);
      for (const domain::MaintenanceContract& c : ctx.reg.maintenance_contracts) {
        if (c.vendor != r.vendor || !lists(c.assets, a->id)) continue;
        auto cw = contract_window_at(c, w.start);
        if (cw && cw->covers(w)) {
          ok_text = "inside window " + window_text(*cw) + " of contract " + q(c.id);
          break;
        }
        if (cw) {
          why = "window " + window_text(w) + " runs past the end of contract window " +
                window_text(*cw) + " of " + q(c.id);
        }
      }
      d.check(!ok_text.empty(), "contract.window", r.id, ok_text.empty() ? why : ok_text);
      break;
    }
    case RequestKind::kCorrective:
      fault_rules(d, ctx, now, r, false);
      permit_rules(d, ctx, s, r, w);
      break;
    case RequestKind::kRemote: {
      fault_rules(d, ctx, now, r, true);
      d.check(a->remote_capable, "remote.asset_capable", a->id,
              a->remote_capable ? "asset can be maintained remotely"
                                : "asset " + q(a->id) + " is not remote-capable");
      const domain::RemoteAccessPolicy* p = remote_policy(ctx.reg, *a);
      d.check(p != nullptr, "remote.policy", a->id,
              p ? "remote-access policy " + q(p->id) + " through gateway " + q(p->gateway)
                : "no remote-access policy (and so no gateway) covers asset " + q(a->id));
      break;
    }
    case RequestKind::kServerRoom:
      break;
  }
}

}  // namespace

std::string q(std::string_view s) {
  return "'" + std::string(s) + "'";
}

bool lists(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string at(core::Timestamp t) {
  return core::format_rfc3339(t);
}

std::string minutes_text(std::int64_t micros) {
  const std::int64_t whole = micros / kMicrosPerMinute;
  return std::to_string(whole) + (micros % kMicrosPerMinute == 0 ? " min" : "+ min");
}

core::Timestamp day_start(domain::Date d) {
  return core::Timestamp{static_cast<std::int64_t>(d.days) * kMicrosPerDay};
}

bool has_role(const domain::Person& p, Role r) {
  return std::find(p.roles.begin(), p.roles.end(), r) != p.roles.end();
}

bool is_customs_staff(const domain::Person& p) {
  return has_role(p, Role::kCustomsOperator) || has_role(p, Role::kSecurityOfficer);
}

domain::GrantMode mode_of(RequestKind k) {
  switch (k) {
    case RequestKind::kRemote:
      return domain::GrantMode::kRemote;
    case RequestKind::kServerRoom:
      return domain::GrantMode::kServerRoom;
    case RequestKind::kPreventive:
    case RequestKind::kCorrective:
      break;
  }
  return domain::GrantMode::kOnsite;
}

const domain::Fault* find_fault(const domain::Register& reg, std::string_view id) {
  for (const domain::Fault& f : reg.faults) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

const domain::Person* actor(Decision& d, const Context& ctx, std::string_view person) {
  const domain::Person* p = person.empty() ? nullptr : ctx.reg.person(person);
  d.check(
      p != nullptr, "actor.registered", std::string(person),
      p ? q(p->id) + " of " + q(p->organisation) : q(person) + " is not a person in the register");
  return p;
}

const domain::Person* customs_actor(Decision& d, const Context& ctx, std::string_view person) {
  const domain::Person* p = actor(d, ctx, person);
  actor_role(d, p, person, {Role::kCustomsOperator, Role::kSecurityOfficer},
             "a customs operator or security officer");
  return p;
}

bool actor_role(Decision& d, const domain::Person* p, std::string_view id,
                std::initializer_list<Role> roles, std::string_view what) {
  bool ok = false;
  if (p != nullptr) {
    for (Role r : roles) ok = ok || has_role(*p, r);
  }
  return d.check(ok, "actor.role", std::string(id),
                 ok ? q(id) + " is " + std::string(what) : q(id) + " is not " + std::string(what));
}

bool actor_not_vendor(Decision& d, const domain::Person* p, std::string_view id,
                      std::string_view vendor, std::string rule) {
  if (vendor.empty()) return true;
  const bool ok = p != nullptr && p->organisation != vendor;
  return d.check(
      ok, std::move(rule), std::string(id),
      p == nullptr ? "unknown person"
      : ok         ? q(id) + " is not employed by vendor " + q(vendor)
           : q(id) + " is employed by vendor " + q(vendor) + ", whose access is being decided");
}

bool not_suspended(Decision& d, const AccessState& s, domain::SuspensionScope scope,
                   std::string_view subject, domain::GrantMode mode, core::Timestamp now,
                   const Window& w) {
  const core::Timestamp from = std::max(now, w.start);
  const std::string rule = std::string(domain::suspension_scope_name(scope)) + ".not_suspended";
  for (const auto& [id, x] : s.suspensions) {
    if (x.scope != scope || x.subject != subject || !x.applies_to(mode)) continue;
    // [x.from, x.until) meets [from, w.end); an empty suspension (cancelled before it began)
    // meets nothing.
    const bool empty = x.until && !(x.from < *x.until);
    const bool hit = !empty && x.from < w.end && (!x.until || from < *x.until);
    if (hit) {
      return d.fail(rule, std::string(subject),
                    "suspended by " + q(x.id) + " from " + at(x.from) +
                        (x.until ? " until " + at(*x.until) : std::string(" until resumed")) +
                        ": " + x.reason);
    }
  }
  return d.pass(rule, std::string(subject),
                "no suspension in force before " + at(w.end) + " for " +
                    std::string(domain::grant_mode_name(mode)));
}

bool not_frozen(Decision& d, const AccessState& s, std::string_view asset) {
  const domain::AssetFreeze* f = s.freeze(asset);
  return d.check(f == nullptr, "asset.not_frozen", std::string(asset),
                 f ? "asset frozen by " + q(f->by) + " at " + at(f->at) + ": " + f->reason
                   : "asset is not frozen");
}

const domain::RemoteAccessPolicy* remote_policy(const domain::Register& reg, const Asset& a) {
  for (const domain::RemoteAccessPolicy& p : reg.remote_access_policies) {
    if (lists(p.assets, a.id)) return &p;
  }
  for (const domain::RemoteAccessPolicy& p : reg.remote_access_policies) {
    if (p.assets.empty() && !p.vendor.empty() && p.vendor == a.vendor) return &p;
  }
  return nullptr;
}

void person_rules(Decision& d, const Context& ctx, const AccessState& s, core::Timestamp now,
                  const AccessRequest& r, std::string_view person, const Window& w) {
  const std::string id(person);
  const domain::Person* p = ctx.reg.person(person);
  d.check(p != nullptr, "technician.registered", id,
          p ? q(id) + " is registered with customs (Q12)" : q(id) + " is not in the register");
  const bool tech = p != nullptr && has_role(*p, Role::kTechnician);
  d.check(tech, "technician.role", id,
          tech ? "has the role technician" : q(id) + " does not have the role technician");
  const bool employed = p != nullptr && !r.vendor.empty() && p->organisation == r.vendor;
  d.check(employed, "technician.vendor", id,
          p == nullptr ? "unknown person"
          : employed   ? "employed by " + q(r.vendor)
                       : "employed by " + q(p->organisation) + ", not by the request's vendor " +
                           q(r.vendor));
  if (r.kind == RequestKind::kCorrective) {
    const domain::WorkPermit* permit = s.permit(r.permit);
    const bool named = permit != nullptr && lists(permit->people, person);
    d.check(named, "permit.names_person", id,
            named ? "named on permit " + q(r.permit) : "not named on work permit " + q(r.permit));
  }
  // Screening at the level the target requires, valid over the whole window.
  const Asset* a = r.asset.empty() ? nullptr : ctx.reg.asset(r.asset);
  std::string site;
  if (r.kind == RequestKind::kServerRoom) {
    if (const domain::Room* room = ctx.reg.room(r.room)) site = room->site;
  } else if (a != nullptr) {
    site = a->site;
  }
  const Requirement need = required_screening(ctx, a, site);
  const std::string need_name(domain::screening_kind_name(need.kind));
  const domain::Screening* valid = nullptr;
  const domain::Screening* best = nullptr;  // the acceptable one that expires last
  for (const domain::Screening& sc : ctx.reg.screenings) {
    if (sc.person != person || !satisfies(sc.kind, need.kind)) continue;
    if (day_start(sc.issued) <= w.start && w.end <= day_start(sc.expires)) {
      valid = &sc;
      break;
    }
    if (best == nullptr || best->expires < sc.expires) best = &sc;
  }
  std::string reason;
  if (valid != nullptr) {
    reason = std::string(domain::screening_kind_name(valid->kind)) + " " + q(valid->id) +
             " valid until " + at(day_start(valid->expires)) + ", covering the window (" +
             need_name + " required: " + need.source + ")";
  } else if (best == nullptr) {
    reason = "no " + need_name + " on record (" + need_name + " required: " + need.source + ")";
  } else if (w.start < day_start(best->issued)) {
    reason = std::string(domain::screening_kind_name(best->kind)) + " " + q(best->id) +
             " is issued " + domain::format_date(best->issued) + ", after the window starts at " +
             at(w.start);
  } else {
    reason = std::string(domain::screening_kind_name(best->kind)) + " " + q(best->id) +
             " expires at " + at(day_start(best->expires)) + ", before the window ends at " +
             at(w.end);
  }
  d.check(valid != nullptr, "screening.valid", id, reason);
  not_suspended(d, s, domain::SuspensionScope::kPerson, person, mode_of(r.kind), now, w);
}

void request_rules(Decision& d, const Context& ctx, const AccessState& s, core::Timestamp now,
                   const AccessRequest& r, const Window& w) {
  vendor_rules(d, ctx, s, now, r, w);
  window_rules(d, ctx, now, r, w);
  target_rules(d, ctx, s, now, r, w);
  if (r.technicians.empty())
    d.fail("technician.registered", r.id, "the request names no technician");
  for (const std::string& t : r.technicians) person_rules(d, ctx, s, now, r, t, w);
}

}  // namespace pw::access::internal
