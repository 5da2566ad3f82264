#pragma once
// Procurement use cases (issue 8; docs/PROCUREMENT.md, section "Workflow"): procedures in the
// store, the buyer's settings, the screens for abnormally low tenders with the art. 2.116
// Aanbestedingswet 2012 (art. 69 Directive 2014/24/EU) explanation workflow, the Foreign
// Subsidies Regulation (Regulation (EU) 2022/2560) check and review tracking, and the award
// with every reason it is blocked.
//
// Everything is journaled; the views are built by the projector from the events
// (app/procurement_projection.cc) and every command re-reads them inside the journal's write
// transaction, so a command never acts on a state another process changed in between (it is
// computed on what it reads there). Journal events (payload fields, docs/PROCUREMENT.md):
//   tender.imported     {"procedure": {...}, "version"}                 view tender_procedure/<id>
//   tender.configured   {"procedure", "settings": {...}}                view tender_settings/<id>
//   tender.flagged      {"flag": {...}}                                 view tender_flag/<key>
//   tender.explanation_requested / _received / _expired / tender.finding_recorded /
//   tender.decided      {"request": the whole request after the change} view tender_request/<id>
//   tender.fsr_contribution {"contribution": {...}}                     view fsr_contribution/<id>
//   tender.fsr_checked / .fsr_notified / .fsr_review {"case": the whole case after the change}
//                                                                       view
//                                                                       fsr_case/<proc>/<bidder>
//   tender.awarded      {"award": {...}}                                view tender_award/<p>/<lot>
//
// Actors: every method takes the journal actor ("person:<id>" from the API, "cli:<user>" from
// the CLI). Authorization is the adapter's (app/authz.h: Action::kReadProcurement for reads,
// kWriteProcurement for changes, role buyer; auditors read).
//
// Versions: a procedure's version is the journal seq of the last event that changed it (any
// tender.* event above naming it, except tender.explanation_expired, which the calendar causes
// and the API shows before it is journaled; contributions belong to entities). Every method
// that changes one procedure takes an optional `expected_version`, compared INSIDE the
// journal's write transaction with the procedure's version: a mismatch is failed_precondition
// "stale version: procedure 'P' is at version N, not M" and nothing is written, so two writers
// (API, CLI, another process) can never both act on the same state.
//
// Errors: invalid_argument for bad input (naming the field), not_found for unknown procedures,
// lots, bids, requests; failed_precondition for a transition the workflow refuses (the message
// says why and what to do). A refused call changes nothing.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/journal_service.h"
#include "app/ownership_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/procurement.h"
#include "domain/procurement_workflow.h"
#include "formats/byte_source.h"
#include "formats/ocds/ocds_reader.h"

namespace pw::app {

struct ProcurementConfig {
  // Default deadline of an explanation request for procedures whose settings do not change it.
  int explanation_working_days = 10;
};

// What an import did, per procedure in input order.
struct ImportedProcedure {
  std::string id;
  int version = 0;         // the version now stored (0 when refused)
  bool unchanged = false;  // identical to the stored version: nothing journaled
  std::string error;       // why it was refused (the engine's check); empty when stored
};
struct ImportReport {
  std::vector<ImportedProcedure> procedures;
  int stored = 0, unchanged = 0, refused = 0;
};

// What an OCDS import did: the reader's issues and summary (releases it skipped, with record,
// byte offset and field) and the store's report on the procedures it read.
struct OcdsImportReport {
  formats::ocds::ReadSummary summary;
  std::vector<formats::RecordIssue> issues;
  ImportReport import;
  // Anything not stored: a release the reader skipped or a procedure the store refused.
  bool complete() const { return summary.errors == 0 && import.refused == 0; }
  nlohmann::json to_json() const;
};

// One line of a listing.
struct ProcedureSummary {
  std::string id;
  std::string title;
  std::string buyer;
  int version = 0;                   // imports of the data (as ImportedProcedure::version)
  std::uint64_t record_version = 0;  // the procedure's version (journal seq; see the class)
  int lots = 0, bids = 0;
  int flags = 0;
  int open_requests = 0;  // undecided explanation requests
  int awards = 0;
};

// Everything stored about one procedure.
struct ProcedureDetail {
  domain::StoredProcedure stored;
  std::uint64_t version = 0;  // the procedure's version (journal seq; see the class)
  std::vector<domain::FlagRecord> flags;
  std::vector<domain::ExplanationRequest> requests;
  std::vector<domain::FsrCase> fsr;
  std::vector<domain::AwardRecord> awards;
  nlohmann::json to_json() const;
};

// A partial change of the settings: only the fields set change.
struct SettingsChange {
  std::optional<bool> estimate_ratio, below_mean, spain, italy, market;
  std::optional<int> estimate_ratio_bp, below_mean_bp, below_mean_min_bids;
  std::optional<bool> security_requirements;
  std::optional<std::string> security_text;
  std::optional<int> explanation_working_days;
  std::map<std::string, std::string> bidder_vendors;  // added or replaced (value "" removes)
};

struct AnalyseOptions {
  // Restrict to these methods ("estimate_ratio", "below_mean", "spain", "italy", "market");
  // empty: the procedure's settings decide. A method named here runs even if not enabled in
  // the settings (with the settings' parameters).
  std::vector<std::string> methods;
};

// The outcome of one screen on one lot.
struct ScreenRun {
  std::string procedure;
  std::string lot;
  std::string method;
  bool applicable = true;
  std::string note;
  std::vector<domain::FlagRecord> flags;
};
struct AnalysisReport {
  std::vector<ScreenRun> runs;
  std::vector<std::string> errors;  // "procedure P: ..." for data a screen refused
  int new_flags = 0;                // flags journaled now (a flag already stored is not repeated)
  std::vector<std::string> opened_requests;  // request ids opened now
  nlohmann::json to_json() const;
};

enum class Decision { kAccept, kReject };
struct DecisionInput {
  Decision decision = Decision::kAccept;
  std::optional<domain::RejectReason> reason;  // required for kReject
  std::string text;                            // required for reason kOther
};

struct ContributionInput {
  std::string entity;   // ownership entity id (or a bidder id not in the ownership data)
  std::string country;  // ISO 3166-1 alpha-2 third country
  std::int64_t eur_cents = 0;
  std::string period_start, period_end;  // YYYY-MM-DD, start <= end
  std::string source;                    // required
};

struct FsrCheckInput {
  // The main subcontractors and suppliers the buyer names for this bid (ownership entity ids
  // or names; art. 28(1)(b)).
  std::vector<std::string> subcontractors;
  // The procedure's lots the bidder applied for (default: every lot it bid on). Used for the
  // lots test of art. 28(2) when the procedure has more than one lot.
  std::vector<std::string> lots;
};

enum class ReviewStep {
  kOpenInDepth,        // art. 30: in-depth investigation opened (date = opening)
  kExtendPreliminary,  // art. 29: once, +10 working days
  kExtendInDepth,      // art. 30: once, +20 working days
  kOutcome,            // the Commission's decision: no objection, commitments, prohibition
};
struct ReviewInput {
  ReviewStep step = ReviewStep::kOpenInDepth;
  std::string date;                                        // YYYY-MM-DD; default today
  domain::FsrOutcome outcome = domain::FsrOutcome::kNone;  // for kOutcome
  std::string text;
};

// Why an award is refused, one entry per reason.
struct AwardBlock {
  std::string code;  // "explanation_open", "explanation_undecided", "bid_rejected",
                     // "fsr_not_checked", "fsr_not_notified", "fsr_review_pending",
                     // "fsr_prohibited", "security_no_vendor", "security_no_signed_assessment"
  std::string message;
};
struct AwardResult {
  bool awarded = false;
  std::vector<AwardBlock> blocks;  // empty when awarded
  std::optional<domain::AwardRecord> award;
  nlohmann::json to_json() const;
};

class ProcurementService {
 public:
  // References are borrowed and must outlive the service.
  ProcurementService(JournalService& journal, OwnershipService& ownership, RegisterService& reg,
                     const core::Clock& clock, ProcurementConfig config = {});

  // Stores each procedure as one `tender.imported` event. Each is checked on its own (every
  // lot through procurement::check_lot: amounts present and >= 0, one currency); a bad one is
  // refused with the engine's error and not written, the others are. Re-importing an ocid
  // stores a new version; an identical one is reported unchanged and not journaled.
  core::Result<ImportReport> import_procedures(const std::string& actor,
                                               const std::vector<domain::Procedure>& procedures);

  // Reads OCDS releases (release package, JSON array or JSON lines; formats/ocds/ocds_reader.h)
  // from `source` and stores them as import_procedures does, in one transaction.
  // Strict: the first bad release, or the first procedure the store's check refuses, is an
  // invalid_argument naming the record (and field), and nothing is stored. Lenient: a bad
  // release is skipped and reported in `issues`, a refused procedure in `import`; the others
  // are stored. `display_name` names the input in the issues ("upload.jsonl").
  core::Result<OcdsImportReport> import_ocds(const std::string& actor, formats::ByteSource& source,
                                             std::string_view display_name, bool strict);
  core::Result<OcdsImportReport> import_ocds(const std::string& actor, std::string_view bytes,
                                             std::string_view display_name, bool strict);
  // The file at `path`, named in the issues by its name without directories.
  core::Result<OcdsImportReport> import_file(const std::string& actor, const std::string& path,
                                             bool strict);

  core::Result<std::vector<ProcedureSummary>> list();
  core::Result<ProcedureDetail> show(const std::string& procedure);

  // Changes the settings (validated as a whole) and journals `tender.configured`.
  core::Result<domain::ProcedureSettings> configure(
      const std::string& actor, const std::string& procedure, const SettingsChange& change,
      std::optional<std::uint64_t> expected_version = std::nullopt);

  // Runs the screens on one procedure (or every stored one when `procedure` is empty). Each
  // new flag is journaled (`tender.flagged`) and every newly flagged bid gets an explanation
  // request with its deadline (`tender.explanation_requested`); a bid that already has a
  // request gets the new flags added to it, never a second request. The market screen runs
  // over all stored procedures and flags the bids of the procedures analysed.
  core::Result<AnalysisReport> analyse(
      const std::string& actor, const std::string& procedure, const AnalyseOptions& options = {},
      std::optional<std::uint64_t> expected_version = std::nullopt);

  // Explanation requests, optionally of one procedure. Journals `tender.explanation_expired`
  // first for every open request whose deadline passed (actor "portwarden": the calendar acts,
  // not the caller, so a reader such as an auditor never appears as the actor of a change).
  core::Result<std::vector<domain::ExplanationRequest>> requests(const std::string& actor,
                                                                 const std::string& procedure);
  core::Result<domain::ExplanationRequest> request(const std::string& actor,
                                                   const std::string& request_id);
  // The bidder's explanation (text required, evidence optional). Refused after a decision and
  // after the deadline (the request is then expired).
  core::Result<domain::ExplanationRequest> receive_explanation(
      const std::string& actor, const std::string& request_id, const std::string& text,
      const std::string& evidence, std::optional<std::uint64_t> expected_version = std::nullopt);
  // Records a finding of a breach of environmental, social or labour law obligations: from
  // then on only a rejection for labour_law_breach is possible (art. 69(3)).
  core::Result<domain::ExplanationRequest> record_labour_law_finding(
      const std::string& actor, const std::string& request_id, const std::string& text,
      std::optional<std::uint64_t> expected_version = std::nullopt);
  // The buyer's decision. Refused: before an explanation unless the deadline passed; accept
  // after a labour-law finding; state_aid_not_proven before the deadline passed; other without
  // text; a second decision.
  core::Result<domain::ExplanationRequest> decide(
      const std::string& actor, const std::string& request_id, const DecisionInput& decision,
      std::optional<std::uint64_t> expected_version = std::nullopt);

  // Records a foreign financial contribution (`tender.fsr_contribution`).
  core::Result<domain::FsrContribution> add_contribution(const std::string& actor,
                                                         const ContributionInput& input);
  core::Result<std::vector<domain::FsrContribution>> contributions();
  // Builds the bidder's group from the ownership data (holding companies: entities that
  // control the bidder; subsidiaries: entities it controls; plus the named subcontractors),
  // sums the contributions of the group in the three years before today per third country and
  // runs procurement::fsr_notification_test. Journals `tender.fsr_checked` with the case.
  core::Result<domain::FsrCase> fsr_check(
      const std::string& actor, const std::string& procedure, const std::string& bidder,
      const FsrCheckInput& input = {},
      std::optional<std::uint64_t> expected_version = std::nullopt);
  // The complete notification was received on `date` (YYYY-MM-DD, default today): the
  // preliminary review deadline is 20 working days later (art. 29). `tender.fsr_notified`.
  core::Result<domain::FsrCase> fsr_notified(
      const std::string& actor, const std::string& procedure, const std::string& bidder,
      const std::string& date, std::optional<std::uint64_t> expected_version = std::nullopt);
  // A step of the Commission's review (`tender.fsr_review`).
  core::Result<domain::FsrCase> fsr_review(
      const std::string& actor, const std::string& procedure, const std::string& bidder,
      const ReviewInput& input, std::optional<std::uint64_t> expected_version = std::nullopt);
  core::Result<std::optional<domain::FsrCase>> fsr_case(const std::string& procedure,
                                                        const std::string& bidder);

  // Awards lot `lot` to bid `bid`, or lists every reason it may not be (nothing journaled
  // then; the result is not an error). Journals `tender.awarded` when clear.
  core::Result<AwardResult> award(const std::string& actor, const std::string& procedure,
                                  const std::string& lot, const std::string& bid,
                                  std::optional<std::uint64_t> expected_version = std::nullopt);
  // The blocking reasons without awarding.
  core::Result<std::vector<AwardBlock>> award_blocks(const std::string& procedure,
                                                     const std::string& lot,
                                                     const std::string& bid);

  // The register organisation a bidder resolves to (see ProcedureSettings::bidder_vendors), or
  // nullopt.
  core::Result<std::optional<std::string>> vendor_of(const std::string& procedure,
                                                     const std::string& bidder);

 private:
  JournalService& journal_;
  OwnershipService& ownership_;
  RegisterService& register_;
  const core::Clock& clock_;
  ProcurementConfig config_;
};

}  // namespace pw::app
