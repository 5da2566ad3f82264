#include "http/api/internal/common.h"

#include "core/bytes.h"
#include "http/json.h"

namespace pw::http::api::internal {

using app::Action;

// A refusal of ours, journaled, with the status of its code (401 or 403).
Response refuse(Services& s, const Request& req, const std::string& who, const core::Error& e) {
  s.auth.record_denied(who.empty() ? "anonymous " + req.remote_address : who,
                       std::string(method_name(req.method)) + " " + req.route, e.message());
  return error_response(e, req.request_id);
}

std::optional<std::string> cookie(const Request& req, std::string_view name) {
  auto header = req.headers.get("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const std::size_t semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

// Who is calling: a bearer API token, or a session cookie (state-changing calls must also echo
// the session's CSRF value in X-CSRF-Token: a cross-site form cannot read it).
core::Result<Caller> authenticate(Services& s, const Request& req) {
  Caller c;
  if (auto auth = req.headers.get("Authorization")) {
    if (auth->substr(0, 7) != "Bearer ") {
      return core::unauthenticated("Authorization must be 'Bearer <token>'");
    }
    PW_ASSIGN_OR_RETURN(c.who, s.auth.authenticate_token(std::string(auth->substr(7))));
  } else if (auto token = cookie(req, kSessionCookie)) {
    PW_ASSIGN_OR_RETURN(c.who, s.auth.authenticate_session(*token));
    const bool safe = req.method == Method::kGet || req.method == Method::kHead;
    if (!safe) {
      auto csrf = req.headers.get("X-CSRF-Token");
      if (!csrf || !core::constant_time_equal(*csrf, c.who.csrf)) {
        return core::permission_denied("the X-CSRF-Token header is missing or wrong");
      }
    }
  } else {
    return core::unauthenticated("log in first (POST /v1/login) or send an API token");
  }
  // The employer matters to the scoping rules only (technicians, terminal staff); reading the
  // register for every gateway check would cost more than the check.
  if (!c.who.person.empty() &&
      (c.who.has(app::Role::kTechnician) || c.who.has(app::Role::kTerminal))) {
    PW_ASSIGN_OR_RETURN(domain::Register reg, s.reg.load());
    if (const domain::Person* p = reg.person(c.who.person)) {
      c.affiliation.organisation = p->organisation;
    }
  }
  return c;
}

using Body = std::function<Response(const Request&, const PathParams&, Caller&)>;

// A route that authenticates, authorizes `action` and then runs `body`.
Handler guarded(Services& s, Action action, Body body) {
  return [&s, action, body = std::move(body)](const Request& req, const PathParams& params) {
    auto caller = authenticate(s, req);
    if (!caller) return refuse(s, req, "", caller.error());
    if (auto st = app::authorize(caller->who, caller->affiliation, action); !st) {
      return refuse(s, req, caller->who.username, st.error());
    }
    return body(req, params, *caller);
  };
}

AsyncHandler guarded_async(Services& s, Action action, AsyncBody body) {
  return [&s, action, body = std::move(body)](const Request& req, const PathParams& params,
                                              Responder responder) {
    auto caller = authenticate(s, req);
    if (!caller) {
      responder.respond(refuse(s, req, "", caller.error()));
      return;
    }
    if (auto st = app::authorize(caller->who, caller->affiliation, action); !st) {
      responder.respond(refuse(s, req, caller->who.username, st.error()));
      return;
    }
    body(req, params, *caller, std::move(responder));
  };
}

}  // namespace pw::http::api::internal
