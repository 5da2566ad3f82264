#include "domain/procurement_workflow.h"

#include <array>
#include <utility>

#include "domain/internal/json_reader.h"

namespace pw::domain {
namespace {

using internal::JsonObject;

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, n] : table) {
    if (e == v) return n;
  }
  return table.front().second;
}

template <typename E, std::size_t N>
core::Result<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view s, std::string_view what) {
  std::string known;
  for (const auto& [e, n] : table) {
    if (n == s) return e;
    known += (known.empty() ? "" : ", ") + std::string(n);
  }
  return core::invalid_argument("unknown " + std::string(what) + " '" + std::string(s) +
                                "' (known: " + known + ")");
}

constexpr std::array<std::pair<ExplanationState, std::string_view>, 5> kStates{{
    {ExplanationState::kOpen, "open"},
    {ExplanationState::kReceived, "received"},
    {ExplanationState::kExpired, "expired"},
    {ExplanationState::kAccepted, "accepted"},
    {ExplanationState::kRejected, "rejected"},
}};
constexpr std::array<std::pair<RejectReason, std::string_view>, 3> kReasons{{
    {RejectReason::kLabourLawBreach, "labour_law_breach"},
    {RejectReason::kStateAidNotProven, "state_aid_not_proven"},
    {RejectReason::kOther, "other"},
}};
constexpr std::array<std::pair<FsrOutcome, std::string_view>, 4> kOutcomes{{
    {FsrOutcome::kNone, "none"},
    {FsrOutcome::kNoObjection, "no_objection"},
    {FsrOutcome::kCommitments, "commitments"},
    {FsrOutcome::kProhibition, "prohibition"},
}};
constexpr std::array<std::pair<FsrStatus, std::string_view>, 6> kFsrStatuses{{
    {FsrStatus::kNotChecked, "not_checked"},
    {FsrStatus::kDeclare, "declare"},
    {FsrStatus::kMustNotify, "must_notify"},
    {FsrStatus::kPreliminary, "preliminary_review"},
    {FsrStatus::kInDepth, "in_depth_investigation"},
    {FsrStatus::kClosed, "closed"},
}};

nlohmann::json money_json(const std::optional<Money>& m) {
  if (!m) return nullptr;
  return {{"minor", m->minor}, {"currency", m->currency}};
}

core::Result<std::optional<Money>> money_from(const nlohmann::json& j, const std::string& path) {
  if (j.is_null()) return std::optional<Money>();
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, path));
  Money m;
  PW_TRY(o.integer("minor", m.minor, true));
  PW_TRY(o.string("currency", m.currency));
  return std::optional<Money>(std::move(m));
}

core::Result<std::optional<Money>> money_member(const nlohmann::json& j, const char* key,
                                                const std::string& path) {
  auto it = j.find(key);
  if (it == j.end()) return std::optional<Money>();
  return money_from(*it, path + "." + key);
}

core::Status strings(const JsonObject& o, const char* key, std::vector<std::string>& out) {
  return o.array(key, [&](const nlohmann::json& e, const std::string& p) -> core::Status {
    if (!e.is_string()) return core::invalid_argument(p + ": expected a string");
    out.push_back(e.get<std::string>());
    return core::ok();
  });
}

std::string date_text(const std::optional<Date>& d) {
  return d ? format_date(*d) : std::string();
}

core::Status date_member(const JsonObject& o, const char* key, std::optional<Date>& out) {
  std::string s;
  PW_TRY(o.string(key, s));
  if (s.empty()) return core::ok();
  auto d = parse_date(s);
  if (!d) return std::unexpected(d.error().with_context(o.path() + "." + key));
  out = *d;
  return core::ok();
}

core::Status int_in(const JsonObject& o, const char* key, int& out, int lo, int hi) {
  std::int64_t v = out;
  PW_TRY(o.integer(key, v));
  if (v < lo || v > hi) {
    return core::invalid_argument(o.path() + "." + key + ": must be in " + std::to_string(lo) +
                                  ".." + std::to_string(hi));
  }
  out = static_cast<int>(v);
  return core::ok();
}

}  // namespace

std::string_view explanation_state_name(ExplanationState s) {
  return name_of(kStates, s);
}
core::Result<ExplanationState> parse_explanation_state(std::string_view s) {
  return parse_of(kStates, s, "explanation state");
}
std::string_view reject_reason_name(RejectReason r) {
  return name_of(kReasons, r);
}
core::Result<RejectReason> parse_reject_reason(std::string_view s) {
  return parse_of(kReasons, s, "rejection reason");
}
std::string_view fsr_outcome_name(FsrOutcome o) {
  return name_of(kOutcomes, o);
}
core::Result<FsrOutcome> parse_fsr_outcome(std::string_view s) {
  return parse_of(kOutcomes, s, "FSR outcome");
}
std::string_view fsr_status_name(FsrStatus s) {
  return name_of(kFsrStatuses, s);
}

core::Status validate_settings(const ProcedureSettings& s) {
  const auto& c = s.screens;
  if (c.estimate_ratio_bp < 1 || c.estimate_ratio_bp > 10000) {
    return core::invalid_argument("estimate ratio threshold must be 1..10000 basis points");
  }
  if (c.below_mean_bp < 1 || c.below_mean_bp > 10000) {
    return core::invalid_argument("below-mean percentage must be 1..10000 basis points");
  }
  if (c.below_mean_min_bids < 2 || c.below_mean_min_bids > 1000) {
    return core::invalid_argument("below-mean minimum number of bids must be 2..1000");
  }
  if (s.explanation_working_days < 1 || s.explanation_working_days > 60) {
    return core::invalid_argument("explanation deadline must be 1..60 working days");
  }
  if (s.security_requirements && s.security_text.empty()) {
    return core::invalid_argument(
        "security requirements need a text saying what they are (--security-text)");
  }
  for (const auto& [bidder, vendor] : s.bidder_vendors) {
    if (bidder.empty() || vendor.empty()) {
      return core::invalid_argument("a bidder -> vendor mapping needs both ids");
    }
  }
  return core::ok();
}

nlohmann::json settings_to_json(const ProcedureSettings& s) {
  const auto& c = s.screens;
  return {{"screens",
           {{"estimate_ratio", c.estimate_ratio},
            {"estimate_ratio_bp", c.estimate_ratio_bp},
            {"below_mean", c.below_mean},
            {"below_mean_bp", c.below_mean_bp},
            {"below_mean_min_bids", c.below_mean_min_bids},
            {"spain", c.spain},
            {"italy", c.italy},
            {"market", c.market}}},
          {"security_requirements", s.security_requirements},
          {"security_text", s.security_text},
          {"explanation_working_days", s.explanation_working_days},
          {"bidder_vendors", s.bidder_vendors}};
}

core::Result<ProcedureSettings> settings_from_json(const nlohmann::json& j) {
  ProcedureSettings s;
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "settings"));
  PW_TRY(o.only({"screens", "security_requirements", "security_text", "explanation_working_days",
                 "bidder_vendors"}));
  if (auto it = j.find("screens"); it != j.end()) {
    PW_ASSIGN_OR_RETURN(JsonObject sc, JsonObject::of(*it, "settings.screens"));
    auto& c = s.screens;
    PW_TRY(sc.boolean("estimate_ratio", c.estimate_ratio));
    PW_TRY(int_in(sc, "estimate_ratio_bp", c.estimate_ratio_bp, 1, 10000));
    PW_TRY(sc.boolean("below_mean", c.below_mean));
    PW_TRY(int_in(sc, "below_mean_bp", c.below_mean_bp, 1, 10000));
    PW_TRY(int_in(sc, "below_mean_min_bids", c.below_mean_min_bids, 2, 1000));
    PW_TRY(sc.boolean("spain", c.spain));
    PW_TRY(sc.boolean("italy", c.italy));
    PW_TRY(sc.boolean("market", c.market));
  }
  PW_TRY(o.boolean("security_requirements", s.security_requirements));
  PW_TRY(o.string("security_text", s.security_text));
  PW_TRY(int_in(o, "explanation_working_days", s.explanation_working_days, 1, 60));
  if (auto it = j.find("bidder_vendors"); it != j.end()) {
    if (!it->is_object()) return core::invalid_argument("settings.bidder_vendors: expected object");
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) {
        return core::invalid_argument("settings.bidder_vendors." + k + ": expected a string");
      }
      s.bidder_vendors[k] = v.get<std::string>();
    }
  }
  PW_TRY(validate_settings(s));
  return s;
}

nlohmann::json procedure_to_json(const Procedure& p) {
  nlohmann::json lots = nlohmann::json::array();
  for (const auto& l : p.lots) {
    nlohmann::json bids = nlohmann::json::array();
    for (const auto& b : l.bids) {
      bids.push_back({{"id", b.id},
                      {"bidder", b.bidder},
                      {"amount", money_json(b.amount)},
                      {"valid", b.valid},
                      {"status", b.status},
                      {"tenderers", b.tenderers}});
    }
    nlohmann::json awards = nlohmann::json::array();
    for (const auto& a : l.awards) {
      awards.push_back({{"id", a.id},
                        {"status", a.status},
                        {"suppliers", a.suppliers},
                        {"value", money_json(a.value)}});
    }
    lots.push_back({{"id", l.id},
                    {"title", l.title},
                    {"estimate", money_json(l.estimate)},
                    {"bids", bids},
                    {"awards", awards}});
  }
  return {{"id", p.id},
          {"title", p.title},
          {"buyer", p.buyer},
          {"estimated_value", money_json(p.estimated_value)},
          {"method_details", p.method_details},
          {"tender_status", p.tender_status},
          {"lots", lots}};
}

core::Result<Procedure> procedure_from_json(const nlohmann::json& j) {
  Procedure p;
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "procedure"));
  PW_TRY(o.string("id", p.id, true));
  PW_TRY(o.string("title", p.title));
  PW_TRY(o.string("buyer", p.buyer));
  PW_ASSIGN_OR_RETURN(p.estimated_value, money_member(j, "estimated_value", "procedure"));
  PW_TRY(o.string("method_details", p.method_details));
  PW_TRY(o.string("tender_status", p.tender_status));
  PW_TRY(o.array("lots", [&](const nlohmann::json& lj, const std::string& lp) -> core::Status {
    Lot l;
    PW_ASSIGN_OR_RETURN(JsonObject lo, JsonObject::of(lj, lp));
    PW_TRY(lo.string("id", l.id));
    PW_TRY(lo.string("title", l.title));
    PW_ASSIGN_OR_RETURN(l.estimate, money_member(lj, "estimate", lp));
    PW_TRY(lo.array("bids", [&](const nlohmann::json& bj, const std::string& bp) -> core::Status {
      Bid b;
      PW_ASSIGN_OR_RETURN(JsonObject bo, JsonObject::of(bj, bp));
      PW_TRY(bo.string("id", b.id));
      PW_TRY(bo.string("bidder", b.bidder));
      PW_ASSIGN_OR_RETURN(b.amount, money_member(bj, "amount", bp));
      PW_TRY(bo.boolean("valid", b.valid));
      PW_TRY(bo.string("status", b.status));
      PW_TRY(strings(bo, "tenderers", b.tenderers));
      l.bids.push_back(std::move(b));
      return core::ok();
    }));
    PW_TRY(lo.array("awards", [&](const nlohmann::json& aj, const std::string& ap) -> core::Status {
      Award a;
      PW_ASSIGN_OR_RETURN(JsonObject ao, JsonObject::of(aj, ap));
      PW_TRY(ao.string("id", a.id));
      PW_TRY(ao.string("status", a.status));
      PW_TRY(strings(ao, "suppliers", a.suppliers));
      PW_ASSIGN_OR_RETURN(a.value, money_member(aj, "value", ap));
      l.awards.push_back(std::move(a));
      return core::ok();
    }));
    p.lots.push_back(std::move(l));
    return core::ok();
  }));
  return p;
}

nlohmann::json flag_to_json(const FlagRecord& f) {
  return {{"procedure", f.procedure},     {"lot", f.lot},       {"bid", f.bid},
          {"bidder", f.bidder},           {"method", f.method}, {"rule", f.rule},
          {"explanation", f.explanation}, {"amount", f.amount}, {"currency", f.currency}};
}

core::Result<FlagRecord> flag_from_json(const nlohmann::json& j) {
  FlagRecord f;
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "flag"));
  PW_TRY(o.string("procedure", f.procedure, true));
  PW_TRY(o.string("lot", f.lot));
  PW_TRY(o.string("bid", f.bid, true));
  PW_TRY(o.string("bidder", f.bidder));
  PW_TRY(o.string("method", f.method, true));
  PW_TRY(o.string("rule", f.rule));
  PW_TRY(o.string("explanation", f.explanation));
  PW_TRY(o.integer("amount", f.amount));
  PW_TRY(o.string("currency", f.currency));
  return f;
}

nlohmann::json explanation_request_to_json(const ExplanationRequest& r) {
  nlohmann::json flags = nlohmann::json::array();
  for (const auto& f : r.flags) flags.push_back(flag_to_json(f));
  return {{"id", r.id},
          {"procedure", r.procedure},
          {"lot", r.lot},
          {"bid", r.bid},
          {"bidder", r.bidder},
          {"flags", flags},
          {"requested_at", r.requested_at},
          {"deadline", format_date(r.deadline)},
          {"state", explanation_state_name(r.state)},
          {"explanation", r.explanation},
          {"evidence", r.evidence},
          {"received_at", r.received_at},
          {"labour_law_finding", r.labour_law_finding},
          {"reason", r.reason ? std::string(reject_reason_name(*r.reason)) : ""},
          {"decision_text", r.decision_text},
          {"decided_at", r.decided_at},
          {"decided_by", r.decided_by}};
}

core::Result<ExplanationRequest> explanation_request_from_json(const nlohmann::json& j) {
  ExplanationRequest r;
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "request"));
  PW_TRY(o.string("id", r.id, true));
  PW_TRY(o.string("procedure", r.procedure, true));
  PW_TRY(o.string("lot", r.lot));
  PW_TRY(o.string("bid", r.bid, true));
  PW_TRY(o.string("bidder", r.bidder));
  PW_TRY(o.array("flags", [&](const nlohmann::json& f, const std::string&) -> core::Status {
    PW_ASSIGN_OR_RETURN(FlagRecord fr, flag_from_json(f));
    r.flags.push_back(std::move(fr));
    return core::ok();
  }));
  PW_TRY(o.string("requested_at", r.requested_at, true));
  std::optional<Date> deadline;
  PW_TRY(date_member(o, "deadline", deadline));
  if (!deadline) return core::invalid_argument("request.deadline: is required");
  r.deadline = *deadline;
  std::string state, reason;
  PW_TRY(o.string("state", state, true));
  PW_ASSIGN_OR_RETURN(r.state, parse_explanation_state(state));
  PW_TRY(o.string("explanation", r.explanation));
  PW_TRY(o.string("evidence", r.evidence));
  PW_TRY(o.string("received_at", r.received_at));
  PW_TRY(o.string("labour_law_finding", r.labour_law_finding));
  PW_TRY(o.string("reason", reason));
  if (!reason.empty()) {
    PW_ASSIGN_OR_RETURN(RejectReason rr, parse_reject_reason(reason));
    r.reason = rr;
  }
  if (r.state == ExplanationState::kRejected && !r.reason) {
    return core::invalid_argument("request.reason: a rejected request needs its reason");
  }
  PW_TRY(o.string("decision_text", r.decision_text));
  PW_TRY(o.string("decided_at", r.decided_at));
  PW_TRY(o.string("decided_by", r.decided_by));
  return r;
}

nlohmann::json contribution_to_json(const FsrContribution& c) {
  return {{"id", c.id},
          {"entity", c.entity},
          {"country", c.country},
          {"eur_cents", c.eur_cents},
          {"period_start", format_date(c.period_start)},
          {"period_end", format_date(c.period_end)},
          {"source", c.source},
          {"recorded_at", c.recorded_at}};
}

core::Result<FsrContribution> contribution_from_json(const nlohmann::json& j) {
  FsrContribution c;
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "contribution"));
  PW_TRY(o.string("id", c.id, true));
  PW_TRY(o.string("entity", c.entity, true));
  PW_TRY(o.string("country", c.country, true));
  PW_TRY(o.integer("eur_cents", c.eur_cents, true));
  if (c.eur_cents < 0) return core::invalid_argument("contribution.eur_cents: must be >= 0");
  std::optional<Date> a, b;
  PW_TRY(date_member(o, "period_start", a));
  PW_TRY(date_member(o, "period_end", b));
  if (!a || !b) return core::invalid_argument("contribution: period_start and period_end needed");
  if (*b < *a) return core::invalid_argument("contribution: period_end is before period_start");
  c.period_start = *a;
  c.period_end = *b;
  PW_TRY(o.string("source", c.source, true));
  PW_TRY(o.string("recorded_at", c.recorded_at));
  return c;
}

FsrStatus FsrCase::status(Date today) const {
  if (!checked) return FsrStatus::kNotChecked;
  if (outcome != FsrOutcome::kNone) return FsrStatus::kClosed;
  if (in_depth_opened) {
    return in_depth_deadline && today > *in_depth_deadline ? FsrStatus::kClosed
                                                           : FsrStatus::kInDepth;
  }
  if (notified) {
    return preliminary_deadline && today > *preliminary_deadline ? FsrStatus::kClosed
                                                                 : FsrStatus::kPreliminary;
  }
  return notify ? FsrStatus::kMustNotify : FsrStatus::kDeclare;
}

nlohmann::json fsr_case_to_json(const FsrCase& c) {
  nlohmann::json group = nlohmann::json::array();
  for (const auto& m : c.group) {
    group.push_back({{"entity", m.entity}, {"name", m.name}, {"role", m.role}, {"why", m.why}});
  }
  return {{"procedure", c.procedure},
          {"bidder", c.bidder},
          {"checked", c.checked},
          {"notify", c.notify},
          {"checked_at", c.checked_at},
          {"group", group},
          {"subcontractors", c.subcontractors},
          {"result", c.result},
          {"notified", date_text(c.notified)},
          {"preliminary_deadline", date_text(c.preliminary_deadline)},
          {"preliminary_extended", c.preliminary_extended},
          {"in_depth_opened", date_text(c.in_depth_opened)},
          {"in_depth_deadline", date_text(c.in_depth_deadline)},
          {"in_depth_extended", c.in_depth_extended},
          {"outcome", fsr_outcome_name(c.outcome)},
          {"outcome_date", date_text(c.outcome_date)},
          {"outcome_text", c.outcome_text}};
}

core::Result<FsrCase> fsr_case_from_json(const nlohmann::json& j) {
  FsrCase c;
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "case"));
  PW_TRY(o.string("procedure", c.procedure, true));
  PW_TRY(o.string("bidder", c.bidder, true));
  PW_TRY(o.boolean("checked", c.checked));
  PW_TRY(o.boolean("notify", c.notify));
  PW_TRY(o.string("checked_at", c.checked_at));
  PW_TRY(o.array("group", [&](const nlohmann::json& g, const std::string& p) -> core::Status {
    FsrGroupMember m;
    PW_ASSIGN_OR_RETURN(JsonObject go, JsonObject::of(g, p));
    PW_TRY(go.string("entity", m.entity, true));
    PW_TRY(go.string("name", m.name));
    PW_TRY(go.string("role", m.role, true));
    PW_TRY(go.string("why", m.why));
    c.group.push_back(std::move(m));
    return core::ok();
  }));
  PW_TRY(strings(o, "subcontractors", c.subcontractors));
  if (auto it = j.find("result"); it != j.end()) c.result = *it;
  PW_TRY(date_member(o, "notified", c.notified));
  PW_TRY(date_member(o, "preliminary_deadline", c.preliminary_deadline));
  PW_TRY(o.boolean("preliminary_extended", c.preliminary_extended));
  PW_TRY(date_member(o, "in_depth_opened", c.in_depth_opened));
  PW_TRY(date_member(o, "in_depth_deadline", c.in_depth_deadline));
  PW_TRY(o.boolean("in_depth_extended", c.in_depth_extended));
  std::string outcome = "none";
  PW_TRY(o.string("outcome", outcome));
  PW_ASSIGN_OR_RETURN(c.outcome, parse_fsr_outcome(outcome));
  PW_TRY(date_member(o, "outcome_date", c.outcome_date));
  PW_TRY(o.string("outcome_text", c.outcome_text));
  return c;
}

nlohmann::json award_to_json(const AwardRecord& a) {
  return {{"procedure", a.procedure},  {"lot", a.lot},       {"bid", a.bid},
          {"bidder", a.bidder},        {"vendor", a.vendor}, {"awarded_at", a.awarded_at},
          {"awarded_by", a.awarded_by}};
}

bool is_working_day(Date d) {
  // 1970-01-01 was a Thursday: weekday index 0 = Monday.
  const int wd = static_cast<int>(((static_cast<std::int64_t>(d.days) % 7) + 7 + 3) % 7);
  return wd < 5;
}

Date add_working_days(Date d, int n) {
  while (n > 0) {
    ++d.days;
    if (is_working_day(d)) --n;
  }
  return d;
}

}  // namespace pw::domain
