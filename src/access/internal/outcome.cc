// The helpers of access/internal/outcome.h: grant ids, running grants, and the grants the
// engine's commands make.
#include "access/internal/outcome.h"

#include <algorithm>
#include <utility>

#include "access/internal/rules.h"

namespace pw::access::internal {

using domain::AccessRequest;
using domain::Grant;
using domain::GrantMode;
using domain::GrantState;
using domain::RequestKind;

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

}  // namespace pw::access::internal
