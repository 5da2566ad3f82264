// The gateway on its own, without a reachable control plane: start-up errors name the file, and
// with no lease nothing is admitted (fail closed from the first second).
#include <gtest/gtest.h>

#include <mutex>

#include "gateway/gateway.h"
#include "gateway/gateway_test_util.h"
#include "gateway/test_certs.h"

namespace pw::testing {
namespace {
namespace fs = std::filesystem;

class GatewayAlone : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"gw", "ca", "other"}) {
      auto r = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                            (dir_ / (std::string(name) + ".key")).string(), "-out",
                            (dir_ / (std::string(name) + ".crt")).string(), "-days", "2", "-subj",
                            std::string("/CN=") + name});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    ASSERT_TRUE(
        make_client_cert({.grant = "g-1"}, dir_ / "ca.crt", dir_ / "ca.key", dir_ / "client"));
    config_.id = "gw-test";
    config_.threads = 1;
    config_.tls_cert = dir_ / "gw.crt";
    config_.tls_key = dir_ / "gw.key";
    config_.grant_ca = dir_ / "ca.crt";
    config_.control_host = "127.0.0.1";
    config_.control_port = std::to_string(free_port());  // nothing listens there
    config_.control_ca = dir_ / "gw.crt";
    config_.recording_dir = dir_ / "rec";
    config_.heartbeat_interval = std::chrono::milliseconds(50);
  }

  gateway::EventLog log() {
    return [this](std::string_view line) {
      std::lock_guard lock(mu_);
      log_ += std::string(line) + "\n";
    };
  }
  std::string logged() {
    std::lock_guard lock(mu_);
    return log_;
  }

  TempDir dir_;
  gateway::GatewayConfig config_;
  std::mutex mu_;
  std::string log_;
};

TEST_F(GatewayAlone, StartRefusesBadTlsFilesNamingThem) {
  auto bad_key = config_;
  bad_key.tls_key = dir_ / "other.key";
  auto st = gateway::Gateway(bad_key, "t").start();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message().find("tls_key"), std::string::npos) << st.error().message();
  EXPECT_NE(st.error().message().find("mismatch"), std::string::npos) << st.error().message();

  auto bad_ca = config_;
  bad_ca.grant_ca = dir_ / "absent.crt";
  st = gateway::Gateway(bad_ca, "t").start();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message().find("grant_ca"), std::string::npos) << st.error().message();

  auto bad_listen = config_;
  bad_listen.listen_address = "not-an-address";
  st = gateway::Gateway(bad_listen, "t").start();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message().find("listen"), std::string::npos) << st.error().message();
}

TEST_F(GatewayAlone, WithoutALeaseNothingIsAdmitted) {
  gateway::Gateway gw(config_, "token", log());
  ASSERT_TRUE(gw.start());
  ASSERT_NE(gw.port(), 0);
  // The heartbeat fails (nothing listens at the control plane's address) ...
  ASSERT_TRUE(eventually([&] {
    return logged().find("gateway.control.error") != std::string::npos;
  })) << logged();
  // ... so a client with a certificate from the grant CA is refused, and gets nothing.
  auto r =
      run_process({"/usr/bin/openssl", "s_client", "-quiet", "-connect",
                   "127.0.0.1:" + std::to_string(gw.port()), "-servername", "scanner-05", "-cert",
                   (dir_ / "client.crt").string(), "-key", (dir_ / "client.key").string()},
                  "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(eventually([&] { return logged().find("no lease") != std::string::npos; }))
      << logged();
  EXPECT_EQ(logged().find("gateway.session.opened"), std::string::npos);
  EXPECT_EQ(logged().find("gateway.lease.renewed"), std::string::npos);
  gw.stop();
  EXPECT_TRUE(!fs::exists(config_.recording_dir) || fs::is_empty(config_.recording_dir));
}

}  // namespace
}  // namespace pw::testing
