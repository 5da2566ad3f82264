#pragma once
// The fixture of the REST API tests: the services of app::testing::ServiceStack (a journal with
// the Rotterdam register), authentication, the real HttpServer on a loopback port with the API's
// routes, accounts of every role (two vendors' technicians, two terminals' staff), and curl to
// call it. A derived fixture passes ApiOptions for fewer I/O threads, extra accounts, or users
// that call with a bearer token instead of a session. Every test ends with the journal verifying
// (TearDown).

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "app/authz.h"
#include "app/procurement_service.h"
#include "app/service_stack.h"
#include "http/api/api.h"
#include "support/test_support.h"

namespace pw::http::api {

// An id as one path segment: everything but unreserved characters percent-encoded (grant ids
// hold '#' and '>').
inline std::string enc(const std::string& id) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : id) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

inline std::string offset_hours(int h) {
  core::SystemClock c;
  return core::format_rfc3339({c.now().micros + std::int64_t{h} * 3'600'000'000});
}

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string raw;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// What a fixture derived from ApiTest changes.
struct ApiOptions {
  int threads = 2;  // the server's I/O threads
  // Accounts beyond the default ones: username, person (may be empty), role.
  std::vector<std::tuple<std::string, std::string, app::Role>> extra_accounts;
  // Users that call with a bearer token (issued for an hour with these scopes) instead of a
  // session cookie.
  std::map<std::string, std::vector<std::string>> tokens;
};

class ApiTest : public ::testing::Test, protected app::testing::ServiceStack<core::SystemClock> {
 protected:
  explicit ApiTest(ApiOptions options = {}) : options_(std::move(options)) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(build_services());
    app::AuthOptions ao;
    ao.scrypt = {10, 8, 1};
    auth_ = std::make_unique<app::AuthService>(*journal_, clock_, *random_, ao);
    std::vector<std::tuple<std::string, std::string, app::Role>> accounts = {
        {"tech", "tech-nuctech-1", app::Role::kTechnician},
        {"op", "operator-1", app::Role::kOperator},
        {"sec", "security-officer-1", app::Role::kSecurityOfficer},
        {"noord", "terminal-staff-noord", app::Role::kTerminal},
        {"btech", "tech-borealis-2", app::Role::kTechnician},
        {"zuid", "terminal-staff-zuid", app::Role::kTerminal},
        {"aud", "", app::Role::kAuditor},
        {"adm", "", app::Role::kAdmin},
        {"ana", "analyst-1", app::Role::kAnalyst},
        {"gw", "", app::Role::kGateway},
        {"buy", "", app::Role::kBuyer}};
    accounts.insert(accounts.end(), options_.extra_accounts.begin(), options_.extra_accounts.end());
    for (const auto& [user, person, role] : accounts) {
      ASSERT_TRUE(auth_->create_account(user, kPassword, person, {role}, "admin"));
    }
    for (const auto& [user, scopes] : options_.tokens) {
      auto t = auth_->issue_token(user, scopes, std::chrono::hours(1), "admin");
      ASSERT_TRUE(t) << t.error().to_string();
      tokens_[user] = t->token;
    }
    procurement_ = std::make_unique<app::ProcurementService>(*journal_, *own_, *reg_, clock_);
    services_ = std::make_unique<Services>(Services{*journal_, *reg_, *assess_, *access_, *auth_,
                                                    clock_, *gateway_, procurement_.get()});
    Router router;
    ASSERT_TRUE(add_routes(router, *services_));
    routes_ = router.routes();
    ServerOptions o;
    o.threads = options_.threads;
    server_ = std::make_unique<HttpServer>(o, std::move(router));
    ASSERT_TRUE(server_->start());
  }
  void TearDown() override {
    if (server_) server_->stop();
    // Whatever a test did through the API, the journal still verifies.
    if (journal_) {
      auto v = journal_->verify({});
      ASSERT_TRUE(v) << v.error().to_string();
      EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front().what);
    }
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }
  // As `user`: with their bearer token if ApiOptions gave them one, else with their session
  // cookie and CSRF token (after login()). Safe to call from several threads at once. Status 0:
  // no answer at all; curl's own limit (40 s) is only a guard against a hang.
  Reply call(const std::string& method, const std::string& path, const std::string& user = "",
             const std::string& body = "", std::vector<std::string> extra = {}) {
    const std::string header_file =
        (dir_ / ("headers-" + std::to_string(calls_.fetch_add(1)) + ".txt")).string();
    std::vector<std::string> argv{"/usr/bin/curl", "-s", "--max-time",     "40", "-X",
                                  method,          "-w", "\n%{http_code}", "-D", header_file};
    if (auto token = tokens_.find(user); token != tokens_.end()) {
      argv.insert(argv.end(), {"-H", "Authorization: Bearer " + token->second});
    } else if (!user.empty()) {
      argv.push_back("-b");
      argv.push_back((dir_ / (user + ".cookies")).string());
      if (auto it = csrf_.find(user); it != csrf_.end()) {
        argv.push_back("-H");
        argv.push_back("X-CSRF-Token: " + it->second);
      }
    }
    if (!body.empty()) {
      argv.insert(argv.end(), {"-H", "Content-Type: application/json", "--data-binary", body});
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(url(path));
    auto r = pw::testing::run_process(argv);
    Reply out;
    const std::size_t nl = r.out.rfind('\n');
    if (nl == std::string::npos) return out;
    out.status = std::stoi(r.out.substr(nl + 1));
    out.raw = r.out.substr(0, nl);
    out.body = nlohmann::json::parse(out.raw, nullptr, false);
    std::ifstream headers(header_file);
    for (std::string line; std::getline(headers, line);) {
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
      out.headers[name] = value;
    }
    return out;
  }
  void login(const std::string& user) {
    auto r = pw::testing::run_process(
        {"/usr/bin/curl", "-s", "-c", (dir_ / (user + ".cookies")).string(), "-H",
         "Content-Type: application/json", "--data-binary",
         nlohmann::json{{"username", user}, {"password", kPassword}}.dump(), url("/v1/login")});
    auto j = nlohmann::json::parse(r.out);
    ASSERT_TRUE(j.contains("csrf")) << r.out;
    csrf_[user] = j["csrf"].get<std::string>();
  }

  static constexpr const char* kPassword = "a long enough password";
  ApiOptions options_;
  std::unique_ptr<core::Random> random_ = core::make_seeded_random(3);
  std::unique_ptr<app::AuthService> auth_;
  std::unique_ptr<app::ProcurementService> procurement_;
  std::unique_ptr<Services> services_;
  std::vector<Router::RouteInfo> routes_;
  std::unique_ptr<HttpServer> server_;
  std::map<std::string, std::string> csrf_;
  std::map<std::string, std::string> tokens_;  // user -> bearer token (ApiOptions::tokens)
  std::atomic<int> calls_{0};                  // names each call's header file
};

}  // namespace pw::http::api
