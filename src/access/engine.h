#pragma once
// The maintenance-access lifecycles (issue 5 item 1; seed Q10, Q12, Q13; docs/ACCESS.md), as
// pure functions over an AccessState: no I/O, no clock (the caller passes `now`), no randomness
// (new record ids are the caller's, grant ids are derived from the request's). Every command
// takes the state, the Context (register, vendor risk, policy, screening rules), the actor
// (a Person::id) and the time, and returns either
//   - a Change: the new state, the events to journal (in order; apply_event() of each on the old
//     state gives the new state) and the Decision with every rule checked, all passed; or
//   - the Decision that denied it, with every rule checked, each with pass or fail and reason.
// A command never throws and never changes the state it is given.
//
// The lifecycles:
//  - Preventive visit: request_visit(kind preventive) inside a window of a maintenance contract
//    of the technicians' vendor that lists the asset -> approve() by the quorum of the vendor's
//    risk level -> one onsite grant per technician for the request's window.
//  - Corrective visit: request_permit() (a technician or the terminal's staff) -> approve_permit()
//    and issue_permit() by staff of the terminal operator of the asset's site ->
//    request_visit(kind corrective, naming the permit and the fault) -> approve() -> grants; the
//    first grant makes the permit active.
//  - Server-room entry: request_visit(kind server_room, naming the room) -> approve() -> the
//    technician reports to the system operator, who check_in()s them: a server_room grant from
//    now to the request window's end, escorted as the risk level requires; check_out() ends it.
//    An approved preventive or corrective visit to an asset in a server room also allows
//    check-in to that room.
//  - Remote session: request_visit(kind remote, naming the fault) -> approve() by the quorum ->
//    a remote grant, supervised, recorded and time-boxed as the risk level and the register's
//    remote-access policy for the asset require (the stricter of the two).
//  - extend() asks a later end for an approved request: the quorum must approve it again (a new
//    round); until then the grants keep their old end. extend_permit() is the same for a permit,
//    approved again by the terminal.
//  - hand_over() moves an active grant to another technician who passes every person rule; the
//    old grant closes at that instant, the new one runs to the old end.
//  - Kill switch: suspend() a vendor, person or grant (optionally only some modes) from an
//    instant (default now) until an optional end; it blocks new grants and fails every access
//    check while in force. resume() ends it. freeze_asset() blocks every access to an asset.
//
// Rules (each a Check with a stable name; docs/ACCESS.md lists them): the actor is registered
// and has the role the command needs; requester != approver; an approver is never employed by
// the vendor; the approver's role fills a place of the quorum still open (one distinct person
// per role of AccessConditions::approvals); each technician is registered with the role
// technician, employed by the request's vendor, which holds a maintenance contract listing the
// asset that runs over the whole window; preventive windows lie inside a contract window;
// corrective windows inside a permit for the asset, naming the technician, issued by staff of the
// asset's terminal operator; every technician's screening is valid for the whole window at the
// level required (ScreeningRules); the window is well formed, not over, and within the limits of
// the vendor's risk level; the asset is not frozen; no suspension of the vendor, a technician or
// the grant is in force between now and the window's end.

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/context.h"
#include "access/decision.h"
#include "access/state.h"
#include "core/clock.h"
#include "domain/access.h"

namespace pw::access {

struct Change {
  AccessState state;
  std::vector<Event> events;
  Decision decision;
};
using Outcome = std::expected<Change, Decision>;

// ---- Work permits (corrective maintenance, Q12) ----------------------------------------------
struct PermitDraft {
  std::string id;
  std::string asset;
  std::string fault;  // optional
  std::vector<std::string> people;
  domain::Window window;
  std::string reason;
};
// Actor: a technician the permit names, or terminal staff of the asset's site operator.
Outcome request_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                       core::Timestamp now, const PermitDraft& draft);
// requested -> approved, or extended -> issued/active with the longer window. Actor: terminal
// staff of the asset's site operator, not the requester, not employed by the vendor.
Outcome approve_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                       core::Timestamp now, std::string_view permit, std::string note = "");
// approved -> issued. Actor: terminal staff of the asset's site operator (becomes issued_by).
Outcome issue_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                     core::Timestamp now, std::string_view permit);
// issued/active -> suspended (its grants fail every check until resumed) and back. Actor:
// terminal staff of the site operator, or a customs operator or security officer.
Outcome suspend_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                       core::Timestamp now, std::string_view permit, std::string reason);
Outcome resume_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                      core::Timestamp now, std::string_view permit);
// issued/active -> extended (new_end later than the window's end). Actor: the requester, a
// technician it names, or terminal staff of the site operator.
Outcome extend_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                      core::Timestamp now, std::string_view permit, core::Timestamp new_end,
                      std::string reason);
// Any state but closed -> closed; the grants resting on it close at `now`. Actor as for suspend.
Outcome close_permit(const AccessState& s, const Context& ctx, std::string_view actor,
                     core::Timestamp now, std::string_view permit, std::string reason);

// ---- Access requests --------------------------------------------------------------------------
struct VisitDraft {
  std::string id;
  domain::RequestKind kind = domain::RequestKind::kPreventive;
  std::vector<std::string> technicians;
  std::string asset;   // all kinds but server_room (where it is optional)
  std::string room;    // server_room
  std::string fault;   // corrective (optional, must match the permit's) and remote (required)
  std::string permit;  // corrective
  domain::Window window;
  std::string reason;
};
// Actor (the requester): a registered person; a vendor's employee only for their own vendor.
Outcome request_visit(const AccessState& s, const Context& ctx, std::string_view actor,
                      core::Timestamp now, const VisitDraft& draft);
// Records an approval (re-checking every rule of the request at `now`); when the quorum of the
// current round is complete the request is approved and its grants issued (server-room requests
// get theirs at check-in), or its pending extension applied to it and its running grants.
Outcome approve(const AccessState& s, const Context& ctx, std::string_view actor,
                core::Timestamp now, std::string_view request, std::string note = "");
// Denies a request (requested -> denied), or a pending extension (the request keeps its window).
// Actor: a customs operator or security officer, not the requester, not of the vendor.
Outcome deny(const AccessState& s, const Context& ctx, std::string_view actor, core::Timestamp now,
             std::string_view request, std::string note);
// requested/approved -> cancelled; its running grants close. Actor: the requester or a
// technician it names, or a customs operator or security officer.
Outcome cancel(const AccessState& s, const Context& ctx, std::string_view actor,
               core::Timestamp now, std::string_view request, std::string reason);
// Asks a later end for an approved request (a new approval round). Actor as for cancel, but
// customs staff cannot ask (they approve).
Outcome extend(const AccessState& s, const Context& ctx, std::string_view actor,
               core::Timestamp now, std::string_view request, core::Timestamp new_end,
               std::string reason);

// ---- Server-room entry (Q12: only through the customs system operator) -----------------------
// Actor: a customs operator, not the person checked in. `request`: an approved server_room
// request for the room, or an approved onsite visit to an asset in a server room; `now` inside
// its window; the person one of its technicians, not already checked in there.
Outcome check_in(const AccessState& s, const Context& ctx, std::string_view actor,
                 core::Timestamp now, std::string_view request, std::string_view person);
// Ends a server-room grant at `now`. Actor: a customs operator or the grant's holder.
Outcome check_out(const AccessState& s, const Context& ctx, std::string_view actor,
                  core::Timestamp now, std::string_view grant);

// ---- Grants ----------------------------------------------------------------------------------
// Actor: a customs operator or security officer, not of the vendor. The new grant's id is
// "<old id>>h<n>" (n counts handovers of that grant).
Outcome hand_over(const AccessState& s, const Context& ctx, std::string_view actor,
                  core::Timestamp now, std::string_view grant, std::string_view to_person,
                  std::string reason);
// Ends a grant at `now` (work done). Actor: the holder, a customs operator or security officer.
Outcome close(const AccessState& s, const Context& ctx, std::string_view actor, core::Timestamp now,
              std::string_view grant, std::string reason);
// Withdraws a grant. Actor: a customs operator or security officer, not of the vendor.
Outcome revoke(const AccessState& s, const Context& ctx, std::string_view actor,
               core::Timestamp now, std::string_view grant, std::string reason);

// ---- Kill switch (Q10) -----------------------------------------------------------------------
struct SuspensionDraft {
  std::string id;
  domain::SuspensionScope scope = domain::SuspensionScope::kVendor;
  std::string subject;
  std::vector<domain::GrantMode> modes;  // empty: every mode
  std::string reason;
  std::optional<core::Timestamp> from;   // default: now
  std::optional<core::Timestamp> until;  // default: until resumed
};
// Actor: a customs operator or security officer, not of the vendor concerned. The event lists
// the grants running at the suspension's start that it cuts (for the gateways).
Outcome suspend(const AccessState& s, const Context& ctx, std::string_view actor,
                core::Timestamp now, const SuspensionDraft& draft);
// Ends a suspension at `now` (or cancels one that has not started). Actor as for suspend.
Outcome resume(const AccessState& s, const Context& ctx, std::string_view actor,
               core::Timestamp now, std::string_view suspension, std::string reason);
// Actor: a security officer or customs operator. The asset admits no access from `now` on.
Outcome freeze_asset(const AccessState& s, const Context& ctx, std::string_view actor,
                     core::Timestamp now, std::string_view asset, std::string reason);
Outcome unfreeze_asset(const AccessState& s, const Context& ctx, std::string_view actor,
                       core::Timestamp now, std::string_view asset, std::string reason);

// ---- Housekeeping ----------------------------------------------------------------------------
// Marks every grant whose window has ended by `now` and whose state is still active as expired
// (one access.grant.expired event each). Expiry already takes effect at the exact instant in
// every check without this; the sweep makes the stored state and the views say so.
Change expire(const AccessState& s, core::Timestamp now);

}  // namespace pw::access
