#include "access/state.h"

#include <algorithm>
#include <array>
#include <utility>

namespace pw::access {
namespace {

using domain::Grant;
using domain::GrantState;
using domain::Suspension;

template <typename Map>
auto find_in(const Map& m, std::string_view id) -> decltype(&m.begin()->second) {
  auto it = m.find(id);
  return it == m.end() ? nullptr : &it->second;
}

constexpr std::array<std::string_view, 26> kTypes{
    domain::kAccessPermitRequested,
    domain::kAccessPermitApproved,
    domain::kAccessPermitIssued,
    domain::kAccessPermitActivated,
    domain::kAccessPermitSuspended,
    domain::kAccessPermitResumed,
    domain::kAccessPermitExtensionRequested,
    domain::kAccessPermitExtended,
    domain::kAccessPermitClosed,
    domain::kAccessRequestCreated,
    domain::kAccessApproved,
    domain::kAccessDenied,
    domain::kAccessRequestCancelled,
    domain::kAccessExtensionRequested,
    domain::kAccessGrantIssued,
    domain::kAccessGrantExtended,
    domain::kAccessGrantHandedOver,
    domain::kAccessGrantClosed,
    domain::kAccessGrantRevoked,
    domain::kAccessGrantExpired,
    domain::kAccessCheckedIn,
    domain::kAccessCheckedOut,
    domain::kAccessSuspended,
    domain::kAccessResumed,
    domain::kAccessAssetFrozen,
    domain::kAccessAssetUnfrozen,
};

core::Status with_type(const core::Status& s, std::string_view type) {
  if (s) return s;
  return std::unexpected(s.error().with_context(std::string(type)));
}

}  // namespace

const domain::WorkPermit* AccessState::permit(std::string_view id) const {
  return find_in(permits, id);
}
const domain::AccessRequest* AccessState::request(std::string_view id) const {
  return find_in(requests, id);
}
const domain::Grant* AccessState::grant(std::string_view id) const {
  return find_in(grants, id);
}
const domain::Suspension* AccessState::suspension(std::string_view id) const {
  return find_in(suspensions, id);
}
const domain::AssetFreeze* AccessState::freeze(std::string_view asset) const {
  return find_in(frozen, asset);
}

core::Status apply_event(AccessState& state, const Event& event) {
  const std::string_view type = event.type;
  if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end()) {
    return core::invalid_argument("type: '" + event.type + "' is not an access event type");
  }
  const nlohmann::json& p = event.payload;
  if (!p.is_object()) return core::invalid_argument(event.type + ": payload is not an object");
  // Parse everything first, then apply, so that a bad payload leaves the state unchanged.
  std::vector<domain::WorkPermit> permits;
  std::vector<domain::AccessRequest> requests;
  std::vector<Grant> grants;
  std::vector<Suspension> suspensions;
  std::vector<domain::AssetFreeze> freezes;
  std::string unfreeze;
  if (auto it = p.find("permit"); it != p.end()) {
    auto r = domain::permit_from_json(*it);
    if (!r) return with_type(std::unexpected(r.error()), type);
    permits.push_back(std::move(*r));
  }
  if (auto it = p.find("request"); it != p.end()) {
    auto r = domain::request_from_json(*it);
    if (!r) return with_type(std::unexpected(r.error()), type);
    requests.push_back(std::move(*r));
  }
  if (auto it = p.find("grant"); it != p.end()) {
    auto r = domain::grant_from_json(*it);
    if (!r) return with_type(std::unexpected(r.error()), type);
    grants.push_back(std::move(*r));
  }
  if (auto it = p.find("grants"); it != p.end()) {
    if (!it->is_array()) return core::invalid_argument(event.type + ": grants: expected an array");
    for (const nlohmann::json& g : *it) {
      auto r = domain::grant_from_json(g);
      if (!r) return with_type(std::unexpected(r.error()), type);
      grants.push_back(std::move(*r));
    }
  }
  if (auto it = p.find("suspension"); it != p.end()) {
    auto r = domain::suspension_from_json(*it);
    if (!r) return with_type(std::unexpected(r.error()), type);
    suspensions.push_back(std::move(*r));
  }
  if (type == domain::kAccessAssetFrozen) {
    auto it = p.find("freeze");
    if (it == p.end()) return core::invalid_argument(event.type + ": freeze: is required");
    auto r = domain::asset_freeze_from_json(*it);
    if (!r) return with_type(std::unexpected(r.error()), type);
    freezes.push_back(std::move(*r));
  }
  if (type == domain::kAccessAssetUnfrozen) {
    auto it = p.find("asset");
    if (it == p.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return core::invalid_argument(event.type + ": asset: expected a non-empty string");
    }
    unfreeze = it->get<std::string>();
  }
  for (auto& x : permits) state.permits[x.id] = std::move(x);
  for (auto& x : requests) state.requests[x.id] = std::move(x);
  for (auto& x : grants) state.grants[x.id] = std::move(x);
  for (auto& x : suspensions) state.suspensions[x.id] = std::move(x);
  for (auto& x : freezes) state.frozen[x.asset] = std::move(x);
  if (!unfreeze.empty()) state.frozen.erase(unfreeze);
  return core::ok();
}

std::vector<const Suspension*> suspensions_covering(const AccessState& state, const Grant& grant,
                                                    core::Timestamp t) {
  std::vector<const Suspension*> out;
  for (const auto& [id, s] : state.suspensions) {
    if (!s.in_force(t) || !s.applies_to(grant.mode)) continue;
    const bool hit = (s.scope == domain::SuspensionScope::kGrant && s.subject == grant.id) ||
                     (s.scope == domain::SuspensionScope::kPerson && s.subject == grant.person) ||
                     (s.scope == domain::SuspensionScope::kVendor && s.subject == grant.vendor);
    if (hit) out.push_back(&s);
  }
  return out;
}

GrantState effective_state(const AccessState& state, const Grant& grant, core::Timestamp t) {
  if (grant.state != GrantState::kActive && grant.state != GrantState::kSuspended &&
      !(grant.ended_at && t < *grant.ended_at)) {
    return grant.state;
  }
  if (t >= grant.window.end) return GrantState::kExpired;
  if (!suspensions_covering(state, grant, t).empty()) return GrantState::kSuspended;
  if (const domain::AccessRequest* r = state.request(grant.request); r && !r->permit.empty()) {
    const domain::WorkPermit* p = state.permit(r->permit);
    if (!p || p->state == domain::PermitState::kSuspended) return GrantState::kSuspended;
  }
  return GrantState::kActive;
}

}  // namespace pw::access
