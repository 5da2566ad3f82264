// The procurement routes of the REST API (issue 8; docs/PROCUREMENT.md, section "API"): the
// buyer's procedures under /v1/tenders with their lots, bids, flags, art. 2.116 explanation
// requests, FSR cases and awards; import, settings, the screens, the explanation workflow, the
// Foreign Subsidies Regulation check and review, and the award with every reason it is blocked.
//
// Reads need Action::kReadProcurement, changes kWriteProcurement (app/authz.h). Every rule of
// the workflow is the service's (app/procurement_service.h); its refusal comes back with its
// message: invalid_argument 400 naming the field, not_found 404, failed_precondition 409.
//
// Versions. A procedure's `version` is the service's: the journal seq of the last event that
// changed it (app/procurement_service.h). A change passes the version it is based on (If-Match
// or the body's "version") to the service, which compares it inside its write transaction; a
// stale one is answered 409 with current_version and does nothing, whoever changed the
// procedure in between (another API client, the CLI, another process).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/authz.h"
#include "app/procurement_service.h"
#include "domain/ownership.h"
#include "http/api/internal/common.h"
#include "http/json.h"

namespace pw::http::api::internal {
namespace {

using app::Action;

// The journal actor of an API caller: their person in the register, else their account.
std::string actor_of(const Caller& c) {
  return c.who.person.empty() ? "user:" + c.who.username : "person:" + c.who.person;
}

core::Result<domain::Date> today(Services& s) {
  return domain::parse_date(core::format_rfc3339(s.clock.now()));
}

core::Result<app::ProcurementService*> service_of(Services& s) {
  if (s.procurement == nullptr) {
    return core::fail(core::Code::kUnavailable, "procurement is not enabled on this server");
  }
  return s.procurement;
}

// A procedure as the API shows it: the service's detail, with each FSR case's status today,
// whether each valid bid could be awarded now (and every reason not), and the version.
struct View {
  app::ProcedureDetail detail;
  nlohmann::json json;
  std::uint64_t version = 0;
};

core::Result<View> load_view(Services& s, app::ProcurementService& p, const std::string& id) {
  View v;
  PW_ASSIGN_OR_RETURN(v.detail, p.show(id));
  v.json = v.detail.to_json();
  v.version = v.detail.version;
  PW_ASSIGN_OR_RETURN(const domain::Date now, today(s));
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& c : v.detail.fsr) {
    nlohmann::json j = domain::fsr_case_to_json(c);
    j["status"] = std::string(domain::fsr_status_name(c.status(now)));
    cases.push_back(std::move(j));
  }
  v.json["fsr"] = std::move(cases);
  // An open request whose deadline passed is journaled as expired on the next change only (the
  // service's rule); the view says so now, so a reader sees that the buyer may decide.
  for (std::size_t i = 0; i < v.detail.requests.size() && i < v.json["requests"].size(); ++i) {
    const auto& q = v.detail.requests[i];
    v.json["requests"][i]["overdue"] =
        q.state == domain::ExplanationState::kOpen && now > q.deadline;
  }
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& lot : v.detail.stored.procedure.lots) {
    for (const auto& bid : lot.bids) {
      if (!bid.valid) continue;
      bool awarded = false;
      for (const auto& a : v.detail.awards) awarded |= a.lot == lot.id && a.bid == bid.id;
      nlohmann::json blocks = nlohmann::json::array();
      if (!awarded) {
        PW_ASSIGN_OR_RETURN(auto bs, p.award_blocks(id, lot.id, bid.id));
        for (const auto& b : bs) blocks.push_back({{"code", b.code}, {"message", b.message}});
      }
      checks.push_back({{"lot", lot.id},
                        {"bid", bid.id},
                        {"bidder", bid.bidder},
                        {"awarded", awarded},
                        {"blocks", blocks}});
    }
  }
  v.json["award_checks"] = std::move(checks);
  v.json["version"] = v.version;
  return v;
}

Response error_of(const Request& req, const core::Error& e) {
  return error_response(e, req.request_id);
}

// What a change on one procedure answers: 200 and `body` (the route's result under its name),
// or another status with an error of `code` and `message` besides `body` (a blocked award).
struct Outcome {
  nlohmann::json body = nlohmann::json::object();
  int status = 200;
  std::string code, message;
};
// `expected`: the version the change is based on (nullopt: any), for the service to compare.
using Expected = std::optional<std::uint64_t>;
using Run = std::function<core::Result<Outcome>(app::ProcurementService&, const std::string& actor,
                                                const View& before, Expected expected)>;
// Reads the route's members from the body (the caller reads "version" and finishes) and
// returns the command to run; an error names the member.
using Parse = std::function<core::Result<Run>(FieldReader& f)>;

// A change on the procedure {id}: parse the body, find the procedure (404), run with the
// version the change is based on (the service's stale refusal: 409 with the current one),
// answer with the new version.
Handler procedure_change(Services& s, Parse parse) {
  return guarded(
      s, Action::kWriteProcurement,
      [&s, parse = std::move(parse)](const Request& req, const PathParams& params, Caller& c) {
        auto p = service_of(s);
        if (!p) return error_of(req, p.error());
        auto body = parse_optional_json_body(req);
        if (!body) return error_of(req, body.error());
        auto f = FieldReader::of(*body);
        if (!f) return error_of(req, f.error());
        auto run = parse(*f);
        if (!run) return error_of(req, run.error());
        std::optional<std::int64_t> body_version;
        if (auto st = f->optional("version", body_version); !st) return error_of(req, st.error());
        if (auto st = f->finish(); !st) return error_of(req, st.error());
        auto expected = expected_version(req, body_version);
        if (!expected) return error_of(req, expected.error());
        const std::string id(params.get("id").value_or(""));
        auto before = load_view(s, **p, id);
        if (!before) return error_of(req, before.error());
        auto out = (*run)(**p, actor_of(c), *before, *expected);
        if (!out) {
          if (out.error().code() == core::Code::kFailedPrecondition &&
              out.error().message().rfind("stale version", 0) == 0) {
            auto now = load_view(s, **p, id);
            if (!now) return error_of(req, now.error());
            return stale_response(req, out.error(), now->version);
          }
          return error_of(req, out.error());
        }
        auto after = load_view(s, **p, id);
        if (!after) return error_of(req, after.error());
        out->body["version"] = after->version;
        if (out->status != 200) {
          out->body["error"] = {
              {"code", out->code}, {"message", out->message}, {"request_id", req.request_id}};
        }
        Response r = json_response(out->status, out->body);
        r.headers.set("ETag", etag(after->version));
        return r;
      });
}

// The explanation request `id` of the procedure `before`, or not_found naming both.
core::Status request_of(const View& before, const std::string& id) {
  for (const auto& r : before.detail.requests) {
    if (r.id == id) return core::ok();
  }
  return core::not_found("$.request: procedure '" + before.detail.stored.procedure.id +
                         "' has no explanation request '" + id + "'");
}

core::Result<std::vector<std::string>> string_list(FieldReader& f, std::string_view key) {
  std::optional<std::vector<std::string>> v;
  PW_TRY(f.optional(key, v));
  return v.value_or(std::vector<std::string>{});
}

Outcome named(std::string_view name, nlohmann::json value) {
  Outcome o;
  o.body[std::string(name)] = std::move(value);
  return o;
}

// The settings members of a configure body; each optional, only those given change.
core::Result<app::SettingsChange> settings_change(FieldReader& f) {
  app::SettingsChange ch;
  for (auto [key, out] : {std::pair{"estimate_ratio", &ch.estimate_ratio},
                          std::pair{"below_mean", &ch.below_mean}, std::pair{"spain", &ch.spain},
                          std::pair{"italy", &ch.italy}, std::pair{"market", &ch.market},
                          std::pair{"security_requirements", &ch.security_requirements}}) {
    PW_TRY(f.optional(key, *out));
  }
  for (auto [key, out] : {std::pair{"estimate_ratio_bp", &ch.estimate_ratio_bp},
                          std::pair{"below_mean_bp", &ch.below_mean_bp},
                          std::pair{"below_mean_min_bids", &ch.below_mean_min_bids},
                          std::pair{"explanation_working_days", &ch.explanation_working_days}}) {
    std::optional<std::int64_t> v;
    PW_TRY(f.optional(key, v));
    if (v) {
      if (*v < INT32_MIN || *v > INT32_MAX) {
        return core::invalid_argument("$." + std::string(key) + ": out of range");
      }
      *out = static_cast<int>(*v);
    }
  }
  PW_TRY(f.optional("security_text", ch.security_text));
  std::optional<nlohmann::json> vendors;
  PW_TRY(f.optional("bidder_vendors", vendors));
  if (vendors) {
    if (!vendors->is_object()) {
      return core::invalid_argument("$.bidder_vendors: expected an object of bidder -> vendor");
    }
    for (const auto& [bidder, vendor] : vendors->items()) {
      if (!vendor.is_string()) {
        return core::invalid_argument("$.bidder_vendors." + bidder +
                                      ": expected a string (an organisation id, or \"\" to "
                                      "remove)");
      }
      ch.bidder_vendors[bidder] = vendor.get<std::string>();
    }
  }
  return ch;
}

core::Result<app::ReviewStep> parse_step(std::string_view s) {
  if (s == "open_in_depth") return app::ReviewStep::kOpenInDepth;
  if (s == "extend_preliminary") return app::ReviewStep::kExtendPreliminary;
  if (s == "extend_in_depth") return app::ReviewStep::kExtendInDepth;
  if (s == "outcome") return app::ReviewStep::kOutcome;
  return core::invalid_argument(
      "$.step: expected open_in_depth, extend_preliminary, extend_in_depth or outcome, not \"" +
      std::string(s) + "\"");
}

nlohmann::json case_json(Services& s, const domain::FsrCase& c) {
  nlohmann::json j = domain::fsr_case_to_json(c);
  if (auto now = today(s)) j["status"] = std::string(domain::fsr_status_name(c.status(*now)));
  return j;
}

core::Status add_tender_reads(Router& router, Services& s) {
  // Every stored procedure, one line each; paginated and filtered like the other lists.
  PW_TRY(router.add(
      Method::kGet, "/v1/tenders",
      guarded(s, Action::kReadProcurement, [&s](const Request& req, const PathParams&, Caller&) {
        auto p = service_of(s);
        if (!p) return error_of(req, p.error());
        auto list = (*p)->list();
        if (!list) return error_of(req, list.error());
        auto line = [](const app::ProcedureSummary& x) {
          return nlohmann::json{{"id", x.id},
                                {"title", x.title},
                                {"buyer", x.buyer},
                                {"import_version", x.version},
                                {"version", x.record_version},
                                {"lots", x.lots},
                                {"bids", x.bids},
                                {"flags", x.flags},
                                {"open_requests", x.open_requests},
                                {"awards", x.awards}};
        };
        std::vector<nlohmann::json> out;
        for (const auto& x : *list) out.push_back(line(x));
        auto page = paginate(req, "tenders", out, line({}));
        if (!page) return error_of(req, page.error());
        return json_response(200, *page);
      })));
  PW_TRY(router.add(Method::kGet, "/v1/tenders/{id}",
                    guarded(s, Action::kReadProcurement,
                            [&s](const Request& req, const PathParams& params, Caller&) {
                              auto p = service_of(s);
                              if (!p) return error_of(req, p.error());
                              auto v =
                                  load_view(s, **p, std::string(params.get("id").value_or("")));
                              if (!v) return error_of(req, v.error());
                              Response r = json_response(200, v->json);
                              r.headers.set("ETag", etag(v->version));
                              return r;
                            })));
  PW_TRY(router.add(
      Method::kGet, "/v1/tenders/fsr/contributions",
      guarded(s, Action::kReadProcurement, [&s](const Request& req, const PathParams&, Caller&) {
        auto p = service_of(s);
        if (!p) return error_of(req, p.error());
        auto list = (*p)->contributions();
        if (!list) return error_of(req, list.error());
        std::vector<nlohmann::json> out;
        for (const auto& c : *list) out.push_back(domain::contribution_to_json(c));
        auto page = paginate(req, "contributions", out, domain::contribution_to_json({}));
        if (!page) return error_of(req, page.error());
        return json_response(200, *page);
      })));
  return core::ok();
}

// The media type of a request body, lower case, without parameters.
std::string media_type(const Request& req) {
  std::string_view type = req.headers.get("Content-Type").value_or("");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string lower(type);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower;
}

// The answer to an import: 200 with the report, or 422 when nothing at all was stored although
// something was refused (`first_error` says why).
Response import_response(const Request& req, nlohmann::json j, const app::ImportReport& report,
                         bool skipped, const std::string& first_error) {
  const bool nothing = report.stored == 0 && report.unchanged == 0;
  if (nothing && (report.refused > 0 || skipped)) {
    j["error"] = {{"code", "invalid_argument"},
                  {"message", "every procedure was refused: " + first_error},
                  {"request_id", req.request_id}};
    return json_response(422, j);
  }
  return json_response(200, j);
}

// POST /v1/tenders with OCDS releases (a release package or JSON lines; the server's body size
// limit applies). ?mode=strict (the default): the first bad release is 400 naming its record
// and field, and nothing is stored. ?mode=lenient: bad releases are skipped and listed under
// "issues", procedures the store refuses under "procedures", the others are stored (200; 422
// when nothing was).
Response import_ocds(const Request& req, app::ProcurementService& p, const Caller& c,
                     std::string_view name) {
  const std::string mode(req.query.get("mode").value_or("strict"));
  if (mode != "strict" && mode != "lenient") {
    return error_of(req, core::Error(core::Code::kInvalidArgument,
                                     "?mode: expected strict or lenient, not \"" + mode + "\""));
  }
  auto r = p.import_ocds(actor_of(c), req.body, name, mode == "strict");
  if (!r) return error_of(req, r.error());
  std::string first = r->issues.empty() ? std::string() : r->issues.front().to_string();
  for (const auto& x : r->import.procedures) {
    if (first.empty() && !x.error.empty()) first = x.id + ": " + x.error;
  }
  return import_response(req, r->to_json(), r->import, r->summary.releases_skipped > 0, first);
}

// POST /v1/tenders. Three forms, by Content-Type and shape:
//   application/json {"procedures": [...]} in the form GET /v1/tenders/{id} shows under
//     "procedure" (domain::procedure_to_json). A malformed one is 400 naming it and nothing is
//     stored; a procedure the engine refuses (a missing or negative amount, mixed currencies)
//     is reported and not stored, the others are (the bad-record rule of every importer): 200
//     with the report, or 422 when nothing at all was stored.
//   application/json {"releases": [...]}: an OCDS release package (import_ocds above).
//   application/x-ndjson or application/jsonl: OCDS releases as JSON lines (import_ocds).
core::Status add_tender_import(Router& router, Services& s) {
  return router.add(
      Method::kPost, "/v1/tenders",
      guarded(s, Action::kWriteProcurement, [&s](const Request& req, const PathParams&, Caller& c) {
        auto p = service_of(s);
        if (!p) return error_of(req, p.error());
        const std::string type = media_type(req);
        if (type == "application/x-ndjson" || type == "application/jsonl") {
          return import_ocds(req, **p, c, "body.jsonl");
        }
        auto body = parse_json_body(req);
        if (!body) return error_of(req, body.error());
        if (body->is_object() && body->contains("releases") && !body->contains("procedures")) {
          return import_ocds(req, **p, c, "body.json");
        }
        auto f = FieldReader::of(*body);
        if (!f) return error_of(req, f.error());
        nlohmann::json list;
        if (auto st = f->required("procedures", list); !st) return error_of(req, st.error());
        if (auto st = f->finish(); !st) return error_of(req, st.error());
        if (!list.is_array() || list.empty()) {
          return error_of(req, core::Error(core::Code::kInvalidArgument,
                                           "$.procedures: expected a non-empty array"));
        }
        std::vector<domain::Procedure> procedures;
        for (std::size_t i = 0; i < list.size(); ++i) {
          auto proc = domain::procedure_from_json(list[i]);
          if (!proc) {
            return error_of(req,
                            proc.error().with_context("$.procedures[" + std::to_string(i) + "]"));
          }
          procedures.push_back(std::move(*proc));
        }
        auto report = (*p)->import_procedures(actor_of(c), procedures);
        if (!report) return error_of(req, report.error());
        nlohmann::json out = nlohmann::json::array();
        std::string first;
        for (const auto& x : report->procedures) {
          out.push_back({{"id", x.id},
                         {"import_version", x.version},
                         {"unchanged", x.unchanged},
                         {"error", x.error}});
          if (first.empty()) first = x.error;
        }
        nlohmann::json j = {{"procedures", out},
                            {"stored", report->stored},
                            {"unchanged", report->unchanged},
                            {"refused", report->refused}};
        return import_response(req, j, *report, false, first);
      }));
}

core::Status add_tender_changes(Router& router, Services& s) {
  PW_TRY(router.add(Method::kPost, "/v1/tenders/{id}/configure",
                    procedure_change(s, [](FieldReader& f) -> core::Result<Run> {
                      PW_ASSIGN_OR_RETURN(app::SettingsChange ch, settings_change(f));
                      return Run([ch](app::ProcurementService& p, const std::string& actor,
                                      const View& v, Expected e) -> core::Result<Outcome> {
                        PW_ASSIGN_OR_RETURN(
                            auto settings, p.configure(actor, v.detail.stored.procedure.id, ch, e));
                        return named("settings", domain::settings_to_json(settings));
                      });
                    })));
  PW_TRY(router.add(Method::kPost, "/v1/tenders/{id}/analyse",
                    procedure_change(s, [](FieldReader& f) -> core::Result<Run> {
                      app::AnalyseOptions o;
                      PW_ASSIGN_OR_RETURN(o.methods, string_list(f, "methods"));
                      return Run([o](app::ProcurementService& p, const std::string& actor,
                                     const View& v, Expected e) -> core::Result<Outcome> {
                        PW_ASSIGN_OR_RETURN(auto report,
                                            p.analyse(actor, v.detail.stored.procedure.id, o, e));
                        return named("analysis", report.to_json());
                      });
                    })));
  // Every stored procedure, as `portwarden tender analyse --all`: {"methods": [...]} optional
  // (default: each procedure's settings). No version: it is not a change of one procedure.
  PW_TRY(router.add(
      Method::kPost, "/v1/tenders/analyse",
      guarded(s, Action::kWriteProcurement, [&s](const Request& req, const PathParams&, Caller& c) {
        auto p = service_of(s);
        if (!p) return error_of(req, p.error());
        auto body = parse_optional_json_body(req);
        if (!body) return error_of(req, body.error());
        auto f = FieldReader::of(*body);
        if (!f) return error_of(req, f.error());
        app::AnalyseOptions o;
        auto methods = string_list(*f, "methods");
        if (!methods) return error_of(req, methods.error());
        o.methods = std::move(*methods);
        if (auto st = f->finish(); !st) return error_of(req, st.error());
        auto report = (*p)->analyse(actor_of(c), "", o);
        if (!report) return error_of(req, report.error());
        return json_response(200, {{"analysis", report->to_json()}});
      })));
  // The art. 2.116 workflow: the request is named in the body ("request", its id as the
  // procedure shows it) and must belong to the procedure in the path.
  PW_TRY(router.add(Method::kPost, "/v1/tenders/{id}/explanations/receive",
                    procedure_change(s, [](FieldReader& f) -> core::Result<Run> {
                      std::string request, text;
                      std::optional<std::string> evidence;
                      PW_TRY(f.required("request", request));
                      PW_TRY(f.required("text", text));
                      PW_TRY(f.optional("evidence", evidence));
                      return Run([=](app::ProcurementService& p, const std::string& actor,
                                     const View& v, Expected e) -> core::Result<Outcome> {
                        PW_TRY(request_of(v, request));
                        PW_ASSIGN_OR_RETURN(
                            auto r,
                            p.receive_explanation(actor, request, text, evidence.value_or(""), e));
                        return named("request", domain::explanation_request_to_json(r));
                      });
                    })));
  PW_TRY(router.add(Method::kPost, "/v1/tenders/{id}/explanations/finding",
                    procedure_change(s, [](FieldReader& f) -> core::Result<Run> {
                      std::string request, text;
                      PW_TRY(f.required("request", request));
                      PW_TRY(f.required("text", text));
                      return Run([=](app::ProcurementService& p, const std::string& actor,
                                     const View& v, Expected e) -> core::Result<Outcome> {
                        PW_TRY(request_of(v, request));
                        PW_ASSIGN_OR_RETURN(auto r,
                                            p.record_labour_law_finding(actor, request, text, e));
                        return named("request", domain::explanation_request_to_json(r));
                      });
                    })));
  PW_TRY(router.add(Method::kPost, "/v1/tenders/{id}/explanations/decide",
                    procedure_change(s, [](FieldReader& f) -> core::Result<Run> {
                      std::string request, decision;
                      std::optional<std::string> reason, text;
                      PW_TRY(f.required("request", request));
                      PW_TRY(f.required("decision", decision));
                      PW_TRY(f.optional("reason", reason));
                      PW_TRY(f.optional("text", text));
                      app::DecisionInput in;
                      if (decision == "accept") {
                        in.decision = app::Decision::kAccept;
                      } else if (decision == "reject") {
                        in.decision = app::Decision::kReject;
                      } else {
                        return core::invalid_argument(
                            "$.decision: expected accept or reject, not \"" + decision + "\"");
                      }
                      if (reason) {
                        auto r = domain::parse_reject_reason(*reason);
                        if (!r) return std::unexpected(r.error().with_context("$.reason"));
                        in.reason = *r;
                      }
                      in.text = text.value_or("");
                      return Run([=](app::ProcurementService& p, const std::string& actor,
                                     const View& v, Expected e) -> core::Result<Outcome> {
                        PW_TRY(request_of(v, request));
                        PW_ASSIGN_OR_RETURN(auto r, p.decide(actor, request, in, e));
                        return named("request", domain::explanation_request_to_json(r));
                      });
                    })));
  return core::ok();
}

core::Status add_tender_fsr(Router& router, Services& s) {
  PW_TRY(router.add(
      Method::kPost, "/v1/tenders/fsr/contributions",
      guarded(s, Action::kWriteProcurement, [&s](const Request& req, const PathParams&, Caller& c) {
        auto p = service_of(s);
        if (!p) return error_of(req, p.error());
        auto body = parse_json_body(req);
        if (!body) return error_of(req, body.error());
        auto f = FieldReader::of(*body);
        if (!f) return error_of(req, f.error());
        app::ContributionInput in;
        core::Status st = f->required("entity", in.entity);
        if (st) st = f->required("country", in.country);
        if (st) st = f->required("eur_cents", in.eur_cents);
        if (st) st = f->required("period_start", in.period_start);
        if (st) st = f->required("period_end", in.period_end);
        if (st) st = f->required("source", in.source);
        if (st) st = f->finish();
        if (!st) return error_of(req, st.error());
        auto added = (*p)->add_contribution(actor_of(c), in);
        if (!added) return error_of(req, added.error());
        return json_response(200, {{"contribution", domain::contribution_to_json(*added)}});
      })));
  PW_TRY(
      router.add(Method::kPost, "/v1/tenders/{id}/fsr/check",
                 procedure_change(s, [&s](FieldReader& f) -> core::Result<Run> {
                   std::string bidder;
                   PW_TRY(f.required("bidder", bidder));
                   app::FsrCheckInput in;
                   PW_ASSIGN_OR_RETURN(in.subcontractors, string_list(f, "subcontractors"));
                   PW_ASSIGN_OR_RETURN(in.lots, string_list(f, "lots"));
                   return Run([&s, bidder, in](app::ProcurementService& p, const std::string& actor,
                                               const View& v, Expected e) -> core::Result<Outcome> {
                     PW_ASSIGN_OR_RETURN(
                         auto c, p.fsr_check(actor, v.detail.stored.procedure.id, bidder, in, e));
                     return named("case", case_json(s, c));
                   });
                 })));
  PW_TRY(router.add(
      Method::kPost, "/v1/tenders/{id}/fsr/notified",
      procedure_change(s, [&s](FieldReader& f) -> core::Result<Run> {
        std::string bidder;
        std::optional<std::string> date;
        PW_TRY(f.required("bidder", bidder));
        PW_TRY(f.optional("date", date));
        return Run([&s, bidder, date](app::ProcurementService& p, const std::string& actor,
                                      const View& v, Expected e) -> core::Result<Outcome> {
          PW_ASSIGN_OR_RETURN(auto c, p.fsr_notified(actor, v.detail.stored.procedure.id, bidder,
                                                     date.value_or(""), e));
          return named("case", case_json(s, c));
        });
      })));
  PW_TRY(
      router.add(Method::kPost, "/v1/tenders/{id}/fsr/review",
                 procedure_change(s, [&s](FieldReader& f) -> core::Result<Run> {
                   std::string bidder, step;
                   std::optional<std::string> date, outcome, text;
                   PW_TRY(f.required("bidder", bidder));
                   PW_TRY(f.required("step", step));
                   PW_TRY(f.optional("date", date));
                   PW_TRY(f.optional("outcome", outcome));
                   PW_TRY(f.optional("text", text));
                   app::ReviewInput in;
                   PW_ASSIGN_OR_RETURN(in.step, parse_step(step));
                   if (outcome) {
                     auto o = domain::parse_fsr_outcome(*outcome);
                     if (!o) return std::unexpected(o.error().with_context("$.outcome"));
                     in.outcome = *o;
                   } else if (in.step == app::ReviewStep::kOutcome) {
                     return core::invalid_argument("$.outcome: is required with step outcome");
                   }
                   in.date = date.value_or("");
                   in.text = text.value_or("");
                   return Run([&s, bidder, in](app::ProcurementService& p, const std::string& actor,
                                               const View& v, Expected e) -> core::Result<Outcome> {
                     PW_ASSIGN_OR_RETURN(
                         auto c, p.fsr_review(actor, v.detail.stored.procedure.id, bidder, in, e));
                     return named("case", case_json(s, c));
                   });
                 })));
  return core::ok();
}

// The award: 200 with the award, or 409 with every reason it is blocked (nothing journaled).
core::Status add_tender_award(Router& router, Services& s) {
  return router.add(
      Method::kPost, "/v1/tenders/{id}/award",
      procedure_change(s, [](FieldReader& f) -> core::Result<Run> {
        std::string lot, bid;
        PW_TRY(f.required("lot", lot));
        PW_TRY(f.required("bid", bid));
        return Run([lot, bid](app::ProcurementService& p, const std::string& actor, const View& v,
                              Expected e) -> core::Result<Outcome> {
          PW_ASSIGN_OR_RETURN(auto r, p.award(actor, v.detail.stored.procedure.id, lot, bid, e));
          Outcome o;
          nlohmann::json blocks = nlohmann::json::array();
          std::string why;
          for (const auto& b : r.blocks) {
            blocks.push_back({{"code", b.code}, {"message", b.message}});
            why += (why.empty() ? "" : "; ") + b.message;
          }
          o.body["awarded"] = r.awarded;
          o.body["blocks"] = blocks;
          if (r.award) o.body["award"] = domain::award_to_json(*r.award);
          if (!r.awarded) {
            o.status = 409;
            o.code = "failed_precondition";
            o.message = "the award of bid '" + bid +
                        "' is blocked: " + (why.empty() ? std::string("no reason given") : why);
          }
          return o;
        });
      }));
}

}  // namespace

core::Status add_procurement_routes(Router& router, Services& s) {
  PW_TRY(add_tender_reads(router, s));
  PW_TRY(add_tender_import(router, s));
  PW_TRY(add_tender_changes(router, s));
  PW_TRY(add_tender_fsr(router, s));
  return add_tender_award(router, s);
}

}  // namespace pw::http::api::internal
