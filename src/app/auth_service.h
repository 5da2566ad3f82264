#pragma once
// Local accounts, console sessions and API tokens (issue 5 item 5), for the HTTP adapter.
//
// What is journaled and what is not. Account changes, token issue and revocation, failed logins,
// successful logins and denied calls are journal events (account.created, account.password_set,
// account.disabled, token.issued, token.revoked, auth.login, auth.login_failed, auth.denied),
// so an auditor sees who could act and who tried. The secrets themselves (scrypt password
// hashes, the SHA-256 of session and API tokens) live in the store's secrets table, which is
// never journaled, exported or rebuilt by replay: a bundle given to an auditor holds no
// credential. A session or token is presented as a random 256-bit value; only its digest is
// stored, so a copy of the database does not let anyone log in.
//
// Logins are rate-limited per user name and per remote address (in memory): after
// `max_failures` failures within `failure_window`, further attempts are refused without checking
// the password until the window has passed.
//
// Threads: every method may be called from any thread (the rate limiter has its own mutex).

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/journal_service.h"
#include "core/clock.h"
#include "core/password.h"
#include "core/random.h"
#include "core/result.h"

namespace pw::app {

// The product's roles (issue 5): what a principal may do is decided by the role and, for
// technicians and terminal staff, by their employer (authz.h).
// A `gateway` account is a remote-maintenance gateway's service account (docs/GATEWAY.md): it
// may only ask for admissions, send heartbeats and close its sessions.
enum class Role {
  kAdmin,
  kOperator,
  kSecurityOfficer,
  kAnalyst,
  kTerminal,
  kTechnician,
  kAuditor,
  kGateway,
  kBuyer,  // procurement: imports procedures, runs the screens, decides, awards (issue 8)
};
std::string_view role_name(Role r);  // "admin", "operator", "security_officer", ...
core::Result<Role> parse_role(std::string_view s);

struct Account {
  std::string username;
  std::string person;  // Person::id in the register; empty for a service account (admin)
  std::vector<Role> roles;
  bool disabled = false;
};

// Who is calling, once authenticated.
struct Principal {
  std::string username;
  std::string person;
  std::vector<Role> roles;
  bool via_token = false;
  std::vector<std::string> scopes;  // API tokens only; empty = the account's full rights
  std::string csrf;                 // sessions only: the value state-changing calls must echo
  bool has(Role r) const;
};

struct Session {
  std::string token;  // give to the client once (cookie); only its digest is stored
  std::string csrf;
  core::Timestamp expires;
};

struct ApiToken {
  std::string token;  // shown once
  std::string id;     // the first 16 hex digits of its digest: names it in the journal
  core::Timestamp expires;
};

struct AuthOptions {
  core::ScryptParams scrypt;
  std::chrono::seconds session_ttl{8 * 3600};
  int max_failures = 5;
  std::chrono::seconds failure_window{15 * 60};
};

class AuthService {
 public:
  // `journal`, `clock` and `random` are borrowed and must outlive the service.
  AuthService(JournalService& journal, const core::Clock& clock, core::Random& random,
              AuthOptions options = {});

  core::Result<Account> create_account(const std::string& username, const std::string& password,
                                       const std::string& person, std::vector<Role> roles,
                                       const std::string& actor);
  core::Status set_password(const std::string& username, const std::string& password,
                            const std::string& actor);
  core::Status disable_account(const std::string& username, const std::string& actor);
  core::Result<std::optional<Account>> account(const std::string& username);

  // unauthenticated for a wrong user name or password (the same message for both), a disabled
  // account, or too many recent failures.
  core::Result<Session> login(const std::string& username, const std::string& password,
                              const std::string& remote);
  core::Result<Principal> authenticate_session(const std::string& token);
  core::Status logout(const std::string& token);

  core::Result<ApiToken> issue_token(const std::string& username, std::vector<std::string> scopes,
                                     std::chrono::seconds ttl, const std::string& actor);
  core::Result<Principal> authenticate_token(const std::string& token);
  core::Status revoke_token(const std::string& token_id, const std::string& actor);

  // Journals a refused call (auth.denied).
  void record_denied(const std::string& who, const std::string& what, const std::string& why);

 private:
  struct Failures {
    std::vector<core::Timestamp> at;
  };
  bool locked(const std::string& key, core::Timestamp now);
  void note_failure(const std::string& key, core::Timestamp now);
  std::string new_secret_token();

  JournalService& journal_;
  const core::Clock& clock_;
  core::Random& random_;
  AuthOptions options_;
  std::mutex mu_;  // guards failures_
  std::map<std::string, Failures> failures_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // set once under dummy_once_, read-only after
};

}  // namespace pw::app
