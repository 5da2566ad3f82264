#pragma once
// The world of a gateway end-to-end test, all real programs on loopback in one temp dir:
// a journal with the Rotterdam scenario whose scanner-05 (Borealis, remote-capable) has its
// maintenance endpoint at the test's upstream, Borealis assessed at medium risk, an open software
// fault, an approved remote grant for tech-borealis-2 and its client certificate from the grant
// CA; `portwarden serve` over TLS as the control plane; `portwarden gateway` in front of it.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "gateway/gateway_test_util.h"

namespace pw::testing {

inline std::string rfc3339_in_hours(double hours) {
  return core::format_rfc3339(
      {core::SystemClock().now().micros + static_cast<std::int64_t>(hours * 3'600'000'000.0)});
}

class GatewayWorld {
 public:
  static constexpr const char* kAsset = "scanner-05";

  // Sets up everything up to (not including) starting serve and the gateway. `upstream` is
  // the asset's maintenance endpoint ("127.0.0.1:PORT").
  // The grant's window runs from now for `grant_hours`.
  void build(const std::string& upstream, double grant_hours = 2) {
    namespace fs = std::filesystem;
    const fs::path rotterdam = tests_dir().parent_path() / "examples" / "rotterdam";
    fs::copy(rotterdam, dir_ / "rotterdam", fs::copy_options::recursive);
    std::string assets = read_file(dir_ / "rotterdam" / "assets.toml");
    const std::string old_endpoint = "10.20.1.15:8443";  // scanner-05's
    const auto at = assets.find(old_endpoint);
    ASSERT_NE(at, std::string::npos);
    assets.replace(at, old_endpoint.size(), upstream);
    write_file(dir_ / "rotterdam" / "assets.toml", assets);
    std::ofstream(dir_ / "rotterdam" / "faults.toml", std::ios::app)
        << "\n[[fault]]\nid = \"fault-gw-1\"\nasset = \"scanner-05\"\nreported = \""
        << rfc3339_in_hours(-1) << "\"\ncategory = \"software\"\n";

    ok({"init", "--origin", "test.example/log", "--tls"});
    ok({"inventory", "import", (dir_ / "rotterdam").string()});
    ok({"assess", "start", "borealis", "--as", "analyst-1"});
    for (auto [criterion, answer] : std::vector<std::pair<const char*, const char*>>{
             {"1", "no"}, {"2", "no"}, {"3a", "yes"}, {"3b", "yes"}}) {
      ok({"assess", "judge", "borealis", "--as", "analyst-1", "--criterion", criterion, "--answer",
          answer, "--judgement", "reviewed"});
    }
    ok({"assess", "sign", "borealis", "--as", "analyst-2"});
    grant_ = request_grant("req-gw-1", grant_hours);
    // Accounts: the gateway (role gateway) and an operator, each with an API token.
    gateway_token_ = account_token("rmgw-1", "gateway", "");
    operator_token_ = account_token("op", "operator", "operator-1");
    write_file(dir_ / "gateway.token", gateway_token_ + "\n");
    // The gateway's own TLS certificate (names the asset, so curl can check it by name).
    run_ok({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-keyout", (dir_ / "gw.key").string(), "-out",
            (dir_ / "gw.crt").string(), "-days", "2", "-subj", "/CN=gateway", "-addext",
            std::string("subjectAltName=DNS:") + kAsset + ",DNS:localhost"});
  }

  // Requests and approves a remote grant for tech-borealis-2 on scanner-05; returns the grant id.
  std::string request_grant(const std::string& request_id, double hours) {
    ok({"request", "remote", "--as", "tech-borealis-2", "--asset", kAsset, "--fault", "fault-gw-1",
        "--from", rfc3339_in_hours(0), "--to", rfc3339_in_hours(hours), "--id", request_id});
    ok({"approve", request_id, "--as", "operator-1"});
    auto r = ok({"--json", "access", "status"});
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    if (j.is_object() && j["grants"].is_array()) {
      for (const auto& g : j["grants"]) {
        if (g.value("request", "") == request_id) return g.value("id", "");
      }
    }
    ADD_FAILURE() << "no grant for " << request_id << " in: " << r.out;
    return "";
  }

  // Gets a client certificate (and its generated key) for `grant` from the control plane's API
  // as the operator (POST /v1/grants/{id}/certificate), into `out`.crt and `out`.key.
  void client_cert(const std::string& grant, const std::filesystem::path& out) {
    std::string escaped;
    for (char c : grant) escaped += c == '#' ? std::string("%23") : std::string(1, c);
    auto r = api_post("/v1/grants/" + escaped + "/certificate", "");
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_TRUE(j.is_object() && j.contains("certificate") && j.contains("key")) << r.out << r.err;
    client_crt_ = out.string() + ".crt";
    client_key_ = out.string() + ".key";
    write_file(client_crt_, j["certificate"].get<std::string>());
    write_file(client_key_, j["key"].get<std::string>());
  }

  void start_control_plane(std::uint16_t port = 0) {
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    serve_ = std::make_unique<Child>();
    serve_->start(
        {portwarden_binary(), "--db", db(), "serve", "--listen", listen, "--tls-cert",
         (dir_ / "j-tls.crt").string(), "--tls-key", (dir_ / "j-tls.key").string(), "--quiet"},
        dir_ / "serve.out", dir_ / "serve.err");
    ASSERT_TRUE(eventually([&] { return serve_->out().find("listening on") != std::string::npos; }))
        << serve_->err();
    control_port_ = last_port(serve_->out());
    ASSERT_NE(control_port_, 0) << serve_->out();
    if (client_crt_.empty()) client_cert(grant_, dir_ / "client");
  }
  void stop_control_plane() { serve_->stop(); }

  // `file_size_limit`: RLIMIT_FSIZE of the gateway process (0: none).
  void start_gateway(const std::string& extra_config = "", std::uint64_t file_size_limit = 0) {
    const std::string config =
        "id = \"rmgw-1\"\nlisten = \"127.0.0.1:0\"\nthreads = 2\n"
        "tls_cert = \"gw.crt\"\ntls_key = \"gw.key\"\n"
        "grant_ca = \"" +
        grant_ca().string() +
        "\"\n"
        "control_url = \"https://127.0.0.1:" +
        std::to_string(control_port_) +
        "\"\ncontrol_ca = \"j-tls.crt\"\ntoken_file = \"gateway.token\"\n"
        "recording_dir = \"recordings\"\nhandshake_timeout_ms = 1000\n" +
        extra_config;
    write_file(dir_ / "gateway.toml", config);
    gateway_ = std::make_unique<Child>();
    gateway_->limit_file_size(file_size_limit);
    gateway_->start({portwarden_binary(), "gateway", "--config", (dir_ / "gateway.toml").string()},
                    dir_ / "gateway.out", dir_ / "gateway.err");
    ASSERT_TRUE(eventually([&] {
      return gateway_->out().find("listening on") != std::string::npos;
    })) << gateway_->err();
    gateway_port_ = last_port(gateway_->out());
    ASSERT_NE(gateway_port_, 0) << gateway_->out();
    // Admission starts with the first confirmed heartbeat.
    ASSERT_TRUE(eventually([&] {
      return log().find("gateway.lease.renewed") != std::string::npos;
    })) << log();
  }

  // The gateway's event log (JSON lines).
  std::string log() const { return gateway_ ? gateway_->err() : ""; }
  std::vector<nlohmann::json> events(const std::string& name) const {
    std::vector<nlohmann::json> out;
    std::istringstream in(log());
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("event", "") == name) out.push_back(std::move(j));
    }
    return out;
  }

  // The journal's entries of `type` (their payloads, with "actor" added), read through
  // `portwarden journal export` (the control plane may be running).
  std::vector<nlohmann::json> journal(const std::string& type) {
    const std::filesystem::path out = dir_ / ("export-" + std::to_string(++exports_));
    ok({"journal", "export", out.string()});
    std::vector<nlohmann::json> found;
    std::istringstream in(Child::read_or_empty(out / "entries.jsonl"));
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) continue;
      const nlohmann::json& e = j.contains("event") ? j["event"] : j;
      if (e.value("type", "") != type) continue;
      nlohmann::json p = e.value("payload", nlohmann::json::object());
      p["actor"] = e.value("actor", "");
      found.push_back(std::move(p));
    }
    return found;
  }

  // The ProxyCommand / client arguments of `openssl s_client` through the gateway.
  std::vector<std::string> s_client(const std::string& servername, bool with_cert = true) const {
    std::vector<std::string> a{"/usr/bin/openssl",
                               "s_client",
                               "-quiet",
                               "-connect",
                               "127.0.0.1:" + std::to_string(gateway_port_),
                               "-servername",
                               servername,
                               "-CAfile",
                               (dir_ / "gw.crt").string()};
    if (with_cert) {
      a.insert(a.end(), {"-cert", client_crt_.string(), "-key", client_key_.string()});
    }
    return a;
  }

  // POST to the control plane's API as the operator.
  RunResult api_post(const std::string& path, const std::string& body) const {
    return run_process({"/usr/bin/curl", "-sS", "--cacert", (dir_ / "j-tls.crt").string(), "-H",
                        "Authorization: Bearer " + operator_token_, "-H",
                        "Content-Type: application/json", "--data-binary", body,
                        "https://127.0.0.1:" + std::to_string(control_port_) + path});
  }

  RunResult ok(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db()});
    auto r = run_portwarden(args);
    EXPECT_EQ(r.exit_code, 0) << "portwarden " << args[2] << ": " << r.err << r.out;
    return r;
  }
  RunResult run_ok(const std::vector<std::string>& argv) {
    auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 0) << argv[0] << ": " << r.err << r.out;
    return r;
  }

  std::string db() const { return (dir_ / "j.db").string(); }
  std::filesystem::path grant_ca() const { return dir_ / "ca" / "grant-ca.crt"; }
  const TempDir& dir() const { return dir_; }
  const std::string& grant() const { return grant_; }
  const std::filesystem::path& client_crt() const { return client_crt_; }
  const std::filesystem::path& client_key() const { return client_key_; }
  std::uint16_t gateway_port() const { return gateway_port_; }
  std::uint16_t control_port() const { return control_port_; }
  Child& gateway() { return *gateway_; }

 private:
  // The port at the end of the first line ("... listening on https://127.0.0.1:PORT").
  static std::uint16_t last_port(const std::string& text) {
    const std::string line = text.substr(0, text.find('\n'));
    const auto colon = line.rfind(':');
    if (colon == std::string::npos) return 0;
    try {
      return static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    } catch (const std::exception&) {
      return 0;
    }
  }

  std::string account_token(const std::string& user, const std::string& role,
                            const std::string& person) {
    std::vector<std::string> create{"account", "create", user, "--role", role};
    if (!person.empty()) create.insert(create.end(), {"--person", person});
    ok(create);
    auto r = ok({"--json", "account", "token", user});
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_object() && j.contains("token")) << r.out;
    return j.is_object() ? j.value("token", "") : "";
  }

  TempDir dir_;
  std::string grant_, gateway_token_, operator_token_;
  std::filesystem::path client_crt_, client_key_;
  std::unique_ptr<Child> serve_, gateway_;
  std::uint16_t control_port_ = 0, gateway_port_ = 0;
  int exports_ = 0;
};

}  // namespace pw::testing
