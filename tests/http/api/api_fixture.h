#pragma once
// The fixture of the REST API tests: a journal with the Rotterdam register, every service, the
// real HttpServer on a loopback port with the API's routes, accounts of every role (two
// vendors' technicians, two terminals' staff), and curl to call it. Every test ends with the
// journal verifying (TearDown).

#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "app/authz.h"
#include "app/gateway_service.h"
#include "app/grant_ca.h"
#include "app/ownership_service.h"
#include "http/api/api.h"
#include "support/test_support.h"

namespace pw::http::api {

using pw::testing::TempDir;

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

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = {(dir_ / "j.db").string(), (dir_ / "j.key").string()};
    ASSERT_TRUE(app::init_journal(paths_, "test.example/log", clock_));
    journal_ = std::move(*app::JournalService::open(paths_, clock_));
    reg_ = std::make_unique<app::RegisterService>(*journal_, clock_);
    const auto rotterdam = pw::testing::tests_dir().parent_path() / "examples" / "rotterdam";
    ASSERT_TRUE(reg_->import(rotterdam.string(), "test"));
    own_ = std::make_unique<app::OwnershipService>(*journal_, clock_, (dir_ / "blobs").string());
    const auto data = pw::testing::tests_dir().parent_path() / "data";
    app::AssessmentConfig ac;
    ac.countries_path = (data / "countries.toml").string();
    assess_ = std::make_unique<app::AssessmentService>(*journal_, *own_, *reg_, clock_, ac);
    app::AccessConfig xc;
    xc.access_policy_path = (data / "access-policy.toml").string();
    access_ = std::make_unique<app::AccessService>(*journal_, *reg_, clock_, xc);
    app::AuthOptions ao;
    ao.scrypt = {10, 8, 1};
    auth_ = std::make_unique<app::AuthService>(*journal_, clock_, *random_, ao);
    for (auto [user, person, role] :
         {std::tuple{"tech", "tech-nuctech-1", app::Role::kTechnician},
          std::tuple{"op", "operator-1", app::Role::kOperator},
          std::tuple{"sec", "security-officer-1", app::Role::kSecurityOfficer},
          std::tuple{"noord", "terminal-staff-noord", app::Role::kTerminal},
          std::tuple{"btech", "tech-borealis-2", app::Role::kTechnician},
          std::tuple{"zuid", "terminal-staff-zuid", app::Role::kTerminal},
          std::tuple{"aud", "", app::Role::kAuditor}, std::tuple{"adm", "", app::Role::kAdmin},
          std::tuple{"ana", "analyst-1", app::Role::kAnalyst},
          std::tuple{"gw", "", app::Role::kGateway}}) {
      ASSERT_TRUE(auth_->create_account(user, kPassword, person, {role}, "admin"));
    }
    ca_ = std::make_unique<app::GrantCa>(*journal_, *access_, *reg_, clock_,
                                         app::grant_ca_files(paths_.db));
    gateway_ = std::make_unique<app::GatewayService>(*journal_, *access_, *reg_, *ca_, clock_);
    services_ = std::make_unique<Services>(
        Services{*journal_, *reg_, *assess_, *access_, *auth_, clock_, *gateway_});
    Router router;
    ASSERT_TRUE(add_routes(router, *services_));
    routes_ = router.routes();
    ServerOptions o;
    o.threads = 2;
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
  Reply call(const std::string& method, const std::string& path, const std::string& user = "",
             const std::string& body = "", std::vector<std::string> extra = {}) {
    const std::string header_file = (dir_ / "headers.txt").string();
    std::vector<std::string> argv{"/usr/bin/curl",  "-s", "-X",       method, "-w",
                                  "\n%{http_code}", "-D", header_file};
    if (!user.empty()) {
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
  TempDir dir_;
  core::SystemClock clock_;
  std::unique_ptr<core::Random> random_ = core::make_seeded_random(3);
  app::JournalPaths paths_;
  std::unique_ptr<app::JournalService> journal_;
  std::unique_ptr<app::RegisterService> reg_;
  std::unique_ptr<app::OwnershipService> own_;
  std::unique_ptr<app::AssessmentService> assess_;
  std::unique_ptr<app::AccessService> access_;
  std::unique_ptr<app::AuthService> auth_;
  std::unique_ptr<app::GrantCa> ca_;
  std::unique_ptr<app::GatewayService> gateway_;
  std::unique_ptr<Services> services_;
  std::vector<Router::RouteInfo> routes_;
  std::unique_ptr<HttpServer> server_;
  std::map<std::string, std::string> csrf_;
};

}  // namespace pw::http::api
