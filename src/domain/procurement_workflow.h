#pragma once
// The buyer's workflow around a procurement procedure (issue 8; docs/PROCUREMENT.md, section
// "Workflow"): the per-procedure settings, the flags the screens raised, the art. 2.116
// Aanbestedingswet 2012 (art. 69 Directive 2014/24/EU) explanation requests, the Foreign
// Subsidies Regulation (FSR, Regulation (EU) 2022/2560) checks and reviews, and awards. Value
// types with their JSON form (the journal's payloads and the views); the rules that move them
// live in app/procurement_service and domain/procurement_workflow.cc (pure transitions).

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"  // Date
#include "domain/procurement.h"

namespace pw::domain {

// Which screens run on a procedure and with which parameters. Defaults: the estimate ratio
// (70 %) and the below-mean-of-others screen (20 %, at least 3 bids) run; Spain, Italy and the
// market-wide screen are opt-in (they follow one country's law or need many procedures).
struct ScreenSettings {
  bool estimate_ratio = true;
  int estimate_ratio_bp = 7000;  // basis points of the estimate, 1..10000
  bool below_mean = true;
  int below_mean_bp = 2000;     // basis points below the mean of the other bids, 1..10000
  int below_mean_min_bids = 3;  // >= 2
  bool spain = false;           // RGLCAP art. 85.1-85.4
  bool italy = false;           // D.Lgs 36/2023 annex II.2 method A
  bool market = false;          // Tukey fences over all stored procedures
};

// Q5/Q14: a procedure may carry national-security requirements; an award then needs the
// supplier's signed-off assessment.
struct ProcedureSettings {
  ScreenSettings screens;
  bool security_requirements = false;
  std::string security_text;          // what the requirements are, as the buyer wrote them
  int explanation_working_days = 10;  // deadline of an explanation request, 1..60 working days
  // Bidder id (as in the bids) -> Organisation::id in the register, where the two differ. A
  // bidder not listed resolves to the organisation with that id, else the one whose
  // ownership_entity or identifier ("scheme:value") equals it (app/procurement_service.h).
  std::map<std::string, std::string> bidder_vendors;
};

core::Status validate_settings(const ProcedureSettings& s);
nlohmann::json settings_to_json(const ProcedureSettings& s);
// Missing fields take the defaults; wrong types and out-of-range values are errors.
core::Result<ProcedureSettings> settings_from_json(const nlohmann::json& j);

// The stored procedure: the data as imported (latest version) and the buyer's settings.
struct StoredProcedure {
  Procedure procedure;
  int version = 0;          // 1 on the first import, +1 per re-import of the same ocid
  std::string imported_at;  // RFC 3339 of the latest import
  ProcedureSettings settings;
};
nlohmann::json procedure_to_json(const Procedure& p);
core::Result<Procedure> procedure_from_json(const nlohmann::json& j);

// One flag of one screen on one bid, as journaled by tender.flagged.
struct FlagRecord {
  std::string procedure;
  std::string lot;
  std::string bid;
  std::string bidder;
  std::string method;       // "estimate_ratio", "below_mean", "spain", "italy", "market"
  std::string rule;         // the legal or statistical source
  std::string explanation;  // the numbers that triggered it
  std::int64_t amount = 0;  // minor units
  std::string currency;
};
nlohmann::json flag_to_json(const FlagRecord& f);
core::Result<FlagRecord> flag_from_json(const nlohmann::json& j);

// The art. 2.116 explanation request of one bid. States and transitions:
//   open --receive--> received --decide--> accepted | rejected
//   open --(deadline passed, journaled on the next touch)--> expired --decide--> ...
// A decision before an explanation is refused unless the deadline passed. Decisions are final.
enum class ExplanationState { kOpen, kReceived, kExpired, kAccepted, kRejected };
std::string_view explanation_state_name(ExplanationState s);  // "open", "received", ...
core::Result<ExplanationState> parse_explanation_state(std::string_view s);

enum class RejectReason {
  kLabourLawBreach,    // art. 69(3): environmental, social or labour law; rejection mandatory
  kStateAidNotProven,  // art. 69(4): only after the deadline for proving compatibility passed
  kOther,              // text required
};
std::string_view reject_reason_name(RejectReason r);  // "labour_law_breach", ...
core::Result<RejectReason> parse_reject_reason(std::string_view s);

struct ExplanationRequest {
  std::string id;  // "<procedure>/<lot>/<bid>"
  std::string procedure;
  std::string lot;
  std::string bid;
  std::string bidder;
  std::vector<FlagRecord> flags;  // every flag on the bid so far
  std::string requested_at;       // RFC 3339
  Date deadline;                  // the last day the bidder may answer (inclusive)
  ExplanationState state = ExplanationState::kOpen;
  std::string explanation;  // the bidder's explanation
  std::string evidence;     // optional reference to evidence (document id, URL)
  std::string received_at;
  // A finding of a breach of environmental, social or labour law obligations (art. 69(3)):
  // once recorded, only a rejection with reason labour_law_breach is accepted.
  std::string labour_law_finding;
  std::optional<RejectReason> reason;  // set when rejected
  std::string decision_text;
  std::string decided_at;
  std::string decided_by;  // journal actor
  bool undecided() const {
    return state == ExplanationState::kOpen || state == ExplanationState::kReceived ||
           state == ExplanationState::kExpired;
  }
};
nlohmann::json explanation_request_to_json(const ExplanationRequest& r);
core::Result<ExplanationRequest> explanation_request_from_json(const nlohmann::json& j);

// A foreign financial contribution recorded for an ownership entity (FSR art. 3).
struct FsrContribution {
  std::string id;       // assigned when recorded
  std::string entity;   // ownership Entity::id (or an id the bids use for a non-listed party)
  std::string country;  // third country, ISO 3166-1 alpha-2
  std::int64_t eur_cents = 0;
  Date period_start;  // the period the contribution covers
  Date period_end;
  std::string source;  // where the figure comes from
  std::string recorded_at;
};
nlohmann::json contribution_to_json(const FsrContribution& c);
core::Result<FsrContribution> contribution_from_json(const nlohmann::json& j);

// A member of the bidder's group for the FSR (art. 28(1)(b)).
struct FsrGroupMember {
  std::string entity;
  std::string name;
  std::string role;  // "bidder", "holding", "subsidiary", "subcontractor"
  std::string why;   // the control summary or "named by the buyer"
};

enum class FsrOutcome { kNone, kNoObjection, kCommitments, kProhibition };
std::string_view fsr_outcome_name(FsrOutcome o);  // "none", "no_objection", ...
core::Result<FsrOutcome> parse_fsr_outcome(std::string_view s);

// Where a bidder's FSR case stands.
enum class FsrStatus {
  kNotChecked,   // no fsr_check yet
  kDeclare,      // no notification duty: a declaration (art. 29) suffices
  kMustNotify,   // duty found, not notified yet
  kPreliminary,  // notified; preliminary review running (art. 29)
  kInDepth,      // in-depth investigation opened (art. 30)
  kClosed,       // a decision or the deadlines ran out: see outcome
};
std::string_view fsr_status_name(FsrStatus s);

struct FsrCase {
  std::string procedure;
  std::string bidder;
  // The latest check.
  bool checked = false;
  bool notify = false;  // the duty to notify
  std::string checked_at;
  std::vector<FsrGroupMember> group;
  std::vector<std::string> subcontractors;           // named by the buyer
  nlohmann::json result = nlohmann::json::object();  // totals per country, reasons, values
  // Notification and review (working days Mon-Fri, no holiday calendar).
  std::optional<Date> notified;  // complete notification received by the Commission
  std::optional<Date> preliminary_deadline;
  bool preliminary_extended = false;
  std::optional<Date> in_depth_opened;
  std::optional<Date> in_depth_deadline;
  bool in_depth_extended = false;
  FsrOutcome outcome = FsrOutcome::kNone;
  std::optional<Date> outcome_date;
  std::string outcome_text;
  // The status on `today`. A review whose deadline passed without a decision counts as closed
  // (docs/PROCUREMENT.md, "Workflow", cites the articles).
  FsrStatus status(Date today) const;
};
nlohmann::json fsr_case_to_json(const FsrCase& c);
core::Result<FsrCase> fsr_case_from_json(const nlohmann::json& j);

struct AwardRecord {
  std::string procedure;
  std::string lot;
  std::string bid;
  std::string bidder;
  std::string vendor;  // register organisation, when resolved
  std::string awarded_at;
  std::string awarded_by;
};
nlohmann::json award_to_json(const AwardRecord& a);

// Working days: Monday to Friday, no holiday calendar. `add_working_days(d, n)` is the n-th
// working day after d (d itself not counted); n >= 0.
Date add_working_days(Date d, int n);
bool is_working_day(Date d);

}  // namespace pw::domain
