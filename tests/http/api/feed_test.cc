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

#include "http/api/api_fixture.h"
#include "http/http_test_util.h"
#include "support/test_support.h"

namespace pw::http::api {
namespace {

using namespace std::chrono_literals;

// The API fixture on one I/O thread (a long-poll that held it would stop every other call),
// with the callers using bearer tokens as gateways do.
ApiOptions feed_options() {
  ApiOptions o;
  o.threads = 1;
  o.tokens = {{"op", {"access:check"}}, {"sec", {}}, {"tech", {}}};
  return o;
}

class FeedTest : public ApiTest {
 protected:
  FeedTest() : ApiTest(feed_options()) {}

  // A gateway's long-poll from `from` (wait=30) on its own thread, the answer into `out`, given
  // time to start waiting. The outcome is the same if it has not started yet (it then finds the
  // news at once), so this pause is not what a test checks.
  std::thread poll(std::uint64_t from, Reply& out) {
    std::thread t([this, from, &out] {
      out = call("GET", "/v1/access/feed?from=" + std::to_string(from) + "&wait=30", "op");
    });
    std::this_thread::sleep_for(300ms);
    return t;
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
};

TEST_F(FeedTest, LongPollWakesOnASuspensionMadeThroughTheApiByAnotherClient) {
  const std::uint64_t from = head();
  const std::uint64_t notified = access_->changes().generation();
  Reply polled;
  std::thread gateway = poll(from, polled);
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
  std::thread gateway = poll(from, polled);
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
  std::thread gateway = poll(from, polled);
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
  std::thread gateway = poll(from, polled);
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
  std::thread gateway = poll(from, polled);
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
