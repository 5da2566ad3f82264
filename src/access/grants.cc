// Server-room entry and the lifecycle of grants: check-in (which makes the grant), check-out,
// hand-over, close and revoke.
#include <algorithm>
#include <set>
#include <utility>

#include "access/engine.h"
#include "access/internal/names.h"
#include "access/internal/outcome.h"
#include "access/internal/rules.h"

namespace pw::access {

using namespace internal::names;

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
  const domain::Person* p = internal::customs_actor(d, ctx, actor);
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
  const domain::Person* p = internal::customs_actor(d, ctx, actor);
  const Grant* g = live_grant(d, s, grant);
  if (g == nullptr) return std::unexpected(std::move(d));
  internal::actor_not_vendor(d, p, actor, g->vendor);
  d.check(!reason.empty(), "decision.reason", g->id,
          reason.empty() ? "a revocation must say why" : "reason given");
  return end_grant(s, std::move(d), *g, now, GrantState::kRevoked,
                   "revoked by " + std::string(actor) + ": " + reason, domain::kAccessGrantRevoked,
                   reason);
}

}  // namespace pw::access
