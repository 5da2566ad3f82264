// HttpServer against real clients: curl for what a well-behaved client does (routing,
// keep-alive, JSON, observability, stop), raw sockets for pipelining.

#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/http_test_util.h"
#include "http/json.h"

namespace pw::http {
namespace {

using namespace std::chrono_literals;
using testing::curl;
using testing::RawClient;
using testing::start_server;
using testing::status_of;
using testing::url;

// A response as curl -i printed it: status, headers (names lower-cased), body.
struct Seen {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "";
  }
};

Seen parse_curl_i(const std::string& out) {
  Seen s;
  std::size_t end = out.find("\r\n\r\n");
  if (end == std::string::npos) return s;
  s.status = status_of(out);
  std::size_t line = out.find("\r\n") + 2;
  while (line < end) {
    std::size_t next = out.find("\r\n", line);
    std::string field = out.substr(line, next - line);
    std::size_t colon = field.find(':');
    std::string name = field.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = field.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    s.headers.emplace_back(name, value);
    line = next + 2;
  }
  s.body = out.substr(end + 4);
  return s;
}

Seen get(const HttpServer& server, std::string_view path, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"-i", "--path-as-is"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(url(server, path));
  auto r = curl(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return parse_curl_i(r.out);
}

Router test_router() {
  Router r;
  EXPECT_TRUE(r.add(Method::kGet, "/v1/assets/{id}", [](const Request& req, const PathParams& p) {
    nlohmann::json j{{"id", *p.get("id")}, {"route", req.route}};
    if (auto q = req.query.get("q")) j["q"] = *q;
    return json_response(200, j);
  }));
  EXPECT_TRUE(r.add(Method::kGet, "/v1/assets/search", [](const Request&, const PathParams&) {
    return json_response(200, {{"search", true}});
  }));
  EXPECT_TRUE(r.add(Method::kPost, "/v1/assets", [](const Request& req, const PathParams&) {
    auto body = parse_json_body(req);
    if (!body) return error_response(body.error(), req.request_id);
    auto fields = FieldReader::of(*body);
    if (!fields) return error_response(fields.error(), req.request_id);
    std::string name;
    std::optional<std::int64_t> version;
    core::Status st = fields->required("name", name);
    if (st) st = fields->optional("version", version);
    if (st) st = fields->finish();
    if (!st) return error_response(st.error(), req.request_id);
    return json_response(201, {{"name", name}});
  }));
  return r;
}

TEST(HttpServer, RoutesWithPathParametersAndDecodedQuery) {
  auto server = start_server(test_router());
  Seen s = get(*server, "/v1/assets/scanner%207?q=a+b%26c");
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.header("content-type"), "application/json");
  auto j = nlohmann::json::parse(s.body);
  EXPECT_EQ(j["id"], "scanner 7");
  EXPECT_EQ(j["q"], "a b&c");
  EXPECT_EQ(j["route"], "/v1/assets/{id}");
  EXPECT_EQ(nlohmann::json::parse(get(*server, "/v1/assets/search").body)["search"], true);
}

TEST(HttpServer, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  auto server = start_server(test_router());
  Seen missing = get(*server, "/v1/nothing");
  EXPECT_EQ(missing.status, 404);
  auto j = nlohmann::json::parse(missing.body);
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_EQ(j["error"]["request_id"], missing.header("x-request-id"));

  Seen wrong = get(*server, "/v1/assets", {"-X", "DELETE"});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "POST");
  Seen wrong2 = get(*server, "/v1/assets/a1", {"-X", "PUT"});
  EXPECT_EQ(wrong2.status, 405);
  EXPECT_EQ(wrong2.header("allow"), "GET, HEAD");
}

TEST(HttpServer, EveryResponseHasARequestIdAndSafeDefaults) {
  auto server = start_server(test_router());
  for (std::string path : {"/v1/assets/a", "/nothing", "/healthz"}) {
    Seen s = get(*server, path);
    EXPECT_EQ(s.header("x-request-id").size(), 36u) << path;
    EXPECT_EQ(s.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(s.header("cache-control"), "no-store");
    EXPECT_EQ(s.header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ(s.header("x-frame-options"), "DENY");
    EXPECT_EQ(s.header("strict-transport-security"), "");  // plain HTTP
    EXPECT_EQ(s.header("server"), "");
    EXPECT_EQ(s.header("date").size(), 29u);  // "Sun, 29 Nov 2026 07:07:40 GMT"
  }
  EXPECT_NE(get(*server, "/healthz").header("x-request-id"),
            get(*server, "/healthz").header("x-request-id"));
}

TEST(HttpServer, HandlerMayOverrideDefaultsButNotServerFields) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/page", [](const Request&, const PathParams&) {
    Response res = Response::text(200, "<p>hi</p>");
    res.content_type = "text/html; charset=utf-8";
    res.headers.set("Content-Security-Policy", "default-src 'self'");
    res.headers.add("Set-Cookie", "a=1; HttpOnly");
    res.headers.add("Set-Cookie", "b=2; HttpOnly");
    return res;
  }));
  auto server = start_server(std::move(r));
  Seen s = get(*server, "/page");
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.header("content-security-policy"), "default-src 'self'");
  EXPECT_EQ(s.header("content-type"), "text/html; charset=utf-8");
  int cookies = 0;
  for (const auto& [n, v] : s.headers) cookies += n == "set-cookie";
  EXPECT_EQ(cookies, 2);
}

TEST(HttpServer, HeadAnswersLikeGetWithoutABody) {
  auto server = start_server(test_router());
  auto r = curl({"-I", url(*server, "/v1/assets/a1")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Seen s = parse_curl_i(r.out);
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.header("content-length"), std::to_string(get(*server, "/v1/assets/a1").body.size()));
  EXPECT_TRUE(s.body.empty());
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto server = start_server(test_router());
  auto r = curl({"-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-w",
                 "%{http_code} %{num_connects}\n", url(*server, "/v1/assets/a"),
                 url(*server, "/nothing"), url(*server, "/healthz")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "200 1\n404 0\n200 0\n");
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  auto server = start_server(test_router());
  RawClient c(server->port());
  ASSERT_TRUE(c.connected());
  std::string requests;
  for (const char* id : {"first", "second", "third"}) {
    requests += std::string("GET /v1/assets/") + id + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }
  ASSERT_TRUE(c.send(requests));
  std::string got = c.read_until("third", 10s);
  std::size_t a = got.find("first"), b = got.find("second"), d = got.find("third");
  ASSERT_NE(a, std::string::npos) << got;
  ASSERT_NE(b, std::string::npos) << got;
  ASSERT_NE(d, std::string::npos) << got;
  EXPECT_LT(a, b);
  EXPECT_LT(b, d);
  EXPECT_FALSE(c.closed());
}

TEST(HttpServer, JsonBodyErrorsNameTheField) {
  auto server = start_server(test_router());
  auto post = [&](std::string body, std::string type = "application/json") {
    auto r = curl(
        {"-i", "-H", "Content-Type: " + type, "--data-binary", body, url(*server, "/v1/assets")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return parse_curl_i(r.out);
  };
  Seen ok = post(R"({"name":"X-ray 1","version":2})");
  EXPECT_EQ(ok.status, 201);
  Seen wrong = post(R"({"name":5})");
  EXPECT_EQ(wrong.status, 400);
  auto j = nlohmann::json::parse(wrong.body);
  EXPECT_EQ(j["error"]["code"], "invalid_argument");
  EXPECT_EQ(j["error"]["message"], "$.name: expected a string, got an integer");
  EXPECT_EQ(j["error"]["request_id"], wrong.header("x-request-id"));
  EXPECT_EQ(nlohmann::json::parse(post(R"({"name":"a","admin":true})").body)["error"]["message"],
            "$.admin: unknown field");
  EXPECT_EQ(post(R"({"name":"a","name":"b"})").status, 400);
  EXPECT_EQ(post(R"({"name":)").status, 400);
  EXPECT_EQ(post(R"({"name":"a"})", "text/plain").status, 400);
}

TEST(HttpServer, HealthzAndMetricsCountRequestsByRouteAndClass) {
  auto server = start_server(test_router());
  Seen health = get(*server, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok");
  get(*server, "/v1/assets/a");
  get(*server, "/v1/assets/b");
  get(*server, "/v1/nope");
  get(*server, "/v1/assets", {"-X", "DELETE"});
  // The server notices each finished curl's close asynchronously; wait until it has, so the
  // connection gauge shows only the scrape's own connection.
  Seen m;
  for (int i = 0; i < 200; ++i) {
    m = get(*server, "/metrics");
    if (m.body.find("pw_http_open_connections 1\n") != std::string::npos) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& t = m.body;
  EXPECT_NE(
      t.find("pw_http_requests_total{route=\"/v1/assets/{id}\",method=\"GET\",code=\"2xx\"} 2\n"),
      std::string::npos)
      << t;
  EXPECT_NE(t.find("pw_http_requests_total{route=\"(unmatched)\",method=\"any\",code=\"4xx\"} 2\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("pw_http_requests_total{route=\"/healthz\",method=\"GET\",code=\"2xx\"} 1\n"),
            std::string::npos);
  EXPECT_NE(t.find("pw_http_connections_total "), std::string::npos);
  EXPECT_NE(
      t.find("pw_http_request_duration_seconds_bucket{route=\"/v1/assets/{id}\",method=\"GET\","
             "le=\"+Inf\"} 2\n"),
      std::string::npos);
  EXPECT_NE(
      t.find(
          "pw_http_request_duration_seconds_count{route=\"/v1/assets/{id}\",method=\"GET\"} 2\n"),
      std::string::npos);
  EXPECT_NE(t.find("le=\"0.0001\""), std::string::npos);
  EXPECT_NE(t.find("pw_http_open_connections 1\n"), std::string::npos);  // the scrape itself
  EXPECT_NE(t.find("# TYPE pw_http_request_duration_seconds histogram"), std::string::npos);
}

TEST(HttpServer, BuiltInRoutesCannotBeRegistered) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/metrics",
                    [](const Request&, const PathParams&) { return Response::text(200, "mine"); }));
  HttpServer server(ServerOptions{}, std::move(r));
  auto started = server.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code(), core::Code::kInvalidArgument);
  EXPECT_NE(started.error().message().find("/metrics"), std::string::npos);
}

TEST(HttpServer, WritesOneAccessLogLinePerRequest) {
  std::mutex mu;
  std::vector<std::string> lines;
  ServerOptions options;
  options.access_log = [&](std::string_view line) {
    std::lock_guard lock(mu);
    lines.emplace_back(line);
  };
  core::FakeClock clock(core::Timestamp{1'700'000'000'000'000});
  options.clock = &clock;
  auto server = start_server(test_router(), options);
  Seen s = get(*server, "/v1/assets/a1");
  Seen missing = get(*server, "/zzz");
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(mu);
      if (lines.size() >= 2) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  server->stop();
  ASSERT_EQ(lines.size(), 2u);
  auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["time"], "2023-11-14T22:13:20.000000Z");
  EXPECT_EQ(first["request_id"], s.header("x-request-id"));
  EXPECT_EQ(s.header("date"), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(first["method"], "GET");
  EXPECT_EQ(first["route"], "/v1/assets/{id}");
  EXPECT_EQ(first["status"], 200);
  EXPECT_EQ(first["bytes"], s.body.size());
  EXPECT_TRUE(first["duration_us"].is_number_integer());
  EXPECT_EQ(first["remote"].get<std::string>().rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
  auto second = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(second["route"], "(unmatched)");
  EXPECT_EQ(second["status"], 404);
}

TEST(HttpServer, AccessLogKeepsWhatTheClientIsNotShown) {
  std::mutex mu;
  std::vector<std::string> lines;
  ServerOptions options;
  options.access_log = [&](std::string_view line) {
    std::lock_guard lock(mu);
    lines.emplace_back(line);
  };
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/boom", [](const Request&, const PathParams&) -> Response {
    throw std::runtime_error("disk full at /var/lib/portwarden");
  }));
  ASSERT_TRUE(r.add(Method::kGet, "/db", [](const Request& req, const PathParams&) {
    return error_response(core::Error(core::Code::kDataLoss, "page 7 checksum"), req.request_id);
  }));
  auto server = start_server(std::move(r), options);
  Seen boom = get(*server, "/boom");
  Seen db = get(*server, "/db");
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(boom.body.find("disk full"), std::string::npos);
  EXPECT_EQ(db.body.find("checksum"), std::string::npos);
  server->stop();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["note"],
            "handler threw: disk full at /var/lib/portwarden");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["note"], "page 7 checksum");
}

TEST(HttpServer, BindErrorNamesTheAddress) {
  auto first = start_server(test_router());
  ServerOptions options;
  options.port = first->port();
  HttpServer second(options, test_router());
  auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code(), core::Code::kUnavailable);
  EXPECT_NE(
      started.error().message().find("cannot bind 127.0.0.1 port " + std::to_string(first->port())),
      std::string::npos)
      << started.error().message();

  ServerOptions bad;
  bad.listen_address = "localhost";  // a name, not an address: no resolver inside start()
  HttpServer third(bad, Router{});
  EXPECT_EQ(third.start().error().code(), core::Code::kInvalidArgument);
}

TEST(HttpServer, StopLetsRequestsInFlightFinish) {
  Router r;
  std::atomic<int> entered{0};
  ASSERT_TRUE(r.add(Method::kGet, "/slow", [&](const Request&, const PathParams&) {
    entered.fetch_add(1);
    std::this_thread::sleep_for(500ms);
    return Response::text(200, "finished");
  }));
  auto server = start_server(std::move(r));
  const std::string target = url(*server, "/slow");
  pw::testing::RunResult result;
  std::thread client([&] { result = curl({"-i", target}); });
  while (entered.load() == 0) std::this_thread::sleep_for(5ms);
  // An idle kept-alive connection is closed by stop() at once, not after the idle timeout.
  RawClient idle(server->port());
  ASSERT_TRUE(idle.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(status_of(idle.read_response()), 200);

  const auto before = std::chrono::steady_clock::now();
  server->stop();
  const auto took = std::chrono::steady_clock::now() - before;
  client.join();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  Seen s = parse_curl_i(result.out);
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.body, "finished");
  EXPECT_EQ(s.header("connection"), "close");
  EXPECT_LT(took, 3s);
  idle.read_until_close(2s);
  EXPECT_TRUE(idle.closed());
  RawClient after(server->port());
  EXPECT_FALSE(after.connected());
  server->stop();  // idempotent
}

TEST(HttpServer, StopClosesRequestsThatOutliveTheGrace) {
  Router r;
  std::atomic<int> entered{0};
  ASSERT_TRUE(r.add(Method::kGet, "/slow", [&](const Request&, const PathParams&) {
    entered.fetch_add(1);
    std::this_thread::sleep_for(300ms);
    return Response::text(200, "late");
  }));
  ServerOptions options;
  options.shutdown_grace = 50ms;
  auto server = start_server(std::move(r), options);
  RawClient c(server->port());
  ASSERT_TRUE(c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  while (entered.load() == 0) std::this_thread::sleep_for(5ms);
  server->stop();  // the handler cannot be interrupted; its connection is closed after it
  c.read_until_close(2s);
  EXPECT_TRUE(c.closed());
}

}  // namespace
}  // namespace pw::http
