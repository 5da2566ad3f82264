#pragma once
// The state the access engine decides over (issue 5): work permits, access requests, grants,
// suspensions and frozen assets, and the events that change it. Every command of the engine
// (engine.h) returns the new state and the events that explain it; apply_event() folds one such
// event into a state, so replaying the journal's access.* events from an empty state rebuilds
// exactly the state the commands produced (the journal is the source of truth, DESIGN.md).

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/access.h"

namespace pw::access {

// One domain event to journal: its type (domain/access.h kAccess*) and payload.
struct Event {
  std::string type;
  nlohmann::json payload;
  friend bool operator==(const Event&, const Event&) = default;
};

// Records by id (ordered, so iteration and JSON are deterministic). Frozen assets by asset id.
struct AccessState {
  std::map<std::string, domain::WorkPermit, std::less<>> permits;
  std::map<std::string, domain::AccessRequest, std::less<>> requests;
  std::map<std::string, domain::Grant, std::less<>> grants;
  std::map<std::string, domain::Suspension, std::less<>> suspensions;
  std::map<std::string, domain::AssetFreeze, std::less<>> frozen;

  // nullptr when absent; the pointer lives until the state is modified.
  const domain::WorkPermit* permit(std::string_view id) const;
  const domain::AccessRequest* request(std::string_view id) const;
  const domain::Grant* grant(std::string_view id) const;
  const domain::Suspension* suspension(std::string_view id) const;
  const domain::AssetFreeze* freeze(std::string_view asset) const;

  friend bool operator==(const AccessState&, const AccessState&) = default;
};

// Applies one access.* event: upserts every record the payload carries ("permit", "request",
// "grant", "grants", "from"/"to" grants of a handover, "suspension", "freeze"; an unfreeze
// removes the asset's freeze). Unknown access.* types and malformed payloads are errors naming
// the field; the state is unchanged on error.
core::Status apply_event(AccessState& state, const Event& event);

// The suspensions in force at `t` that cover `grant` (its own id, its person or its vendor) for
// its mode, in id order.
std::vector<const domain::Suspension*> suspensions_covering(const AccessState& state,
                                                            const domain::Grant& grant,
                                                            core::Timestamp t);

// What a grant is at `t`: its stored end state (revoked, closed, expired) if it had ended by
// `t` (ended_at <= t; a grant ended by a command was running before that instant); else
// expired once t >= window.end; else suspended while a suspension covers it or the work permit
// it rests on is suspended; else active (which includes a window that has not started yet).
domain::GrantState effective_state(const AccessState& state, const domain::Grant& grant,
                                   core::Timestamp t);

}  // namespace pw::access
