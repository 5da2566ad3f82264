#pragma once
// The event types the product defines, and the payload rules of each. The journal accepts any
// well-formed type (journal/envelope.h); the types here are the ones views are built from.

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"

namespace pw::domain {

// First entry of every journal: {"origin": "...", "verifier_key": "..."}.
inline constexpr std::string_view kJournalInitialized = "journal.initialized";
// An operator's free-text note: {"text": "...", optional "subject": "..."}.
inline constexpr std::string_view kOperatorNote = "operator.note";

// A register file imported into the ownership data: {"file", "format", "sha256", "bytes",
// "strict", "summary": {...counts}}. The file is kept as a blob named by its SHA-256.
inline constexpr std::string_view kOwnershipImported = "ownership.imported";

// One record of the site register added or changed (domain/register.h): {"table", "id",
// "record": the complete record as record_to_json writes it}. Importing an inventory appends
// one per record that differs from the register's current state, and none for the rest.
inline constexpr std::string_view kRegisterPut = "register.put";

// An operator's decision on a topology finding (topology/): {"finding": its stable id,
// "reason": why}. Accepted: the risk is known and carried; resolved: the weak spot is said to be
// fixed; reopened: a previous decision is withdrawn.
inline constexpr std::string_view kFindingAccepted = "finding.accepted";
inline constexpr std::string_view kFindingResolved = "finding.resolved";
inline constexpr std::string_view kFindingReopened = "finding.reopened";

// The supplier assessment (app/assessment_service.h): every assessment.* event carries the whole
// assessment after the change as {"assessment": {...}} (domain/assessment.h), plus the fields
// of the change (criterion and answer, supersedes, fingerprints).
inline constexpr std::string_view kAssessmentCreated = "assessment.created";
inline constexpr std::string_view kAssessmentJudged = "assessment.judged";
inline constexpr std::string_view kAssessmentSignedOff = "assessment.signed_off";
inline constexpr std::string_view kAssessmentStale = "assessment.stale";
inline constexpr std::string_view kAssessmentRefreshed = "assessment.refreshed";
inline constexpr std::string_view kAssessmentRevised = "assessment.revised";
// A mitigation's status for a supplier: {"supplier", "mitigation": {...}}.
inline constexpr std::string_view kMitigationStatus = "mitigation.status";

bool is_assessment_event(std::string_view type);

// Accounts and authentication (app/auth_service.h). No payload ever holds a secret.
//   account.created {"username", "person", "roles": [...]}; account.password_set {"username"};
//   account.disabled {"username"}; auth.login {"username", "remote"};
//   auth.login_failed {"username", "remote", "reason"}; auth.denied {"who", "what", "why"};
//   token.issued {"id", "username", "scopes": [...], "expires"}; token.revoked {"id"}.
inline constexpr std::string_view kAccountCreated = "account.created";
inline constexpr std::string_view kAccountPasswordSet = "account.password_set";
inline constexpr std::string_view kAccountDisabled = "account.disabled";
inline constexpr std::string_view kAuthLogin = "auth.login";
inline constexpr std::string_view kAuthLoginFailed = "auth.login_failed";
inline constexpr std::string_view kAuthDenied = "auth.denied";
inline constexpr std::string_view kTokenIssued = "token.issued";
inline constexpr std::string_view kTokenRevoked = "token.revoked";

// The remote-maintenance gateway's sessions (app/gateway_service.h, docs/GATEWAY.md):
//   gateway.session.opened {"session", "gateway", "grant", "person", "vendor", "asset",
//     "upstream", "remote", "serial", "grant_end", "recorded"};
//   gateway.session.refused {"gateway", "asset", "remote", "reasons": [...], optional "grant",
//     "person", "serial"};
//   gateway.session.kill_requested {"session", "reason"};
//   gateway.session.kill_ordered {"session", "gateway", "grant", "person", "vendor", "asset",
//     "cause" (operator | access_check | grant_window | grant_state), "reason"}: the control
//     plane ordered the session's gateway to cut it (once per session, actor
//     system:gateway-control);
//   gateway.session.closed {"session", "reason", "bytes_up", "bytes_down", "manifest_sha256"
//     ("" when the session was lost or its recording failed), optional "recording_error" (the
//     gateway could not write the recording: the session was cut for it), and "gateway", "grant",
//     "person", "vendor", "asset" when the control plane still knew the session}.
inline constexpr std::string_view kGatewaySessionOpened = "gateway.session.opened";
inline constexpr std::string_view kGatewaySessionRefused = "gateway.session.refused";
inline constexpr std::string_view kGatewaySessionKillRequested = "gateway.session.kill_requested";
inline constexpr std::string_view kGatewaySessionKillOrdered = "gateway.session.kill_ordered";
inline constexpr std::string_view kGatewaySessionClosed = "gateway.session.closed";
// The control plane warned a session that its grant window is about to end (once per session).
inline constexpr std::string_view kGatewaySessionWarned = "gateway.session.warned";

// The procurement workflow (app/procurement_service.h, docs/PROCUREMENT.md "Workflow"). Each
// event carries the record after the change:
//   tender.imported {"procedure": {...}, "version"}; tender.configured {"procedure", "settings"};
//   tender.flagged {"flag"}; tender.explanation_requested / _received / _expired,
//   tender.finding_recorded, tender.decided {"request"}; tender.fsr_contribution
//   {"contribution"}; tender.fsr_checked / .fsr_notified / .fsr_review {"case"};
//   tender.awarded {"award"}. Expirations are journaled with the actor "portwarden".
inline constexpr std::string_view kTenderImported = "tender.imported";
inline constexpr std::string_view kTenderConfigured = "tender.configured";
inline constexpr std::string_view kTenderFlagged = "tender.flagged";
inline constexpr std::string_view kTenderExplanationRequested = "tender.explanation_requested";
inline constexpr std::string_view kTenderExplanationReceived = "tender.explanation_received";
inline constexpr std::string_view kTenderExplanationExpired = "tender.explanation_expired";
inline constexpr std::string_view kTenderFindingRecorded = "tender.finding_recorded";
inline constexpr std::string_view kTenderDecided = "tender.decided";
inline constexpr std::string_view kTenderFsrContribution = "tender.fsr_contribution";
inline constexpr std::string_view kTenderFsrChecked = "tender.fsr_checked";
inline constexpr std::string_view kTenderFsrNotified = "tender.fsr_notified";
inline constexpr std::string_view kTenderFsrReview = "tender.fsr_review";
inline constexpr std::string_view kTenderAwarded = "tender.awarded";

bool is_tender_event(std::string_view type);

// Checks the payload of a known type (unknown types pass: they are generic events).
core::Status validate_payload(std::string_view type, const nlohmann::json& payload);

}  // namespace pw::domain
