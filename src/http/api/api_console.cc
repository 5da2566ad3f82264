// What the browser console (web/, issue 7) needs beyond the rest of the API: the suppliers with
// their risk levels, a supplier's ownership chains (table and Graphviz diagram), a search over
// the journal's events; and the console's own files, served with a CSP that lets its scripts and
// styles in from this origin only.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/authz.h"
#include "domain/assessment.h"
#include "http/api/internal/common.h"
#include "http/json.h"

namespace pw::http::api {
namespace internal {
namespace {

using app::Action;

// The organisation of a supplier id, or not_found naming it.
core::Result<domain::Organisation> supplier_of(Services& s, std::string_view id) {
  PW_ASSIGN_OR_RETURN(auto reg, s.reg.load());
  for (const auto& o : reg.organisations) {
    if (o.id == id) return o;
  }
  return core::not_found("no supplier '" + std::string(id) + "'");
}

// The ownership entity that stands for a supplier: the register's link, else its name.
std::string entity_of(const domain::Organisation& o) {
  return o.ownership_entity.empty() ? o.name : o.ownership_entity;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

core::Result<std::int64_t> int_param(const Request& req, std::string_view name, std::int64_t dflt,
                                     std::int64_t lo, std::int64_t hi) {
  auto text = req.query.get(name);
  if (!text) return dflt;
  std::int64_t v = 0;
  try {
    std::size_t used = 0;
    v = std::stoll(std::string(*text), &used);
    if (used != text->size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    return core::invalid_argument("query: " + std::string(name) + " must be an integer");
  }
  if (v < lo || v > hi) {
    return core::invalid_argument("query: " + std::string(name) + " must be " + std::to_string(lo) +
                                  ".." + std::to_string(hi));
  }
  return v;
}

// The analyst's edits of an open draft (Q6): judge a criterion, sign off (someone else's: four
// eyes). Drafts are started with `portwarden assess start`. The caller acts as their person in
// the register; four eyes and every other rule are the assessment service's, and its refusal
// comes back with its reason.
core::Status add_assessment_write_routes(Router& router, Services& s) {
  using Edit = std::function<core::Result<domain::Assessment>(
      const std::string& supplier, const std::string& person, const nlohmann::json& body)>;
  auto route = [&s, &router](std::string_view pattern, Edit edit) {
    return router.add(
        Method::kPost, pattern,
        guarded(s, Action::kWriteAssessment,
                [&s, edit](const Request& req, const PathParams& params, Caller& c) {
                  if (c.who.person.empty()) {
                    return error_response(
                        core::Error(core::Code::kFailedPrecondition,
                                    "the account has no person in the register to act as"),
                        req.request_id);
                  }
                  auto body = parse_optional_json_body(req);
                  if (!body) return error_response(body.error(), req.request_id);
                  auto a =
                      edit(std::string(params.get("supplier").value_or("")), c.who.person, *body);
                  if (!a) return error_response(a.error(), req.request_id);
                  return json_response(200, {{"assessment", domain::assessment_to_json(*a)}});
                }));
  };
  PW_TRY(route("/v1/assessments/{supplier}/judge",
               [&s](const std::string& supplier, const std::string& person,
                    const nlohmann::json& body) -> core::Result<domain::Assessment> {
                 PW_ASSIGN_OR_RETURN(FieldReader f, FieldReader::of(body));
                 std::string criterion, answer, judgement;
                 PW_TRY(f.required("criterion", criterion));
                 PW_TRY(f.required("answer", answer));
                 PW_TRY(f.required("judgement", judgement));
                 PW_TRY(f.finish());
                 auto c = domain::parse_criterion(criterion);
                 if (!c) return std::unexpected(c.error().with_context("$.criterion"));
                 auto a = domain::parse_answer(answer);
                 if (!a) return std::unexpected(a.error().with_context("$.answer"));
                 return s.assessments.judge(supplier, person, *c, *a, judgement);
               }));
  PW_TRY(route("/v1/assessments/{supplier}/sign",
               [&s](const std::string& supplier, const std::string& person,
                    const nlohmann::json& body) -> core::Result<domain::Assessment> {
                 PW_ASSIGN_OR_RETURN(FieldReader f, FieldReader::of(body));
                 std::string note;  // required, so that an empty body signs nothing
                 PW_TRY(f.required("note", note));
                 PW_TRY(f.finish());
                 return s.assessments.sign_off(supplier, person, note);
               }));
  return core::ok();
}

}  // namespace

core::Status add_console_api_routes(Router& router, Services& s) {
  // Every vendor in the register with its latest assessment's levels; a vendor without one is
  // shown at very_high, as the access engine treats it (fail closed).
  PW_TRY(router.add(
      Method::kGet, "/v1/suppliers",
      guarded(s, Action::kReadAssessment, [&s](const Request& req, const PathParams&, Caller&) {
        auto reg = s.reg.load();
        if (!reg) return error_response(reg.error(), req.request_id);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& o : reg->organisations) {
          if (o.kind != domain::OrgKind::kVendor) continue;
          nlohmann::json j = {{"id", o.id},
                              {"name", o.name},
                              {"country", o.country},
                              {"assessed", false},
                              {"status", "none"},
                              {"inherent", "very_high"},
                              {"residual", "very_high"}};
          if (auto r = s.assessments.report(o.id)) {
            const auto& a = r->assessment;
            j["assessed"] = true;
            j["status"] = std::string(domain::assessment_status_name(a.status));
            j["inherent"] = std::string(domain::risk_level_name(a.inherent));
            j["residual"] = std::string(domain::risk_level_name(a.residual));
            j["revision"] = a.revision;
            j["stale"] = r->stale_now;
          } else if (r.error().code() != core::Code::kNotFound) {
            return error_response(r.error(), req.request_id);
          }
          out.push_back(std::move(j));
        }
        return json_response(200, {{"suppliers", out}});
      })));
  // The ownership chains above a supplier, explained (paths and the combined share of each
  // ultimate owner).
  PW_TRY(router.add(
      Method::kGet, "/v1/suppliers/{id}/ownership",
      guarded(s, Action::kReadAssessment,
              [&s](const Request& req, const PathParams& params, Caller&) {
                auto o = supplier_of(s, params.get("id").value_or(""));
                if (!o) return error_response(o.error(), req.request_id);
                auto x = s.assessments.ownership().explain(entity_of(*o), std::nullopt, 10, {});
                if (!x) return error_response(x.error(), req.request_id);
                return json_response(
                    200, {{"supplier", o->id},
                          {"entity", entity_of(*o)},
                          {"explain", x->json.empty() ? nlohmann::json::object() : x->json.front()},
                          {"text", x->text}});
              })));
  // The same chains as a Graphviz-laid-out SVG. Served as an image with a CSP of its own that
  // allows no script at all, so a name in imported data can never run as code.
  PW_TRY(router.add(Method::kGet, "/v1/suppliers/{id}/diagram",
                    guarded(s, Action::kReadAssessment,
                            [&s](const Request& req, const PathParams& params, Caller&) {
                              auto o = supplier_of(s, params.get("id").value_or(""));
                              if (!o) return error_response(o.error(), req.request_id);
                              auto svg = s.assessments.ownership().graph_svg(entity_of(*o), {});
                              if (!svg) return error_response(svg.error(), req.request_id);
                              Response r;
                              r.status = 200;
                              r.content_type = "image/svg+xml";
                              r.body = std::move(*svg);
                              r.headers.set("Content-Security-Policy",
                                            "default-src 'none'; style-src 'unsafe-inline'");
                              return r;
                            })));
  // A search over the journal's events: ?type= a type prefix ("access."), ?q= text that must
  // occur (case-insensitively) in the type, the actor or the payload, ?from= the first position,
  // ?limit= 1..500 matches (default 100). Answer {"events", "next"}: ask again from `next` for
  // more.
  PW_TRY(router.add(
      Method::kGet, "/v1/journal/events",
      guarded(s, Action::kReadJournal, [&s](const Request& req, const PathParams&, Caller&) {
        auto from = int_param(req, "from", 0, 0, INT64_MAX);
        if (!from) return error_response(from.error(), req.request_id);
        auto limit = int_param(req, "limit", 100, 1, 500);
        if (!limit) return error_response(limit.error(), req.request_id);
        const std::string type(req.query.get("type").value_or(""));
        const std::string needle = lower(req.query.get("q").value_or(""));
        nlohmann::json events = nlohmann::json::array();
        std::uint64_t next = static_cast<std::uint64_t>(*from);
        bool full = false;
        // The scan stops at the first match past the limit (a non-ok status from the visitor),
        // so a page costs what it reads.
        auto scanned = s.journal.scan_events(
            static_cast<std::uint64_t>(*from), type,
            [&](const journal::Envelope& e) -> core::Status {
              if (full) return core::failed_precondition("page full");
              next = e.seq + 1;
              if (!needle.empty()) {
                const std::string hay = lower(e.type + "\n" + e.actor + "\n" + e.payload.dump());
                if (hay.find(needle) == std::string::npos) return core::ok();
              }
              events.push_back({{"seq", e.seq},
                                {"time", core::format_rfc3339(e.time)},
                                {"actor", e.actor},
                                {"type", e.type},
                                {"payload", e.payload}});
              if (events.size() >= static_cast<std::size_t>(*limit)) full = true;
              return core::ok();
            });
        if (!scanned && !full) {
          return error_response(scanned.error(), req.request_id);
        }
        if (scanned && !full) next = *scanned;
        return json_response(200, {{"events", events}, {"next", next}, {"more", full}});
      })));
  PW_TRY(add_assessment_write_routes(router, s));
  return core::ok();
}

}  // namespace internal

namespace {

// The console's files: one level, lower-case names, known extensions only. Anything else is
// 404, so neither a directory nor a file outside web/ can be reached.
std::optional<std::string_view> content_type_of(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return std::nullopt;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return std::nullopt;
    }
  }
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view ext = name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  return std::nullopt;
}

Response console_file(const std::filesystem::path& dir, std::string_view name, const Request& req) {
  auto type = content_type_of(name);
  if (!type)
    return error_response(core::Error(core::Code::kNotFound, "no such page"), req.request_id);
  const std::filesystem::path file = dir / std::string(name);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return error_response(core::Error(core::Code::kNotFound, "no such page"), req.request_id);
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in && !in.eof()) {
    Response r =
        error_response(core::Error(core::Code::kInternal, "internal error"), req.request_id);
    r.log_note = "cannot read " + file.string();
    return r;
  }
  Response r;
  r.status = 200;
  r.content_type = std::string(*type);
  r.body = body.str();
  // Scripts, styles, images and API calls from this origin only; no inline script, no
  // framing, no plugins; forms post nowhere but here.
  r.headers.set("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                "frame-ancestors 'none'");
  r.headers.set("Cache-Control", "no-cache");
  return r;
}

}  // namespace

core::Status add_console_files(Router& router, std::filesystem::path web_dir) {
  PW_TRY(router.add(Method::kGet, "/", [web_dir](const Request& req, const PathParams&) {
    return console_file(web_dir, "index.html", req);
  }));
  return router.add(Method::kGet, "/{file}",
                    [web_dir](const Request& req, const PathParams& params) {
                      return console_file(web_dir, params.get("file").value_or(""), req);
                    });
}

}  // namespace pw::http::api
