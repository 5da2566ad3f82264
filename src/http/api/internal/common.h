#pragma once
// What the API's route files share (private to http/api): the caller, authentication, the
// wrapper that authenticates and authorizes a route, and journaled refusals.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/authz.h"
#include "http/api/api.h"

namespace pw::http::api::internal {

struct Caller {
  app::Principal who;
  app::Affiliation affiliation;
};

// A refusal of ours, journaled, with the status of its code (401 or 403).
Response refuse(Services& s, const Request& req, const std::string& who, const core::Error& e);

std::optional<std::string> cookie(const Request& req, std::string_view name);

// Who is calling: a bearer API token, or a session cookie (state-changing calls must also echo
// the session's CSRF value in X-CSRF-Token: a cross-site form cannot read it).
core::Result<Caller> authenticate(Services& s, const Request& req);

using Body = std::function<Response(const Request&, const PathParams&, Caller&)>;

// A route that authenticates, authorizes `action` and then runs `body`.
Handler guarded(Services& s, app::Action action, Body body);

// The access, work-permit and kill-switch routes (api_access.cc).
core::Status add_access_routes(Router& router, Services& s);

// The remote-maintenance gateway's routes (api_gateway.cc).
core::Status add_gateway_routes(Router& router, Services& s);

}  // namespace pw::http::api::internal
