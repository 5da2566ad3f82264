// Asynchronous handlers (AsyncHandler + Responder) on the real HttpServer: answered from
// another thread, the I/O thread free while an answer is pending, dropped Responders, stop()
// with a pending request, and pipelined requests kept in order around an asynchronous one.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/http_test_util.h"
#include "http/json.h"
#include "http/server.h"

namespace pw::http {
namespace {

using namespace std::chrono_literals;
using testing::curl;
using testing::RawClient;
using testing::start_server;
using testing::status_of;
using testing::url;

// Responders parked by a handler, for the test to answer (or drop) from its own thread.
class Parking {
 public:
  void park(Responder r) {
    {
      std::lock_guard lock(mu_);
      parked_.push_back(std::move(r));
    }
    cv_.notify_all();
  }
  // The next parked Responder; an empty one if none came within the (deadlock-guard) bound.
  Responder take() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 20s, [this] { return !parked_.empty(); });
    if (parked_.empty()) return Responder();
    Responder r = std::move(parked_.front());
    parked_.pop_front();
    return r;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Responder> parked_;
};

// GET /wait on `r`: its handler parks the Responder in `parking`.
void add_parking_route(Router& r, Parking& parking) {
  ASSERT_TRUE(r.add_async(Method::kGet, "/wait",
                          [&parking](const Request&, const PathParams&, Responder responder) {
                            parking.park(std::move(responder));
                          }));
}

// Log lines, thread-safe.
struct Lines {
  std::mutex mu;
  std::vector<std::string> lines;
  void add(std::string line) {
    std::lock_guard lock(mu);
    lines.push_back(std::move(line));
  }
  std::vector<std::string> get() {
    std::lock_guard lock(mu);
    return lines;
  }
};

TEST(HttpAsync, AnswerFromAnotherThreadGoesOutLikeASyncOne) {
  Parking parking;
  Router r;
  ASSERT_TRUE(r.add_async(Method::kGet, "/v1/wait/{id}",
                          [&](const Request& req, const PathParams& p, Responder responder) {
                            EXPECT_EQ(req.route, "/v1/wait/{id}");
                            EXPECT_EQ(p.get("id"), "7");
                            parking.park(std::move(responder));
                          }));
  Lines log;
  ServerOptions options;
  options.access_log = [&](std::string_view line) { log.add(std::string(line)); };
  // The read timeout bounds reading a request, not the wait for its answer (below, longer).
  options.read_timeout = 200ms;
  auto server = start_server(std::move(r), options);

  pw::testing::RunResult result;
  std::thread client([&] { result = curl({"-i", url(*server, "/v1/wait/7")}); });
  Responder parked = parking.take();
  ASSERT_TRUE(parked.pending());
  bool taken = false;
  std::thread answerer([&] {
    std::this_thread::sleep_for(600ms);  // past the read timeout
    Response resp = json_response(201, {{"answered", "later"}});
    resp.headers.set("X-Extra", "yes");
    taken = parked.respond(std::move(resp));
  });
  answerer.join();
  client.join();
  EXPECT_TRUE(taken);
  EXPECT_FALSE(parked.pending());
  EXPECT_FALSE(parked.respond(Response::text(200, "twice"))) << "the first answer wins";

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(status_of(result.out), 201);
  EXPECT_NE(result.out.find("X-Extra: yes"), std::string::npos);
  EXPECT_NE(result.out.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(result.out.find("X-Request-Id: "), std::string::npos);
  EXPECT_NE(result.out.find(R"({"answered":"later"})"), std::string::npos) << result.out;
  auto metrics = curl({url(*server, "/metrics")});
  EXPECT_NE(metrics.out.find(
                "pw_http_requests_total{route=\"/v1/wait/{id}\",method=\"GET\",code=\"2xx\"} 1\n"),
            std::string::npos)
      << metrics.out;
  server->stop();
  auto lines = log.get();
  ASSERT_EQ(lines.size(), 2u);  // the request and the scrape
  auto j = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(j["route"], "/v1/wait/{id}");
  EXPECT_EQ(j["status"], 201);
}

TEST(HttpAsync, IoThreadServesOthersWhileAnAnswerIsPending) {
  Parking parking;
  Router r;
  ASSERT_NO_FATAL_FAILURE(add_parking_route(r, parking));
  ServerOptions options;
  options.threads = 1;  // one I/O thread: a blocked one would hold up /healthz below
  auto server = start_server(std::move(r), options);

  RawClient waiting(server->port());
  ASSERT_TRUE(waiting.send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n"));
  Responder parked = parking.take();
  ASSERT_TRUE(parked.pending());
  // Several requests on other connections are served while /wait is pending.
  for (int i = 0; i < 3; ++i) {
    auto health = curl({"-o", "/dev/null", "-w", "%{http_code}", url(*server, "/healthz")});
    EXPECT_EQ(health.out, "200") << health.err;
  }
  ASSERT_TRUE(parked.respond(Response::text(200, "done")));
  std::string got = waiting.read_response();
  EXPECT_EQ(status_of(got), 200);
  EXPECT_NE(got.find("\r\n\r\ndone"), std::string::npos) << got;
}

TEST(HttpAsync, DroppedResponderOrThrowingHandlerGives500) {
  Parking parking;
  Router r;
  ASSERT_TRUE(
      r.add_async(Method::kGet, "/drop", [](const Request&, const PathParams&, Responder) {}));
  ASSERT_TRUE(r.add_async(Method::kGet, "/throw", [](const Request&, const PathParams&, Responder) {
    throw std::runtime_error("secret detail");
  }));
  ASSERT_TRUE(r.add_async(Method::kGet, "/later",
                          [&](const Request&, const PathParams&, Responder responder) {
                            parking.park(std::move(responder));
                          }));
  ASSERT_TRUE(r.add_async(Method::kGet, "/inject",
                          [](const Request&, const PathParams&, Responder responder) {
                            Response bad = Response::text(200, "x");
                            bad.headers.set("X-Evil", "a\r\nSet-Cookie: b");
                            responder.respond(std::move(bad));
                          }));
  Lines log;
  ServerOptions options;
  options.access_log = [&](std::string_view line) { log.add(std::string(line)); };
  auto server = start_server(std::move(r), options);

  for (const char* path : {"/drop", "/throw", "/inject"}) {
    auto res = curl({"-i", url(*server, path)});
    EXPECT_EQ(status_of(res.out), 500) << path << ": " << res.out;
    EXPECT_NE(res.out.find("\"request_id\""), std::string::npos) << path;
    EXPECT_EQ(res.out.find("secret"), std::string::npos) << path;
    EXPECT_EQ(res.out.find("X-Evil"), std::string::npos) << path;
  }
  // Dropped later, from another thread, after the handler returned.
  pw::testing::RunResult later;
  std::thread client([&] { later = curl({"-i", url(*server, "/later")}); });
  {
    Responder parked = parking.take();
    ASSERT_TRUE(parked.pending());
    std::thread([p = std::move(parked)] {}).join();  // destroyed on that thread, unanswered
  }
  client.join();
  EXPECT_EQ(status_of(later.out), 500) << later.out;
  server->stop();

  std::string notes;
  for (const auto& line : log.get()) notes += nlohmann::json::parse(line).value("note", "") + "|";
  EXPECT_NE(notes.find("dropped its Responder"), std::string::npos) << notes;
  EXPECT_NE(notes.find("handler threw: secret detail"), std::string::npos) << notes;
  EXPECT_NE(notes.find("handler response refused"), std::string::npos) << notes;
}

TEST(HttpAsync, StopAnswersAPendingRequestWith503InsteadOfWaitingOutTheGrace) {
  Parking parking;
  Router r;
  ASSERT_NO_FATAL_FAILURE(add_parking_route(r, parking));
  ServerOptions options;
  // Far longer than the client below waits: only a prompt 503 reaches it.
  options.shutdown_grace = std::chrono::minutes(5);
  auto server = start_server(std::move(r), options);
  RawClient c(server->port());
  ASSERT_TRUE(c.send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n"));
  Responder parked = parking.take();
  ASSERT_TRUE(parked.pending());

  std::thread stopper([&] { server->stop(); });
  std::string got = c.read_response(20s);
  EXPECT_EQ(status_of(got), 503) << got;
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
  EXPECT_NE(got.find("shutting down"), std::string::npos) << got;
  stopper.join();
  EXPECT_FALSE(parked.pending());
  EXPECT_FALSE(parked.respond(Response::text(200, "too late")));
}

TEST(HttpAsync, PipelinedRequestsKeepTheirOrderAroundAnAsynchronousOne) {
  Parking parking;
  std::mutex mu;
  std::vector<std::string> calls;
  auto note = [&](std::string what) {
    std::lock_guard lock(mu);
    calls.push_back(std::move(what));
  };
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/sync/{n}", [&](const Request&, const PathParams& p) {
    note("sync " + std::string(*p.get("n")));
    return Response::text(200, "sync " + std::string(*p.get("n")));
  }));
  ASSERT_TRUE(r.add_async(Method::kGet, "/async",
                          [&](const Request&, const PathParams&, Responder responder) {
                            note("async");
                            parking.park(std::move(responder));
                          }));
  ServerOptions options;
  options.threads = 1;
  auto server = start_server(std::move(r), options);
  RawClient c(server->port());
  ASSERT_TRUE(
      c.send("GET /sync/1 HTTP/1.1\r\nHost: t\r\n\r\n"
             "GET /async HTTP/1.1\r\nHost: t\r\n\r\n"
             "GET /sync/2 HTTP/1.1\r\nHost: t\r\n\r\n"));
  Responder parked = parking.take();
  note("answered");
  ASSERT_TRUE(parked.respond(Response::text(200, "async")));
  const std::string got = c.read_until("sync 2", 20s);  // the last body
  const auto p1 = got.find("sync 1"), pa = got.find("\r\n\r\nasync"), p2 = got.find("sync 2");
  ASSERT_NE(p1, std::string::npos) << got;
  ASSERT_NE(pa, std::string::npos) << got;
  ASSERT_NE(p2, std::string::npos) << got;
  EXPECT_LT(p1, pa);
  EXPECT_LT(pa, p2);
  std::lock_guard lock(mu);
  EXPECT_EQ(calls, (std::vector<std::string>{"sync 1", "async", "answered", "sync 2"}))
      << "the request after the asynchronous one is read only once that one is answered";
}

}  // namespace
}  // namespace pw::http
