#pragma once
// Maintenance access (issue 5; seed Q10, Q12, Q13): work permits, access requests, approvals,
// grants, suspensions (the kill switch) and frozen assets, as values with the JSON form the app
// journals. The lifecycles and the rules live in the access engine (src/access, docs/ACCESS.md);
// this file holds only the records. Values only: no I/O, no clock.
//
// Time: every instant is a core::Timestamp (UTC microseconds); a Window is half-open
// [start, end), so an access ends exactly at `end` and a window that ends when the next starts
// does not overlap it.
//
// JSON: complete objects (fields at their default are written too), keys as the C++ members,
// enums by their names below, instants as RFC 3339 text (format_rfc3339), "" for an absent
// optional instant. Integers, booleans and strings only (canonical JSON has no floats). Readers
// reject unknown keys, wrong types, bad enum names and malformed instants with the path of the
// field ("grant.window.end: ..."); they never throw.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/register.h"  // Role

namespace pw::domain {

// [start, end). Valid when start < end.
struct Window {
  core::Timestamp start;
  core::Timestamp end;
  bool contains(core::Timestamp t) const { return start <= t && t < end; }
  bool covers(const Window& inner) const { return start <= inner.start && inner.end <= end; }
  std::int64_t micros() const { return end.micros - start.micros; }
  friend bool operator==(const Window&, const Window&) = default;
};

// ---- Work permits (Q12: corrective maintenance needs a work permit from the terminal) --------
// requested -> approved -> issued -> active -> closed; issued/active -> suspended -> back;
// issued/active -> extended (a later end asked for; the terminal approves it again, which returns
// the permit to issued/active with the longer window). `active`: a grant was issued under it.
enum class PermitState { kRequested, kApproved, kIssued, kActive, kSuspended, kExtended, kClosed };
std::string_view permit_state_name(PermitState s);  // "requested", ..., "extended", "closed"
core::Result<PermitState> parse_permit_state(std::string_view s);

struct WorkPermit {
  std::string id;
  std::string asset;                // Asset::id, on a terminal site with an operator
  std::string fault;                // Fault::id on that asset; empty for none
  std::vector<std::string> people;  // Person::ids of the technicians it names
  Window window;
  std::string reason;
  std::string requested_by;  // Person::id
  std::string approved_by;   // Person::id: terminal staff of the site's operator
  std::string issued_by;     // Person::id: terminal staff of the site's operator
  PermitState state = PermitState::kRequested;
  bool started = false;  // a grant was issued under it (resuming returns to active, not issued)
  std::optional<core::Timestamp> extension_end;  // while extended: the end asked for
  friend bool operator==(const WorkPermit&, const WorkPermit&) = default;
};

// ---- Access requests ------------------------------------------------------------------------
enum class RequestKind {
  kPreventive,  // planned visit inside a contract window (Q12)
  kCorrective,  // unplanned visit for a fault, under a terminal's work permit (Q12)
  kServerRoom,  // entry to a server room, through the customs system operator (Q12)
  kRemote,      // a remote session through the gateway for a fault (Q10)
};
std::string_view request_kind_name(RequestKind k);  // "preventive", ..., "server_room", "remote"
core::Result<RequestKind> parse_request_kind(std::string_view s);

enum class RequestState { kRequested, kApproved, kDenied, kCancelled };
std::string_view request_state_name(RequestState s);
core::Result<RequestState> parse_request_state(std::string_view s);

enum class ApprovalDecision { kApprove, kDeny };
std::string_view approval_decision_name(ApprovalDecision d);  // "approve", "deny"
core::Result<ApprovalDecision> parse_approval_decision(std::string_view s);

struct Approval {
  std::string by;                      // Person::id
  Role role = Role::kCustomsOperator;  // the quorum role this approval fills
  core::Timestamp at;
  ApprovalDecision decision = ApprovalDecision::kApprove;
  std::string note;
  std::int64_t round = 1;  // the request's round it belongs to (an extension starts a new one)
  friend bool operator==(const Approval&, const Approval&) = default;
};

struct AccessRequest {
  std::string id;
  RequestKind kind = RequestKind::kPreventive;
  std::string requester;                 // Person::id
  std::vector<std::string> technicians;  // Person::ids, at least one, one vendor
  std::string vendor;  // Organisation::id employing the technicians (set by the engine)
  std::string asset;   // Asset::id; empty only for a server-room request
  std::string room;    // Room::id of kind server_room; server-room requests only
  std::string fault;   // Fault::id; corrective and remote requests
  std::string permit;  // WorkPermit::id; corrective requests
  Window window;
  std::string reason;
  RequestState state = RequestState::kRequested;
  core::Timestamp created_at;
  // 1, plus one per extension asked; approvals count toward the quorum of the current round.
  std::int64_t round = 1;
  // An extension of an approved request awaiting approval: the end asked for. The request stays
  // approved (its grants run to the old end) until the quorum approves the new end.
  std::optional<core::Timestamp> extension_end;
  std::vector<Approval> approvals;
  friend bool operator==(const AccessRequest&, const AccessRequest&) = default;
};

// ---- Grants ---------------------------------------------------------------------------------
enum class GrantMode { kOnsite, kServerRoom, kRemote };
std::string_view grant_mode_name(GrantMode m);  // "onsite", "server_room", "remote"
core::Result<GrantMode> parse_grant_mode(std::string_view s);

// The stored state changes only by command (revoke, close, check-out, handover, expiry sweep).
// `suspended` is never stored: a suspension is a record of its own that takes effect at its
// `from` instant and ends at its `until`, so the engine derives it at the time asked (see
// access/state.h effective_state).
enum class GrantState { kActive, kSuspended, kRevoked, kClosed, kExpired };
std::string_view grant_state_name(GrantState s);
core::Result<GrantState> parse_grant_state(std::string_view s);

struct Grant {
  std::string id;
  std::string request;  // AccessRequest::id
  std::string person;   // Person::id
  std::string vendor;   // Organisation::id employing `person` (for vendor suspensions)
  std::string asset;    // Asset::id for onsite and remote grants
  std::string room;     // Room::id for server-room grants
  GrantMode mode = GrantMode::kOnsite;
  Window window;
  bool escorted = true;    // accompanied by customs staff (on site or in the server room)
  bool supervised = true;  // remote: a customs operator watches live
  bool recorded = true;    // remote: the session is recorded
  std::int64_t max_session_minutes = 0;  // remote: longest session; 0 otherwise
  GrantState state = GrantState::kActive;
  std::string handed_over_from;  // Grant::id this one continues; empty for none
  std::string issued_by;         // Person::id whose approval or check-in completed it
  core::Timestamp issued_at;
  // When a command ended it (close, check-out, handover, revoke) or the sweep marked it expired,
  // and why. The window keeps what was granted.
  std::optional<core::Timestamp> ended_at;
  std::string end_reason;
  // The asset or room the grant opens.
  const std::string& target() const { return mode == GrantMode::kServerRoom ? room : asset; }
  friend bool operator==(const Grant&, const Grant&) = default;
};

// ---- Suspensions (the kill switch, Q10) and frozen assets -----------------------------------
enum class SuspensionScope { kVendor, kPerson, kGrant };
std::string_view suspension_scope_name(SuspensionScope s);  // "vendor", "person", "grant"
core::Result<SuspensionScope> parse_suspension_scope(std::string_view s);

// In force on [from, until) (until absent: until resumed; until == from: cancelled before it
// began). It blocks new grants and every access
// check in that time for the access modes listed (empty = every mode): a vendor's remote access
// can be cut while on-site repairs go on.
struct Suspension {
  std::string id;
  SuspensionScope scope = SuspensionScope::kVendor;
  std::string subject;  // Organisation::id, Person::id or Grant::id
  std::vector<GrantMode> modes;
  std::string reason;
  core::Timestamp from;
  std::optional<core::Timestamp> until;
  std::string by;  // Person::id
  core::Timestamp created_at;
  bool in_force(core::Timestamp t) const { return from <= t && (!until || t < *until); }
  bool applies_to(GrantMode m) const;
  friend bool operator==(const Suspension&, const Suspension&) = default;
};

// An asset taken out of maintenance access altogether (e.g. after a suspected compromise) from
// `at` until unfrozen.
struct AssetFreeze {
  std::string asset;
  std::string reason;
  std::string by;
  core::Timestamp at;
  friend bool operator==(const AssetFreeze&, const AssetFreeze&) = default;
};

// ---- JSON -----------------------------------------------------------------------------------
nlohmann::json window_to_json(const Window& w);
core::Result<Window> window_from_json(const nlohmann::json& j);  // also checks start < end
nlohmann::json permit_to_json(const WorkPermit& p);
core::Result<WorkPermit> permit_from_json(const nlohmann::json& j);
nlohmann::json approval_to_json(const Approval& a);
core::Result<Approval> approval_from_json(const nlohmann::json& j);
nlohmann::json request_to_json(const AccessRequest& r);
core::Result<AccessRequest> request_from_json(const nlohmann::json& j);
nlohmann::json grant_to_json(const Grant& g);
core::Result<Grant> grant_from_json(const nlohmann::json& j);
nlohmann::json suspension_to_json(const Suspension& s);
core::Result<Suspension> suspension_from_json(const nlohmann::json& j);
nlohmann::json asset_freeze_to_json(const AssetFreeze& f);
core::Result<AssetFreeze> asset_freeze_from_json(const nlohmann::json& j);

// ---- Event types of the access engine (payloads: docs/ACCESS.md) -----------------------------
// Every payload carries the complete records after the change ("request", "permit", "grant",
// "grants", "suspension", "freeze"), so replaying the events rebuilds the state
// (access/state.h apply_event), plus the change's own fields.
inline constexpr std::string_view kAccessPermitRequested = "access.permit.requested";
inline constexpr std::string_view kAccessPermitApproved = "access.permit.approved";
inline constexpr std::string_view kAccessPermitIssued = "access.permit.issued";
inline constexpr std::string_view kAccessPermitActivated = "access.permit.activated";
inline constexpr std::string_view kAccessPermitSuspended = "access.permit.suspended";
inline constexpr std::string_view kAccessPermitResumed = "access.permit.resumed";
inline constexpr std::string_view kAccessPermitExtensionRequested =
    "access.permit.extension_requested";
inline constexpr std::string_view kAccessPermitExtended = "access.permit.extended";
inline constexpr std::string_view kAccessPermitClosed = "access.permit.closed";
inline constexpr std::string_view kAccessRequestCreated = "access.request.created";
inline constexpr std::string_view kAccessApproved = "access.approved";
inline constexpr std::string_view kAccessDenied = "access.denied";
inline constexpr std::string_view kAccessRequestCancelled = "access.request.cancelled";
inline constexpr std::string_view kAccessExtensionRequested = "access.extension.requested";
inline constexpr std::string_view kAccessGrantIssued = "access.grant.issued";
inline constexpr std::string_view kAccessGrantExtended = "access.grant.extended";
inline constexpr std::string_view kAccessGrantHandedOver = "access.grant.handed_over";
inline constexpr std::string_view kAccessGrantClosed = "access.grant.closed";
inline constexpr std::string_view kAccessGrantRevoked = "access.grant.revoked";
inline constexpr std::string_view kAccessGrantExpired = "access.grant.expired";
inline constexpr std::string_view kAccessCheckedIn = "access.checked_in";
inline constexpr std::string_view kAccessCheckedOut = "access.checked_out";
inline constexpr std::string_view kAccessSuspended = "access.suspended";
inline constexpr std::string_view kAccessResumed = "access.resumed";
inline constexpr std::string_view kAccessAssetFrozen = "access.asset.frozen";
inline constexpr std::string_view kAccessAssetUnfrozen = "access.asset.unfrozen";
// A client certificate issued for a remote grant (app/grant_ca.h, docs/GATEWAY.md): {"grant",
// "serial", "sha256", "not_before", "not_after", "key_source"}. Not an engine event: it changes
// no access record, and the access state skips it.
inline constexpr std::string_view kAccessGrantCertificateIssued = "access.grant.certificate_issued";

bool is_access_event(std::string_view type);

}  // namespace pw::domain
