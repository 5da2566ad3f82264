#pragma once
// The REST API (issue 5 item 4; docs/openapi.yaml): JSON routes over the app's use cases, with
// authentication (session cookie with CSRF, or a bearer API token) and the authorization table
// of app/authz.h on every route. A refused call is journaled (auth.denied) and answered 403; an
// engine refusal comes back as 403 with the decision and every rule it checked.

#include <filesystem>

#include "app/access_service.h"
#include "app/assessment_service.h"
#include "app/auth_service.h"
#include "app/gateway_service.h"
#include "app/journal_service.h"
#include "app/procurement_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/server.h"

namespace pw::http::api {

// Borrowed: every service must outlive the server that serves the routes. All of them are safe
// to call from several I/O threads at once.
struct Services {
  app::JournalService& journal;
  app::RegisterService& reg;
  app::AssessmentService& assessments;
  app::AccessService& access;
  app::AuthService& auth;
  const core::Clock& clock;
  app::GatewayService& gateway;  // the remote-maintenance gateway's control plane
  // The buyer's procurement workflow (issue 8); nullptr: its routes answer 503.
  app::ProcurementService* procurement = nullptr;
};

// The name of the session cookie.
inline constexpr std::string_view kSessionCookie = "pw_session";

core::Status add_routes(Router& router, Services& services);

// The browser console's files (issue 7): GET / (index.html) and GET /<name> for the files
// directly in `web_dir` with a known extension (html, css, js, mjs, svg, png, ico), read at
// request time, with a strict Content-Security-Policy (scripts and styles from this origin
// only, no inline script). Anything else is 404: no directory listing, no path outside it.
core::Status add_console_files(Router& router, std::filesystem::path web_dir);

}  // namespace pw::http::api
