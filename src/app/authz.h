#pragma once
// Who may do what (issue 5 item 5): one table of actions by role, plus the scoping rules that
// narrow technicians to their employer's data and their own requests, and terminal staff to
// their terminal. Auditors read everything and change nothing. Every adapter (HTTP API, console)
// asks here before it calls a use case; a refusal names the rule, and the adapter journals it
// (AuthService::record_denied).

#include <string>
#include <string_view>
#include <vector>

#include "app/auth_service.h"
#include "core/result.h"

namespace pw::app {

enum class Action {
  kReadRegister,   // sites, assets, people, screenings, contracts, faults
  kWriteRegister,  // inventory import
  kReadFindings,
  kDecideFinding,  // accept / resolve / reopen
  kReadAssessment,
  kWriteAssessment,  // draft, judge, mitigations, sign-off (four-eyes is the engine's)
  kReadAccess,       // permits, requests, grants, suspensions
  kRequestAccess,    // a technician's visit or remote-session request
  kIssuePermit,      // terminal staff: work permits
  kApproveAccess,    // approve / deny requests
  kCheckInOut,       // server-room entry by the system operator
  kSuspend,          // the kill switch
  kCheckAccess,      // gateways and doors: POST /v1/access/check
  kReadJournal,      // checkpoint, proofs, events
  kExportJournal,    // the auditor bundle
  kManageAccounts,
  kGatewayControl,    // a gateway: admit, heartbeat, close its sessions (docs/GATEWAY.md)
  kReadSessions,      // live remote sessions
  kKillSession,       // cut a live remote session
  kGrantCertificate,  // a client certificate for a remote grant (its technician, or customs)
  kReadProcurement,   // procedures, flags, explanation requests, FSR cases, awards (issue 8)
  kWriteProcurement,  // import, configure, analyse, explanations, decisions, FSR, award
};
std::string_view action_name(Action a);

// What a call is about, for the scoping rules; empty fields are "not about a particular one".
struct Target {
  std::string vendor;     // Organisation::id of the vendor whose data or access this is
  std::string terminal;   // Organisation::id of the terminal operator (site operator)
  std::string requester;  // Person::id who made the request
};

// The caller's place in the register (from Person::organisation), resolved by the adapter.
struct Affiliation {
  std::string organisation;  // empty when the account has no person
};

// ok, or permission_denied naming the action and the rule that refused it. API tokens are
// further limited to their scopes ("access:check", "journal:read", ...; none = all of the
// account's rights).
core::Status authorize(const Principal& who, const Affiliation& affiliation, Action action,
                       const Target& target = {});

// The scope an API token needs for an action ("register:read", "access:check", ...).
std::string_view scope_for(Action a);

}  // namespace pw::app
