#include "http/api/api.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string>

#include "access/engine.h"
#include "app/authz.h"
#include "core/bytes.h"
#include "http/json.h"

namespace pw::http::api {
namespace {

using app::Action;

struct Caller {
  app::Principal who;
  app::Affiliation affiliation;
};

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

core::Result<core::Timestamp> time_field(const std::optional<std::string>& text,
                                         core::Timestamp fallback, std::string_view name) {
  if (!text) return fallback;
  auto t = core::parse_rfc3339(*text);
  if (!t) return std::unexpected(t.error().with_context(name));
  return *t;
}

// The result of an engine command: 200 with the events, or 403 with every rule checked.
Response outcome_response(const Request& req, const core::Result<app::AccessOutcome>& r) {
  if (!r) return error_response(r.error(), req.request_id);
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
  return json_response(200, body);
}

// Whose an asset is for the scoping rules: its vendor's, or (no vendor: cameras, gateways,
// firewalls) the operator's own, which no technician may see.
std::string vendor_or_customs(const domain::Asset& a) {
  return a.vendor.empty() ? std::string("(customs)") : a.vendor;
}

nlohmann::json hashes(const std::vector<core::Hash>& hs) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& h : hs) a.push_back(core::to_hex(h));
  return a;
}

}  // namespace

core::Status add_routes(Router& router, Services& s) {
  // ---- sessions --------------------------------------------------------------------------
  PW_TRY(router.add(Method::kPost, "/v1/login", [&s](const Request& req, const PathParams&) {
    auto body = parse_json_body(req);
    if (!body) return error_response(body.error(), req.request_id);
    auto f = FieldReader::of(*body);
    if (!f) return error_response(f.error(), req.request_id);
    std::string username, password;
    auto st = f->required("username", username);
    if (st) st = f->required("password", password);
    if (st) st = f->finish();
    if (!st) return error_response(st.error(), req.request_id);
    auto session = s.auth.login(username, password, req.remote_address);
    if (!session) return error_response(session.error(), req.request_id);
    const std::int64_t max_age = (session->expires.micros - s.clock.now().micros) / 1'000'000;
    Response r = json_response(200, {{"username", username},
                                     {"csrf", session->csrf},
                                     {"expires", core::format_rfc3339(session->expires)}});
    r.headers.add("Set-Cookie", std::string(kSessionCookie) + "=" + session->token +
                                    "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                    std::to_string(max_age) + (req.tls ? "; Secure" : ""));
    return r;
  }));
  PW_TRY(router.add(Method::kPost, "/v1/logout", [&s](const Request& req, const PathParams&) {
    if (auto token = cookie(req, kSessionCookie)) (void)s.auth.logout(*token);
    Response r = json_response(200, {{"logged_out", true}});
    r.headers.add("Set-Cookie",
                  std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
  }));
  PW_TRY(router.add(Method::kGet, "/v1/me", [&s](const Request& req, const PathParams&) {
    auto c = authenticate(s, req);
    if (!c) return refuse(s, req, "", c.error());
    nlohmann::json roles = nlohmann::json::array();
    for (auto r : c->who.roles) roles.push_back(std::string(app::role_name(r)));
    if (c->affiliation.organisation.empty() && !c->who.person.empty()) {
      if (auto reg = s.reg.load()) {
        if (const domain::Person* p = reg->person(c->who.person)) {
          c->affiliation.organisation = p->organisation;
        }
      }
    }
    return json_response(200, {{"username", c->who.username},
                               {"person", c->who.person},
                               {"organisation", c->affiliation.organisation},
                               {"roles", roles}});
  }));

  // ---- journal -----------------------------------------------------------------------------
  PW_TRY(router.add(
      Method::kGet, "/v1/journal/checkpoint",
      guarded(s, Action::kReadJournal, [&s](const Request& req, const PathParams&, Caller&) {
        auto cp = s.journal.checkpoint();
        if (!cp) return error_response(cp.error(), req.request_id);
        return json_response(
            200, {{"size", cp->size}, {"root", core::to_hex(cp->root)}, {"note", cp->note}});
      })));
  PW_TRY(router.add(
      Method::kGet, "/v1/journal/proof",
      guarded(s, Action::kReadJournal, [&s](const Request& req, const PathParams&, Caller&) {
        auto index_text = req.query.get("index");
        std::uint64_t index = 0;
        std::optional<std::uint64_t> size;
        try {
          if (!index_text) throw std::invalid_argument("index");
          index = std::stoull(std::string(*index_text));
          if (auto sz = req.query.get("size")) size = std::stoull(std::string(*sz));
        } catch (const std::exception&) {
          return error_response(
              core::Error(core::Code::kInvalidArgument, "query: index (and size) must be integers"),
              req.request_id);
        }
        auto p = s.journal.inclusion_proof(index, size);
        if (!p) return error_response(p.error(), req.request_id);
        return json_response(200, {{"index", p->index},
                                   {"size", p->size},
                                   {"leaf_hash", core::to_hex(p->leaf_hash)},
                                   {"root", core::to_hex(p->root)},
                                   {"proof", hashes(p->proof)},
                                   {"entry", p->entry}});
      })));

  // ---- register and findings -------------------------------------------------------------
  PW_TRY(router.add(
      Method::kGet, "/v1/assets",
      guarded(s, Action::kReadRegister, [&s](const Request& req, const PathParams&, Caller& c) {
        auto reg = s.reg.load();
        if (!reg) return error_response(reg.error(), req.request_id);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& a : reg->assets) {
          // A technician sees their employer's assets only.
          if (!app::authorize(c.who, c.affiliation, Action::kReadRegister,
                              {vendor_or_customs(a), "", ""})) {
            continue;
          }
          out.push_back(domain::record_to_json(a));
        }
        return json_response(200, {{"assets", out}});
      })));
  PW_TRY(router.add(
      Method::kGet, "/v1/assets/{id}",
      guarded(s, Action::kReadRegister,
              [&s](const Request& req, const PathParams& params, Caller& c) {
                auto reg = s.reg.load();
                if (!reg) return error_response(reg.error(), req.request_id);
                const domain::Asset* a = reg->asset(params.get("id").value_or(""));
                if (!a) {
                  return error_response(core::Error(core::Code::kNotFound, "no such asset"),
                                        req.request_id);
                }
                if (auto st = app::authorize(c.who, c.affiliation, Action::kReadRegister,
                                             {vendor_or_customs(*a), "", ""});
                    !st) {
                  return refuse(s, req, c.who.username, st.error());
                }
                return json_response(200, domain::record_to_json(*a));
              })));
  // Any register table, paginated (?limit=, default 100, at most 1000; ?offset=) and filtered by
  // equality on top-level fields (?vendor=nuctech&kind=scanner). Technicians see only the
  // records of their employer: assets, contracts and faults of its assets, its people and their
  // screenings; other tables are customs' and closed to them.
  PW_TRY(router.add(
      Method::kGet, "/v1/register/{table}",
      guarded(
          s, Action::kReadRegister, [&s](const Request& req, const PathParams& params, Caller& c) {
            auto table = domain::parse_table(params.get("table").value_or(""));
            if (!table) return error_response(table.error(), req.request_id);
            auto reg = s.reg.load();
            if (!reg) return error_response(reg.error(), req.request_id);
            std::int64_t limit = 100, offset = 0;
            try {
              if (auto l = req.query.get("limit")) limit = std::stoll(std::string(*l));
              if (auto o = req.query.get("offset")) offset = std::stoll(std::string(*o));
            } catch (const std::exception&) {
              limit = -1;
            }
            if (limit < 1 || limit > 1000 || offset < 0) {
              return error_response(core::Error(core::Code::kInvalidArgument,
                                                "query: limit must be 1..1000 and offset >= 0"),
                                    req.request_id);
            }
            const bool technician = c.who.has(app::Role::kTechnician) && c.who.roles.size() == 1;
            const std::string& org = c.affiliation.organisation;
            // Whose a record is, for a technician: the vendor it belongs to, or "" (customs').
            auto owner = [&](const nlohmann::json& rec) -> std::string {
              const std::string v = rec.value("vendor", "");
              if (!v.empty()) return v;
              if (*table == domain::Table::kPerson) return rec.value("organisation", "");
              if (*table == domain::Table::kScreening || *table == domain::Table::kFault) {
                const std::string ref =
                    rec.value(*table == domain::Table::kScreening ? "person" : "asset", "");
                if (const auto* person = reg->person(ref)) return person->organisation;
                if (const auto* asset = reg->asset(ref)) return asset->vendor;
              }
              if (*table == domain::Table::kOrganisation) return rec.value("id", "");
              return "";
            };
            nlohmann::json all = nlohmann::json::array();
            auto add = [&](const auto& records) {
              for (const auto& r : records) all.push_back(domain::record_to_json(r));
            };
            switch (*table) {
              case domain::Table::kOrganisation:
                add(reg->organisations);
                break;
              case domain::Table::kSite:
                add(reg->sites);
                break;
              case domain::Table::kRoom:
                add(reg->rooms);
                break;
              case domain::Table::kZone:
                add(reg->zones);
                break;
              case domain::Table::kAsset:
                add(reg->assets);
                break;
              case domain::Table::kZoneLink:
                add(reg->zone_links);
                break;
              case domain::Table::kPerson:
                add(reg->people);
                break;
              case domain::Table::kScreening:
                add(reg->screenings);
                break;
              case domain::Table::kRemoteAccessPolicy:
                add(reg->remote_access_policies);
                break;
              case domain::Table::kMaintenanceContract:
                add(reg->maintenance_contracts);
                break;
              case domain::Table::kFault:
                add(reg->faults);
                break;
            }
            nlohmann::json page = nlohmann::json::array();
            std::int64_t matched = 0;
            for (const auto& rec : all) {
              if (technician && (org.empty() || owner(rec) != org)) continue;
              bool keep = true;
              for (const auto& [name, value] : req.query.entries()) {
                if (name == "limit" || name == "offset") continue;
                auto f = rec.find(name);
                if (f == rec.end()) {
                  return error_response(core::Error(core::Code::kInvalidArgument,
                                                    "query: '" + name + "' is not a field of " +
                                                        std::string(domain::table_name(*table))),
                                        req.request_id);
                }
                const std::string text = f->is_string() ? f->get<std::string>() : f->dump();
                if (text != value) keep = false;
              }
              if (!keep) continue;
              if (matched >= offset && matched < offset + limit) page.push_back(rec);
              ++matched;
            }
            return json_response(200, {{"table", std::string(domain::table_name(*table))},
                                       {"records", page},
                                       {"total", matched},
                                       {"offset", offset},
                                       {"limit", limit}});
          })));
  PW_TRY(router.add(
      Method::kGet, "/v1/access/grants",
      guarded(s, Action::kReadAccess, [&s](const Request& req, const PathParams&, Caller& c) {
        auto st = s.access.state();
        if (!st) return error_response(st.error(), req.request_id);
        nlohmann::json grants = nlohmann::json::array();
        for (const auto& [id, g] : st->grants) {
          const std::string holder = c.who.has(app::Role::kTechnician) ? g.person : "";
          if (!app::authorize(c.who, c.affiliation, Action::kReadAccess, {g.vendor, "", holder})) {
            continue;
          }
          grants.push_back(domain::grant_to_json(g));
        }
        nlohmann::json suspensions = nlohmann::json::array();
        if (!c.who.has(app::Role::kTechnician)) {
          for (const auto& [id, su] : st->suspensions) {
            suspensions.push_back(domain::suspension_to_json(su));
          }
        }
        return json_response(200, {{"grants", grants}, {"suspensions", suspensions}});
      })));
  PW_TRY(router.add(
      Method::kGet, "/v1/findings",
      guarded(s, Action::kReadFindings, [&s](const Request& req, const PathParams&, Caller&) {
        app::FindingsQuery q;
        if (auto t = req.query.get("today")) {
          auto d = domain::parse_date(*t);
          if (!d) return error_response(d.error().with_context("today"), req.request_id);
          q.today = *d;
        }
        auto f = s.reg.findings(q);
        if (!f) return error_response(f.error(), req.request_id);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : *f) out.push_back(app::finding_record_to_json(r));
        return json_response(200, {{"findings", out}});
      })));
  PW_TRY(router.add(Method::kGet, "/v1/assessments/{supplier}",
                    guarded(s, Action::kReadAssessment,
                            [&s](const Request& req, const PathParams& params, Caller&) {
                              auto r = s.assessments.report(
                                  std::string(params.get("supplier").value_or("")));
                              if (!r) return error_response(r.error(), req.request_id);
                              return json_response(200, r->json);
                            })));

  // ---- access --------------------------------------------------------------------------------
  PW_TRY(router.add(
      Method::kGet, "/v1/access/requests",
      guarded(s, Action::kReadAccess, [&s](const Request& req, const PathParams&, Caller& c) {
        auto st = s.access.state();
        if (!st) return error_response(st.error(), req.request_id);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& [id, r] : st->requests) {
          // Technicians see their own requests; terminal staff and customs staff see all.
          const std::string requester = c.who.has(app::Role::kTechnician) ? r.requester : "";
          if (!app::authorize(c.who, c.affiliation, Action::kReadAccess,
                              {r.vendor, "", requester})) {
            continue;
          }
          out.push_back(domain::request_to_json(r));
        }
        return json_response(200, {{"requests", out}});
      })));
  PW_TRY(router.add(
      Method::kPost, "/v1/access/requests",
      guarded(s, Action::kRequestAccess, [&s](const Request& req, const PathParams&, Caller& c) {
        auto body = parse_json_body(req);
        if (!body) return error_response(body.error(), req.request_id);
        auto f = FieldReader::of(*body);
        if (!f) return error_response(f.error(), req.request_id);
        std::string id, kind, from, to;
        std::optional<std::string> asset, room, fault, permit, reason;
        std::optional<std::vector<std::string>> technicians;
        core::Status st = f->required("id", id);
        if (st) st = f->required("kind", kind);
        if (st) st = f->required("from", from);
        if (st) st = f->required("to", to);
        if (st) st = f->optional("asset", asset);
        if (st) st = f->optional("room", room);
        if (st) st = f->optional("fault", fault);
        if (st) st = f->optional("permit", permit);
        if (st) st = f->optional("reason", reason);
        if (st) st = f->optional("technicians", technicians);
        if (st) st = f->finish();
        if (!st) return error_response(st.error(), req.request_id);
        auto k = domain::parse_request_kind(kind);
        auto t0 = core::parse_rfc3339(from);
        auto t1 = core::parse_rfc3339(to);
        if (!k || !t0 || !t1) {
          return error_response(
              !k ? k.error().with_context("$.kind")
                 : (!t0 ? t0.error().with_context("$.from") : t1.error().with_context("$.to")),
              req.request_id);
        }
        access::VisitDraft d;
        d.id = id;
        d.kind = *k;
        d.technicians = technicians.value_or(std::vector<std::string>{c.who.person});
        d.asset = asset.value_or("");
        d.room = room.value_or("");
        d.fault = fault.value_or("");
        d.permit = permit.value_or("");
        d.window = {*t0, *t1};
        d.reason = reason.value_or("");
        return outcome_response(
            req, s.access.run(c.who.person, [&d](const auto& state, const auto& ctx,
                                                 std::string_view actor, core::Timestamp now) {
              return access::request_visit(state, ctx, actor, now, d);
            }));
      })));
  for (const char* verb : {"approve", "deny"}) {
    const bool approve = std::string(verb) == "approve";
    PW_TRY(router.add(
        Method::kPost, std::string("/v1/access/requests/{id}/") + verb,
        guarded(s, Action::kApproveAccess,
                [&s, approve](const Request& req, const PathParams& params, Caller& c) {
                  std::string note;
                  if (!req.body.empty()) {
                    auto body = parse_json_body(req);
                    if (!body) return error_response(body.error(), req.request_id);
                    auto f = FieldReader::of(*body);
                    if (!f) return error_response(f.error(), req.request_id);
                    std::optional<std::string> n;
                    auto st = f->optional("note", n);
                    if (st) st = f->finish();
                    if (!st) return error_response(st.error(), req.request_id);
                    note = n.value_or("");
                  }
                  const std::string id(params.get("id").value_or(""));
                  return outcome_response(
                      req,
                      s.access.run(c.who.person, [&](const auto& state, const auto& ctx,
                                                     std::string_view actor, core::Timestamp now) {
                        return approve ? access::approve(state, ctx, actor, now, id, note)
                                       : access::deny(state, ctx, actor, now, id, note);
                      }));
                })));
  }
  PW_TRY(router.add(
      Method::kPost, "/v1/access/requests/{id}/checkin",
      guarded(
          s, Action::kCheckInOut, [&s](const Request& req, const PathParams& params, Caller& c) {
            auto body = parse_json_body(req);
            if (!body) return error_response(body.error(), req.request_id);
            auto f = FieldReader::of(*body);
            if (!f) return error_response(f.error(), req.request_id);
            std::string person;
            auto st = f->required("person", person);
            if (st) st = f->finish();
            if (!st) return error_response(st.error(), req.request_id);
            const std::string id(params.get("id").value_or(""));
            return outcome_response(
                req, s.access.run(c.who.person, [&](const auto& state, const auto& ctx,
                                                    std::string_view actor, core::Timestamp now) {
                  return access::check_in(state, ctx, actor, now, id, person);
                }));
          })));
  PW_TRY(router.add(
      Method::kPost, "/v1/access/check",
      guarded(s, Action::kCheckAccess, [&s](const Request& req, const PathParams&, Caller&) {
        auto body = parse_json_body(req);
        if (!body) return error_response(body.error(), req.request_id);
        auto f = FieldReader::of(*body);
        if (!f) return error_response(f.error(), req.request_id);
        std::string subject, target, mode;
        std::optional<std::string> time;
        auto st = f->required("subject", subject);
        if (st) st = f->required("target", target);
        if (st) st = f->required("mode", mode);
        if (st) st = f->optional("time", time);
        if (st) st = f->finish();
        if (!st) return error_response(st.error(), req.request_id);
        auto m = domain::parse_grant_mode(mode);
        if (!m) return error_response(m.error().with_context("$.mode"), req.request_id);
        auto at = time_field(time, s.clock.now(), "$.time");
        if (!at) return error_response(at.error(), req.request_id);
        auto r = s.access.check(subject, target, *m, *at);
        if (!r) return error_response(r.error(), req.request_id);
        return json_response(200, access::check_result_to_json(*r));
      })));

  // ---- work permits (corrective maintenance, Q12): the terminal's staff -----------------------
  // The terminal a permit belongs to: the operator of the asset's site.
  auto terminal_of = [&s](const std::string& asset) -> std::string {
    auto reg = s.reg.load();
    if (!reg) return "(unknown)";
    const domain::Asset* a = reg->asset(asset);
    const domain::Site* site = a ? reg->site(a->site) : nullptr;
    return site && !site->operator_org.empty() ? site->operator_org : std::string("(unknown)");
  };
  PW_TRY(router.add(
      Method::kPost, "/v1/permits",
      // A permit is requested by the terminal's staff or by a technician it names (the engine
      // checks which); the coarse gate is "may take part in access at all".
      guarded(s, Action::kReadAccess,
              [&s, terminal_of](const Request& req, const PathParams&, Caller& c) {
                auto body = parse_json_body(req);
                if (!body) return error_response(body.error(), req.request_id);
                auto f = FieldReader::of(*body);
                if (!f) return error_response(f.error(), req.request_id);
                access::PermitDraft d;
                std::string from, to;
                std::optional<std::string> fault, reason;
                core::Status st = f->required("id", d.id);
                if (st) st = f->required("asset", d.asset);
                if (st) st = f->required("people", d.people);
                if (st) st = f->required("from", from);
                if (st) st = f->required("to", to);
                if (st) st = f->optional("fault", fault);
                if (st) st = f->optional("reason", reason);
                if (st) st = f->finish();
                if (!st) return error_response(st.error(), req.request_id);
                auto t0 = core::parse_rfc3339(from);
                auto t1 = core::parse_rfc3339(to);
                if (!t0 || !t1) {
                  return error_response(
                      !t0 ? t0.error().with_context("$.from") : t1.error().with_context("$.to"),
                      req.request_id);
                }
                d.window = {*t0, *t1};
                d.fault = fault.value_or("");
                d.reason = reason.value_or("");
                auto reg = s.reg.load();
                if (!reg) return error_response(reg.error(), req.request_id);
                const domain::Asset* asset = reg->asset(d.asset);
                const std::string vendor = asset ? asset->vendor : std::string("(unknown)");
                auto a = c.who.has(app::Role::kTechnician)
                             ? app::authorize(c.who, c.affiliation, Action::kRequestAccess,
                                              {vendor, "", c.who.person})
                             : app::authorize(c.who, c.affiliation, Action::kIssuePermit,
                                              {"", terminal_of(d.asset), ""});
                if (!a) return refuse(s, req, c.who.username, a.error());
                return outcome_response(
                    req,
                    s.access.run(c.who.person, [&d](const auto& state, const auto& ctx,
                                                    std::string_view actor, core::Timestamp now) {
                      return access::request_permit(state, ctx, actor, now, d);
                    }));
              })));
  for (const char* verb : {"approve", "issue"}) {
    const bool approve = std::string(verb) == "approve";
    PW_TRY(router.add(
        Method::kPost, std::string("/v1/permits/{id}/") + verb,
        guarded(
            s, Action::kIssuePermit,
            [&s, approve, terminal_of](const Request& req, const PathParams& params, Caller& c) {
              const std::string id(params.get("id").value_or(""));
              auto state = s.access.state();
              if (!state) return error_response(state.error(), req.request_id);
              const domain::WorkPermit* p = state->permit(id);
              if (!p) {
                return error_response(
                    core::Error(core::Code::kNotFound, "no work permit '" + id + "'"),
                    req.request_id);
              }
              if (auto a = app::authorize(c.who, c.affiliation, Action::kIssuePermit,
                                          {"", terminal_of(p->asset), ""});
                  !a) {
                return refuse(s, req, c.who.username, a.error());
              }
              return outcome_response(
                  req, s.access.run(c.who.person, [&](const auto& st, const auto& ctx,
                                                      std::string_view actor, core::Timestamp now) {
                    return approve ? access::approve_permit(st, ctx, actor, now, id)
                                   : access::issue_permit(st, ctx, actor, now, id);
                  }));
            })));
  }

  // The feed gateways follow: every event that ends or blocks access (suspensions, revocations,
  // closed and expired grants, check-outs, suspended permits, frozen assets) from a journal
  // position on. Gateways poll it with the `next` they were given (a few times a second); a
  // long-poll or server-sent-events variant needs an asynchronous handler type in the HTTP
  // framework, which handlers do not have yet.
  PW_TRY(router.add(
      Method::kGet, "/v1/access/feed",
      guarded(s, Action::kCheckAccess, [&s](const Request& req, const PathParams&, Caller&) {
        std::uint64_t after = 0;
        if (auto a = req.query.get("from")) {
          try {
            after = std::stoull(std::string(*a));
          } catch (const std::exception&) {
            return error_response(
                core::Error(core::Code::kInvalidArgument, "query: from must be an integer"),
                req.request_id);
          }
        }
        static const std::set<std::string, std::less<>> kBlocking = {
            "access.suspended",        "access.grant.revoked",     "access.grant.closed",
            "access.grant.expired",    "access.grant.handed_over", "access.checked_out",
            "access.permit.suspended", "access.permit.closed",     "access.asset.frozen",
            "access.resumed",          "access.asset.unfrozen",    "access.permit.resumed"};
        constexpr std::size_t kMaxEvents = 1000;
        nlohmann::json events = nlohmann::json::array();
        std::uint64_t next = after;
        auto size = s.journal.scan_events(
            after, "access.", [&](const journal::Envelope& e) -> core::Status {
              if (events.size() >= kMaxEvents) return core::ok();
              next = e.seq + 1;
              if (kBlocking.count(e.type)) {
                events.push_back({{"seq", e.seq}, {"type", e.type}, {"payload", e.payload}});
              }
              return core::ok();
            });
        if (!size) return error_response(size.error(), req.request_id);
        if (events.size() < kMaxEvents) next = *size;
        return json_response(200, {{"events", events}, {"next", next}});
      })));

  // ---- the kill switch -------------------------------------------------------------------------
  PW_TRY(router.add(
      Method::kGet, "/v1/vendors/{id}/downtime-cost",
      guarded(s, Action::kSuspend, [&s](const Request& req, const PathParams& params, Caller&) {
        auto c = s.access.downtime_cost(std::string(params.get("id").value_or("")));
        if (!c) return error_response(c.error(), req.request_id);
        return json_response(200, access::downtime_cost_to_json(*c));
      })));
  PW_TRY(router.add(
      Method::kPost, "/v1/suspensions",
      guarded(s, Action::kSuspend, [&s](const Request& req, const PathParams&, Caller& c) {
        auto body = parse_json_body(req);
        if (!body) return error_response(body.error(), req.request_id);
        auto f = FieldReader::of(*body);
        if (!f) return error_response(f.error(), req.request_id);
        std::string id, scope, subject, reason;
        std::optional<std::string> until;
        std::optional<std::vector<std::string>> modes;
        std::optional<bool> confirmed;
        core::Status st = f->required("id", id);
        if (st) st = f->required("scope", scope);
        if (st) st = f->required("subject", subject);
        if (st) st = f->required("reason", reason);
        if (st) st = f->optional("until", until);
        if (st) st = f->optional("modes", modes);
        if (st) st = f->optional("confirmed", confirmed);
        if (st) st = f->finish();
        if (!st) return error_response(st.error(), req.request_id);
        access::SuspensionDraft d;
        d.id = id;
        auto sc = domain::parse_suspension_scope(scope);
        if (!sc) return error_response(sc.error().with_context("$.scope"), req.request_id);
        d.scope = *sc;
        d.subject = subject;
        d.reason = reason;
        for (const auto& m : modes.value_or(std::vector<std::string>{})) {
          auto gm = domain::parse_grant_mode(m);
          if (!gm) return error_response(gm.error().with_context("$.modes"), req.request_id);
          d.modes.push_back(*gm);
        }
        if (until) {
          auto u = core::parse_rfc3339(*until);
          if (!u) return error_response(u.error().with_context("$.until"), req.request_id);
          d.until = *u;
        }
        // Q10: the cost of a vendor's suspension is shown before it is confirmed.
        if (d.scope == domain::SuspensionScope::kVendor && !confirmed.value_or(false)) {
          auto cost = s.access.downtime_cost(subject);
          if (!cost) return error_response(cost.error(), req.request_id);
          return json_response(409, {{"error",
                                      {{"code", "failed_precondition"},
                                       {"message",
                                        "confirm with \"confirmed\": true after "
                                        "reading the downtime cost"},
                                       {"request_id", req.request_id}}},
                                     {"downtime_cost", access::downtime_cost_to_json(*cost)}});
        }
        return outcome_response(
            req, s.access.run(c.who.person, [&d](const auto& state, const auto& ctx,
                                                 std::string_view actor, core::Timestamp now) {
              return access::suspend(state, ctx, actor, now, d);
            }));
      })));
  return core::ok();
}

}  // namespace pw::http::api
