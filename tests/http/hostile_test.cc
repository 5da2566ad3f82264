// Requests from clients that do not play by the rules: limits, malformed framing, slow clients,
// path traversal, and handlers that misbehave. Each must end in a 4xx/5xx or a closed
// connection, with the handler not called where the request was refused, and the server still
// serving afterwards.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

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

struct Fixture {
  std::atomic<int> calls{0};
  std::unique_ptr<HttpServer> server;

  explicit Fixture(ServerOptions options = {}) {
    Router r;
    auto count = [this](const Request& req, const PathParams&) {
      calls.fetch_add(1);
      return Response::text(200, "got " + std::to_string(req.body.size()));
    };
    EXPECT_TRUE(r.add(Method::kPost, "/upload", count));
    EXPECT_TRUE(r.add(Method::kGet, "/files/{name}", count));
    EXPECT_TRUE(r.add(Method::kGet, "/ok",
                      [](const Request&, const PathParams&) { return Response::text(200, "ok"); }));
    EXPECT_TRUE(r.add(Method::kGet, "/boom", [](const Request&, const PathParams&) -> Response {
      throw std::runtime_error("secret: /etc/portwarden/key.pem");
    }));
    EXPECT_TRUE(r.add(Method::kGet, "/boom-int",
                      [](const Request&, const PathParams&) -> Response { throw 42; }));
    EXPECT_TRUE(r.add(Method::kPost, "/inject", [](const Request& req, const PathParams&) {
      Response res = Response::text(200, "x");
      // A handler that copies client data into a header without checking it.
      res.headers.set("X-Echo", req.body);
      return res;
    }));
    server = start_server(std::move(r), options);
  }

  // One raw request on a fresh connection: the response and whether the server closed.
  std::pair<std::string, bool> raw(std::string_view bytes) {
    RawClient c(server->port());
    EXPECT_TRUE(c.connected());
    c.send(bytes);
    std::string got = c.read_until_close(5s);
    return {got, c.closed()};
  }

  void expect_still_serving() {
    RawClient c(server->port());
    ASSERT_TRUE(c.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(status_of(c.read_response()), 200);
  }
};

ServerOptions small_limits() {
  ServerOptions o;
  o.max_body_bytes = 1024;
  o.max_header_bytes = 2048;
  return o;
}

TEST(HttpHostile, OversizedBodyIs413AndTheHandlerIsNotCalled) {
  Fixture f(small_limits());
  pw::testing::TempDir dir;
  pw::testing::write_file(dir / "big", std::string(4096, 'x'));
  pw::testing::write_file(dir / "fits", std::string(1024, 'x'));
  auto r = curl({"-o", "/dev/null", "-w", "%{http_code}", "--data-binary",
                 "@" + (dir / "big").string(), url(*f.server, "/upload")});
  EXPECT_EQ(r.out, "413") << r.err;
  // With Expect: 100-continue the refusal comes before the body is sent.
  const auto before = std::chrono::steady_clock::now();
  r = curl({"-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect: 100-continue", "--data-binary",
            "@" + (dir / "big").string(), url(*f.server, "/upload")});
  EXPECT_EQ(r.out, "413") << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - before, 900ms);  // curl waits 1 s for a 100
  EXPECT_EQ(f.calls.load(), 0);

  r = curl({"-w", "%{http_code}", "--data-binary", "@" + (dir / "fits").string(),
            url(*f.server, "/upload")});
  EXPECT_EQ(r.out, "got 1024200");
  EXPECT_EQ(f.calls.load(), 1);
}

TEST(HttpHostile, OversizedChunkedBodyIs413) {
  Fixture f(small_limits());
  std::string chunk(600, 'y');
  std::string req =
      "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "258\r\n" +
      chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n";
  auto [got, closed] = f.raw(req);
  EXPECT_EQ(status_of(got), 413) << got;
  EXPECT_TRUE(closed);
  EXPECT_EQ(f.calls.load(), 0);
  f.expect_still_serving();
}

TEST(HttpHostile, OversizedHeadersAre431) {
  Fixture f(small_limits());
  auto r = curl({"-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Big: " + std::string(4096, 'a'),
                 url(*f.server, "/files/a")});
  EXPECT_EQ(r.out, "431") << r.err;
  // Many small fields count too.
  std::string req = "GET /files/a HTTP/1.1\r\nHost: t\r\n";
  for (int i = 0; i < 200; ++i) req += "X-F" + std::to_string(i) + ": v\r\n";
  auto [got, closed] = f.raw(req + "\r\n");
  EXPECT_EQ(status_of(got), 431);
  EXPECT_TRUE(closed);
  EXPECT_EQ(f.calls.load(), 0);
}

TEST(HttpHostile, MalformedRequestsAre400AndClose) {
  Fixture f;
  for (std::string bad : {
           std::string("GARBAGE\r\n\r\n"),
           std::string("GET /ok HTTP/9.9\r\nHost: t\r\n\r\n"),
           std::string("GET /ok HTTP/1.1\r\nNo colon here\r\n\r\n"),
           std::string("GET /ok HTTP/1.1\r\n\r\n"),  // HTTP/1.1 without Host
           std::string("GET /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),  // smuggling shape
           std::string("GET /ok HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n"),
           std::string("GET /o\0k HTTP/1.1\r\nHost: t\r\n\r\n", 30),
       }) {
    auto [got, closed] = f.raw(bad);
    EXPECT_EQ(status_of(got), 400) << bad << "\n--\n" << got;
    EXPECT_TRUE(closed) << bad;
  }
  auto [got, closed] = f.raw("BREW /ok HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(status_of(got), 501) << got;
  f.expect_still_serving();
}

TEST(HttpHostile, PathTraversalIs400AndNeverReachesAHandler) {
  Fixture f;
  for (std::string path : {"/files/../etc/passwd", "/files/%2e%2e/%2e%2e/etc/passwd",
                           "/files/..%2Fetc", "/files/a%00.txt", "/files/%2Fetc%2Fpasswd",
                           "/files/..%5c..%5cwindows", "/files/./a", "/./files/a"}) {
    auto r = curl({"-o", "/dev/null", "-w", "%{http_code}", "--path-as-is", url(*f.server, path)});
    EXPECT_EQ(r.out, "400") << path << " " << r.err;
    auto [got, closed] = f.raw("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(status_of(got), 400) << path;
    EXPECT_TRUE(closed);
  }
  EXPECT_EQ(f.calls.load(), 0);
  auto ok = curl({"-w", " %{http_code}", url(*f.server, "/files/a..b.txt")});
  EXPECT_EQ(ok.out, "got 0 200");
}

TEST(HttpHostile, SlowClientIsCutAtTheReadTimeout) {
  ServerOptions o;
  o.read_timeout = 1s;
  Fixture f(o);
  RawClient c(f.server->port());
  const std::string request =
      "GET /ok HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  const auto start = std::chrono::steady_clock::now();
  // One byte a second (slowloris): the server must close long before the request is complete.
  for (char ch : request) {
    if (!c.send(std::string_view(&ch, 1))) break;
    c.read_until_close(1s);
    if (c.closed()) break;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(c.closed());
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, 3s);
  f.expect_still_serving();
}

TEST(HttpHostile, SilentConnectionIsClosedAtTheReadTimeout) {
  ServerOptions o;
  o.read_timeout = 500ms;
  o.idle_timeout = 300ms;
  Fixture f(o);
  RawClient silent(f.server->port());
  const auto start = std::chrono::steady_clock::now();
  silent.read_until_close(3s);
  EXPECT_TRUE(silent.closed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);

  // Kept alive after a request: closed after the idle timeout.
  RawClient kept(f.server->port());
  ASSERT_TRUE(kept.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(status_of(kept.read_response()), 200);
  EXPECT_FALSE(kept.closed());
  kept.read_until_close(3s);
  EXPECT_TRUE(kept.closed());
}

TEST(HttpHostile, ThrowingHandlerGives500WithRequestIdAndNothingElse) {
  Fixture f;
  for (const char* path : {"/boom", "/boom-int"}) {
    auto r = curl({"-i", url(*f.server, path)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(status_of(r.out), 500);
    EXPECT_EQ(r.out.find("secret"), std::string::npos);
    const std::string body = r.out.substr(r.out.find("\r\n\r\n") + 4);
    auto j = nlohmann::json::parse(body);
    EXPECT_EQ(j["error"]["code"], "internal");
    EXPECT_EQ(j["error"]["request_id"].get<std::string>().size(), 36u);
    EXPECT_NE(r.out.find("X-Request-Id: " + j["error"]["request_id"].get<std::string>()),
              std::string::npos);
  }
  f.expect_still_serving();
}

TEST(HttpHostile, HeaderInjectionFromAHandlerIsRefused) {
  Fixture f;
  for (std::string evil :
       {std::string("a\r\nSet-Cookie: session=stolen"),
        std::string("a\nSet-Cookie: session=stolen"), std::string("a\rSet-Cookie: session=stolen"),
        std::string("a\0Set-Cookie", 12)}) {
    auto r = pw::testing::run_process(
        {testing::kCurl, "-sS", "-i", "--data-binary", "@-", url(*f.server, "/inject")}, evil);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(status_of(r.out), 500) << r.out;
    EXPECT_EQ(r.out.find("Set-Cookie"), std::string::npos);
    EXPECT_EQ(r.out.find("session=stolen"), std::string::npos);
  }
  auto fine = pw::testing::run_process(
      {testing::kCurl, "-sS", "-i", "--data-binary", "@-", url(*f.server, "/inject")}, "plain");
  EXPECT_NE(fine.out.find("X-Echo: plain\r\n"), std::string::npos) << fine.out;
  // The same bytes in a request's path or query never get that far: controls are refused there.
  auto [got, closed] = f.raw("GET /ok?v=a%0D%0ASet-Cookie:%20x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(status_of(got), 400);
}

TEST(HttpHostile, ClientThatDoesNotReadIsCutAtTheWriteTimeout) {
  std::mutex mu;
  std::vector<std::string> lines;
  ServerOptions o;
  o.write_timeout = 500ms;
  o.access_log = [&](std::string_view line) {
    std::lock_guard lock(mu);
    lines.emplace_back(line);
  };
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/big", [](const Request&, const PathParams&) {
    return Response::text(200, std::string(32 << 20, 'z'));  // far more than socket buffers
  }));
  auto server = start_server(std::move(r), o);
  RawClient c(server->port());
  ASSERT_TRUE(c.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::string note;
  for (int i = 0; i < 300 && note.empty(); ++i) {
    std::this_thread::sleep_for(10ms);
    std::lock_guard lock(mu);
    if (!lines.empty()) note = nlohmann::json::parse(lines[0]).value("note", "");
  }
  EXPECT_EQ(note, "write failed; connection closed");
}

TEST(HttpHostile, ManyConnectionsAtOnceAreAllServed) {
  Fixture f;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 100; ++i) {
    clients.push_back(std::make_unique<RawClient>(f.server->port()));
    ASSERT_TRUE(clients.back()->connected());
  }
  for (auto& c : clients) ASSERT_TRUE(c->send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"));
  for (auto& c : clients) EXPECT_EQ(status_of(c->read_response()), 200);
}

}  // namespace
}  // namespace pw::http
