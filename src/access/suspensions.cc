// The kill switch (suspensions of a person, vendor or asset, and frozen assets) and the
// housekeeping that expires grants whose window has ended.
#include <algorithm>
#include <set>
#include <utility>

#include "access/engine.h"
#include "access/internal/names.h"
#include "access/internal/outcome.h"
#include "access/internal/rules.h"

namespace pw::access {

using namespace internal::names;

// ---- Kill switch ------------------------------------------------------------------------------

Outcome suspend(const AccessState& s, const Context& ctx, std::string_view actor,
                core::Timestamp now, const SuspensionDraft& draft) {
  Decision d;
  d.command = "suspend";
  const domain::Person* p = internal::customs_actor(d, ctx, actor);
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
  internal::customs_actor(d, ctx, actor);
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
  const domain::Person* p = internal::customs_actor(d, ctx, actor);
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
  internal::customs_actor(d, ctx, actor);
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
