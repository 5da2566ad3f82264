// The authorization table and its scoping rules.
#include "app/authz.h"

#include <gtest/gtest.h>

#include <set>

namespace pw::app {
namespace {

Principal as(Role r, std::string person = "p1") {
  return Principal{"u", person, {r}, false, {}, ""};
}

constexpr Action kAll[] = {
    Action::kReadRegister,   Action::kWriteRegister,   Action::kReadFindings,
    Action::kDecideFinding,  Action::kReadAssessment,  Action::kWriteAssessment,
    Action::kReadAccess,     Action::kRequestAccess,   Action::kIssuePermit,
    Action::kApproveAccess,  Action::kCheckInOut,      Action::kSuspend,
    Action::kCheckAccess,    Action::kReadJournal,     Action::kExportJournal,
    Action::kManageAccounts, Action::kGatewayControl,  Action::kReadSessions,
    Action::kKillSession,    Action::kGrantCertificate};

TEST(Authz, EveryActionHasItsOwnRuleAndScope) {
  std::set<std::string_view> scopes;
  for (Action a : kAll) {
    EXPECT_FALSE(action_name(a).empty());
    EXPECT_TRUE(scopes.insert(scope_for(a)).second) << scope_for(a);
  }
}

TEST(Authz, AuditorsReadEverythingAndChangeNothing) {
  const Principal p = as(Role::kAuditor);
  for (Action a : {Action::kReadRegister, Action::kReadFindings, Action::kReadAssessment,
                   Action::kReadAccess, Action::kReadJournal, Action::kExportJournal}) {
    EXPECT_TRUE(authorize(p, {"audit-firm"}, a)) << action_name(a);
  }
  for (Action a : {Action::kWriteRegister, Action::kDecideFinding, Action::kWriteAssessment,
                   Action::kRequestAccess, Action::kIssuePermit, Action::kApproveAccess,
                   Action::kCheckInOut, Action::kSuspend, Action::kManageAccounts}) {
    auto st = authorize(p, {"audit-firm"}, a);
    ASSERT_FALSE(st) << action_name(a);
    EXPECT_EQ(st.error().code(), core::Code::kPermissionDenied);
  }
}

TEST(Authz, AGatewayAccountRunsTheControlProtocolAndNothingElse) {
  const Principal gw = as(Role::kGateway, "");
  for (Action a : kAll) {
    EXPECT_EQ(authorize(gw, {}, a).has_value(), a == Action::kGatewayControl) << action_name(a);
  }
  // And no person's role may act as a gateway.
  for (Role r : {Role::kAdmin, Role::kOperator, Role::kSecurityOfficer, Role::kAnalyst,
                 Role::kTerminal, Role::kTechnician, Role::kAuditor}) {
    EXPECT_FALSE(authorize(as(r), {"douane"}, Action::kGatewayControl)) << role_name(r);
  }
  EXPECT_EQ(*parse_role("gateway"), Role::kGateway);
}

TEST(Authz, GrantCertificatesAreForTheGrantsTechnicianOrCustoms) {
  const Principal tech = as(Role::kTechnician, "tech-nuctech-1");
  EXPECT_TRUE(
      authorize(tech, {"nuctech"}, Action::kGrantCertificate, {"nuctech", "", "tech-nuctech-1"}));
  EXPECT_FALSE(
      authorize(tech, {"nuctech"}, Action::kGrantCertificate, {"nuctech", "", "tech-nuctech-2"}));
  EXPECT_FALSE(
      authorize(tech, {"nuctech"}, Action::kGrantCertificate, {"borealis", "", "tech-nuctech-1"}));
  EXPECT_TRUE(authorize(as(Role::kOperator), {"douane"}, Action::kGrantCertificate,
                        {"nuctech", "", "tech-nuctech-2"}));
  EXPECT_FALSE(authorize(as(Role::kAuditor), {}, Action::kGrantCertificate));
  EXPECT_TRUE(authorize(as(Role::kAuditor), {}, Action::kReadSessions));
  EXPECT_FALSE(authorize(as(Role::kAuditor), {}, Action::kKillSession));
  EXPECT_FALSE(authorize(tech, {"nuctech"}, Action::kKillSession));
}

TEST(Authz, AdministratorsCannotGrantAccess) {
  const Principal p = as(Role::kAdmin);
  EXPECT_TRUE(authorize(p, {}, Action::kManageAccounts));
  EXPECT_FALSE(authorize(p, {}, Action::kApproveAccess));
  EXPECT_FALSE(authorize(p, {}, Action::kSuspend));
}

TEST(Authz, TechnicianReachesOnlyTheirEmployersDataAndTheirOwnRequests) {
  const Principal p = as(Role::kTechnician, "tech-nuctech-1");
  const Affiliation nuctech{"nuctech"};
  EXPECT_TRUE(authorize(p, nuctech, Action::kRequestAccess, {"nuctech", "", "tech-nuctech-1"}));
  EXPECT_TRUE(authorize(p, nuctech, Action::kReadAccess, {"nuctech", "", "tech-nuctech-1"}));
  auto other_vendor = authorize(p, nuctech, Action::kReadAccess, {"borealis", "", ""});
  ASSERT_FALSE(other_vendor);
  EXPECT_NE(other_vendor.error().message().find("another vendor"), std::string::npos);
  auto other_person = authorize(p, nuctech, Action::kReadAccess, {"nuctech", "", "tech-nuctech-2"});
  ASSERT_FALSE(other_person);
  EXPECT_NE(other_person.error().message().find("another person"), std::string::npos);
  EXPECT_FALSE(authorize(p, nuctech, Action::kApproveAccess, {"nuctech", "", ""}));
  EXPECT_FALSE(authorize(p, {""}, Action::kRequestAccess)) << "no employer, no access";
}

TEST(Authz, TerminalStaffReachOnlyTheirTerminal) {
  const Principal p = as(Role::kTerminal, "terminal-staff-1");
  EXPECT_TRUE(authorize(p, {"terminal-op-a"}, Action::kIssuePermit, {"", "terminal-op-a", ""}));
  auto other = authorize(p, {"terminal-op-a"}, Action::kIssuePermit, {"", "terminal-op-b", ""});
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message().find("another terminal"), std::string::npos);
  EXPECT_FALSE(authorize(p, {"terminal-op-a"}, Action::kApproveAccess));
}

TEST(Authz, ApiTokenScopesNarrowTheAccountsRights) {
  Principal gateway = as(Role::kOperator);
  gateway.via_token = true;
  gateway.scopes = {"access:check"};
  EXPECT_TRUE(authorize(gateway, {"customs"}, Action::kCheckAccess));
  auto st = authorize(gateway, {"customs"}, Action::kApproveAccess);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message().find("scope 'access:approve'"), std::string::npos);
  gateway.scopes.clear();  // an unscoped token has the account's rights
  EXPECT_TRUE(authorize(gateway, {"customs"}, Action::kApproveAccess));
}

}  // namespace
}  // namespace pw::app
