// The access feed's long-poll (GET /v1/access/feed?from=N&wait=S) on the real server with one
// I/O thread, called with curl as a gateway would: it answers at once when there is news, wakes
// when a suspension is made through the API by another client (forty waiters at once) or by the
// CLI on the same database, ends empty when the wait is over, never holds the I/O thread, ends
// at stop(), and refuses bad parameters.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "app/authz.h"
#include "app/ownership_service.h"
#include "app/gateway_service.h"
#include "app/grant_ca.h"
#include "http/api/api.h"
#include "http/http_test_util.h"
#include "support/test_support.h"

namespace pw::http::api {
namespace {

using namespace std::chrono_literals;
using pw::testing::TempDir;

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string raw;
};

class FeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = {(dir_ / "j.db").string(), (dir_ / "j.key").string()};
    ASSERT_TRUE(app::init_journal(paths_, "test.example/log", clock_));
    journal_ = std::move(*app::JournalService::open(paths_, clock_));
    reg_ = std::make_unique<app::RegisterService>(*journal_, clock_);
    const auto root = pw::testing::tests_dir().parent_path();
    ASSERT_TRUE(reg_->import((root / "examples" / "rotterdam").string(), "test"));
    own_ = std::make_unique<app::OwnershipService>(*journal_, clock_, (dir_ / "blobs").string());
    app::AssessmentConfig ac;
    ac.countries_path = (root / "data" / "countries.toml").string();
    assess_ = std::make_unique<app::AssessmentService>(*journal_, *own_, *reg_, clock_, ac);
    app::AccessConfig xc;
    xc.access_policy_path = (root / "data" / "access-policy.toml").string();
    access_ = std::make_unique<app::AccessService>(*journal_, *reg_, clock_, xc);
    app::AuthOptions ao;
    ao.scrypt = {10, 8, 1};
    auth_ = std::make_unique<app::AuthService>(*journal_, clock_, *random_, ao);
    ASSERT_TRUE(auth_->create_account("sec", "a long enough password", "security-officer-1",
                                      {app::Role::kSecurityOfficer}, "admin"));
    ASSERT_TRUE(auth_->create_account("op", "a long enough password", "operator-1",
                                      {app::Role::kOperator}, "admin"));
    ASSERT_TRUE(auth_->create_account("tech", "a long enough password", "tech-nuctech-1",
                                      {app::Role::kTechnician}, "admin"));
    for (auto [user, scopes] : {std::pair{"op", std::vector<std::string>{"access:check"}},
                                std::pair{"sec", std::vector<std::string>{}},
                                std::pair{"tech", std::vector<std::string>{}}}) {
      auto t = auth_->issue_token(user, scopes, std::chrono::hours(1), "admin");
      ASSERT_TRUE(t) << t.error().to_string();
      tokens_[user] = t->token;
    }
    ca_ = std::make_unique<app::GrantCa>(*journal_, *access_, *reg_, clock_,
                                         app::grant_ca_files(paths_.db));
    gateway_ = std::make_unique<app::GatewayService>(*journal_, *access_, *reg_, *ca_, clock_);
    services_ = std::make_unique<Services>(
        Services{*journal_, *reg_, *assess_, *access_, *auth_, clock_, *gateway_});
    Router router;
    ASSERT_TRUE(add_routes(router, *services_));
    ServerOptions o;
    o.threads = 1;  // a long-poll that held the I/O thread would stop every other call
    server_ = std::make_unique<HttpServer>(o, std::move(router));
    ASSERT_TRUE(server_->start());
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  // As `user` with a bearer token; curl's own limit (40 s) is only a guard against a hang.
  Reply call(const std::string& method, const std::string& path, const std::string& user,
             const std::string& body = "") {
    std::vector<std::string> argv{
        "/usr/bin/curl", "-s", "--max-time",     "40", "-X",
        method,          "-w", "\n%{http_code}", "-H", "Authorization: Bearer " + tokens_[user]};
    if (!body.empty()) {
      argv.insert(argv.end(), {"-H", "Content-Type: application/json", "--data-binary", body});
    }
    argv.push_back("http://127.0.0.1:" + std::to_string(server_->port()) + path);
    auto r = pw::testing::run_process(argv);
    Reply out;
    const std::size_t nl = r.out.rfind('\n');
    if (nl == std::string::npos) return out;  // status 0: no answer at all
    out.status = std::stoi(r.out.substr(nl + 1));
    out.raw = r.out.substr(0, nl);
    out.body = nlohmann::json::parse(out.raw, nullptr, false);
    return out;
  }
  // The position the gateway would follow from now.
  std::uint64_t head() {
    auto r = call("GET", "/v1/access/feed?wait=0", "op");
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body.value("next", std::uint64_t{0});
  }
  Reply suspend(const std::string& id) {
    const nlohmann::json s = {{"id", id},
                              {"scope", "person"},
                              {"subject", "tech-nuctech-1"},
                              {"reason", "test"},
                              {"confirmed", true}};
    return call("POST", "/v1/suspensions", "sec", s.dump());
  }

  TempDir dir_;
  core::SystemClock clock_;
  std::unique_ptr<core::Random> random_ = core::make_seeded_random(5);
  app::JournalPaths paths_;
  std::unique_ptr<app::JournalService> journal_;
  std::unique_ptr<app::RegisterService> reg_;
  std::unique_ptr<app::OwnershipService> own_;
  std::unique_ptr<app::AssessmentService> assess_;
  std::unique_ptr<app::AccessService> access_;
  std::unique_ptr<app::AuthService> auth_;
  std::unique_ptr<app::GrantCa> ca_;
  std::unique_ptr<app::GatewayService> gateway_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(FeedTest, LongPollWakesOnASuspensionMadeThroughTheApiByAnotherClient) {
  const std::uint64_t from = head();
  const std::uint64_t notified = access_->changes().generation();
  Reply polled;
  std::thread gateway([&] {
    polled = call("GET", "/v1/access/feed?from=" + std::to_string(from) + "&wait=30", "op");
  });
  // Give the poll time to start waiting; the outcome is the same if it has not (it then finds
  // the suspension at once), so this pause is not what the test checks.
  std::this_thread::sleep_for(300ms);
  // Another client, on the same single I/O thread, while the poll waits.
  auto r = suspend("susp-feed-1");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_GT(access_->changes().generation(), notified) << "the change was notified";
  gateway.join();
  ASSERT_EQ(polled.status, 200) << polled.raw;
  ASSERT_EQ(polled.body["events"].size(), 1u) << polled.raw;
  EXPECT_EQ(polled.body["events"][0]["type"], "access.suspended");
  EXPECT_EQ(polled.body["events"][0]["payload"]["suspension"]["id"], "susp-feed-1") << polled.raw;
  EXPECT_GT(polled.body["next"].get<std::uint64_t>(), from);
  // From the new position, nothing: after a short wait, an empty page.
  const auto next = polled.body["next"].get<std::uint64_t>();
  auto empty = call("GET", "/v1/access/feed?from=" + std::to_string(next) + "&wait=1", "op");
  ASSERT_EQ(empty.status, 200) << empty.raw;
  EXPECT_TRUE(empty.body["events"].empty()) << empty.raw;
  EXPECT_EQ(empty.body["next"].get<std::uint64_t>(), next);
}

TEST_F(FeedTest, LongPollSeesASuspensionTheCliMakesOnTheSameDatabase) {
  const std::uint64_t from = head();
  const std::uint64_t notified = access_->changes().generation();
  Reply polled;
  std::thread gateway([&] {
    polled = call("GET", "/v1/access/feed?from=" + std::to_string(from) + "&wait=30", "op");
  });
  std::this_thread::sleep_for(300ms);
  const auto data = pw::testing::tests_dir().parent_path() / "data";
  auto cli = pw::testing::run_portwarden({"suspend", "--person", "tech-nuctech-1", "--reason",
                                          "from the CLI", "--yes", "--as", "security-officer-1",
                                          "--policy", (data / "access-policy.toml").string(),
                                          "--db", paths_.db});
  ASSERT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  gateway.join();
  // Another process: nothing was notified here; the periodic re-read found it.
  EXPECT_EQ(access_->changes().generation(), notified);
  ASSERT_EQ(polled.status, 200) << polled.raw;
  ASSERT_EQ(polled.body["events"].size(), 1u) << polled.raw;
  EXPECT_EQ(polled.body["events"][0]["payload"]["suspension"]["reason"], "from the CLI")
      << polled.raw;
}

TEST_F(FeedTest, AnyAccessEventEndsTheWaitAndNewsAlreadyThereIsAnsweredAtOnce) {
  const std::uint64_t from = head();
  // An access event that is not a block (a technician's request) ends a wait too: the page is
  // empty but `next` moves past it.
  Reply polled;
  std::thread gateway([&] {
    polled = call("GET", "/v1/access/feed?from=" + std::to_string(from) + "&wait=30", "op");
  });
  std::this_thread::sleep_for(300ms);
  core::SystemClock c;
  const nlohmann::json request = {
      {"id", "req-feed-1"},
      {"kind", "server_room"},
      {"room", "server-room-maasvlakte"},
      {"from", core::format_rfc3339({c.now().micros - 3'600'000'000})},
      {"to", core::format_rfc3339({c.now().micros + 4 * 3'600'000'000LL})},
      {"reason", "replace a disk"}};
  auto req = call("POST", "/v1/access/requests", "tech", request.dump());
  gateway.join();
  ASSERT_EQ(req.status, 200) << req.raw;
  ASSERT_EQ(polled.status, 200) << polled.raw;
  EXPECT_TRUE(polled.body["events"].empty()) << polled.raw;
  const auto next = polled.body["next"].get<std::uint64_t>();
  EXPECT_GT(next, from) << polled.raw;

  // Events after `from` already there: the answer holds them (it does not wait first).
  ASSERT_EQ(suspend("susp-feed-2").status, 200);
  auto r = call("GET", "/v1/access/feed?from=" + std::to_string(next) + "&wait=30", "op");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["events"].size(), 1u) << r.raw;
  EXPECT_EQ(r.body["events"][0]["payload"]["suspension"]["id"], "susp-feed-2") << r.raw;
}

TEST_F(FeedTest, ManyWaitingPollsAreAllWokenByOneSuspension) {
  const std::uint64_t from = head();
  const std::string request = "GET /v1/access/feed?from=" + std::to_string(from) +
                              "&wait=30 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                              tokens_["op"] + "\r\n\r\n";
  std::vector<std::unique_ptr<http::testing::RawClient>> gateways;
  for (int i = 0; i < 40; ++i) {
    gateways.push_back(std::make_unique<http::testing::RawClient>(server_->port()));
    ASSERT_TRUE(gateways.back()->send(request));
  }
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(suspend("susp-feed-many").status, 200);
  for (auto& g : gateways) {
    const std::string got = g->read_response(20s);
    EXPECT_EQ(http::testing::status_of(got), 200) << got;
    EXPECT_NE(got.find("susp-feed-many"), std::string::npos) << got;
  }
}

TEST_F(FeedTest, WaitingPollDoesNotHoldTheOnlyIoThread) {
  const std::uint64_t from = head();
  Reply polled;
  std::thread gateway([&] {
    polled = call("GET", "/v1/access/feed?from=" + std::to_string(from) + "&wait=30", "op");
  });
  std::this_thread::sleep_for(300ms);
  auto health = pw::testing::run_process(
      {"/usr/bin/curl", "-s", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}",
       "http://127.0.0.1:" + std::to_string(server_->port()) + "/healthz"});
  EXPECT_EQ(health.out, "200") << "answered while the poll waits";
  ASSERT_EQ(suspend("susp-feed-3").status, 200);  // ends the poll
  gateway.join();
  EXPECT_EQ(polled.status, 200) << polled.raw;
}

TEST_F(FeedTest, StopEndsAWaitingPollWith503) {
  const std::uint64_t from = head();
  Reply polled;
  std::thread gateway([&] {
    polled = call("GET", "/v1/access/feed?from=" + std::to_string(from) + "&wait=30", "op");
  });
  std::this_thread::sleep_for(300ms);
  server_->stop();
  gateway.join();
  EXPECT_EQ(polled.status, 503) << polled.raw;
  EXPECT_EQ(polled.body["error"]["code"], "unavailable") << polled.raw;
}

TEST_F(FeedTest, BadFromOrWaitIs400AndNamesTheParameter) {
  for (std::string q : {"from=-1", "from=abc", "from=1x", "from=", "from=99999999999999999999"}) {
    auto r = call("GET", "/v1/access/feed?wait=0&" + q, "op");
    EXPECT_EQ(r.status, 400) << q << ": " << r.raw;
    EXPECT_NE(r.raw.find("from must be an integer"), std::string::npos) << q << ": " << r.raw;
  }
  for (std::string q : {"wait=31", "wait=-1", "wait=1.5", "wait=soon"}) {
    auto r = call("GET", "/v1/access/feed?from=0&" + q, "op");
    EXPECT_EQ(r.status, 400) << q << ": " << r.raw;
    EXPECT_NE(r.raw.find("wait must be an integer from 0 to 30"), std::string::npos)
        << q << ": " << r.raw;
  }
  // Who may not check access may not follow the feed either, waiting or not.
  auto r = call("GET", "/v1/access/feed?from=0&wait=1", "tech");
  EXPECT_EQ(r.status, 403) << r.raw;
}

}  // namespace
}  // namespace pw::http::api
