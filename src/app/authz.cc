#include "app/authz.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace pw::app {
namespace {

struct Rule {
  Action action;
  std::string_view name;
  std::string_view scope;
  std::initializer_list<Role> roles;  // who may, before scoping
};

// The table. Admins manage accounts and the register, not access decisions (separation of
// duties: an administrator cannot grant a vendor access). Auditors appear only on read actions.
const std::array<Rule, 22>& rules() {
  static const std::array<Rule, 22> kRules{{
      {Action::kReadRegister,
       "read the register",
       "register:read",
       {Role::kAdmin, Role::kOperator, Role::kSecurityOfficer, Role::kAnalyst, Role::kTerminal,
        Role::kTechnician, Role::kAuditor}},
      {Action::kWriteRegister, "change the register", "register:write", {Role::kAdmin}},
      {Action::kReadFindings,
       "read findings",
       "findings:read",
       {Role::kAdmin, Role::kOperator, Role::kSecurityOfficer, Role::kAnalyst, Role::kAuditor}},
      {Action::kDecideFinding,
       "decide on a finding",
       "findings:write",
       {Role::kOperator, Role::kSecurityOfficer}},
      {Action::kReadAssessment,
       "read assessments",
       "assessment:read",
       {Role::kOperator, Role::kSecurityOfficer, Role::kAnalyst, Role::kAuditor}},
      {Action::kWriteAssessment, "write assessments", "assessment:write", {Role::kAnalyst}},
      {Action::kReadAccess,
       "read access records",
       "access:read",
       {Role::kOperator, Role::kSecurityOfficer, Role::kTerminal, Role::kTechnician,
        Role::kAuditor}},
      {Action::kRequestAccess, "request access", "access:request", {Role::kTechnician}},
      {Action::kIssuePermit, "issue work permits", "permit:write", {Role::kTerminal}},
      {Action::kApproveAccess,
       "approve access",
       "access:approve",
       {Role::kOperator, Role::kSecurityOfficer}},
      {Action::kCheckInOut, "check people in and out", "access:checkin", {Role::kOperator}},
      {Action::kSuspend,
       "suspend access",
       "access:suspend",
       {Role::kOperator, Role::kSecurityOfficer}},
      {Action::kCheckAccess,
       "check access (gateway)",
       "access:check",
       {Role::kAdmin, Role::kOperator, Role::kSecurityOfficer}},
      {Action::kReadJournal,
       "read the journal",
       "journal:read",
       {Role::kAdmin, Role::kOperator, Role::kSecurityOfficer, Role::kAnalyst, Role::kAuditor}},
      {Action::kExportJournal,
       "export the journal",
       "journal:export",
       {Role::kAdmin, Role::kAuditor}},
      {Action::kManageAccounts, "manage accounts", "accounts:write", {Role::kAdmin}},
      // Gateways get the control-plane protocol and nothing else; no person role gets it.
      {Action::kGatewayControl, "act as a gateway", "gateway:control", {Role::kGateway}},
      {Action::kReadSessions,
       "read remote sessions",
       "sessions:read",
       {Role::kOperator, Role::kSecurityOfficer, Role::kAuditor}},
      {Action::kKillSession,
       "kill remote sessions",
       "sessions:kill",
       {Role::kOperator, Role::kSecurityOfficer}},
      {Action::kGrantCertificate,
       "get a grant certificate",
       "grant:certificate",
       {Role::kOperator, Role::kSecurityOfficer, Role::kTechnician}},
      // Procurement (issue 8): buyers run the workflow; analysts and security officers read it
      // (the award checks their assessments); auditors read.
      {Action::kReadProcurement,
       "read procurement records",
       "procurement:read",
       {Role::kBuyer, Role::kAnalyst, Role::kSecurityOfficer, Role::kAuditor}},
      {Action::kWriteProcurement,
       "run the procurement workflow",
       "procurement:write",
       {Role::kBuyer}},
  }};
  return kRules;
}

const Rule& rule_of(Action a) {
  for (const Rule& r : rules()) {
    if (r.action == a) return r;
  }
  return rules().front();  // unreachable: every action has a rule (tested)
}

core::Status deny(const Rule& r, const std::string& why) {
  return core::permission_denied("not allowed to " + std::string(r.name) + ": " + why);
}

}  // namespace

std::string_view action_name(Action a) {
  return rule_of(a).name;
}
std::string_view scope_for(Action a) {
  return rule_of(a).scope;
}

core::Status authorize(const Principal& who, const Affiliation& affiliation, Action action,
                       const Target& target) {
  const Rule& r = rule_of(action);
  if (who.via_token && !who.scopes.empty() &&
      std::find(who.scopes.begin(), who.scopes.end(), r.scope) == who.scopes.end()) {
    return deny(r, "the API token lacks the scope '" + std::string(r.scope) + "'");
  }
  // Roles that pass the table; scoping may still narrow technicians and terminal staff.
  bool any = false;
  bool only_scoped = true;  // every granting role is a scoped one
  for (Role role : r.roles) {
    if (!who.has(role)) continue;
    any = true;
    if (role != Role::kTechnician && role != Role::kTerminal) only_scoped = false;
  }
  if (!any) {
    std::string have;
    for (Role role : who.roles) have += (have.empty() ? "" : ", ") + std::string(role_name(role));
    return deny(r,
                "no role of the account (" + (have.empty() ? std::string("none") : have) + ") may");
  }
  if (!only_scoped) return core::ok();
  // A technician acts for their employer: another vendor's data, or another technician's
  // request, is out of reach.
  if (who.has(Role::kTechnician)) {
    if (affiliation.organisation.empty()) return deny(r, "the account has no employer");
    if (!target.vendor.empty() && target.vendor != affiliation.organisation) {
      return deny(r, "it belongs to another vendor");
    }
    if (!target.requester.empty() && target.requester != who.person) {
      return deny(r, "it is another person's request");
    }
    // (A grant certificate's route authorizes again with the grant's vendor and person.)
    if (target.vendor.empty() && target.requester.empty() && action != Action::kRequestAccess &&
        action != Action::kReadRegister && action != Action::kReadAccess &&
        action != Action::kGrantCertificate) {
      return deny(r, "it is not scoped to the technician's employer");
    }
    return core::ok();
  }
  // Terminal staff act for their terminal operator.
  if (affiliation.organisation.empty()) return deny(r, "the account has no organisation");
  if (!target.terminal.empty() && target.terminal != affiliation.organisation) {
    return deny(r, "it belongs to another terminal");
  }
  return core::ok();
}

}  // namespace pw::app
