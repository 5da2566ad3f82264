// Accounts, sessions and API tokens over a real journal and SQLite store, with a fake clock.
#include "app/auth_service.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace pw::app {
namespace {

using pw::testing::TempDir;

constexpr core::Timestamp kStart{1'764'000'000'000'000};  // 2025-11-24, fixed for the test
constexpr std::int64_t kMinute = 60'000'000;

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = {(dir_ / "j.db").string(), (dir_ / "j.key").string()};
    ASSERT_TRUE(init_journal(paths_, "test.example/log", clock_));
    auto s = JournalService::open(paths_, clock_);
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
    journal_ = std::move(*s);
    AuthOptions o;
    o.scrypt = {10, 8, 1};  // cheap for tests; the format and checks are the same
    o.session_ttl = std::chrono::hours(1);
    auth_ = std::make_unique<AuthService>(*journal_, clock_, *random_, o);
    ASSERT_TRUE(
        auth_->create_account("olga", kPassword, "customs-operator-1", {Role::kOperator}, "admin"));
  }
  // Every journal entry, as stored.
  std::string all_entries() {
    auto store = store::sqlite::open_store(paths_.db, {});
    EXPECT_TRUE(store.has_value());
    std::string out;
    EXPECT_TRUE((*store)->scan_entries(
        0, UINT64_MAX, [&](std::uint64_t, std::string_view d) -> core::Result<bool> {
          out += d;
          out += "\n";
          return true;
        }));
    return out;
  }

  static constexpr const char* kPassword = "a long enough password";
  TempDir dir_;
  core::FakeClock clock_{kStart};
  std::unique_ptr<core::Random> random_ = core::make_seeded_random(7);
  JournalPaths paths_;
  std::unique_ptr<JournalService> journal_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, LoginGivesASessionThatAuthenticatesUntilItExpires) {
  auto s = auth_->login("olga", kPassword, "127.0.0.1");
  ASSERT_TRUE(s) << s.error().to_string();
  auto p = auth_->authenticate_session(s->token);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->username, "olga");
  EXPECT_EQ(p->person, "customs-operator-1");
  EXPECT_TRUE(p->has(Role::kOperator));
  EXPECT_FALSE(p->has(Role::kAdmin));
  EXPECT_EQ(p->csrf, s->csrf);
  // Valid until the instant before expiry, refused at it.
  clock_.set({s->expires.micros - 1});
  EXPECT_TRUE(auth_->authenticate_session(s->token));
  clock_.set(s->expires);
  auto late = auth_->authenticate_session(s->token);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), core::Code::kUnauthenticated);
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownUserFailAlikeAndAreJournaled) {
  auto a = auth_->login("olga", "not the password", "10.0.0.9");
  auto b = auth_->login("nobody", kPassword, "10.0.0.9");
  ASSERT_FALSE(a);
  ASSERT_FALSE(b);
  EXPECT_EQ(a.error().code(), core::Code::kUnauthenticated);
  EXPECT_EQ(a.error().message(), b.error().message());
  const std::string j = all_entries();
  EXPECT_NE(j.find("\"type\":\"auth.login_failed\""), std::string::npos);
  EXPECT_NE(j.find("\"reason\":\"wrong password\""), std::string::npos);
  EXPECT_NE(j.find("\"username\":\"nobody\""), std::string::npos);
}

TEST_F(AuthServiceTest, RepeatedFailuresLockTheAccountForTheWindowEvenWithTheRightPassword) {
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(auth_->login("olga", "wrong wrong wrong", "10.0.0.1"));
  auto locked = auth_->login("olga", kPassword, "10.0.0.2");
  ASSERT_FALSE(locked);
  EXPECT_NE(locked.error().message().find("too many failed logins"), std::string::npos);
  clock_.set({kStart.micros + 15 * kMinute + 1});
  EXPECT_TRUE(auth_->login("olga", kPassword, "10.0.0.2"));
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
  auto s = auth_->login("olga", kPassword, "127.0.0.1");
  ASSERT_TRUE(s);
  ASSERT_TRUE(auth_->logout(s->token));
  EXPECT_FALSE(auth_->authenticate_session(s->token));
  EXPECT_FALSE(auth_->authenticate_session("forged-token"));
}

TEST_F(AuthServiceTest, ApiTokensCarryScopesAndStopAtRevocationOrExpiry) {
  auto t = auth_->issue_token("olga", {"access:check"}, std::chrono::hours(2), "admin");
  ASSERT_TRUE(t) << t.error().to_string();
  auto p = auth_->authenticate_token(t->token);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_TRUE(p->via_token);
  EXPECT_EQ(p->scopes, std::vector<std::string>{"access:check"});
  clock_.set({kStart.micros + 120 * kMinute});
  EXPECT_FALSE(auth_->authenticate_token(t->token)) << "expired at the instant";
  clock_.set(kStart);
  ASSERT_TRUE(auth_->revoke_token(t->id, "admin"));
  auto r = auth_->authenticate_token(t->token);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("revoked"), std::string::npos);
  EXPECT_FALSE(auth_->authenticate_token("pwt_made-up"));
}

TEST_F(AuthServiceTest, DisabledAccountCannotLogInAndExistingSessionsStop) {
  auto s = auth_->login("olga", kPassword, "127.0.0.1");
  ASSERT_TRUE(s);
  ASSERT_TRUE(auth_->disable_account("olga", "admin"));
  EXPECT_FALSE(auth_->authenticate_session(s->token));
  EXPECT_FALSE(auth_->login("olga", kPassword, "127.0.0.1"));
}

TEST_F(AuthServiceTest, AccountRulesAreEnforced) {
  EXPECT_EQ(auth_->create_account("olga", kPassword, "", {Role::kAuditor}, "admin").error().code(),
            core::Code::kAlreadyExists);
  EXPECT_FALSE(auth_->create_account("short", "too short", "", {Role::kAuditor}, "admin"));
  EXPECT_FALSE(auth_->create_account("Bad Name", kPassword, "", {Role::kAuditor}, "admin"));
  EXPECT_FALSE(auth_->create_account("noroles", kPassword, "", {}, "admin"));
}

TEST_F(AuthServiceTest, NoSecretEverReachesTheJournalAndItStillVerifies) {
  auto s = auth_->login("olga", kPassword, "127.0.0.1");
  auto t = auth_->issue_token("olga", {}, std::chrono::hours(1), "admin");
  ASSERT_TRUE(s && t);
  ASSERT_TRUE(auth_->set_password("olga", "another long password", "olga"));
  const std::string j = all_entries();
  for (const std::string& secret : {std::string(kPassword), std::string("another long password"),
                                    s->token, s->csrf, t->token, std::string("$scrypt$")}) {
    EXPECT_EQ(j.find(secret), std::string::npos) << "found in the journal: " << secret;
  }
  EXPECT_NE(j.find("\"type\":\"token.issued\""), std::string::npos);
  auto v = journal_->verify({});
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? ""
                                               : v->problems[0].where + " " + v->problems[0].what);
}

}  // namespace
}  // namespace pw::app
