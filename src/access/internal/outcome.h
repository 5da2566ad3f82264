#pragma once
// Small helpers the engine's command files (engine.cc, grants.cc, suspensions.cc, permits.cc)
// share. Private to access/.

#include <string>
#include <utility>
#include <vector>

#include "access/engine.h"

namespace pw::access::internal {

// The Change when every check passed, else the Decision (fail closed: a decision with no checks
// denies).
inline Outcome finish(Decision d, AccessState next, std::vector<Event> events) {
  if (!d.allowed()) return std::unexpected(std::move(d));
  return Change{std::move(next), std::move(events), std::move(d)};
}

// "<request>#<n>", n one more than the grants the request has had.
std::string next_grant_id(const AccessState& s, const std::string& request);

// Grants resting on a request that are still running (stored active, not ended by `now`).
std::vector<const domain::Grant*> running_grants(const AccessState& s, std::string_view request,
                                                 core::Timestamp now);

// The grant `person` gets on request `r` in `mode` for `window`, with the conditions of the
// vendor's risk level and, for remote sessions, the register's remote-access policy for the asset
// (the stricter of the two).
domain::Grant make_grant(const Context& ctx, const AccessState& s, const domain::AccessRequest& r,
                         std::string person, domain::GrantMode mode, domain::Window window,
                         std::string by, core::Timestamp now);

// The ids of `grants`, as a JSON array.
nlohmann::json ids_of(const std::vector<const domain::Grant*>& grants);

}  // namespace pw::access::internal
