// Access requests: a visit requested, approved or denied, cancelled or extended. Server-room
// entry and the grants' lifecycle are in grants.cc, suspensions and frozen assets (the kill
// switch) in suspensions.cc, work permits in permits.cc; the rules in internal/rules.cc.
#include "access/engine.h"

#include <algorithm>
#include <set>
#include <utility>

#include "access/internal/names.h"
#include "access/internal/outcome.h"
#include "access/internal/rules.h"

namespace pw::access {

using namespace internal::names;

namespace {

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

}  // namespace pw::access
