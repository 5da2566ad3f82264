#include "domain/access.h"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/internal/enum_names.h"
#include "domain/internal/json_reader.h"

namespace pw::domain {
namespace {

using internal::JsonObject;

template <typename E, std::size_t N>
using Names = internal::NameTable<E, N>;
using internal::name_of;
using internal::parse_of;

constexpr Names<PermitState, 7> kPermitStates{{
    {PermitState::kRequested, "requested"},
    {PermitState::kApproved, "approved"},
    {PermitState::kIssued, "issued"},
    {PermitState::kActive, "active"},
    {PermitState::kSuspended, "suspended"},
    {PermitState::kExtended, "extended"},
    {PermitState::kClosed, "closed"},
}};
constexpr Names<RequestKind, 4> kRequestKinds{{
    {RequestKind::kPreventive, "preventive"},
    {RequestKind::kCorrective, "corrective"},
    {RequestKind::kServerRoom, "server_room"},
    {RequestKind::kRemote, "remote"},
}};
constexpr Names<RequestState, 4> kRequestStates{{
    {RequestState::kRequested, "requested"},
    {RequestState::kApproved, "approved"},
    {RequestState::kDenied, "denied"},
    {RequestState::kCancelled, "cancelled"},
}};
constexpr Names<ApprovalDecision, 2> kDecisions{{
    {ApprovalDecision::kApprove, "approve"},
    {ApprovalDecision::kDeny, "deny"},
}};
constexpr Names<GrantMode, 3> kGrantModes{{
    {GrantMode::kOnsite, "onsite"},
    {GrantMode::kServerRoom, "server_room"},
    {GrantMode::kRemote, "remote"},
}};
constexpr Names<GrantState, 5> kGrantStates{{
    {GrantState::kActive, "active"},
    {GrantState::kSuspended, "suspended"},
    {GrantState::kRevoked, "revoked"},
    {GrantState::kClosed, "closed"},
    {GrantState::kExpired, "expired"},
}};
constexpr Names<SuspensionScope, 3> kScopes{{
    {SuspensionScope::kVendor, "vendor"},
    {SuspensionScope::kPerson, "person"},
    {SuspensionScope::kGrant, "grant"},
}};

// ---- Reading helpers: every error names the field by its path. ----

template <typename E>
core::Status enum_field(const JsonObject& o, const char* key, E& out,
                        core::Result<E> (*parse)(std::string_view), bool required = true) {
  std::string text;
  PW_TRY(o.string(key, text, required));
  if (text.empty() && !required) return core::ok();
  auto v = parse(text);
  if (!v) return core::invalid_argument(o.path() + "." + key + ": " + v.error().message());
  out = *v;
  return core::ok();
}

core::Status instant(const JsonObject& o, const char* key, core::Timestamp& out) {
  std::string text;
  PW_TRY(o.string(key, text, true));
  auto t = core::parse_rfc3339(text);
  if (!t) return core::invalid_argument(o.path() + "." + key + ": " + t.error().message());
  out = *t;
  return core::ok();
}

// "" reads as absent.
core::Status optional_instant(const JsonObject& o, const char* key,
                              std::optional<core::Timestamp>& out) {
  std::string text;
  PW_TRY(o.string(key, text));
  if (text.empty()) {
    out.reset();
    return core::ok();
  }
  auto t = core::parse_rfc3339(text);
  if (!t) return core::invalid_argument(o.path() + "." + key + ": " + t.error().message());
  out = *t;
  return core::ok();
}

core::Status string_list(const JsonObject& o, const char* key, std::vector<std::string>& out) {
  out.clear();
  return o.array(key, [&](const nlohmann::json& e, const std::string& path) -> core::Status {
    if (!e.is_string()) return core::invalid_argument(path + ": expected a string");
    out.push_back(e.get<std::string>());
    return core::ok();
  });
}

std::string text_of(const std::optional<core::Timestamp>& t) {
  return t ? core::format_rfc3339(*t) : std::string();
}

nlohmann::json strings(const std::vector<std::string>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const std::string& s : v) a.push_back(s);
  return a;
}

core::Result<Window> window_at(const nlohmann::json& j, std::string path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, std::move(path)));
  PW_TRY(o.only({"start", "end"}));
  Window w;
  PW_TRY(instant(o, "start", w.start));
  PW_TRY(instant(o, "end", w.end));
  if (!(w.start < w.end)) return core::invalid_argument(o.path() + ".end: must be after start");
  return w;
}

core::Status window_field(const JsonObject& o, const char* key, const nlohmann::json& j,
                          Window& out) {
  auto it = j.find(key);
  if (it == j.end()) return core::invalid_argument(o.path() + "." + key + ": is required");
  PW_ASSIGN_OR_RETURN(out, window_at(*it, o.path() + "." + key));
  return core::ok();
}

core::Result<Approval> approval_at(const nlohmann::json& j, std::string path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, std::move(path)));
  PW_TRY(o.only({"by", "role", "at", "decision", "note", "round"}));
  Approval a;
  PW_TRY(o.string("by", a.by, true));
  PW_TRY(enum_field(o, "role", a.role, &parse_role));
  PW_TRY(instant(o, "at", a.at));
  PW_TRY(enum_field(o, "decision", a.decision, &parse_approval_decision));
  PW_TRY(o.string("note", a.note));
  PW_TRY(o.integer("round", a.round, true));
  if (a.round < 1) return core::invalid_argument(o.path() + ".round: must be at least 1");
  return a;
}

}  // namespace

std::string_view permit_state_name(PermitState s) {
  return name_of(kPermitStates, s);
}
core::Result<PermitState> parse_permit_state(std::string_view s) {
  return parse_of(kPermitStates, s, "permit state");
}
std::string_view request_kind_name(RequestKind k) {
  return name_of(kRequestKinds, k);
}
core::Result<RequestKind> parse_request_kind(std::string_view s) {
  return parse_of(kRequestKinds, s, "request kind");
}
std::string_view request_state_name(RequestState s) {
  return name_of(kRequestStates, s);
}
core::Result<RequestState> parse_request_state(std::string_view s) {
  return parse_of(kRequestStates, s, "request state");
}
std::string_view approval_decision_name(ApprovalDecision d) {
  return name_of(kDecisions, d);
}
core::Result<ApprovalDecision> parse_approval_decision(std::string_view s) {
  return parse_of(kDecisions, s, "approval decision");
}
std::string_view grant_mode_name(GrantMode m) {
  return name_of(kGrantModes, m);
}
core::Result<GrantMode> parse_grant_mode(std::string_view s) {
  return parse_of(kGrantModes, s, "grant mode");
}
std::string_view grant_state_name(GrantState s) {
  return name_of(kGrantStates, s);
}
core::Result<GrantState> parse_grant_state(std::string_view s) {
  return parse_of(kGrantStates, s, "grant state");
}
std::string_view suspension_scope_name(SuspensionScope s) {
  return name_of(kScopes, s);
}
core::Result<SuspensionScope> parse_suspension_scope(std::string_view s) {
  return parse_of(kScopes, s, "suspension scope");
}

bool Suspension::applies_to(GrantMode m) const {
  return modes.empty() || std::find(modes.begin(), modes.end(), m) != modes.end();
}

// ---- Window ----

nlohmann::json window_to_json(const Window& w) {
  return {{"start", core::format_rfc3339(w.start)}, {"end", core::format_rfc3339(w.end)}};
}

core::Result<Window> window_from_json(const nlohmann::json& j) {
  return window_at(j, "window");
}

// ---- WorkPermit ----

nlohmann::json permit_to_json(const WorkPermit& p) {
  return {{"id", p.id},
          {"asset", p.asset},
          {"fault", p.fault},
          {"people", strings(p.people)},
          {"window", window_to_json(p.window)},
          {"reason", p.reason},
          {"requested_by", p.requested_by},
          {"approved_by", p.approved_by},
          {"issued_by", p.issued_by},
          {"state", permit_state_name(p.state)},
          {"started", p.started},
          {"extension_end", text_of(p.extension_end)}};
}

core::Result<WorkPermit> permit_from_json(const nlohmann::json& j) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "permit"));
  PW_TRY(o.only({"id", "asset", "fault", "people", "window", "reason", "requested_by",
                 "approved_by", "issued_by", "state", "started", "extension_end"}));
  WorkPermit p;
  PW_TRY(o.string("id", p.id, true));
  PW_TRY(o.string("asset", p.asset, true));
  PW_TRY(o.string("fault", p.fault));
  PW_TRY(string_list(o, "people", p.people));
  PW_TRY(window_field(o, "window", j, p.window));
  PW_TRY(o.string("reason", p.reason));
  PW_TRY(o.string("requested_by", p.requested_by, true));
  PW_TRY(o.string("approved_by", p.approved_by));
  PW_TRY(o.string("issued_by", p.issued_by));
  PW_TRY(enum_field(o, "state", p.state, &parse_permit_state));
  PW_TRY(o.boolean("started", p.started));
  PW_TRY(optional_instant(o, "extension_end", p.extension_end));
  return p;
}

// ---- Approval, AccessRequest ----

nlohmann::json approval_to_json(const Approval& a) {
  return {{"by", a.by},
          {"role", role_name(a.role)},
          {"at", core::format_rfc3339(a.at)},
          {"decision", approval_decision_name(a.decision)},
          {"note", a.note},
          {"round", a.round}};
}

core::Result<Approval> approval_from_json(const nlohmann::json& j) {
  return approval_at(j, "approval");
}

nlohmann::json request_to_json(const AccessRequest& r) {
  nlohmann::json approvals = nlohmann::json::array();
  for (const Approval& a : r.approvals) approvals.push_back(approval_to_json(a));
  return {{"id", r.id},
          {"kind", request_kind_name(r.kind)},
          {"requester", r.requester},
          {"technicians", strings(r.technicians)},
          {"vendor", r.vendor},
          {"asset", r.asset},
          {"room", r.room},
          {"fault", r.fault},
          {"permit", r.permit},
          {"window", window_to_json(r.window)},
          {"reason", r.reason},
          {"state", request_state_name(r.state)},
          {"created_at", core::format_rfc3339(r.created_at)},
          {"round", r.round},
          {"extension_end", text_of(r.extension_end)},
          {"approvals", std::move(approvals)}};
}

core::Result<AccessRequest> request_from_json(const nlohmann::json& j) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "request"));
  PW_TRY(o.only({"id", "kind", "requester", "technicians", "vendor", "asset", "room", "fault",
                 "permit", "window", "reason", "state", "created_at", "round", "extension_end",
                 "approvals"}));
  AccessRequest r;
  PW_TRY(o.string("id", r.id, true));
  PW_TRY(enum_field(o, "kind", r.kind, &parse_request_kind));
  PW_TRY(o.string("requester", r.requester, true));
  PW_TRY(string_list(o, "technicians", r.technicians));
  PW_TRY(o.string("vendor", r.vendor));
  PW_TRY(o.string("asset", r.asset));
  PW_TRY(o.string("room", r.room));
  PW_TRY(o.string("fault", r.fault));
  PW_TRY(o.string("permit", r.permit));
  PW_TRY(window_field(o, "window", j, r.window));
  PW_TRY(o.string("reason", r.reason));
  PW_TRY(enum_field(o, "state", r.state, &parse_request_state));
  PW_TRY(instant(o, "created_at", r.created_at));
  PW_TRY(o.integer("round", r.round, true));
  if (r.round < 1) return core::invalid_argument(o.path() + ".round: must be at least 1");
  PW_TRY(optional_instant(o, "extension_end", r.extension_end));
  PW_TRY(
      o.array("approvals", [&](const nlohmann::json& e, const std::string& path) -> core::Status {
        PW_ASSIGN_OR_RETURN(Approval a, approval_at(e, path));
        r.approvals.push_back(std::move(a));
        return core::ok();
      }));
  return r;
}

// ---- Grant ----

nlohmann::json grant_to_json(const Grant& g) {
  return {{"id", g.id},
          {"request", g.request},
          {"person", g.person},
          {"vendor", g.vendor},
          {"asset", g.asset},
          {"room", g.room},
          {"mode", grant_mode_name(g.mode)},
          {"window", window_to_json(g.window)},
          {"escorted", g.escorted},
          {"supervised", g.supervised},
          {"recorded", g.recorded},
          {"max_session_minutes", g.max_session_minutes},
          {"state", grant_state_name(g.state)},
          {"handed_over_from", g.handed_over_from},
          {"issued_by", g.issued_by},
          {"issued_at", core::format_rfc3339(g.issued_at)},
          {"ended_at", text_of(g.ended_at)},
          {"end_reason", g.end_reason}};
}

core::Result<Grant> grant_from_json(const nlohmann::json& j) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "grant"));
  PW_TRY(o.only({"id", "request", "person", "vendor", "asset", "room", "mode", "window", "escorted",
                 "supervised", "recorded", "max_session_minutes", "state", "handed_over_from",
                 "issued_by", "issued_at", "ended_at", "end_reason"}));
  Grant g;
  PW_TRY(o.string("id", g.id, true));
  PW_TRY(o.string("request", g.request, true));
  PW_TRY(o.string("person", g.person, true));
  PW_TRY(o.string("vendor", g.vendor));
  PW_TRY(o.string("asset", g.asset));
  PW_TRY(o.string("room", g.room));
  PW_TRY(enum_field(o, "mode", g.mode, &parse_grant_mode));
  PW_TRY(window_field(o, "window", j, g.window));
  PW_TRY(o.boolean("escorted", g.escorted, true));
  PW_TRY(o.boolean("supervised", g.supervised, true));
  PW_TRY(o.boolean("recorded", g.recorded, true));
  PW_TRY(o.integer("max_session_minutes", g.max_session_minutes, true));
  if (g.max_session_minutes < 0) {
    return core::invalid_argument(o.path() + ".max_session_minutes: must not be negative");
  }
  PW_TRY(enum_field(o, "state", g.state, &parse_grant_state));
  PW_TRY(o.string("handed_over_from", g.handed_over_from));
  PW_TRY(o.string("issued_by", g.issued_by));
  PW_TRY(instant(o, "issued_at", g.issued_at));
  PW_TRY(optional_instant(o, "ended_at", g.ended_at));
  PW_TRY(o.string("end_reason", g.end_reason));
  if (g.target().empty()) {
    return core::invalid_argument(o.path() +
                                  (g.mode == GrantMode::kServerRoom ? ".room" : ".asset") +
                                  ": is required for mode " + std::string(grant_mode_name(g.mode)));
  }
  return g;
}

// ---- Suspension, AssetFreeze ----

nlohmann::json suspension_to_json(const Suspension& s) {
  nlohmann::json modes = nlohmann::json::array();
  for (GrantMode m : s.modes) modes.push_back(grant_mode_name(m));
  return {{"id", s.id},
          {"scope", suspension_scope_name(s.scope)},
          {"subject", s.subject},
          {"modes", std::move(modes)},
          {"reason", s.reason},
          {"from", core::format_rfc3339(s.from)},
          {"until", text_of(s.until)},
          {"by", s.by},
          {"created_at", core::format_rfc3339(s.created_at)}};
}

core::Result<Suspension> suspension_from_json(const nlohmann::json& j) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "suspension"));
  PW_TRY(
      o.only({"id", "scope", "subject", "modes", "reason", "from", "until", "by", "created_at"}));
  Suspension s;
  PW_TRY(o.string("id", s.id, true));
  PW_TRY(enum_field(o, "scope", s.scope, &parse_suspension_scope));
  PW_TRY(o.string("subject", s.subject, true));
  PW_TRY(o.array("modes", [&](const nlohmann::json& e, const std::string& path) -> core::Status {
    if (!e.is_string()) return core::invalid_argument(path + ": expected a string");
    auto m = parse_grant_mode(e.get<std::string>());
    if (!m) return core::invalid_argument(path + ": " + m.error().message());
    s.modes.push_back(*m);
    return core::ok();
  }));
  PW_TRY(o.string("reason", s.reason, true));
  PW_TRY(instant(o, "from", s.from));
  PW_TRY(optional_instant(o, "until", s.until));
  if (s.until && *s.until < s.from) {
    return core::invalid_argument(o.path() + ".until: must not be before from");
  }
  PW_TRY(o.string("by", s.by, true));
  PW_TRY(instant(o, "created_at", s.created_at));
  return s;
}

nlohmann::json asset_freeze_to_json(const AssetFreeze& f) {
  return {
      {"asset", f.asset}, {"reason", f.reason}, {"by", f.by}, {"at", core::format_rfc3339(f.at)}};
}

core::Result<AssetFreeze> asset_freeze_from_json(const nlohmann::json& j) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "freeze"));
  PW_TRY(o.only({"asset", "reason", "by", "at"}));
  AssetFreeze f;
  PW_TRY(o.string("asset", f.asset, true));
  PW_TRY(o.string("reason", f.reason, true));
  PW_TRY(o.string("by", f.by, true));
  PW_TRY(instant(o, "at", f.at));
  return f;
}

bool is_access_event(std::string_view type) {
  return type.starts_with("access.");
}

}  // namespace pw::domain
