// The remote-maintenance gateway's routes (issue 6; docs/GATEWAY.md): the control-plane protocol
// a gateway speaks with a token of role `gateway` (admit, heartbeat, close), the operators' view
// and kill of live sessions, and the grant certificate a technician connects with.
#include <string>

#include "app/authz.h"
#include "app/gateway_service.h"
#include "http/api/internal/common.h"
#include "http/json.h"

namespace pw::http::api::internal {
namespace {

using app::Action;

core::Status non_negative(std::int64_t v, std::string_view path) {
  if (v < 0) return core::invalid_argument(std::string(path) + ": must not be negative");
  return core::ok();
}

// Reads {"session", "bytes_up", "bytes_down"} objects of a heartbeat.
core::Result<std::vector<app::SessionReport>> session_reports(const nlohmann::json& list) {
  if (!list.is_array()) return core::invalid_argument("$.sessions: expected an array");
  std::vector<app::SessionReport> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "$.sessions[" + std::to_string(i) + "]";
    PW_ASSIGN_OR_RETURN(FieldReader f, FieldReader::of(list[i], path));
    app::SessionReport r;
    std::int64_t up = 0, down = 0;
    PW_TRY(f.required("session", r.session));
    PW_TRY(f.required("bytes_up", up));
    PW_TRY(f.required("bytes_down", down));
    PW_TRY(f.finish());
    PW_TRY(non_negative(up, path + ".bytes_up"));
    PW_TRY(non_negative(down, path + ".bytes_down"));
    r.bytes_up = static_cast<std::uint64_t>(up);
    r.bytes_down = static_cast<std::uint64_t>(down);
    out.push_back(std::move(r));
  }
  return out;
}

std::string actor_of(const Caller& c) {
  return c.who.person.empty() ? "user:" + c.who.username : "person:" + c.who.person;
}

// A gateway account speaks for one gateway: its own (its username). Without this any gateway
// token could send heartbeats in another gateway's name and get that gateway's sessions closed
// as lost, or close them. Refused as permission_denied naming both names.
core::Status speaks_for(const Caller& c, const std::string& gateway) {
  if (gateway == c.who.username) return {};
  return core::permission_denied("gateway: this token speaks for gateway '" + c.who.username +
                                 "', not '" + gateway + "'");
}

}  // namespace

core::Status add_gateway_routes(Router& router, Services& s) {
  // ---- the control-plane protocol (role gateway) -----------------------------------------------
  PW_TRY(router.add(
      Method::kPost, "/v1/gateway/admit",
      guarded(s, Action::kGatewayControl, [&s](const Request& req, const PathParams&, Caller& c) {
        auto body = parse_json_body(req);
        if (!body) return error_response(body.error(), req.request_id);
        auto f = FieldReader::of(*body);
        if (!f) return error_response(f.error(), req.request_id);
        app::AdmitRequest a;
        std::optional<std::string> remote;
        core::Status st = f->required("gateway", a.gateway);
        if (st) st = f->required("asset", a.asset);
        if (st) st = f->required("certificate", a.certificate);
        if (st) st = f->optional("remote", remote);
        if (st) st = f->finish();
        if (!st) return error_response(st.error(), req.request_id);
        if (auto own = speaks_for(c, a.gateway); !own) {
          return refuse(s, req, c.who.username, own.error());
        }
        a.remote = remote.value_or("");
        auto r = s.gateway.admit(a);
        if (!r) return error_response(r.error(), req.request_id);
        if (!r->allow) return json_response(403, {{"allow", false}, {"reasons", r->reasons}});
        return json_response(200, {{"allow", true},
                                   {"session", r->session},
                                   {"grant", r->grant},
                                   {"person", r->person},
                                   {"vendor", r->vendor},
                                   {"asset", r->asset},
                                   {"upstream", r->upstream},
                                   {"grant_end", core::format_rfc3339(r->grant_end)},
                                   {"recorded", r->recorded},
                                   {"reasons", r->reasons}});
      })));
  PW_TRY(router.add(
      Method::kPost, "/v1/gateway/heartbeat",
      guarded(s, Action::kGatewayControl, [&s](const Request& req, const PathParams&, Caller& c) {
        auto body = parse_json_body(req);
        if (!body) return error_response(body.error(), req.request_id);
        auto f = FieldReader::of(*body);
        if (!f) return error_response(f.error(), req.request_id);
        std::string gateway;
        nlohmann::json list;
        core::Status st = f->required("gateway", gateway);
        if (st) st = f->required("sessions", list);
        if (st) st = f->finish();
        if (!st) return error_response(st.error(), req.request_id);
        if (auto own = speaks_for(c, gateway); !own) {
          return refuse(s, req, c.who.username, own.error());
        }
        auto reports = session_reports(list);
        if (!reports) return error_response(reports.error(), req.request_id);
        auto h = s.gateway.heartbeat(gateway, *reports);
        if (!h) return error_response(h.error(), req.request_id);
        nlohmann::json kill = nlohmann::json::array(), warn = nlohmann::json::array();
        for (const auto& k : h->kill)
          kill.push_back({{"session", k.session}, {"reason", k.reason}});
        for (const auto& w : h->warn) {
          warn.push_back({{"session", w.session}, {"message", w.message}});
        }
        return json_response(200, {{"lease_ms", h->lease_ms}, {"kill", kill}, {"warn", warn}});
      })));
  PW_TRY(router.add(
      Method::kPost, "/v1/gateway/sessions/{id}/close",
      guarded(s, Action::kGatewayControl,
              [&s](const Request& req, const PathParams& params, Caller& caller) {
                auto body = parse_json_body(req);
                if (!body) return error_response(body.error(), req.request_id);
                auto f = FieldReader::of(*body);
                if (!f) return error_response(f.error(), req.request_id);
                app::CloseRequest c;
                std::int64_t up = 0, down = 0;
                std::optional<std::string> gateway;
                core::Status st = f->required("reason", c.reason);
                if (st) st = f->required("bytes_up", up);
                if (st) st = f->required("bytes_down", down);
                if (st) st = f->optional("gateway", gateway);
                if (st) st = non_negative(up, "$.bytes_up");
                if (st) st = non_negative(down, "$.bytes_down");
                if (st) {
                  auto rec = f->object("recording");
                  if (!rec) {
                    st = std::unexpected(rec.error());
                  } else {
                    // The manifest's digest, or why there is none: the
                    // gateway could not write the recording.
                    std::optional<std::string> digest, error;
                    st = rec->optional("manifest_sha256", digest);
                    if (st) st = rec->optional("error", error);
                    if (st) st = rec->finish();
                    if (st && digest.has_value() == error.has_value()) {
                      st = core::invalid_argument(
                          "$.recording: needs manifest_sha256 or error (one)");
                    }
                    if (st && error && error->empty()) {
                      st = core::invalid_argument("$.recording.error: must not be empty");
                    }
                    if (st) {
                      c.manifest_sha256 = digest.value_or("");
                      c.recording_error = error.value_or("");
                    }
                  }
                }
                if (st) st = f->finish();
                if (!gateway) gateway = caller.who.username;
                if (!st) return error_response(st.error(), req.request_id);
                if (auto own = speaks_for(caller, *gateway); !own) {
                  return refuse(s, req, caller.who.username, own.error());
                }
                c.bytes_up = static_cast<std::uint64_t>(up);
                c.bytes_down = static_cast<std::uint64_t>(down);
                auto sig = s.gateway.close(*gateway, std::string(params.get("id").value_or("")), c);
                if (!sig) return error_response(sig.error(), req.request_id);
                if (sig->signature.empty()) {
                  return json_response(200, {{"signed", false}});
                }
                return json_response(200, {{"key_name", sig->key_name},
                                           {"key_id", sig->key_id},
                                           {"signature", sig->signature}});
              })));

  // ---- operators: live sessions ----------------------------------------------------------------
  PW_TRY(router.add(
      Method::kGet, "/v1/sessions",
      guarded(s, Action::kReadSessions, [&s](const Request& req, const PathParams&, Caller&) {
        auto list = s.gateway.sessions();
        if (!list) return error_response(list.error(), req.request_id);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& x : *list) out.push_back(app::live_session_to_json(x, /*bytes=*/true));
        return json_response(200, {{"sessions", out}});
      })));
  PW_TRY(
      router.add(Method::kPost, "/v1/sessions/{id}/kill",
                 guarded(s, Action::kKillSession,
                         [&s](const Request& req, const PathParams& params, Caller& c) {
                           auto body = parse_json_body(req);
                           if (!body) return error_response(body.error(), req.request_id);
                           auto f = FieldReader::of(*body);
                           if (!f) return error_response(f.error(), req.request_id);
                           std::string reason;
                           core::Status st = f->required("reason", reason);
                           if (st) st = f->finish();
                           if (!st) return error_response(st.error(), req.request_id);
                           const std::string id(params.get("id").value_or(""));
                           if (auto k = s.gateway.kill(actor_of(c), id, reason); !k) {
                             return error_response(k.error(), req.request_id);
                           }
                           return json_response(200, {{"session", id}, {"kill_requested", true}});
                         })));

  // ---- the grant certificate -------------------------------------------------------------------
  PW_TRY(router.add(
      Method::kPost, "/v1/grants/{id}/certificate",
      guarded(s, Action::kGrantCertificate,
              [&s](const Request& req, const PathParams& params, Caller& c) {
                std::optional<std::string> csr;
                if (!req.body.empty()) {
                  auto body = parse_json_body(req);
                  if (!body) return error_response(body.error(), req.request_id);
                  auto f = FieldReader::of(*body);
                  if (!f) return error_response(f.error(), req.request_id);
                  core::Status st = f->optional("csr", csr);
                  if (st) st = f->finish();
                  if (!st) return error_response(st.error(), req.request_id);
                }
                const std::string id(params.get("id").value_or(""));
                auto g = s.access.grant_at(id, s.clock.now());
                if (!g) return error_response(g.error(), req.request_id);
                if (!*g) {
                  return error_response(
                      core::Error(core::Code::kNotFound, "grant '" + id + "' does not exist"),
                      req.request_id);
                }
                // The grant's own technician (of its vendor), or customs staff.
                if (auto st = app::authorize(c.who, c.affiliation, Action::kGrantCertificate,
                                             {(*g)->grant.vendor, "", (*g)->grant.person});
                    !st) {
                  return refuse(s, req, c.who.username, st.error());
                }
                if (c.who.person.empty()) {
                  return refuse(s, req, c.who.username,
                                core::Error(core::Code::kPermissionDenied,
                                            "a grant certificate is issued to a person; the "
                                            "account has none"));
                }
                auto issued = s.gateway.ca().issue(c.who.person, id, csr);
                if (!issued) return error_response(issued.error(), req.request_id);
                nlohmann::json out = {
                    {"grant", issued->grant},
                    {"serial", issued->serial},
                    {"sha256", issued->sha256},
                    {"not_before", core::format_rfc3339(issued->not_before)},
                    {"not_after", core::format_rfc3339(issued->not_after)},
                    {"key_source", std::string(app::key_source_name(issued->key_source))},
                    {"certificate", issued->certificate_pem},
                    {"ca", issued->ca_pem}};
                if (!issued->key_pem.empty()) out["key"] = issued->key_pem;
                return json_response(200, out);
              })));
  return core::ok();
}

}  // namespace pw::http::api::internal
