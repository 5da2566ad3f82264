#include "app/auth_service.h"

#include <algorithm>
#include <array>

#include "core/bytes.h"
#include "core/canonical_json.h"
#include "core/crypto.h"
#include "domain/event_types.h"

namespace pw::app {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 9> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kOperator, "operator"},
    {Role::kSecurityOfficer, "security_officer"},
    {Role::kAnalyst, "analyst"},
    {Role::kTerminal, "terminal"},
    {Role::kTechnician, "technician"},
    {Role::kAuditor, "auditor"},
    {Role::kGateway, "gateway"},
    {Role::kBuyer, "buyer"},
}};

// Same answer for an unknown user and a wrong password: a login does not reveal accounts.
std::unexpected<core::Error> bad_login() {
  return core::unauthenticated("wrong user name or password");
}

std::string digest_hex(std::string_view token) {
  return core::to_hex(core::sha256(core::as_bytes(token)));
}

bool valid_username(std::string_view u) {
  if (u.empty() || u.size() > 64) return false;
  return std::all_of(u.begin(), u.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

nlohmann::json roles_json(const std::vector<Role>& roles) {
  nlohmann::json a = nlohmann::json::array();
  for (Role r : roles) a.push_back(std::string(role_name(r)));
  return a;
}

core::Result<Account> account_from_view(std::string_view doc) {
  PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(doc));
  Account a;
  a.username = j.value("username", "");
  a.person = j.value("person", "");
  a.disabled = j.value("disabled", false);
  for (const auto& r : j.value("roles", nlohmann::json::array())) {
    if (!r.is_string()) return core::data_loss("account view has a bad role");
    PW_ASSIGN_OR_RETURN(Role role, parse_role(r.get<std::string>()));
    a.roles.push_back(role);
  }
  return a;
}

}  // namespace

std::string_view role_name(Role r) {
  for (const auto& [k, n] : kRoles) {
    if (k == r) return n;
  }
  return "unknown";
}

core::Result<Role> parse_role(std::string_view s) {
  std::string want;
  for (const auto& [k, n] : kRoles) {
    if (n == s) return k;
    want += (want.empty() ? "" : ", ") + std::string(n);
  }
  return core::invalid_argument("unknown role '" + std::string(s) + "' (want " + want + ")");
}

bool Principal::has(Role r) const {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

AuthService::AuthService(JournalService& journal, const core::Clock& clock, core::Random& random,
                         AuthOptions options)
    : journal_(journal), clock_(clock), random_(random), options_(options) {}

std::string AuthService::new_secret_token() {
  core::Bytes raw(32);
  random_.fill(raw);
  std::string t = core::to_base64(raw);
  // URL- and cookie-safe alphabet, no padding.
  for (char& c : t) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!t.empty() && t.back() == '=') t.pop_back();
  return t;
}

core::Result<std::optional<Account>> AuthService::account(const std::string& username) {
  PW_ASSIGN_OR_RETURN(std::optional<std::string> doc, journal_.get_view("account", username));
  if (!doc) return std::optional<Account>();
  PW_ASSIGN_OR_RETURN(Account a, account_from_view(*doc));
  return std::optional<Account>(std::move(a));
}

core::Result<Account> AuthService::create_account(const std::string& username,
                                                  const std::string& password,
                                                  const std::string& person,
                                                  std::vector<Role> roles,
                                                  const std::string& actor) {
  if (!valid_username(username)) {
    return core::invalid_argument("user name must be 1-64 characters of a-z, 0-9, '-', '_', '.'");
  }
  if (roles.empty()) return core::invalid_argument("an account needs at least one role");
  if (password.size() < 12) {
    return core::invalid_argument("the password must have at least 12 characters");
  }
  PW_ASSIGN_OR_RETURN(std::string hash, core::hash_password(password, random_, options_.scrypt));
  Account a{username, person, std::move(roles), false};
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    PW_ASSIGN_OR_RETURN(std::optional<std::string> existing, views.get_view("account", username));
    if (existing) return core::already_exists("account '" + username + "' exists");
    PW_TRY(views.put_secret("password", username, hash));
    return std::vector<EventDraft>{
        {std::string(domain::kAccountCreated),
         actor,
         {{"username", username}, {"person", person}, {"roles", roles_json(a.roles)}}}};
  }));
  return a;
}

core::Status AuthService::set_password(const std::string& username, const std::string& password,
                                       const std::string& actor) {
  if (password.size() < 12) {
    return core::invalid_argument("the password must have at least 12 characters");
  }
  PW_ASSIGN_OR_RETURN(std::string hash, core::hash_password(password, random_, options_.scrypt));
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    PW_ASSIGN_OR_RETURN(std::optional<std::string> existing, views.get_view("account", username));
    if (!existing) return core::not_found("no account '" + username + "'");
    PW_TRY(views.put_secret("password", username, hash));
    return std::vector<EventDraft>{
        {std::string(domain::kAccountPasswordSet), actor, {{"username", username}}}};
  }));
  return core::ok();
}

core::Status AuthService::disable_account(const std::string& username, const std::string& actor) {
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    PW_ASSIGN_OR_RETURN(std::optional<std::string> existing, views.get_view("account", username));
    if (!existing) return core::not_found("no account '" + username + "'");
    PW_TRY(views.erase_secret("password", username));
    return std::vector<EventDraft>{
        {std::string(domain::kAccountDisabled), actor, {{"username", username}}}};
  }));
  return core::ok();
}

bool AuthService::locked(const std::string& key, core::Timestamp now) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  const std::int64_t window =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.failure_window).count();
  auto& at = it->second.at;
  at.erase(std::remove_if(at.begin(), at.end(),
                          [&](core::Timestamp t) { return now.micros - t.micros >= window; }),
           at.end());
  return static_cast<int>(at.size()) >= options_.max_failures;
}

void AuthService::note_failure(const std::string& key, core::Timestamp now) {
  std::lock_guard lock(mu_);
  failures_[key].at.push_back(now);
}

core::Result<Session> AuthService::login(const std::string& username, const std::string& password,
                                         const std::string& remote) {
  const core::Timestamp now = clock_.now();
  const std::string user_key = "user:" + username;
  const std::string addr_key = "addr:" + remote;
  auto fail = [&](const std::string& why) -> core::Result<Session> {
    note_failure(user_key, now);
    note_failure(addr_key, now);
    // The user name is recorded as given (it may not exist): that is what the auditor needs.
    (void)journal_.append(EventDraft{
        std::string(domain::kAuthLoginFailed),
        "auth",
        {{"username", username.substr(0, 64)}, {"remote", remote.substr(0, 64)}, {"reason", why}}});
    return bad_login();
  };
  if (locked(user_key, now) || locked(addr_key, now)) {
    (void)journal_.append(EventDraft{std::string(domain::kAuthLoginFailed),
                                     "auth",
                                     {{"username", username.substr(0, 64)},
                                      {"remote", remote.substr(0, 64)},
                                      {"reason", "rate limited"}}});
    return core::unauthenticated("too many failed logins; try again in " +
                                 std::to_string(options_.failure_window.count() / 60) + " minutes");
  }
  // Without an account to check, the same scrypt work is done on a dummy hash, so the time a
  // failed login takes does not tell whether the account exists.
  auto fail_after_work = [&](const std::string& why) {
    std::call_once(dummy_once_, [&] {
      dummy_hash_ = core::hash_password("dummy password", random_, options_.scrypt).value_or("");
    });
    (void)core::verify_password(password, dummy_hash_);
    return fail(why);
  };
  if (!valid_username(username)) return fail_after_work("malformed user name");
  PW_ASSIGN_OR_RETURN(std::optional<Account> acct, account(username));
  if (!acct) return fail_after_work("unknown user");
  if (acct->disabled) return fail_after_work("account disabled");
  PW_ASSIGN_OR_RETURN(std::optional<std::string> stored, journal_.get_secret("password", username));
  if (!stored) return fail_after_work("no password set");
  PW_ASSIGN_OR_RETURN(bool ok, core::verify_password(password, *stored));
  if (!ok) return fail("wrong password");

  Session s;
  s.token = new_secret_token();
  s.csrf = new_secret_token();
  s.expires = core::Timestamp{
      now.micros +
      std::chrono::duration_cast<std::chrono::microseconds>(options_.session_ttl).count()};
  const nlohmann::json doc = {
      {"username", username}, {"csrf", s.csrf}, {"expires", s.expires.micros}};
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    PW_ASSIGN_OR_RETURN(std::string text, core::canonical_dump(doc));
    PW_TRY(views.put_secret("session", digest_hex(s.token), text));
    return std::vector<EventDraft>{{std::string(domain::kAuthLogin),
                                    "user:" + username,
                                    {{"username", username}, {"remote", remote.substr(0, 64)}}}};
  }));
  return s;
}

core::Result<Principal> AuthService::authenticate_session(const std::string& token) {
  auto no = [] { return core::Error(core::Code::kUnauthenticated, "not logged in"); };
  if (token.empty() || token.size() > 128) return std::unexpected(no());
  PW_ASSIGN_OR_RETURN(std::optional<std::string> doc,
                      journal_.get_secret("session", digest_hex(token)));
  if (!doc) return std::unexpected(no());
  PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(*doc));
  if (clock_.now().micros >= j.value("expires", std::int64_t{0})) {
    return core::unauthenticated("the session has expired; log in again");
  }
  PW_ASSIGN_OR_RETURN(std::optional<Account> acct, account(j.value("username", "")));
  if (!acct || acct->disabled) return std::unexpected(no());
  Principal p{acct->username, acct->person, acct->roles, false, {}, j.value("csrf", "")};
  return p;
}

core::Status AuthService::logout(const std::string& token) {
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    PW_TRY(views.erase_secret("session", digest_hex(token)));
    return std::vector<EventDraft>{};
  }));
  return core::ok();
}

core::Result<ApiToken> AuthService::issue_token(const std::string& username,
                                                std::vector<std::string> scopes,
                                                std::chrono::seconds ttl,
                                                const std::string& actor) {
  if (ttl.count() <= 0 || ttl > std::chrono::hours(24 * 366)) {
    return core::invalid_argument("a token lives between 1 second and 366 days");
  }
  PW_ASSIGN_OR_RETURN(std::optional<Account> acct, account(username));
  if (!acct || acct->disabled) return core::not_found("no active account '" + username + "'");
  ApiToken t;
  t.token = "pwt_" + new_secret_token();
  const std::string digest = digest_hex(t.token);
  t.id = digest.substr(0, 16);
  t.expires = core::Timestamp{clock_.now().micros +
                              std::chrono::duration_cast<std::chrono::microseconds>(ttl).count()};
  nlohmann::json scope_json = scopes;
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    PW_ASSIGN_OR_RETURN(std::string text,
                        core::canonical_dump({{"id", t.id}, {"username", username}}));
    PW_TRY(views.put_secret("token", digest, text));
    return std::vector<EventDraft>{{std::string(domain::kTokenIssued),
                                    actor,
                                    {{"id", t.id},
                                     {"username", username},
                                     {"scopes", scope_json},
                                     {"expires", core::format_rfc3339(t.expires)}}}};
  }));
  return t;
}

core::Result<Principal> AuthService::authenticate_token(const std::string& token) {
  auto no = [] { return core::Error(core::Code::kUnauthenticated, "invalid API token"); };
  if (token.size() < 8 || token.size() > 128 || token.rfind("pwt_", 0) != 0) {
    return std::unexpected(no());
  }
  PW_ASSIGN_OR_RETURN(std::optional<std::string> secret,
                      journal_.get_secret("token", digest_hex(token)));
  if (!secret) return std::unexpected(no());
  PW_ASSIGN_OR_RETURN(nlohmann::json s, core::parse_json_strict(*secret));
  // The token's terms (scopes, expiry, revocation) are the journal's: the view of its events.
  PW_ASSIGN_OR_RETURN(std::optional<std::string> view,
                      journal_.get_view("token", s.value("id", "")));
  if (!view) return std::unexpected(no());
  PW_ASSIGN_OR_RETURN(nlohmann::json v, core::parse_json_strict(*view));
  if (v.value("revoked", false)) {
    return core::unauthenticated("the API token was revoked");
  }
  PW_ASSIGN_OR_RETURN(core::Timestamp expires, core::parse_rfc3339(v.value("expires", "")));
  if (clock_.now() >= expires) {
    return core::unauthenticated("the API token has expired");
  }
  PW_ASSIGN_OR_RETURN(std::optional<Account> acct, account(v.value("username", "")));
  if (!acct || acct->disabled) return std::unexpected(no());
  Principal p{acct->username, acct->person, acct->roles, true, {}, ""};
  for (const auto& sc : v.value("scopes", nlohmann::json::array())) {
    if (sc.is_string()) p.scopes.push_back(sc.get<std::string>());
  }
  return p;
}

core::Status AuthService::revoke_token(const std::string& token_id, const std::string& actor) {
  PW_ASSIGN_OR_RETURN(std::optional<std::string> view, journal_.get_view("token", token_id));
  if (!view) return core::not_found("no API token '" + token_id + "'");
  PW_TRY(
      journal_.append(EventDraft{std::string(domain::kTokenRevoked), actor, {{"id", token_id}}}));
  return core::ok();
}

void AuthService::record_denied(const std::string& who, const std::string& what,
                                const std::string& why) {
  (void)journal_.append(EventDraft{
      std::string(domain::kAuthDenied),
      "auth",
      {{"who", who.substr(0, 128)}, {"what", what.substr(0, 256)}, {"why", why.substr(0, 512)}}});
}

}  // namespace pw::app
