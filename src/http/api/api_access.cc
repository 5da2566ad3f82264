// The access routes of the REST API (issue 5): requests and their decisions, server-room
// check-in, the access check and the feed gateways follow (a long-poll), work permits, and the
// kill switch.
#include <charconv>
#include <chrono>
#include <memory>
#include <string>

#include "access/engine.h"
#include "app/authz.h"
#include "http/api/internal/common.h"
#include "http/api/internal/feed.h"
#include "http/json.h"

namespace pw::http::api::internal {
namespace {

using app::Action;

core::Result<core::Timestamp> time_field(const std::optional<std::string>& text,
                                         core::Timestamp fallback, std::string_view name) {
  if (!text) return fallback;
  auto t = core::parse_rfc3339(*text);
  if (!t) return std::unexpected(t.error().with_context(name));
  return *t;
}

constexpr std::uint64_t kDefaultFeedWaitSeconds = 25;
constexpr std::uint64_t kMaxFeedWaitSeconds = 30;

// A non-negative decimal query parameter in [min, max], `fallback` when absent; the error names
// the parameter and the range.
core::Result<std::uint64_t> count_query(const Request& req, std::string_view name,
                                        std::uint64_t min, std::uint64_t max,
                                        std::uint64_t fallback) {
  auto text = req.query.get(name);
  if (!text) return fallback;
  std::uint64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    const std::string range = max == UINT64_MAX
                                  ? "of at least " + std::to_string(min)
                                  : "from " + std::to_string(min) + " to " + std::to_string(max);
    return core::invalid_argument("query: " + std::string(name) + " must be an integer " + range +
                                  ", not \"" + std::string(*text) + "\"");
  }
  return value;
}

}  // namespace

core::Status add_access_routes(Router& router, Services& s) {
  // ---- access --------------------------------------------------------------------------------
  PW_TRY(router.add(
      Method::kGet, "/v1/access/requests",
      guarded(s, Action::kReadAccess, [&s](const Request& req, const PathParams&, Caller& c) {
        auto snap = s.access.snapshot();
        if (!snap) return error_response(snap.error(), req.request_id);
        auto reg = s.reg.load();
        if (!reg) return error_response(reg.error(), req.request_id);
        std::vector<nlohmann::json> out;
        for (const auto& [id, r] : snap->state.requests) {
          // Technicians see their own requests, terminal staff those at their terminal (the
          // operator of the asset's or room's site), customs staff all.
          const std::string requester = c.who.has(app::Role::kTechnician) ? r.requester : "";
          const domain::Asset* a = reg->asset(r.asset);
          const domain::Room* room = reg->room(r.room);
          const domain::Site* site = reg->site(a ? a->site : room ? room->site : "");
          const std::string terminal =
              site && !site->operator_org.empty() ? site->operator_org : "(none)";
          if (!app::authorize(c.who, c.affiliation, Action::kReadAccess,
                              {r.vendor, terminal, requester})) {
            continue;
          }
          nlohmann::json j = domain::request_to_json(r);
          j["version"] = snap->version_of(app::access_record_key("request", id));
          out.push_back(std::move(j));
        }
        nlohmann::json example = domain::request_to_json({});
        example["version"] = 0;
        auto page = paginate(req, "requests", out, example);
        if (!page) return error_response(page.error(), req.request_id);
        return json_response(200, *page);
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
        return outcome_response(s, req,
                                s.access.run(c.who.person,
                                             [&d](const auto& state, const auto& ctx,
                                                  std::string_view actor, core::Timestamp now) {
                                               return access::request_visit(state, ctx, actor, now,
                                                                            d);
                                             }),
                                app::access_record_key("request", d.id));
      })));
  for (const char* verb : {"approve", "deny"}) {
    const bool approve = std::string(verb) == "approve";
    PW_TRY(router.add(
        Method::kPost, std::string("/v1/access/requests/{id}/") + verb,
        guarded(s, Action::kApproveAccess,
                [&s, approve](const Request& req, const PathParams& params, Caller& c) {
                  auto args = read_args(req, {}, {"note"});
                  if (!args) return error_response(args.error(), req.request_id);
                  const std::string note = args->get("note");
                  const std::string id(params.get("id").value_or(""));
                  return run_on_record(
                      s, req, c, app::access_record_key("request", id), args->version,
                      [&](const auto& state, const auto& ctx, std::string_view actor,
                          core::Timestamp now) {
                        return approve ? access::approve(state, ctx, actor, now, id, note)
                                       : access::deny(state, ctx, actor, now, id, note);
                      });
                })));
  }
  PW_TRY(router.add(Method::kPost, "/v1/access/requests/{id}/checkin",
                    guarded(s, Action::kCheckInOut,
                            [&s](const Request& req, const PathParams& params, Caller& c) {
                              auto args = read_args(req, {"person"}, {});
                              if (!args) return error_response(args.error(), req.request_id);
                              const std::string person = args->get("person");
                              const std::string id(params.get("id").value_or(""));
                              return run_on_record(
                                  s, req, c, app::access_record_key("request", id), args->version,
                                  [&](const auto& state, const auto& ctx, std::string_view actor,
                                      core::Timestamp now) {
                                    return access::check_in(state, ctx, actor, now, id, person);
                                  });
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
                    s, req,
                    s.access.run(c.who.person,
                                 [&d](const auto& state, const auto& ctx, std::string_view actor,
                                      core::Timestamp now) {
                                   return access::request_permit(state, ctx, actor, now, d);
                                 }),
                    app::access_record_key("permit", d.id));
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
              auto expect = version_only_body(req);
              if (!expect) return error_response(expect.error(), req.request_id);
              return run_on_record(s, req, c, app::access_record_key("permit", id), *expect,
                                   [&](const auto& st, const auto& ctx, std::string_view actor,
                                       core::Timestamp now) {
                                     return approve
                                                ? access::approve_permit(st, ctx, actor, now, id)
                                                : access::issue_permit(st, ctx, actor, now, id);
                                   });
            })));
  }

  // The feed gateways follow (feed.h): every event that ends or blocks access from a journal
  // position on. A gateway asks again with the `next` it was given; with `wait` (seconds, 25 by
  // default) the request is held until an access event lands after `from` or the wait ends,
  // without holding an I/O thread.
  auto waiters = std::make_shared<FeedWaiters>(s.journal, s.access.changes());
  PW_TRY(router.add_async(
      Method::kGet, "/v1/access/feed",
      guarded_async(
          s, Action::kCheckAccess,
          [&s, waiters](const Request& req, const PathParams&, Caller&, Responder responder) {
            auto from = count_query(req, "from", 0, UINT64_MAX, 0);
            if (!from) {
              responder.respond(error_response(from.error(), req.request_id));
              return;
            }
            auto wait = count_query(req, "wait", 0, kMaxFeedWaitSeconds, kDefaultFeedWaitSeconds);
            if (!wait) {
              responder.respond(error_response(wait.error(), req.request_id));
              return;
            }
            auto page = read_feed(s.journal, *from);
            if (!page) {
              responder.respond(error_response(page.error(), req.request_id));
            } else if (page->any_access_event || *wait == 0) {
              responder.respond(feed_response(*page));
            } else {
              waiters->wait(*from, page->journal_size,
                            std::chrono::steady_clock::now() + std::chrono::seconds(*wait),
                            req.request_id, std::move(responder));
            }
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
        return outcome_response(s, req,
                                s.access.run(c.who.person,
                                             [&d](const auto& state, const auto& ctx,
                                                  std::string_view actor, core::Timestamp now) {
                                               return access::suspend(state, ctx, actor, now, d);
                                             }),
                                app::access_record_key("suspension", d.id));
      })));
  return core::ok();
}

}  // namespace pw::http::api::internal
