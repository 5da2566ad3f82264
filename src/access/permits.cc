// Work permits (Q12: "if the technician must do corrective (unplanned) maintenance on a fault,
// a work permit is requested from the container terminal"). The terminal's staff approve and
// issue them; the customs side of the visit is the corrective access request (engine.cc).

#include <algorithm>
#include <set>
#include <utility>

#include "access/engine.h"
#include "access/internal/names.h"
#include "access/internal/outcome.h"
#include "access/internal/rules.h"

namespace pw::access {

using namespace internal::names;

namespace {

// The terminal operator of the asset's site ("" when the asset is not on a terminal site).
std::string terminal_of(const Context& ctx, std::string_view asset) {
  const domain::Asset* a = ctx.reg.asset(asset);
  const domain::Site* site = a ? ctx.reg.site(a->site) : nullptr;
  return site ? site->operator_org : std::string();
}

// "actor.terminal_staff": the actor is terminal staff of `terminal`.
bool terminal_staff(Decision& d, const domain::Person* p, std::string_view actor,
                    const std::string& terminal) {
  const bool ok = p != nullptr && has_role(*p, Role::kTerminalStaff) && !terminal.empty() &&
                  p->organisation == terminal;
  return d.check(ok, "actor.terminal_staff", std::string(actor),
                 ok                 ? "terminal staff of " + q(terminal)
                 : terminal.empty() ? "the asset is not on a site with a terminal operator"
                                    : q(actor) + " is not terminal staff of " + q(terminal) +
                                          ", the operator of the asset's site");
}

const WorkPermit* existing(Decision& d, const AccessState& s, std::string_view permit) {
  const WorkPermit* p = s.permit(permit);
  d.check(p != nullptr, "permit.exists", std::string(permit),
          p ? "work permit " + q(permit) : "work permit " + q(permit) + " does not exist");
  return p;
}

bool in_state(Decision& d, const WorkPermit& p, std::initializer_list<PermitState> states) {
  bool ok = false;
  std::string want;
  for (PermitState st : states) {
    ok = ok || p.state == st;
    if (!want.empty()) want += " or ";
    want += domain::permit_state_name(st);
  }
  return d.check(ok, "permit.state", p.id,
                 "permit is " + std::string(domain::permit_state_name(p.state)) +
                     (ok ? "" : "; it must be " + want));
}

Outcome emit(Decision d, AccessState next, const WorkPermit& p, std::string_view type,
             nlohmann::json extra = nlohmann::json::object()) {
  extra["permit"] = domain::permit_to_json(p);
  std::vector<Event> events;
  events.push_back({std::string(type), std::move(extra)});
  return finish(std::move(d), std::move(next), std::move(events));
}

// Terminal staff of the site operator, or customs staff (suspend, resume, close).
void terminal_or_customs(Decision& d, const domain::Person* p, std::string_view actor,
                         const std::string& terminal) {
  const bool staff = p != nullptr && internal::is_customs_staff(*p);
  const bool term = p != nullptr && has_role(*p, Role::kTerminalStaff) && !terminal.empty() &&
                    p->organisation == terminal;
  d.check(staff || term, "actor.role", std::string(actor),
          term ? "terminal staff of " + q(terminal)
          : staff
              ? "customs staff"
              : q(actor) + " is neither terminal staff of " + q(terminal) + " nor customs staff");
}

}  // namespace

Outcome request_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                       core::Timestamp now, const PermitDraft& draft) {
  Decision d;
  d.command = "request_permit";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const bool fresh = !draft.id.empty() && s.permit(draft.id) == nullptr;
  d.check(fresh, "permit.id", draft.id,
          draft.id.empty() ? "the permit has no id"
          : fresh          ? "new permit " + q(draft.id)
                           : "permit " + q(draft.id) + " already exists");
  const domain::Asset* a = ctx.reg.asset(draft.asset);
  d.check(a != nullptr, "asset.exists", draft.asset,
          a ? "asset " + q(draft.asset) : "asset " + q(draft.asset) + " is not in the register");
  const std::string terminal = terminal_of(ctx, draft.asset);
  d.check(!terminal.empty(), "permit.terminal", draft.asset,
          terminal.empty()
              ? "asset " + q(draft.asset) + " is not on a site with an operator to issue a permit"
              : "issued by the terminal operator " + q(terminal));
  const bool named = lists(draft.people, actor);
  const bool staff =
      p != nullptr && has_role(*p, Role::kTerminalStaff) && p->organisation == terminal;
  d.check(named || staff, "actor.role", std::string(actor),
          named   ? "a technician the permit names"
          : staff ? "terminal staff of " + q(terminal)
                  : q(actor) + " is neither named on the permit nor staff of " + q(terminal));
  std::set<std::string> seen(draft.people.begin(), draft.people.end());
  d.check(!draft.people.empty() && seen.size() == draft.people.size(), "permit.people", draft.id,
          draft.people.empty()                 ? "the permit names nobody"
          : seen.size() == draft.people.size() ? std::to_string(seen.size()) + " person(s)"
                                               : "a person is named twice");
  for (const std::string& person : draft.people) {
    const domain::Person* x = ctx.reg.person(person);
    const bool tech = x != nullptr && has_role(*x, Role::kTechnician);
    d.check(tech, "technician.registered", person,
            x == nullptr ? q(person) + " is not in the register"
            : tech       ? q(person) + " is a registered technician of " + q(x->organisation)
                         : q(person) + " does not have the role technician");
  }
  if (!draft.fault.empty()) {
    const domain::Fault* f = internal::find_fault(ctx.reg, draft.fault);
    d.check(f != nullptr && f->asset == draft.asset, "fault.exists", draft.fault,
            f == nullptr ? "fault " + q(draft.fault) + " is not in the register"
                         : "fault " + q(f->id) + " is on asset " + q(f->asset));
  }
  d.check(draft.window.start < draft.window.end && now < draft.window.end, "window.valid", draft.id,
          "window " + at(draft.window.start) + " .. " + at(draft.window.end) +
              (draft.window.start < draft.window.end ? "" : " does not end after it starts") +
              (now < draft.window.end ? "" : "; it is over"));
  if (a != nullptr) internal::not_frozen(d, s, a->id);
  if (!d.allowed()) return std::unexpected(std::move(d));
  WorkPermit permit;
  permit.id = draft.id;
  permit.asset = draft.asset;
  permit.fault = draft.fault;
  permit.people = draft.people;
  permit.window = draft.window;
  permit.reason = draft.reason;
  permit.requested_by = std::string(actor);
  permit.state = PermitState::kRequested;
  AccessState next = s;
  next.permits[permit.id] = permit;
  return emit(std::move(d), std::move(next), permit, domain::kAccessPermitRequested);
}

Outcome approve_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                       core::Timestamp now, std::string_view permit, std::string note) {
  Decision d;
  d.command = "approve_permit";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const WorkPermit* w = existing(d, s, permit);
  if (w == nullptr) return std::unexpected(std::move(d));
  in_state(d, *w, {PermitState::kRequested, PermitState::kExtended});
  terminal_staff(d, p, actor, terminal_of(ctx, w->asset));
  d.check(actor != w->requested_by, "approver.not_requester", std::string(actor),
          actor != w->requested_by ? "not the requester " + q(w->requested_by)
                                   : q(actor) + " requested it and cannot approve it");
  const domain::Asset* a = ctx.reg.asset(w->asset);
  if (a != nullptr) internal::actor_not_vendor(d, p, actor, a->vendor, "approver.not_vendor");
  const bool extension = w->state == PermitState::kExtended;
  if (extension && w->extension_end) {
    d.check(now < *w->extension_end, "window.valid", w->id,
            "extended end " + at(*w->extension_end) + (now < *w->extension_end ? "" : " is over"));
  } else {
    d.check(now < w->window.end, "window.valid", w->id,
            "window ends " + at(w->window.end) + (now < w->window.end ? "" : "; it is over"));
  }
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  WorkPermit& np = next.permits[w->id];
  np.approved_by = std::string(actor);
  if (extension) {
    np.window.end = np.extension_end.value_or(np.window.end);
    np.extension_end.reset();
    np.state = np.started ? PermitState::kActive : PermitState::kIssued;
    return emit(std::move(d), std::move(next), np, domain::kAccessPermitExtended,
                {{"note", note}, {"approved_by", std::string(actor)}});
  }
  np.state = PermitState::kApproved;
  return emit(std::move(d), std::move(next), np, domain::kAccessPermitApproved, {{"note", note}});
}

Outcome issue_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                     core::Timestamp now, std::string_view permit) {
  Decision d;
  d.command = "issue_permit";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const WorkPermit* w = existing(d, s, permit);
  if (w == nullptr) return std::unexpected(std::move(d));
  in_state(d, *w, {PermitState::kApproved});
  terminal_staff(d, p, actor, terminal_of(ctx, w->asset));
  d.check(now < w->window.end, "window.valid", w->id,
          "window ends " + at(w->window.end) + (now < w->window.end ? "" : "; it is over"));
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  WorkPermit& np = next.permits[w->id];
  np.issued_by = std::string(actor);
  np.state = PermitState::kIssued;
  return emit(std::move(d), std::move(next), np, domain::kAccessPermitIssued);
}

Outcome suspend_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                       core::Timestamp now, std::string_view permit, std::string reason) {
  (void)now;
  Decision d;
  d.command = "suspend_permit";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const WorkPermit* w = existing(d, s, permit);
  if (w == nullptr) return std::unexpected(std::move(d));
  in_state(d, *w, {PermitState::kIssued, PermitState::kActive, PermitState::kExtended});
  terminal_or_customs(d, p, actor, terminal_of(ctx, w->asset));
  d.check(!reason.empty(), "decision.reason", w->id,
          reason.empty() ? "a suspension must say why" : "reason given");
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  WorkPermit& np = next.permits[w->id];
  np.state = PermitState::kSuspended;
  np.extension_end.reset();
  return emit(std::move(d), std::move(next), np, domain::kAccessPermitSuspended,
              {{"reason", reason}, {"by", std::string(actor)}});
}

Outcome resume_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                      core::Timestamp now, std::string_view permit) {
  Decision d;
  d.command = "resume_permit";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const WorkPermit* w = existing(d, s, permit);
  if (w == nullptr) return std::unexpected(std::move(d));
  in_state(d, *w, {PermitState::kSuspended});
  terminal_or_customs(d, p, actor, terminal_of(ctx, w->asset));
  d.check(now < w->window.end, "window.valid", w->id,
          "window ends " + at(w->window.end) + (now < w->window.end ? "" : "; it is over"));
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  WorkPermit& np = next.permits[w->id];
  np.state = np.started ? PermitState::kActive : PermitState::kIssued;
  return emit(std::move(d), std::move(next), np, domain::kAccessPermitResumed,
              {{"by", std::string(actor)}});
}

Outcome extend_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                      core::Timestamp now, std::string_view permit, core::Timestamp new_end,
                      std::string reason) {
  Decision d;
  d.command = "extend_permit";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const WorkPermit* w = existing(d, s, permit);
  if (w == nullptr) return std::unexpected(std::move(d));
  in_state(d, *w, {PermitState::kIssued, PermitState::kActive});
  const std::string terminal = terminal_of(ctx, w->asset);
  const bool party =
      actor == w->requested_by || lists(w->people, actor) ||
      (p != nullptr && has_role(*p, Role::kTerminalStaff) && p->organisation == terminal);
  d.check(party, "actor.role", std::string(actor),
          party ? "party to the permit" : q(actor) + " is not party to the permit");
  d.check(w->window.end < new_end, "extension.later", w->id,
          "new end " + at(new_end) + (w->window.end < new_end ? " is after " : " is not after ") +
              "the current end " + at(w->window.end));
  d.check(now < w->window.end, "window.valid", w->id,
          "window ends " + at(w->window.end) + (now < w->window.end ? "" : "; it is over"));
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  WorkPermit& np = next.permits[w->id];
  np.state = PermitState::kExtended;
  np.extension_end = new_end;
  return emit(std::move(d), std::move(next), np, domain::kAccessPermitExtensionRequested,
              {{"reason", reason}, {"requested_by", std::string(actor)}});
}

Outcome close_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                     core::Timestamp now, std::string_view permit, std::string reason) {
  Decision d;
  d.command = "close_permit";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const WorkPermit* w = existing(d, s, permit);
  if (w == nullptr) return std::unexpected(std::move(d));
  d.check(w->state != PermitState::kClosed, "permit.state", w->id,
          w->state == PermitState::kClosed
              ? "permit is already closed"
              : "permit is " + std::string(domain::permit_state_name(w->state)));
  terminal_or_customs(d, p, actor, terminal_of(ctx, w->asset));
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  WorkPermit& np = next.permits[w->id];
  np.state = PermitState::kClosed;
  np.extension_end.reset();
  nlohmann::json grants = nlohmann::json::array();
  for (const auto& [rid, r] : s.requests) {
    if (r.permit != w->id) continue;
    for (const domain::Grant* g : internal::running_grants(s, rid, now)) {
      domain::Grant& ng = next.grants[g->id];
      ng.state = domain::GrantState::kClosed;
      ng.ended_at = now;
      ng.end_reason = "work permit closed: " + reason;
      grants.push_back(domain::grant_to_json(ng));
    }
  }
  return emit(std::move(d), std::move(next), np, domain::kAccessPermitClosed,
              {{"reason", reason}, {"by", std::string(actor)}, {"grants", std::move(grants)}});
}

}  // namespace pw::access
