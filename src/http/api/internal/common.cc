#include "http/api/internal/common.h"

#include "access/decision.h"
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

std::string register_owner(const domain::Register& reg, domain::Table table,
                           const nlohmann::json& rec) {
  const std::string v = rec.value("vendor", "");
  if (!v.empty()) return v;
  if (table == domain::Table::kPerson) return rec.value("organisation", "");
  if (table == domain::Table::kScreening || table == domain::Table::kFault) {
    const std::string ref = rec.value(table == domain::Table::kScreening ? "person" : "asset", "");
    if (const auto* person = reg.person(ref)) return person->organisation;
    if (const auto* asset = reg.asset(ref)) return asset->vendor;
  }
  if (table == domain::Table::kOrganisation) return rec.value("id", "");
  return "";
}

std::optional<nlohmann::json> register_record(const domain::Register& reg, domain::Table table,
                                              std::string_view id) {
  std::optional<nlohmann::json> out;
  auto find = [&](const auto& records) {
    for (const auto& r : records) {
      if (r.id == id) out = domain::record_to_json(r);
    }
  };
  with_table(reg, table, find);
  return out;
}

std::string etag(std::uint64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

core::Result<std::optional<std::uint64_t>> expected_version(
    const Request& req, std::optional<std::int64_t> body_version) {
  std::optional<std::uint64_t> header;
  if (auto h = req.headers.get("If-Match")) {
    std::string_view v = *h;
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v != "*") {
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      std::uint64_t n = 0;
      bool ok = !v.empty() && v.size() <= 19;
      for (char c : v) {
        if (c < '0' || c > '9') ok = false;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (!ok) {
        return core::invalid_argument(
            "If-Match: expected one version as the resource's ETag gives it (\"17\")");
      }
      header = n;
    }
  }
  if (body_version && *body_version < 0) {
    return core::invalid_argument("$.version: must be >= 0");
  }
  std::optional<std::uint64_t> body;
  if (body_version) body = static_cast<std::uint64_t>(*body_version);
  if (header && body && *header != *body) {
    return core::invalid_argument("$.version: differs from If-Match");
  }
  return header ? header : body;
}

core::Result<std::optional<std::uint64_t>> version_only_body(const Request& req) {
  std::optional<std::int64_t> version;
  if (!req.body.empty()) {
    PW_ASSIGN_OR_RETURN(nlohmann::json body, parse_json_body(req));
    PW_ASSIGN_OR_RETURN(FieldReader f, FieldReader::of(body));
    PW_TRY(f.optional("version", version));
    PW_TRY(f.finish());
  }
  return expected_version(req, version);
}

Response stale_response(const Request& req, const core::Error& e, std::uint64_t current) {
  Response r = json_response(409, {{"error",
                                    {{"code", "failed_precondition"},
                                     {"message", e.message()},
                                     {"request_id", req.request_id}}},
                                   {"current_version", current}});
  r.headers.set("ETag", etag(current));
  return r;
}

Response outcome_response(Services& s, const Request& req,
                          const core::Result<app::AccessOutcome>& r, std::string_view record) {
  if (!r) {
    if (r.error().code() == core::Code::kFailedPrecondition && !record.empty() &&
        r.error().message().rfind("stale version", 0) == 0) {
      auto snap = s.access.snapshot();
      if (!snap) return error_response(snap.error(), req.request_id);
      return stale_response(req, r.error(), snap->version_of(record));
    }
    return error_response(r.error(), req.request_id);
  }
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : r->events) events.push_back({{"type", e.type}, {"payload", e.payload}});
  nlohmann::json body = {{"allowed", r->allowed()},
                         {"decision", access::decision_to_json(r->decision)},
                         {"events", events}};
  if (!r->allowed()) {
    body["error"] = {{"code", "permission_denied"},
                     {"message", r->decision.summary()},
                     {"request_id", req.request_id}};
    return json_response(403, body);
  }
  std::optional<std::uint64_t> version;
  if (!record.empty()) {
    if (auto it = r->versions.find(record); it != r->versions.end()) version = it->second;
    body["versions"] = r->versions;
  }
  if (version) body["version"] = *version;
  Response out = json_response(200, body);
  if (version) out.headers.set("ETag", etag(*version));
  return out;
}

core::Result<Args> read_args(const Request& req, const std::vector<const char*>& required,
                             const std::vector<const char*>& optional) {
  Args out;
  nlohmann::json body = nlohmann::json::object();
  if (!req.body.empty() || !required.empty()) {
    PW_ASSIGN_OR_RETURN(body, parse_json_body(req));
  }
  PW_ASSIGN_OR_RETURN(FieldReader f, FieldReader::of(body));
  for (const char* k : required) {
    std::string v;
    PW_TRY(f.required(k, v));
    out.text[k] = std::move(v);
  }
  for (const char* k : optional) {
    std::optional<std::string> v;
    PW_TRY(f.optional(k, v));
    if (v) out.text[k] = std::move(*v);
  }
  std::optional<std::int64_t> version;
  PW_TRY(f.optional("version", version));
  PW_TRY(f.finish());
  PW_ASSIGN_OR_RETURN(out.version, expected_version(req, version));
  return out;
}

core::Result<core::Timestamp> time_arg(const Args& a, std::string_view name) {
  auto t = core::parse_rfc3339(a.get(name));
  if (!t) return std::unexpected(t.error().with_context("$." + std::string(name)));
  return *t;
}

Response run_on_record(Services& s, const Request& req, const Caller& c, const std::string& record,
                       std::optional<std::uint64_t> expected,
                       const app::AccessService::EngineCommand& command) {
  std::optional<app::Precondition> pre;
  if (expected) pre = app::Precondition{record, *expected};
  return outcome_response(s, req, s.access.run(c.who.person, command, pre), record);
}

core::Result<PageBounds> page_bounds(const Request& req) {
  PageBounds b;
  try {
    if (auto l = req.query.get("limit")) b.limit = std::stoll(std::string(*l));
    if (auto o = req.query.get("offset")) b.offset = std::stoll(std::string(*o));
  } catch (const std::exception&) {
    b.limit = -1;
  }
  if (b.limit < 1 || b.limit > 1000 || b.offset < 0) {
    return core::invalid_argument("query: limit must be 1..1000 and offset >= 0");
  }
  return b;
}

core::Result<nlohmann::json> paginate(const Request& req, std::string_view name,
                                      const std::vector<nlohmann::json>& records,
                                      const nlohmann::json& example) {
  PW_ASSIGN_OR_RETURN(const PageBounds bounds, page_bounds(req));
  const std::int64_t limit = bounds.limit, offset = bounds.offset;
  for (const auto& [key, value] : req.query.entries()) {
    if (key == "limit" || key == "offset") continue;
    if (!example.contains(key)) {
      return core::invalid_argument("query: '" + key + "' is not a field of " + std::string(name));
    }
  }
  nlohmann::json page = nlohmann::json::array();
  std::int64_t matched = 0;
  for (const auto& rec : records) {
    bool keep = true;
    for (const auto& [key, value] : req.query.entries()) {
      if (key == "limit" || key == "offset") continue;
      auto f = rec.find(key);
      if (f == rec.end()) {
        keep = false;
        break;
      }
      if ((f->is_string() ? f->get<std::string>() : f->dump()) != value) keep = false;
    }
    if (!keep) continue;
    if (matched >= offset && matched < offset + limit) page.push_back(rec);
    ++matched;
  }
  return nlohmann::json{
      {std::string(name), page}, {"total", matched}, {"offset", offset}, {"limit", limit}};
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
