// Access requests, approvals, grants, server-room entry, suspensions and frozen assets. Work
// permits are in permits.cc; the rules in internal/rules.cc.

#include "access/engine.h"

#include <algorithm>
#include <set>
#include <utility>

#include "access/internal/outcome.h"
#include "access/internal/rules.h"

namespace pw::access {
namespace internal {

std::string next_grant_id(const AccessState& s, const std::string& request) {
  std::size_t n = 0;
  for (const auto& [id, g] : s.grants) n += g.request == request ? 1 : 0;
  for (;;) {
    std::string id = request + "#" + std::to_string(++n);
    if (!s.grants.contains(id)) return id;
  }
}

std::vector<const domain::Grant*> running_grants(const AccessState& s, std::string_view request,
                                                 core::Timestamp now) {
  std::vector<const domain::Grant*> out;
  for (const auto& [id, g] : s.grants) {
    if (g.request == request && g.state == domain::GrantState::kActive && now < g.window.end) {
      out.push_back(&g);
    }
  }
  return out;
}

}  // namespace internal

namespace {

using domain::AccessRequest;
using domain::Grant;
using domain::GrantMode;
using domain::GrantState;
using domain::RequestKind;
using domain::RequestState;
using domain::Role;
using internal::at;
using internal::finish;
using internal::has_role;
using internal::is_customs_staff;

using internal::exists;
using internal::lists;
using internal::q;

nlohmann::json ids_of(const std::vector<const Grant*>& grants) {
  nlohmann::json a = nlohmann::json::array();
  for (const Grant* g : grants) a.push_back(g->id);
  return a;
}

// The conditions a new grant carries, from the vendor's risk level and, for remote sessions,
// the register's remote-access policy for the asset (the stricter of the two).
Grant make_grant(const Context& ctx, const AccessState& s, const AccessRequest& r,
                 std::string person, GrantMode mode, domain::Window window, std::string by,
                 core::Timestamp now) {
  const domain::AccessConditions& c = ctx.conditions(r.vendor);
  Grant g;
  g.id = internal::next_grant_id(s, r.id);
  g.request = r.id;
  g.person = std::move(person);
  g.vendor = r.vendor;
  g.asset = r.asset;
  g.mode = mode;
  g.window = window;
  g.escorted = false;
  g.supervised = false;
  g.recorded = false;
  g.max_session_minutes = 0;
  switch (mode) {
    case GrantMode::kOnsite:
      g.escorted = c.on_site_escorted;
      break;
    case GrantMode::kServerRoom:
      g.room = r.kind == RequestKind::kServerRoom ? r.room : std::string();
      if (g.room.empty()) {
        if (const domain::Asset* a = ctx.reg.asset(r.asset)) g.room = a->room;
      }
      g.escorted = c.server_room == domain::RoomEntry::kEscorted;
      break;
    case GrantMode::kRemote: {
      const domain::Asset* a = ctx.reg.asset(r.asset);
      const domain::RemoteAccessPolicy* p = a ? internal::remote_policy(ctx.reg, *a) : nullptr;
      g.supervised = c.remote == domain::RemoteMode::kSupervised || (p && p->supervised);
      g.recorded = c.recorded || (p && p->recorded);
      g.max_session_minutes =
          p ? std::min(c.max_session_minutes, p->max_session_minutes) : c.max_session_minutes;
      break;
    }
  }
  g.state = GrantState::kActive;
  g.issued_by = std::move(by);
  g.issued_at = now;
  return g;
}

// The request's quorum roles at the vendor's risk level; an empty policy entry still needs a
// customs operator (fail closed).
std::vector<Role> quorum(const Context& ctx, const AccessRequest& r) {
  std::vector<Role> roles = ctx.conditions(r.vendor).approvals;
  if (roles.empty()) roles.push_back(Role::kCustomsOperator);
  return roles;
}

std::string roles_text(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) {
    if (!out.empty()) out += ", ";
    out += domain::role_name(r);
  }
  return out.empty() ? "none" : out;
}

// Approver rules shared by approve and deny.
void approver_rules(Decision& d, const Context& ctx, const domain::Person* p,
                    std::string_view actor, const AccessRequest& r) {
  d.check(actor != r.requester, "approver.not_requester", std::string(actor),
          actor != r.requester ? "not the requester " + q(r.requester)
                               : q(actor) + " requested it and cannot decide it (four eyes)");
  const bool tech = lists(r.technicians, actor);
  d.check(!tech, "approver.not_technician", std::string(actor),
          tech ? q(actor) + " is a technician of the request" : "not a technician of the request");
  internal::actor_not_vendor(d, p, actor, r.vendor, "approver.not_vendor");
  if (const domain::Asset* a = ctx.reg.asset(r.asset); a && a->vendor != r.vendor) {
    internal::actor_not_vendor(d, p, actor, a->vendor, "approver.not_vendor");
  }
}

}  // namespace

// ---- request_visit ----------------------------------------------------------------------------

Outcome request_visit(const AccessState& s, const Context& ctx, std::string_view actor,
                      core::Timestamp now, const VisitDraft& draft) {
  Decision d;
  d.command = "request_visit";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const bool fresh = !draft.id.empty() && s.request(draft.id) == nullptr;
  d.check(fresh, "request.id", draft.id,
          draft.id.empty() ? "the request has no id"
          : fresh          ? "new request " + q(draft.id)
                           : "request " + q(draft.id) + " already exists");
  std::set<std::string> seen(draft.technicians.begin(), draft.technicians.end());
  d.check(!draft.technicians.empty() && seen.size() == draft.technicians.size(),
          "request.technicians", draft.id,
          draft.technicians.empty()                 ? "the request names no technician"
          : seen.size() == draft.technicians.size() ? std::to_string(seen.size()) + " technician(s)"
                                                    : "a technician is named twice");
  AccessRequest r;
  r.id = draft.id;
  r.kind = draft.kind;
  r.requester = std::string(actor);
  r.technicians = draft.technicians;
  r.asset = draft.asset;
  r.room = draft.room;
  r.fault = draft.fault;
  r.permit = draft.permit;
  r.window = draft.window;
  r.reason = draft.reason;
  r.state = RequestState::kRequested;
  r.created_at = now;
  for (const std::string& t : r.technicians) {
    if (const domain::Person* tp = ctx.reg.person(t)) {
      r.vendor = tp->organisation;
      break;
    }
  }
  if (r.kind == RequestKind::kCorrective && r.fault.empty()) {
    if (const domain::WorkPermit* permit = s.permit(r.permit)) r.fault = permit->fault;
  }
  const bool may = p != nullptr && (has_role(*p, Role::kTechnician) || is_customs_staff(*p) ||
                                    has_role(*p, Role::kTerminalStaff));
  d.check(may, "actor.role", std::string(actor),
          may ? "a technician, customs staff or terminal staff may request access"
              : "only technicians, customs staff and terminal staff request access");
  if (p != nullptr) {
    const domain::Organisation* org = ctx.reg.organisation(p->organisation);
    if (org != nullptr && org->kind == domain::OrgKind::kVendor) {
      d.check(p->organisation == r.vendor, "requester.vendor", std::string(actor),
              p->organisation == r.vendor ? "requests for their own employer's technicians"
                                          : "employed by " + q(p->organisation) +
                                                ", requesting for technicians of " + q(r.vendor));
    }
  }
  internal::request_rules(d, ctx, s, now, r, r.window);
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  next.requests[r.id] = r;
  std::vector<Event> events;
  events.push_back({std::string(domain::kAccessRequestCreated),
                    {{"request", domain::request_to_json(r)}, {"decision", decision_to_json(d)}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

// ---- approve / deny ---------------------------------------------------------------------------

Outcome approve(const AccessState& s, const Context& ctx, std::string_view actor,
                core::Timestamp now, std::string_view request, std::string note) {
  Decision d;
  d.command = "approve";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const AccessRequest* r = s.request(request);
  if (!exists(d, r, "request", request)) {
    return std::unexpected(std::move(d));
  }
  const bool extension = r->state == RequestState::kApproved && r->extension_end.has_value();
  const bool open = r->state == RequestState::kRequested || extension;
  d.check(open, "request.state", r->id,
          extension ? "an extension to " + at(*r->extension_end) + " awaits approval"
          : open    ? "requested, awaiting approval"
                    : "request is " + std::string(domain::request_state_name(r->state)) +
                       ", nothing to approve");
  const domain::Window w =
      extension ? domain::Window{r->window.start, *r->extension_end} : r->window;
  approver_rules(d, ctx, p, actor, *r);

  // Quorum: one distinct person per role; the approver fills a role still open this round.
  const std::vector<Role> need = quorum(ctx, *r);
  std::vector<Role> open_roles = need;
  bool twice = false;
  for (const domain::Approval& a : r->approvals) {
    if (a.round != r->round || a.decision != domain::ApprovalDecision::kApprove) continue;
    twice = twice || a.by == actor;
    if (auto it = std::find(open_roles.begin(), open_roles.end(), a.role); it != open_roles.end()) {
      open_roles.erase(it);
    }
  }
  d.check(!twice, "approver.not_twice", std::string(actor),
          twice ? q(actor) + " already approved round " + std::to_string(r->round) +
                      "; the quorum needs distinct people"
                : "first approval by " + q(actor) + " in round " + std::to_string(r->round));
  std::optional<Role> fills;
  if (p != nullptr) {
    for (Role role : open_roles) {
      if (has_role(*p, role)) {
        fills = role;
        break;
      }
    }
  }
  const std::string level(domain::risk_level_name(ctx.risk_of(r->vendor)));
  d.check(fills.has_value(), "approver.role", std::string(actor),
          fills ? "fills the quorum's " + std::string(domain::role_name(*fills)) + " (risk level " +
                      level + " needs " + roles_text(need) + ")"
                : q(actor) + " holds none of the roles still open (" + roles_text(open_roles) +
                      "; risk level " + level + " needs " + roles_text(need) + ")");
  if (open) internal::request_rules(d, ctx, s, now, *r, w);
  if (!d.allowed()) return std::unexpected(std::move(d));

  AccessState next = s;
  AccessRequest& nr = next.requests[r->id];
  domain::Approval approval{std::string(actor), *fills,  now, domain::ApprovalDecision::kApprove,
                            std::move(note),    r->round};
  nr.approvals.push_back(approval);
  const bool complete = open_roles.size() == 1;
  std::vector<Event> events;
  std::vector<Grant> issued;
  std::vector<Grant> extended;
  std::optional<domain::WorkPermit> activated;
  if (complete && extension) {
    nr.window.end = *nr.extension_end;
    nr.extension_end.reset();
    for (const Grant* g : internal::running_grants(s, r->id, now)) {
      Grant& ng = next.grants[g->id];
      ng.window.end = nr.window.end;
      extended.push_back(ng);
    }
  } else if (complete) {
    nr.state = RequestState::kApproved;
    if (r->kind != RequestKind::kServerRoom) {
      for (const std::string& t : r->technicians) {
        Grant g = make_grant(ctx, next, nr, t, internal::mode_of(r->kind), r->window,
                             std::string(actor), now);
        next.grants[g.id] = g;
        issued.push_back(std::move(g));
      }
    }
    if (r->kind == RequestKind::kCorrective) {
      auto it = next.permits.find(r->permit);
      if (it != next.permits.end() && !it->second.started) {
        it->second.started = true;
        if (it->second.state == domain::PermitState::kIssued) {
          it->second.state = domain::PermitState::kActive;
        }
        activated = it->second;
      }
    }
  }
  events.push_back({std::string(domain::kAccessApproved),
                    {{"request", domain::request_to_json(nr)},
                     {"approval", domain::approval_to_json(approval)},
                     {"complete", complete},
                     {"decision", decision_to_json(d)}}});
  for (const Grant& g : issued) {
    events.push_back(
        {std::string(domain::kAccessGrantIssued), {{"grant", domain::grant_to_json(g)}}});
  }
  if (!extended.empty()) {
    nlohmann::json grants = nlohmann::json::array();
    for (const Grant& g : extended) grants.push_back(domain::grant_to_json(g));
    events.push_back({std::string(domain::kAccessGrantExtended),
                      {{"grants", std::move(grants)},
                       {"request_id", r->id},
                       {"previous_end", at(r->window.end)},
                       {"new_end", at(nr.window.end)}}});
  }
  if (activated) {
    events.push_back({std::string(domain::kAccessPermitActivated),
                      {{"permit", domain::permit_to_json(*activated)}, {"request_id", r->id}}});
  }
  return finish(std::move(d), std::move(next), std::move(events));
}

Outcome deny(const AccessState& s, const Context& ctx, std::string_view actor, core::Timestamp now,
             std::string_view request, std::string note) {
  Decision d;
  d.command = "deny";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const AccessRequest* r = s.request(request);
  if (!exists(d, r, "request", request)) {
    return std::unexpected(std::move(d));
  }
  const bool extension = r->state == RequestState::kApproved && r->extension_end.has_value();
  const bool open = r->state == RequestState::kRequested || extension;
  d.check(open, "request.state", r->id,
          open ? "awaiting a decision"
               : "request is " + std::string(domain::request_state_name(r->state)));
  internal::actor_role(d, p, actor, {Role::kCustomsOperator, Role::kSecurityOfficer},
                       "a customs operator or security officer");
  approver_rules(d, ctx, p, actor, *r);
  d.check(!note.empty(), "decision.reason", r->id,
          note.empty() ? "a denial must say why" : "reason given");
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  AccessRequest& nr = next.requests[r->id];
  const Role role =
      has_role(*p, Role::kCustomsOperator) ? Role::kCustomsOperator : Role::kSecurityOfficer;
  domain::Approval denial{
      std::string(actor), role, now, domain::ApprovalDecision::kDeny, note, r->round};
  nr.approvals.push_back(denial);
  if (extension) {
    nr.extension_end.reset();
  } else {
    nr.state = RequestState::kDenied;
  }
  std::vector<Event> events;
  events.push_back({std::string(domain::kAccessDenied),
                    {{"request", domain::request_to_json(nr)},
                     {"approval", domain::approval_to_json(denial)},
                     {"extension", extension}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

// ---- cancel / extend --------------------------------------------------------------------------

Outcome cancel(const AccessState& s, const Context& ctx, std::string_view actor,
               core::Timestamp now, std::string_view request, std::string reason) {
  Decision d;
  d.command = "cancel";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const AccessRequest* r = s.request(request);
  if (!exists(d, r, "request", request)) {
    return std::unexpected(std::move(d));
  }
  const bool own = actor == r->requester || lists(r->technicians, actor);
  const bool staff = p != nullptr && is_customs_staff(*p);
  d.check(own || staff, "actor.role", std::string(actor),
          own     ? "the requester or a technician of the request"
          : staff ? "customs staff"
                  : q(actor) + " is neither party to the request nor customs staff");
  const bool live = r->state == RequestState::kRequested || r->state == RequestState::kApproved;
  d.check(live, "request.state", r->id,
          "request is " + std::string(domain::request_state_name(r->state)));
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  next.requests[r->id].state = RequestState::kCancelled;
  next.requests[r->id].extension_end.reset();
  nlohmann::json grants = nlohmann::json::array();
  for (const Grant* g : internal::running_grants(s, r->id, now)) {
    Grant& ng = next.grants[g->id];
    ng.state = GrantState::kClosed;
    ng.ended_at = now;
    ng.end_reason = "request cancelled: " + reason;
    grants.push_back(domain::grant_to_json(ng));
  }
  std::vector<Event> events;
  events.push_back({std::string(domain::kAccessRequestCancelled),
                    {{"request", domain::request_to_json(next.requests[r->id])},
                     {"grants", std::move(grants)},
                     {"reason", reason}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

Outcome extend(const AccessState& s, const Context& ctx, std::string_view actor,
               core::Timestamp now, std::string_view request, core::Timestamp new_end,
               std::string reason) {
  Decision d;
  d.command = "extend";
  internal::actor(d, ctx, actor);
  const AccessRequest* r = s.request(request);
  if (!exists(d, r, "request", request)) {
    return std::unexpected(std::move(d));
  }
  const bool own = actor == r->requester || lists(r->technicians, actor);
  d.check(own, "actor.role", std::string(actor),
          own ? "the requester or a technician of the request"
              : q(actor) +
                    " is not party to the request (customs approves extensions, it does "
                    "not ask for them)");
  d.check(r->state == RequestState::kApproved && !r->extension_end, "request.state", r->id,
          r->extension_end ? "an extension already awaits approval"
                           : "request is " + std::string(domain::request_state_name(r->state)) +
                                 (r->state == RequestState::kApproved ? ""
                                                                      : "; only an approved "
                                                                        "request is extended"));
  d.check(r->window.end < new_end, "extension.later", r->id,
          "new end " + at(new_end) + (r->window.end < new_end ? " is after " : " is not after ") +
              "the current end " + at(r->window.end));
  const domain::Window w{r->window.start, new_end};
  internal::request_rules(d, ctx, s, now, *r, w);
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  AccessRequest& nr = next.requests[r->id];
  nr.extension_end = new_end;
  nr.round += 1;
  std::vector<Event> events;
  events.push_back({std::string(domain::kAccessExtensionRequested),
                    {{"request", domain::request_to_json(nr)},
                     {"reason", reason},
                     {"requested_by", std::string(actor)},
                     {"decision", decision_to_json(d)}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

// ---- Server-room entry ------------------------------------------------------------------------

Outcome check_in(const AccessState& s, const Context& ctx, std::string_view actor,
                 core::Timestamp now, std::string_view request, std::string_view person) {
  Decision d;
  d.command = "check_in";
  const domain::Person* p = internal::actor(d, ctx, actor);
  internal::actor_role(d, p, actor, {Role::kCustomsOperator},
                       "a customs system operator (Q12: the operator grants server-room entry)");
  d.check(actor != person, "actor.not_subject", std::string(actor),
          actor != person ? "checks in someone else" : "nobody checks themselves in");
  const AccessRequest* r = s.request(request);
  if (!exists(d, r, "request", request)) {
    return std::unexpected(std::move(d));
  }
  internal::actor_not_vendor(d, p, actor, r->vendor);
  // The room: a server-room request's, or the server room an onsite visit's asset stands in.
  std::string room = r->room;
  if (r->kind != RequestKind::kServerRoom) {
    const domain::Asset* a = ctx.reg.asset(r->asset);
    room = a != nullptr ? a->room : std::string();
  }
  const domain::Room* rm = room.empty() ? nullptr : ctx.reg.room(room);
  const bool room_ok =
      r->kind != RequestKind::kRemote && rm != nullptr && rm->kind == domain::RoomKind::kServerRoom;
  d.check(room_ok, "room.exists", room,
          room_ok ? "server room " + q(room)
          : r->kind == RequestKind::kRemote
              ? "a remote request does not open a room"
              : "request " + q(r->id) + " is not for a server room or an asset in one");
  d.check(r->state == RequestState::kApproved, "request.state", r->id,
          "request is " + std::string(domain::request_state_name(r->state)));
  d.check(r->window.contains(now), "window.now", r->id,
          "window " + at(r->window.start) + " .. " + at(r->window.end) +
              (r->window.contains(now) ? " contains " : " does not contain ") + "now " + at(now));
  const bool named = lists(r->technicians, person);
  d.check(named, "request.names_person", std::string(person),
          named ? "named on request " + q(r->id) : "not a technician of request " + q(r->id));
  const domain::AccessConditions& c = ctx.conditions(r->vendor);
  d.check(c.server_room != domain::RoomEntry::kRefused, "room.entry", r->vendor,
          "server-room entry at risk level " + std::string(domain::risk_level_name(c.level)) +
              " is " + std::string(domain::room_entry_name(c.server_room)));
  bool inside = false;
  for (const auto& [id, g] : s.grants) {
    inside =
        inside || (g.person == person && g.mode == GrantMode::kServerRoom && g.room == room &&
                   effective_state(s, g, now) == GrantState::kActive && g.window.contains(now));
  }
  d.check(!inside, "grant.not_checked_in", std::string(person),
          inside ? q(person) + " is already checked in to " + q(room) : "not checked in yet");
  const domain::Window w{now, r->window.end};
  AccessRequest as_room = *r;
  as_room.kind = RequestKind::kServerRoom;
  as_room.room = room;
  if (!r->asset.empty()) internal::not_frozen(d, s, r->asset);
  if (now < w.end) {
    internal::not_suspended(d, s, domain::SuspensionScope::kVendor, r->vendor,
                            GrantMode::kServerRoom, now, w);
    internal::person_rules(d, ctx, s, now, as_room, person, w);
  }
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  Grant g = make_grant(ctx, next, as_room, std::string(person), GrantMode::kServerRoom, w,
                       std::string(actor), now);
  g.room = room;
  next.grants[g.id] = g;
  std::vector<Event> events;
  events.push_back({std::string(domain::kAccessCheckedIn),
                    {{"grant", domain::grant_to_json(g)}, {"decision", decision_to_json(d)}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

namespace {

// Shared by check_out, close and revoke: the grant exists and is still stored active.
const Grant* live_grant(Decision& d, const AccessState& s, std::string_view grant) {
  const Grant* g = s.grant(grant);
  if (!exists(d, g, "grant", grant)) {
    return nullptr;
  }
  d.check(g->state == GrantState::kActive, "grant.state", g->id,
          "grant is " + std::string(domain::grant_state_name(g->state)));
  return g;
}

Outcome end_grant(const AccessState& s, Decision d, const Grant& g, core::Timestamp now,
                  GrantState to, std::string why, std::string_view type, std::string reason) {
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  Grant& ng = next.grants[g.id];
  ng.state = to;
  ng.ended_at = now;
  ng.end_reason = std::move(why);
  std::vector<Event> events;
  events.push_back({std::string(type), {{"grant", domain::grant_to_json(ng)}, {"reason", reason}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

}  // namespace

Outcome check_out(const AccessState& s, const Context& ctx, std::string_view actor,
                  core::Timestamp now, std::string_view grant) {
  Decision d;
  d.command = "check_out";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const Grant* g = live_grant(d, s, grant);
  if (g == nullptr) return std::unexpected(std::move(d));
  d.check(g->mode == GrantMode::kServerRoom, "grant.mode", g->id,
          "grant is " + std::string(domain::grant_mode_name(g->mode)));
  const bool ok = actor == g->person || (p != nullptr && has_role(*p, Role::kCustomsOperator));
  d.check(ok, "actor.role", std::string(actor),
          ok ? "the holder or a customs operator"
             : q(actor) + " is neither the holder nor a customs operator");
  return end_grant(s, std::move(d), *g, now, GrantState::kClosed,
                   "checked out by " + std::string(actor), domain::kAccessCheckedOut, "");
}

// ---- Grants -----------------------------------------------------------------------------------

Outcome hand_over(const AccessState& s, const Context& ctx, std::string_view actor,
                  core::Timestamp now, std::string_view grant, std::string_view to_person,
                  std::string reason) {
  Decision d;
  d.command = "hand_over";
  const domain::Person* p = internal::actor(d, ctx, actor);
  internal::actor_role(d, p, actor, {Role::kCustomsOperator, Role::kSecurityOfficer},
                       "a customs operator or security officer");
  const Grant* g = s.grant(grant);
  if (!exists(d, g, "grant", grant)) {
    return std::unexpected(std::move(d));
  }
  internal::actor_not_vendor(d, p, actor, g->vendor);
  const GrantState eff = effective_state(s, *g, now);
  d.check(eff == GrantState::kActive, "grant.state", g->id,
          "grant is " + std::string(domain::grant_state_name(eff)) + " at " + at(now));
  d.check(g->window.start <= now, "grant.started", g->id,
          g->window.start <= now ? "started at " + at(g->window.start)
                                 : "starts at " + at(g->window.start) +
                                       "; a grant that has not started is not handed over");
  d.check(to_person != g->person, "handover.other_person", std::string(to_person),
          to_person != g->person ? "from " + q(g->person) + " to " + q(to_person)
                                 : "handing a grant to its own holder");
  const AccessRequest* r = s.request(g->request);
  if (!d.check(r != nullptr, "request.exists", g->request, "request " + q(g->request))) {
    return std::unexpected(std::move(d));
  }
  const domain::Window w{std::max(now, g->window.start), g->window.end};
  AccessRequest as_grant = *r;
  if (g->mode == GrantMode::kServerRoom) {
    as_grant.kind = RequestKind::kServerRoom;
    as_grant.room = g->room;
  }
  if (w.start < w.end) {
    internal::person_rules(d, ctx, s, now, as_grant, to_person, w);
    internal::not_suspended(d, s, domain::SuspensionScope::kVendor, g->vendor, g->mode, now, w);
  }
  if (!g->asset.empty()) internal::not_frozen(d, s, g->asset);
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  Grant& old = next.grants[g->id];
  old.state = GrantState::kClosed;
  old.ended_at = now;
  old.end_reason = "handed over to " + std::string(to_person) + ": " + reason;
  Grant fresh = *g;
  fresh.id = internal::next_grant_id(next, g->request);
  fresh.person = std::string(to_person);
  fresh.window = w;
  fresh.state = GrantState::kActive;
  fresh.handed_over_from = g->id;
  fresh.issued_by = std::string(actor);
  fresh.issued_at = now;
  fresh.ended_at.reset();
  fresh.end_reason.clear();
  next.grants[fresh.id] = fresh;
  AccessRequest& nr = next.requests[r->id];
  if (!lists(nr.technicians, to_person)) nr.technicians.emplace_back(to_person);
  std::vector<Event> events;
  events.push_back({std::string(domain::kAccessGrantHandedOver),
                    {{"grants", {domain::grant_to_json(old), domain::grant_to_json(fresh)}},
                     {"request", domain::request_to_json(nr)},
                     {"from_id", old.id},
                     {"to_id", fresh.id},
                     {"reason", reason},
                     {"decision", decision_to_json(d)}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

Outcome close(const AccessState& s, const Context& ctx, std::string_view actor, core::Timestamp now,
              std::string_view grant, std::string reason) {
  Decision d;
  d.command = "close";
  const domain::Person* p = internal::actor(d, ctx, actor);
  const Grant* g = live_grant(d, s, grant);
  if (g == nullptr) return std::unexpected(std::move(d));
  const bool ok = actor == g->person || (p != nullptr && is_customs_staff(*p));
  d.check(
      ok, "actor.role", std::string(actor),
      ok ? "the holder or customs staff" : q(actor) + " is neither the holder nor customs staff");
  return end_grant(s, std::move(d), *g, now, GrantState::kClosed,
                   "closed by " + std::string(actor) + ": " + reason, domain::kAccessGrantClosed,
                   reason);
}

Outcome revoke(const AccessState& s, const Context& ctx, std::string_view actor,
               core::Timestamp now, std::string_view grant, std::string reason) {
  Decision d;
  d.command = "revoke";
  const domain::Person* p = internal::actor(d, ctx, actor);
  internal::actor_role(d, p, actor, {Role::kCustomsOperator, Role::kSecurityOfficer},
                       "a customs operator or security officer");
  const Grant* g = live_grant(d, s, grant);
  if (g == nullptr) return std::unexpected(std::move(d));
  internal::actor_not_vendor(d, p, actor, g->vendor);
  d.check(!reason.empty(), "decision.reason", g->id,
          reason.empty() ? "a revocation must say why" : "reason given");
  return end_grant(s, std::move(d), *g, now, GrantState::kRevoked,
                   "revoked by " + std::string(actor) + ": " + reason, domain::kAccessGrantRevoked,
                   reason);
}

// ---- Kill switch ------------------------------------------------------------------------------

Outcome suspend(const AccessState& s, const Context& ctx, std::string_view actor,
                core::Timestamp now, const SuspensionDraft& draft) {
  Decision d;
  d.command = "suspend";
  const domain::Person* p = internal::actor(d, ctx, actor);
  internal::actor_role(d, p, actor, {Role::kCustomsOperator, Role::kSecurityOfficer},
                       "a customs operator or security officer");
  const bool fresh = !draft.id.empty() && s.suspension(draft.id) == nullptr;
  d.check(fresh, "suspension.id", draft.id,
          draft.id.empty() ? "the suspension has no id"
          : fresh          ? "new suspension " + q(draft.id)
                           : "suspension " + q(draft.id) + " already exists");
  std::string vendor;  // the vendor concerned
  bool known = false;
  switch (draft.scope) {
    case domain::SuspensionScope::kVendor: {
      const domain::Organisation* o = ctx.reg.organisation(draft.subject);
      known = o != nullptr && o->kind == domain::OrgKind::kVendor;
      vendor = draft.subject;
      break;
    }
    case domain::SuspensionScope::kPerson:
      if (const domain::Person* x = ctx.reg.person(draft.subject)) {
        known = true;
        vendor = x->organisation;
      }
      break;
    case domain::SuspensionScope::kGrant:
      if (const Grant* g = s.grant(draft.subject)) {
        known = true;
        vendor = g->vendor;
      }
      break;
  }
  d.check(known, "suspension.subject", draft.subject,
          std::string(domain::suspension_scope_name(draft.scope)) + " " + q(draft.subject) +
              (known ? "" : " is not known"));
  internal::actor_not_vendor(d, p, actor, vendor);
  d.check(!draft.reason.empty(), "decision.reason", draft.id,
          draft.reason.empty() ? "a suspension must say why" : "reason given");
  const core::Timestamp from = draft.from.value_or(now);
  d.check(now <= from, "suspension.from", draft.id,
          now <= from ? "in force from " + at(from)
                      : "from " + at(from) + " is before now " + at(now) +
                            "; a suspension cannot act in the past");
  if (draft.until) {
    d.check(from < *draft.until, "suspension.until", draft.id,
            "until " + at(*draft.until) + (from < *draft.until ? " is after " : " is not after ") +
                "from " + at(from));
  }
  if (!d.allowed()) return std::unexpected(std::move(d));
  domain::Suspension x;
  x.id = draft.id;
  x.scope = draft.scope;
  x.subject = draft.subject;
  x.modes = draft.modes;
  x.reason = draft.reason;
  x.from = from;
  x.until = draft.until;
  x.by = std::string(actor);
  x.created_at = now;
  AccessState next = s;
  next.suspensions[x.id] = x;
  // The grants it cuts: running or scheduled grants it covers whose window reaches past `from`.
  std::vector<const Grant*> cut;
  for (const auto& [id, g] : next.grants) {
    if (g.state != GrantState::kActive || g.window.end <= from) continue;
    const domain::Window rest{std::max(from, g.window.start), g.window.end};
    for (const domain::Suspension* y : suspensions_covering(next, g, rest.start)) {
      if (y->id == x.id) {
        cut.push_back(&g);
        break;
      }
    }
  }
  std::vector<Event> events;
  events.push_back(
      {std::string(domain::kAccessSuspended),
       {{"suspension", domain::suspension_to_json(x)}, {"affected_grants", ids_of(cut)}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

Outcome resume(const AccessState& s, const Context& ctx, std::string_view actor,
               core::Timestamp now, std::string_view suspension, std::string reason) {
  Decision d;
  d.command = "resume";
  const domain::Person* p = internal::actor(d, ctx, actor);
  internal::actor_role(d, p, actor, {Role::kCustomsOperator, Role::kSecurityOfficer},
                       "a customs operator or security officer");
  const domain::Suspension* x = s.suspension(suspension);
  if (!d.check(
          x != nullptr, "suspension.exists", std::string(suspension),
          x ? "suspension " + q(suspension) : "suspension " + q(suspension) + " does not exist")) {
    return std::unexpected(std::move(d));
  }
  const bool live = !x->until || now < *x->until;
  d.check(live, "suspension.state", x->id,
          live ? "in force or scheduled" : "already ended at " + at(*x->until));
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  domain::Suspension& nx = next.suspensions[x->id];
  nx.until = std::max(now, nx.from);
  std::vector<Event> events;
  events.push_back({std::string(domain::kAccessResumed),
                    {{"suspension", domain::suspension_to_json(nx)},
                     {"reason", reason},
                     {"resumed_by", std::string(actor)}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

Outcome freeze_asset(const AccessState& s, const Context& ctx, std::string_view actor,
                     core::Timestamp now, std::string_view asset, std::string reason) {
  Decision d;
  d.command = "freeze_asset";
  const domain::Person* p = internal::actor(d, ctx, actor);
  internal::actor_role(d, p, actor, {Role::kCustomsOperator, Role::kSecurityOfficer},
                       "a customs operator or security officer");
  const domain::Asset* a = ctx.reg.asset(asset);
  d.check(a != nullptr, "asset.exists", std::string(asset),
          a ? "asset " + q(asset) : "asset " + q(asset) + " is not in the register");
  d.check(s.freeze(asset) == nullptr, "asset.not_frozen", std::string(asset),
          s.freeze(asset) ? "asset is already frozen" : "asset is not frozen yet");
  if (a != nullptr) internal::actor_not_vendor(d, p, actor, a->vendor);
  d.check(!reason.empty(), "decision.reason", std::string(asset),
          reason.empty() ? "a freeze must say why" : "reason given");
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  domain::AssetFreeze f{std::string(asset), reason, std::string(actor), now};
  next.frozen[f.asset] = f;
  std::vector<const Grant*> cut;
  for (const auto& [id, g] : next.grants) {
    if (g.state == GrantState::kActive && now < g.window.end && g.asset == asset) cut.push_back(&g);
  }
  std::vector<Event> events;
  events.push_back(
      {std::string(domain::kAccessAssetFrozen),
       {{"freeze", domain::asset_freeze_to_json(f)}, {"affected_grants", ids_of(cut)}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

Outcome unfreeze_asset(const AccessState& s, const Context& ctx, std::string_view actor,
                       core::Timestamp now, std::string_view asset, std::string reason) {
  Decision d;
  d.command = "unfreeze_asset";
  const domain::Person* p = internal::actor(d, ctx, actor);
  internal::actor_role(d, p, actor, {Role::kCustomsOperator, Role::kSecurityOfficer},
                       "a customs operator or security officer");
  d.check(s.freeze(asset) != nullptr, "asset.frozen", std::string(asset),
          s.freeze(asset) ? "asset is frozen" : "asset is not frozen");
  d.check(!reason.empty(), "decision.reason", std::string(asset),
          reason.empty() ? "lifting a freeze must say why" : "reason given");
  if (!d.allowed()) return std::unexpected(std::move(d));
  AccessState next = s;
  next.frozen.erase(std::string(asset));
  std::vector<Event> events;
  events.push_back({std::string(domain::kAccessAssetUnfrozen),
                    {{"asset", std::string(asset)},
                     {"reason", reason},
                     {"by", std::string(actor)},
                     {"at", at(now)}}});
  return finish(std::move(d), std::move(next), std::move(events));
}

// ---- Housekeeping -----------------------------------------------------------------------------

Change expire(const AccessState& s, core::Timestamp now) {
  Change c;
  c.state = s;
  c.decision.command = "expire";
  std::size_t n = 0;
  for (auto& [id, g] : c.state.grants) {
    if (g.state != GrantState::kActive || now < g.window.end) continue;
    g.state = GrantState::kExpired;
    g.ended_at = g.window.end;
    g.end_reason = "window ended";
    c.events.push_back(
        {std::string(domain::kAccessGrantExpired), {{"grant", domain::grant_to_json(g)}}});
    ++n;
  }
  c.decision.pass("grants.expired", "", std::to_string(n) + " grant(s) ended by " + at(now));
  return c;
}

}  // namespace pw::access
