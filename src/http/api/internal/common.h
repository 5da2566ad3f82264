#pragma once
// What the API's route files share (private to http/api): the caller, authentication, the
// wrapper that authenticates and authorizes a route, and journaled refusals.

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access_service.h"
#include "app/authz.h"
#include "http/api/api.h"

namespace pw::http::api::internal {

struct Caller {
  app::Principal who;
  app::Affiliation affiliation;
};

// A refusal of ours, journaled, with the status of its code (401 or 403).
Response refuse(Services& s, const Request& req, const std::string& who, const core::Error& e);

std::optional<std::string> cookie(const Request& req, std::string_view name);

// Who is calling: a bearer API token, or a session cookie (state-changing calls must also echo
// the session's CSRF value in X-CSRF-Token: a cross-site form cannot read it).
core::Result<Caller> authenticate(Services& s, const Request& req);

using Body = std::function<Response(const Request&, const PathParams&, Caller&)>;

// A route that authenticates, authorizes `action` and then runs `body`.
Handler guarded(Services& s, app::Action action, Body body);

using AsyncBody = std::function<void(const Request&, const PathParams&, Caller&, Responder)>;

// The same for an asynchronous route: a refusal is answered at once, `body` answers later.
AsyncHandler guarded_async(Services& s, app::Action action, AsyncBody body);

// The access, work-permit and kill-switch routes (api_access.cc).
core::Status add_access_routes(Router& router, Services& s);

// The remote-maintenance gateway's routes (api_gateway.cc).
core::Status add_gateway_routes(Router& router, Services& s);

// The rest of the lifecycles, single records and lists, register writes and the journal
// export (api_manage.cc).
core::Status add_manage_routes(Router& router, Services& s);

// The console's routes: suppliers, ownership chains and diagram, event search (api_console.cc).
core::Status add_console_api_routes(Router& router, Services& s);

// The procurement routes under /v1/tenders (api_procurement.cc).
core::Status add_procurement_routes(Router& router, Services& s);

// ---- the register -----------------------------------------------------------------------------
// Whose a register record is, for a technician: the vendor it belongs to (an asset's vendor,
// a person's organisation, the person's of a screening, the asset's of a fault, ...), or ""
// (customs'). `record` as record_to_json writes it.
std::string register_owner(const domain::Register& reg, domain::Table table,
                           const nlohmann::json& record);
// Calls `f(records)` with the records of `table` in `reg` (a const std::vector of that table's
// type): the one place that maps a table to its member of the register.
template <class F>
void with_table(const domain::Register& reg, domain::Table table, F&& f) {
  switch (table) {
    case domain::Table::kOrganisation:
      return f(reg.organisations);
    case domain::Table::kSite:
      return f(reg.sites);
    case domain::Table::kRoom:
      return f(reg.rooms);
    case domain::Table::kZone:
      return f(reg.zones);
    case domain::Table::kAsset:
      return f(reg.assets);
    case domain::Table::kZoneLink:
      return f(reg.zone_links);
    case domain::Table::kPerson:
      return f(reg.people);
    case domain::Table::kScreening:
      return f(reg.screenings);
    case domain::Table::kRemoteAccessPolicy:
      return f(reg.remote_access_policies);
    case domain::Table::kMaintenanceContract:
      return f(reg.maintenance_contracts);
    case domain::Table::kFault:
      return f(reg.faults);
  }
}
// One record of `table` as record_to_json writes it; nullopt when there is none.
std::optional<nlohmann::json> register_record(const domain::Register& reg, domain::Table table,
                                              std::string_view id);

// ---- versions (issue 5: safe concurrent edits) ------------------------------------------------
// Every mutable resource carries "version" (the journal position of its last change) and, when
// returned alone, an ETag "\"<version>\"". A change may state the version it was based on in
// If-Match or in a "version" member of its body; a stale one is answered 409 with the current
// version.

std::string etag(std::uint64_t version);

// The version a change expects: If-Match ("17" with or without quotes; "*" = any, i.e. none) or
// `body_version`; when both are given they must agree. invalid_argument naming the header or
// field otherwise.
core::Result<std::optional<std::uint64_t>> expected_version(
    const Request& req, std::optional<std::int64_t> body_version);

// An optional JSON body that may hold only "version", for actions without arguments; with
// If-Match as expected_version() reads them.
core::Result<std::optional<std::uint64_t>> version_only_body(const Request& req);

// The arguments of a command on one record: the string members `required` and `optional` of
// the JSON body and its "version" (with If-Match, as expected_version() reads them). An empty
// body counts as {} when nothing is required. Any other member is an error naming it.
struct Args {
  std::map<std::string, std::string, std::less<>> text;
  std::optional<std::uint64_t> version;
  std::string get(std::string_view k) const {
    auto it = text.find(k);
    return it == text.end() ? std::string() : it->second;
  }
  bool has(std::string_view k) const { return text.count(k) != 0; }
};
core::Result<Args> read_args(const Request& req, const std::vector<const char*>& required,
                             const std::vector<const char*>& optional);
// Argument `name` as an RFC 3339 time; invalid_argument naming "$.<name>" otherwise.
core::Result<core::Timestamp> time_arg(const Args& a, std::string_view name);

// 409 for a stale version: the error and the record's current version.
Response stale_response(const Request& req, const core::Error& e, std::uint64_t current);

// The result of an access engine command: 200 with the decision, the events and, when `record`
// (an app::access_record_key) is given, its version after the change (also as ETag); 403 with
// every rule checked; 409 with the current version for a stale precondition.
Response outcome_response(Services& s, const Request& req,
                          const core::Result<app::AccessOutcome>& r, std::string_view record = {});

// Runs an engine command as the caller on `record` (an app::access_record_key) with the version
// the change was based on (nullopt: any), and answers as outcome_response.
Response run_on_record(Services& s, const Request& req, const Caller& c, const std::string& record,
                       std::optional<std::uint64_t> expected,
                       const app::AccessService::EngineCommand& command);

// ---- lists ------------------------------------------------------------------------------------
// The page a query asks for: ?limit= 1..1000 (default 100) and ?offset= >= 0, else 400.
struct PageBounds {
  std::int64_t limit = 100, offset = 0;
};
core::Result<PageBounds> page_bounds(const Request& req);

// A page of `records` (JSON objects), filtered by equality on top-level members named in the
// query (?state=active&vendor=nuctech; non-string members compare by their JSON text): ?limit=
// 1..1000 (default 100), ?offset= >= 0. A filter must name a member of `example` (a record at
// its defaults), else 400 naming the parameter. Answer: {"<name>": [...], "total", "offset",
// "limit"}.
core::Result<nlohmann::json> paginate(const Request& req, std::string_view name,
                                      const std::vector<nlohmann::json>& records,
                                      const nlohmann::json& example);

}  // namespace pw::http::api::internal
