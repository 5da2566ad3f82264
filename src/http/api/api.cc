#include "http/api/api.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string>

#include "access/engine.h"
#include "app/authz.h"
#include "core/bytes.h"
#include "http/api/internal/common.h"
#include "http/json.h"

namespace pw::http::api {
namespace {

using app::Action;
using internal::authenticate;
using internal::Caller;
using internal::cookie;
using internal::guarded;
using internal::refuse;

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
        // The verifier key ("name+keyid+base64", C2SP signed note) lets a browser check the
        // note's signature; an auditor compares it with the key of their own records.
        return json_response(200, {{"size", cp->size},
                                   {"root", core::to_hex(cp->root)},
                                   {"note", cp->note},
                                   {"verifier_key", s.journal.verifier_key()}});
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
        auto versions = s.reg.versions(domain::Table::kAsset);
        if (!versions) return error_response(versions.error(), req.request_id);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& a : reg->assets) {
          // A technician sees their employer's assets only.
          if (!app::authorize(c.who, c.affiliation, Action::kReadRegister,
                              {vendor_or_customs(a), "", ""})) {
            continue;
          }
          nlohmann::json j = domain::record_to_json(a);
          auto v = versions->find(a.id);
          j["version"] = v == versions->end() ? 0 : v->second;
          out.push_back(std::move(j));
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
                auto versions = s.reg.versions(domain::Table::kAsset);
                if (!versions) return error_response(versions.error(), req.request_id);
                auto v = versions->find(a->id);
                const std::uint64_t version = v == versions->end() ? 0 : v->second;
                nlohmann::json j = domain::record_to_json(*a);
                j["version"] = version;
                Response r = json_response(200, j);
                r.headers.set("ETag", internal::etag(version));
                return r;
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
            auto bounds = internal::page_bounds(req);
            if (!bounds) return error_response(bounds.error(), req.request_id);
            const std::int64_t limit = bounds->limit, offset = bounds->offset;
            const bool technician = c.who.has(app::Role::kTechnician) && c.who.roles.size() == 1;
            const std::string& org = c.affiliation.organisation;
            auto versions = s.reg.versions(*table);
            if (!versions) return error_response(versions.error(), req.request_id);
            nlohmann::json all = nlohmann::json::array();
            auto add = [&](const auto& records) {
              for (const auto& r : records) {
                nlohmann::json j = domain::record_to_json(r);
                auto v = versions->find(r.id);
                j["version"] = v == versions->end() ? 0 : v->second;
                all.push_back(std::move(j));
              }
            };
            internal::with_table(*reg, *table, add);
            nlohmann::json page = nlohmann::json::array();
            std::int64_t matched = 0;
            for (const auto& rec : all) {
              if (technician &&
                  (org.empty() || internal::register_owner(*reg, *table, rec) != org)) {
                continue;
              }
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
  PW_TRY(internal::add_access_routes(router, s));
  PW_TRY(internal::add_manage_routes(router, s));
  PW_TRY(internal::add_console_api_routes(router, s));
  PW_TRY(internal::add_procurement_routes(router, s));
  return internal::add_gateway_routes(router, s);
}

}  // namespace pw::http::api
