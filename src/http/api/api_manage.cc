// The rest of the REST API of issue 5: the lifecycle steps after a request or permit is made
// (cancel, extend, check-out, handover, close, revoke; permit suspend/resume/extend/close;
// ending a suspension; freezing an asset), single records and paginated lists of requests,
// permits, grants and suspensions, writes to the register, and the auditor's journal export.
//
// Authorization is two-staged, as in api_access.cc: the route's gate (the actions of the authz
// table any of which lets a role take part at all), then, once the record is known, the same
// table with the record's vendor, terminal and holder as the target (a technician of another
// vendor, or terminal staff of another terminal, are refused here). The engine then checks its
// own rules (who may do what to this record) and answers with every rule it checked.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "access/engine.h"
#include "app/authz.h"
#include "http/api/internal/common.h"
#include "http/json.h"

namespace pw::http::api::internal {
namespace {

using app::Action;
using app::Role;

// A route whose gate passes when any of `actions` is allowed to the caller (unscoped).
Handler guarded_any(Services& s, std::vector<Action> actions, Body body) {
  return [&s, actions = std::move(actions), body = std::move(body)](const Request& req,
                                                                    const PathParams& params) {
    auto caller = authenticate(s, req);
    if (!caller) return refuse(s, req, "", caller.error());
    core::Status first = core::ok();
    for (Action a : actions) {
      auto st = app::authorize(caller->who, caller->affiliation, a);
      if (st) return body(req, params, *caller);
      if (first) first = st;
    }
    return refuse(s, req, caller->who.username, first.error());
  };
}

// ok if any of `actions` is allowed on `target`; else the refusal of the first, journaled.
std::optional<Response> scope(Services& s, const Request& req, const Caller& c,
                              const std::vector<Action>& actions, const app::Target& target) {
  core::Status first = core::ok();
  for (Action a : actions) {
    auto st = app::authorize(c.who, c.affiliation, a, target);
    if (st) return std::nullopt;
    if (first) first = st;
  }
  return refuse(s, req, c.who.username, first.error());
}

Response not_found(const Request& req, std::string_view what, std::string_view id) {
  return error_response(
      core::Error(core::Code::kNotFound, "no " + std::string(what) + " '" + std::string(id) + "'"),
      req.request_id);
}

// The terminal operator of the site an asset or room stands on; "(none)" when it has none, so
// that terminal staff are refused.
std::string terminal_of(const domain::Register& reg, const std::string& asset,
                        const std::string& room) {
  const domain::Site* site = nullptr;
  if (const domain::Asset* a = reg.asset(asset)) site = reg.site(a->site);
  if (!site) {
    if (const domain::Room* r = reg.room(room)) site = reg.site(r->site);
  }
  return site && !site->operator_org.empty() ? site->operator_org : std::string("(none)");
}

// The scoping target of each kind of record. `own`: a technician must be the requester/holder.
app::Target target_of(const domain::Register& reg, const domain::AccessRequest& r, bool own) {
  return {r.vendor, terminal_of(reg, r.asset, r.room), own ? r.requester : ""};
}
app::Target target_of(const domain::Register& reg, const domain::Grant& g, bool own) {
  return {g.vendor, terminal_of(reg, g.asset, g.room), own ? g.person : ""};
}
app::Target target_of(const domain::Register& reg, const domain::WorkPermit& p) {
  const domain::Asset* a = reg.asset(p.asset);
  return {a && !a->vendor.empty() ? a->vendor : "(none)", terminal_of(reg, p.asset, ""), ""};
}

// A technician sees a permit only if it names them or they asked for it.
bool concerns(const Caller& c, const domain::WorkPermit& p) {
  if (!c.who.has(Role::kTechnician) || c.who.roles.size() != 1) return true;
  return p.requested_by == c.who.person ||
         std::find(p.people.begin(), p.people.end(), c.who.person) != p.people.end();
}

// Runs one engine command on `key` (an access_record_key) with the caller's expected version.
Response run_step(Services& s, const Request& req, const Caller& c, const std::string& key,
                  const Args& args, const app::AccessService::EngineCommand& command) {
  return run_on_record(s, req, c, key, args.version, command);
}

Response record_response(nlohmann::json j, std::uint64_t version) {
  j["version"] = version;
  Response r = json_response(200, j);
  r.headers.set("ETag", etag(version));
  return r;
}

// Everything a handler needs about the current state, loaded once.
struct Loaded {
  app::AccessSnapshot snap;
  domain::Register reg;
};
core::Result<Loaded> load(Services& s) {
  Loaded l;
  PW_ASSIGN_OR_RETURN(l.snap, s.access.snapshot());
  PW_ASSIGN_OR_RETURN(l.reg, s.reg.load());
  return l;
}

using Engine = app::AccessService::EngineCommand;
// Builds a step's engine command from its arguments and the record's id; an argument the engine
// cannot take (a time that does not parse) is an error naming it.
using Step = std::function<core::Result<Engine>(const Args&, const std::string& id)>;

// The engine command `f(state, ctx, actor, now, args...)`, the arguments copied in.
template <class F, class... A>
Engine command(F f, A... args) {
  return [f, args...](const access::AccessState& st, const access::Context& ctx,
                      std::string_view actor,
                      core::Timestamp now) { return f(st, ctx, actor, now, args...); };
}

// One kind of access record, as the routes on `path`/{id} see it.
struct RecordKind {
  std::string path;  // "/v1/access/requests"
  std::string key;   // its kind in access_record_key()
  std::string noun;  // as in "no <noun> 'id'"
  // The scoped check of every step, when it is not the step's gate.
  std::optional<std::vector<Action>> scoped;
  // The record's scoping target (with `holder`, a technician must be its requester or holder),
  // or nullopt when the state has no record `id`.
  std::function<std::optional<app::Target>(const Loaded&, const std::string& id, bool holder)>
      target;
};

// Loads the state, finds record `id` of `kind` (404 if none), checks that any of `actions` is
// allowed to the caller on it (403, journaled, if not), then answers with `then`.
Response with_record(Services& s, const Request& req, const Caller& c, const RecordKind& kind,
                     const std::string& id, const std::vector<Action>& actions, bool holder,
                     const std::function<Response(const Loaded&)>& then) {
  auto l = load(s);
  if (!l) return error_response(l.error(), req.request_id);
  auto target = kind.target(*l, id, holder);
  if (!target) return not_found(req, kind.noun, id);
  if (auto no = scope(s, req, c, actions, *target)) return *no;
  return then(*l);
}

// A lifecycle step: POST <kind.path>/{id}/<name>.
struct Verb {
  const char* name;
  std::vector<Action> gate;  // the route's gate; also the scoped check unless kind.scoped
  bool holder;               // a technician must be the record's requester or holder
  std::vector<const char*> required, optional;
  Step step;
};

// The routes of `verbs`: gate, record and scope (with_record), arguments, then the engine
// command with the caller's expected version.
core::Status add_steps(Router& router, Services& s, const RecordKind& kind,
                       const std::vector<Verb>& verbs) {
  for (const auto& v : verbs) {
    PW_TRY(router.add(
        Method::kPost, kind.path + "/{id}/" + v.name,
        guarded_any(
            s, v.gate, [&s, kind, v](const Request& req, const PathParams& params, Caller& c) {
              const std::string id(params.get("id").value_or(""));
              return with_record(
                  s, req, c, kind, id, kind.scoped.value_or(v.gate), v.holder, [&](const Loaded&) {
                    auto args = read_args(req, v.required, v.optional);
                    if (!args) return error_response(args.error(), req.request_id);
                    auto cmd = v.step(*args, id);
                    if (!cmd) return error_response(cmd.error(), req.request_id);
                    return run_step(s, req, c, app::access_record_key(kind.key, id), *args, *cmd);
                  });
            })));
  }
  return core::ok();
}

// GET <kind.path>/{id}: the record as `to_json` makes it (with "version"), if the caller may
// read it (a technician only their own, when `own_only`).
core::Status add_get(
    Router& router, Services& s, const RecordKind& kind, bool own_only,
    std::function<Response(const Request&, const Caller&, const Loaded&, const std::string&)>
        to_json) {
  return router.add(
      Method::kGet, kind.path + "/{id}",
      guarded(
          s, Action::kReadAccess,
          [&s, kind, own_only, to_json](const Request& req, const PathParams& params, Caller& c) {
            const std::string id(params.get("id").value_or(""));
            return with_record(s, req, c, kind, id, {Action::kReadAccess},
                               own_only && c.who.has(Role::kTechnician),
                               [&](const Loaded& l) { return to_json(req, c, l, id); });
          }));
}

// ---- access requests ---------------------------------------------------------------------------
core::Status add_request_routes(Router& router, Services& s) {
  const RecordKind kind{
      "/v1/access/requests", "request", "access request",
      std::vector<Action>{Action::kRequestAccess, Action::kApproveAccess},
      [](const Loaded& l, const std::string& id, bool holder) -> std::optional<app::Target> {
        const domain::AccessRequest* r = l.snap.state.request(id);
        if (!r) return std::nullopt;
        return target_of(l.reg, *r, holder);
      }};
  PW_TRY(add_get(router, s, kind, true,
                 [](const Request&, const Caller&, const Loaded& l, const std::string& id) {
                   return record_response(domain::request_to_json(*l.snap.state.request(id)),
                                          l.snap.version_of(app::access_record_key("request", id)));
                 }));
  return add_steps(router, s, kind,
                   {{"cancel",
                     {Action::kRequestAccess, Action::kApproveAccess},
                     false,
                     {},
                     {"reason"},
                     [](const Args& a, const std::string& id) -> core::Result<Engine> {
                       return command(access::cancel, id, a.get("reason"));
                     }},
                    {"extend",
                     {Action::kRequestAccess},
                     false,
                     {"to"},
                     {"reason"},
                     [](const Args& a, const std::string& id) -> core::Result<Engine> {
                       PW_ASSIGN_OR_RETURN(core::Timestamp to, time_arg(a, "to"));
                       return command(access::extend, id, to, a.get("reason"));
                     }}});
}

// ---- grants ------------------------------------------------------------------------------------
core::Status add_grant_routes(Router& router, Services& s) {
  auto grant_json = [](const Loaded& l, const domain::Grant& g, core::Timestamp now) {
    nlohmann::json j = domain::grant_to_json(g);
    j["effective_state"] =
        std::string(domain::grant_state_name(access::effective_state(l.snap.state, g, now)));
    j["version"] = l.snap.version_of(app::access_record_key("grant", g.id));
    return j;
  };
  // Technicians see their own grants; terminal staff those on their terminal's assets.
  PW_TRY(router.add(
      Method::kGet, "/v1/access/grants",
      guarded(s, Action::kReadAccess,
              [&s, grant_json](const Request& req, const PathParams&, Caller& c) {
                auto l = load(s);
                if (!l) return error_response(l.error(), req.request_id);
                const core::Timestamp now = s.clock.now();
                std::vector<nlohmann::json> out;
                for (const auto& [id, g] : l->snap.state.grants) {
                  if (!app::authorize(c.who, c.affiliation, Action::kReadAccess,
                                      target_of(l->reg, g, c.who.has(Role::kTechnician)))) {
                    continue;
                  }
                  out.push_back(grant_json(*l, g, now));
                }
                auto page = paginate(req, "grants", out, grant_json(*l, domain::Grant{}, now));
                if (!page) return error_response(page.error(), req.request_id);
                return json_response(200, *page);
              })));
  const RecordKind kind{
      "/v1/access/grants", "grant", "grant", std::nullopt,
      [](const Loaded& l, const std::string& id, bool holder) -> std::optional<app::Target> {
        const domain::Grant* g = l.snap.state.grant(id);
        if (!g) return std::nullopt;
        return target_of(l.reg, *g, holder);
      }};
  PW_TRY(add_get(
      router, s, kind, true,
      [&s, grant_json](const Request&, const Caller&, const Loaded& l, const std::string& id) {
        nlohmann::json j = grant_json(l, *l.snap.state.grant(id), s.clock.now());
        const std::uint64_t v = j["version"].get<std::uint64_t>();
        return record_response(std::move(j), v);
      }));
  return add_steps(router, s, kind,
                   {{"checkout",
                     {Action::kCheckInOut, Action::kRequestAccess},
                     true,
                     {},
                     {},
                     [](const Args&, const std::string& id) -> core::Result<Engine> {
                       return command(access::check_out, id);
                     }},
                    {"handover",
                     {Action::kApproveAccess},
                     false,
                     {"to", "reason"},
                     {},
                     [](const Args& a, const std::string& id) -> core::Result<Engine> {
                       return command(access::hand_over, id, a.get("to"), a.get("reason"));
                     }},
                    {"close",
                     {Action::kApproveAccess, Action::kRequestAccess},
                     true,
                     {},
                     {"reason"},
                     [](const Args& a, const std::string& id) -> core::Result<Engine> {
                       return command(access::close, id, a.get("reason"));
                     }},
                    {"revoke",
                     {Action::kSuspend},
                     false,
                     {"reason"},
                     {},
                     [](const Args& a, const std::string& id) -> core::Result<Engine> {
                       return command(access::revoke, id, a.get("reason"));
                     }}});
}

// ---- work permits ------------------------------------------------------------------------------
core::Status add_permit_routes(Router& router, Services& s) {
  auto permit_json = [](const Loaded& l, const domain::WorkPermit& p) {
    nlohmann::json j = domain::permit_to_json(p);
    j["version"] = l.snap.version_of(app::access_record_key("permit", p.id));
    return j;
  };
  PW_TRY(router.add(
      Method::kGet, "/v1/permits",
      guarded(s, Action::kReadAccess,
              [&s, permit_json](const Request& req, const PathParams&, Caller& c) {
                auto l = load(s);
                if (!l) return error_response(l.error(), req.request_id);
                std::vector<nlohmann::json> out;
                for (const auto& [id, p] : l->snap.state.permits) {
                  if (!concerns(c, p) || !app::authorize(c.who, c.affiliation, Action::kReadAccess,
                                                         target_of(l->reg, p))) {
                    continue;
                  }
                  out.push_back(permit_json(*l, p));
                }
                auto page = paginate(req, "permits", out, permit_json(*l, domain::WorkPermit{}));
                if (!page) return error_response(page.error(), req.request_id);
                return json_response(200, *page);
              })));
  const RecordKind kind{
      "/v1/permits", "permit", "work permit", std::nullopt,
      [](const Loaded& l, const std::string& id, bool) -> std::optional<app::Target> {
        const domain::WorkPermit* p = l.snap.state.permit(id);
        if (!p) return std::nullopt;
        return target_of(l.reg, *p);
      }};
  PW_TRY(add_get(router, s, kind, false,
                 [&s, permit_json](const Request& req, const Caller& c, const Loaded& l,
                                   const std::string& id) {
                   const domain::WorkPermit& p = *l.snap.state.permit(id);
                   if (!concerns(c, p)) {
                     return refuse(s, req, c.who.username,
                                   core::Error(core::Code::kPermissionDenied,
                                               "not allowed to read access records: the permit "
                                               "does not name the technician"));
                   }
                   nlohmann::json j = permit_json(l, p);
                   const std::uint64_t v = j["version"].get<std::uint64_t>();
                   return record_response(std::move(j), v);
                 }));
  return add_steps(router, s, kind,
                   {{"suspend",
                     {Action::kIssuePermit, Action::kSuspend},
                     false,
                     {"reason"},
                     {},
                     [](const Args& a, const std::string& id) -> core::Result<Engine> {
                       return command(access::suspend_permit, id, a.get("reason"));
                     }},
                    {"resume",
                     {Action::kIssuePermit, Action::kSuspend},
                     false,
                     {},
                     {},
                     [](const Args&, const std::string& id) -> core::Result<Engine> {
                       return command(access::resume_permit, id);
                     }},
                    {"extend",
                     {Action::kIssuePermit, Action::kRequestAccess},
                     false,
                     {"to"},
                     {"reason"},
                     [](const Args& a, const std::string& id) -> core::Result<Engine> {
                       PW_ASSIGN_OR_RETURN(core::Timestamp to, time_arg(a, "to"));
                       return command(access::extend_permit, id, to, a.get("reason"));
                     }},
                    {"close",
                     {Action::kIssuePermit, Action::kSuspend},
                     false,
                     {},
                     {"reason"},
                     [](const Args& a, const std::string& id) -> core::Result<Engine> {
                       return command(access::close_permit, id, a.get("reason"));
                     }}});
}

// ---- suspensions and frozen assets (the kill switch)
// --------------------------------------------- Suspensions are customs' records: technicians do
// not see them (they learn of one from the refusals it causes); terminal staff do (their scanners
// stand still).
core::Status add_suspension_routes(Router& router, Services& s) {
  auto susp_json = [](const Loaded& l, const domain::Suspension& su, core::Timestamp now) {
    nlohmann::json j = domain::suspension_to_json(su);
    j["in_force"] = su.in_force(now);
    j["version"] = l.snap.version_of(app::access_record_key("suspension", su.id));
    return j;
  };
  auto customs_only = [&s](const Request& req, const Caller& c) -> std::optional<Response> {
    if (c.who.has(Role::kTechnician) && c.who.roles.size() == 1) {
      return refuse(s, req, c.who.username,
                    core::Error(core::Code::kPermissionDenied,
                                "not allowed to read access records: suspensions are customs' "
                                "records"));
    }
    return std::nullopt;
  };
  PW_TRY(router.add(Method::kGet, "/v1/suspensions",
                    guarded(s, Action::kReadAccess,
                            [&s, susp_json](const Request& req, const PathParams&, Caller& c) {
                              auto l = load(s);
                              if (!l) return error_response(l.error(), req.request_id);
                              const core::Timestamp now = s.clock.now();
                              std::vector<nlohmann::json> out;
                              if (!c.who.has(Role::kTechnician) || c.who.roles.size() != 1) {
                                for (const auto& [id, su] : l->snap.state.suspensions) {
                                  out.push_back(susp_json(*l, su, now));
                                }
                              }
                              auto page = paginate(req, "suspensions", out,
                                                   susp_json(*l, domain::Suspension{}, now));
                              if (!page) return error_response(page.error(), req.request_id);
                              return json_response(200, *page);
                            })));
  PW_TRY(router.add(Method::kGet, "/v1/suspensions/{id}",
                    guarded(s, Action::kReadAccess,
                            [&s, susp_json, customs_only](const Request& req,
                                                          const PathParams& params, Caller& c) {
                              const std::string id(params.get("id").value_or(""));
                              auto l = load(s);
                              if (!l) return error_response(l.error(), req.request_id);
                              const domain::Suspension* su = l->snap.state.suspension(id);
                              if (!su) return not_found(req, "suspension", id);
                              if (auto no = customs_only(req, c)) return *no;
                              nlohmann::json j = susp_json(*l, *su, s.clock.now());
                              const std::uint64_t v = j["version"].get<std::uint64_t>();
                              return record_response(std::move(j), v);
                            })));
  PW_TRY(router.add(
      Method::kPost, "/v1/suspensions/{id}/resume",
      guarded(s, Action::kSuspend, [&s](const Request& req, const PathParams& params, Caller& c) {
        auto args = read_args(req, {}, {"reason"});
        if (!args) return error_response(args.error(), req.request_id);
        const std::string id(params.get("id").value_or(""));
        auto snap = s.access.snapshot();
        if (!snap) return error_response(snap.error(), req.request_id);
        if (!snap->state.suspension(id)) return not_found(req, "suspension", id);
        const std::string reason = args->get("reason");
        return run_step(s, req, c, app::access_record_key("suspension", id), *args,
                        [id, reason](const auto& st, const auto& ctx, std::string_view actor,
                                     core::Timestamp now) {
                          return access::resume(st, ctx, actor, now, id, reason);
                        });
      })));
  for (const bool freeze : {true, false}) {
    PW_TRY(router.add(
        Method::kPost, freeze ? "/v1/assets/{id}/freeze" : "/v1/assets/{id}/unfreeze",
        guarded(s, Action::kSuspend,
                [&s, freeze](const Request& req, const PathParams& params, Caller& c) {
                  auto args = read_args(req, {"reason"}, {});
                  if (!args) return error_response(args.error(), req.request_id);
                  const std::string id(params.get("id").value_or(""));
                  auto reg = s.reg.load();
                  if (!reg) return error_response(reg.error(), req.request_id);
                  if (!reg->asset(id)) return not_found(req, "asset", id);
                  const std::string reason = args->get("reason");
                  return run_step(
                      s, req, c, app::access_record_key("freeze", id), *args,
                      [id, reason, freeze](const auto& st, const auto& ctx, std::string_view actor,
                                           core::Timestamp now) {
                        return freeze ? access::freeze_asset(st, ctx, actor, now, id, reason)
                                      : access::unfreeze_asset(st, ctx, actor, now, id, reason);
                      });
                })));
  }
  return core::ok();
}

// ---- register writes and the journal export ----------------------------------------------------
core::Status add_register_routes(Router& router, Services& s) {
  PW_TRY(router.add(
      Method::kGet, "/v1/register/{table}/{id}",
      guarded(s, Action::kReadRegister,
              [&s](const Request& req, const PathParams& params, Caller& c) {
                auto table = domain::parse_table(params.get("table").value_or(""));
                if (!table) return error_response(table.error(), req.request_id);
                const std::string id(params.get("id").value_or(""));
                auto reg = s.reg.load();
                if (!reg) return error_response(reg.error(), req.request_id);
                auto rec = register_record(*reg, *table, id);
                if (!rec) return not_found(req, domain::table_name(*table), id);
                if (c.who.has(Role::kTechnician) && c.who.roles.size() == 1 &&
                    (c.affiliation.organisation.empty() ||
                     register_owner(*reg, *table, *rec) != c.affiliation.organisation)) {
                  return refuse(s, req, c.who.username,
                                core::Error(core::Code::kPermissionDenied,
                                            "not allowed to read the register: it belongs to "
                                            "another organisation"));
                }
                auto versions = s.reg.versions(*table);
                if (!versions) return error_response(versions.error(), req.request_id);
                auto v = versions->find(id);
                return record_response(*rec, v == versions->end() ? 0 : v->second);
              })));
  PW_TRY(router.add(
      Method::kPut, "/v1/register/{table}/{id}",
      guarded(
          s, Action::kWriteRegister, [&s](const Request& req, const PathParams& params, Caller& c) {
            auto table = domain::parse_table(params.get("table").value_or(""));
            if (!table) return error_response(table.error(), req.request_id);
            const std::string id(params.get("id").value_or(""));
            auto body = parse_json_body(req);
            if (!body) return error_response(body.error(), req.request_id);
            if (!body->is_object()) {
              return error_response(
                  core::Error(core::Code::kInvalidArgument, "$: expected an object (the record)"),
                  req.request_id);
            }
            // The record as GET returns it may come back with its "version": the precondition.
            std::optional<std::int64_t> version;
            if (auto it = body->find("version"); it != body->end()) {
              if (!it->is_number_integer()) {
                return error_response(
                    core::Error(core::Code::kInvalidArgument, "$.version: expected an integer"),
                    req.request_id);
              }
              version = it->get<std::int64_t>();
              body->erase(it);
            }
            auto expect = expected_version(req, version);
            if (!expect) return error_response(expect.error(), req.request_id);
            const std::string actor =
                c.who.person.empty() ? "account:" + c.who.username : "person:" + c.who.person;
            auto r = s.reg.put(*table, id, *body, *expect, actor);
            if (!r) {
              if (r.error().code() == core::Code::kFailedPrecondition) {
                auto versions = s.reg.versions(*table);
                if (!versions) return error_response(versions.error(), req.request_id);
                auto v = versions->find(id);
                return stale_response(req, r.error(), v == versions->end() ? 0 : v->second);
              }
              return error_response(r.error(), req.request_id);
            }
            nlohmann::json rec = r->record;
            rec["version"] = r->version;
            Response out = json_response(r->created ? 201 : 200,
                                         {{"table", std::string(domain::table_name(*table))},
                                          {"id", id},
                                          {"created", r->created},
                                          {"changed", r->changed},
                                          {"version", r->version},
                                          {"record", rec}});
            out.headers.set("ETag", etag(r->version));
            return out;
          })));
  // The auditor bundle as a tar stream (journal export over the API).
  PW_TRY(router.add(
      Method::kGet, "/v1/journal/export",
      guarded(s, Action::kExportJournal, [&s](const Request& req, const PathParams&, Caller&) {
        auto bundle = s.journal.export_bundle_tar("portwarden-journal");
        if (!bundle) return error_response(bundle.error(), req.request_id);
        Response r;
        r.status = 200;
        r.content_type = "application/x-tar";
        r.body = std::move(bundle->tar);
        r.headers.set("Content-Disposition", "attachment; filename=\"portwarden-journal-" +
                                                 std::to_string(bundle->checkpoint.size) +
                                                 ".tar\"");
        r.headers.set("X-Journal-Size", std::to_string(bundle->checkpoint.size));
        return r;
      })));
  return core::ok();
}

}  // namespace

core::Status add_manage_routes(Router& router, Services& s) {
  PW_TRY(add_request_routes(router, s));
  PW_TRY(add_grant_routes(router, s));
  PW_TRY(add_permit_routes(router, s));
  PW_TRY(add_suspension_routes(router, s));
  return add_register_routes(router, s);
}

}  // namespace pw::http::api::internal
