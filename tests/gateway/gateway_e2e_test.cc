// The gateway end to end with real programs on loopback (issue 6, Tests): `portwarden serve` as
// the control plane with the Rotterdam scenario, `portwarden gateway`, a real sshd and an HTTP
// server as the asset's maintenance endpoint, and ssh, curl and openssl s_client as clients.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <pwd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "app/keys.h"
#include "core/bytes.h"
#include "core/crypto.h"
#include "formats/byte_source.h"
#include "formats/recording/recording.h"
#include "gateway/gateway_world.h"
#include "gateway/test_certs.h"

namespace pw::testing {
namespace {
namespace fs = std::filesystem;

// A real sshd on a loopback port with its own host key and authorized_keys in `dir`.
class Sshd {
 public:
  // False (with the reason in `why`) if sshd cannot run here.
  bool start(const fs::path& dir, std::string& why) {
    fs::create_directories(dir);
    if (!fs::exists("/usr/sbin/sshd")) {
      why = "no /usr/sbin/sshd";
      return false;
    }
    std::error_code ec;
    fs::create_directories("/run/sshd", ec);  // sshd's privilege-separation directory
    for (const char* k : {"host_key", "client_key"}) {
      auto r = run_process(
          {"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", (dir / k).string()});
      if (r.exit_code != 0) {
        why = "ssh-keygen: " + r.err;
        return false;
      }
    }
    fs::copy_file(dir / "client_key.pub", dir / "authorized_keys");
    port_ = free_port();
    write_file(dir / "sshd_config",
               "Port " + std::to_string(port_) + "\nListenAddress 127.0.0.1\nHostKey " +
                   (dir / "host_key").string() + "\nAuthorizedKeysFile " +
                   (dir / "authorized_keys").string() + "\nPidFile " + (dir / "sshd.pid").string() +
                   "\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
                   "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n");
    key_ = dir / "client_key";
    child_.start({"/usr/sbin/sshd", "-D", "-e", "-f", (dir / "sshd_config").string()},
                 dir / "sshd.out", dir / "sshd.err");
    if (!eventually([&] { return child_.err().find("Server listening") != std::string::npos; })) {
      why = "sshd did not start: " + child_.err();
      return false;
    }
    return true;
  }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

  // ssh through the gateway: ProxyCommand openssl s_client ...
  std::vector<std::string> ssh(const std::vector<std::string>& s_client,
                               const std::string& command) const {
    std::string proxy;
    for (const auto& a : s_client) proxy += (proxy.empty() ? "" : " ") + a;
    const passwd* pw = getpwuid(getuid());
    const std::string user = pw ? pw->pw_name : "root";
    return {"/usr/bin/ssh",
            "-F",
            "/dev/null",
            "-i",
            key_.string(),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "ProxyCommand=" + proxy,
            user + "@" + GatewayWorld::kAsset,
            command};
  }

 private:
  Child child_;
  std::uint16_t port_ = 0;
  fs::path key_;
};

// python3's http.server over a folder, on a loopback port.
class HttpUpstream {
 public:
  void start(const fs::path& root, const fs::path& logs) {
    port_ = free_port();
    child_.start({"/usr/bin/python3", "-m", "http.server", std::to_string(port_), "--bind",
                  "127.0.0.1", "--directory", root.string()},
                 logs / "http.out", logs / "http.err");
    ASSERT_TRUE(eventually([&] {
      return run_process({"/usr/bin/curl", "-s", "-o", "/dev/null", "http://" + endpoint() + "/"})
                 .exit_code == 0;
    }));
  }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  Child child_;
  std::uint16_t port_ = 0;
};

const std::string kMarker = "UPSTREAM-SECRET-7f3a";

// curl through the gateway to the asset's HTTP upstream, with the given client certificate.
RunResult curl_via(const GatewayWorld& w, const std::string& path, const fs::path& out,
                   const fs::path& crt, const fs::path& key) {
  const std::string port = std::to_string(w.gateway_port());
  std::vector<std::string> a{"/usr/bin/curl",
                             "-sS",
                             "--fail",
                             "--max-time",
                             "60",
                             "--cacert",
                             (w.dir() / "gw.crt").string(),
                             "--resolve",
                             std::string(GatewayWorld::kAsset) + ":" + port + ":127.0.0.1",
                             "-o",
                             out.string()};
  if (!crt.empty()) a.insert(a.end(), {"--cert", crt.string(), "--key", key.string()});
  a.push_back("https://" + std::string(GatewayWorld::kAsset) + ":" + port + path);
  return run_process(a);
}

std::string sha256_file(const fs::path& p) {
  return core::to_hex(core::sha256(read_file(p)));
}

TEST(GatewayEndToEnd, SshRunsACommandWithAGrantIsRefusedWithoutAndIsCutOnSuspension) {
  GatewayWorld w;
  Sshd sshd;
  std::string why;
  if (!sshd.start(w.dir() / "sshd", why)) GTEST_SKIP() << why;
  ASSERT_NO_FATAL_FAILURE(w.build(sshd.endpoint()));
  ASSERT_NO_FATAL_FAILURE(w.start_control_plane());
  ASSERT_NO_FATAL_FAILURE(w.start_gateway());

  auto r = run_process(sshd.ssh(w.s_client(GatewayWorld::kAsset), "echo via-gateway-$((6*7))"));
  EXPECT_EQ(r.exit_code, 0) << r.err << "\n" << w.log();
  EXPECT_NE(r.out.find("via-gateway-42"), std::string::npos) << r.out << r.err;

  // Without a client certificate: no session, the command never runs.
  r = run_process(sshd.ssh(w.s_client(GatewayWorld::kAsset, false), "echo via-gateway-$((6*7))"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out.find("via-gateway-42"), std::string::npos);

  // A long session, then the kill switch on the vendor: the session ends.
  Child session;
  session.start(sshd.ssh(w.s_client(GatewayWorld::kAsset), "echo started; sleep 600"),
                w.dir() / "session.out", w.dir() / "session.err");
  ASSERT_TRUE(eventually([&] { return session.out().find("started") != std::string::npos; }))
      << session.err() << w.log();
  auto s =
      w.api_post("/v1/suspensions", R"({"id":"susp-gw-1","scope":"vendor","subject":"borealis",)"
                                    R"("reason":"test: suspected compromise","confirmed":true})");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_TRUE(eventually([&] { return !session.running(); })) << w.log();
  // The close is reported once the control plane answered it.
  EXPECT_TRUE(eventually([&] {
    for (const auto& e : w.events("gateway.session.closed")) {
      if (e.value("reason", "").starts_with("killed")) return true;
    }
    return false;
  })) << w.log();
  // And no new session for the suspended vendor.
  r = run_process(sshd.ssh(w.s_client(GatewayWorld::kAsset), "echo via-gateway-$((6*7))"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out.find("via-gateway-42"), std::string::npos);
}

TEST(GatewayEndToEnd, LargeHttpTransferArrivesIntactAndItsRecordingVerifies) {
  GatewayWorld w;
  HttpUpstream http;
  const fs::path www = w.dir() / "www";
  fs::create_directories(www);
  // 256 MiB (the 1 GiB transfer is in the benchmark). PW_GATEWAY_TEST_MIB overrides it.
  int mib = 256;
  if (const char* e = std::getenv("PW_GATEWAY_TEST_MIB")) mib = std::max(1, std::atoi(e));
  {
    std::string block(1 << 20, '\0');
    std::ofstream f(www / "big.bin", std::ios::binary);
    for (int i = 0; i < mib; ++i) {
      for (std::size_t j = 0; j < block.size(); j += 8) {
        const std::uint64_t v = (static_cast<std::uint64_t>(i) << 32 | j) * 0x9E3779B97F4A7C15ull;
        std::memcpy(&block[j], &v, 8);
      }
      f.write(block.data(), static_cast<std::streamsize>(block.size()));
    }
  }
  ASSERT_NO_FATAL_FAILURE(http.start(www, w.dir().path()));
  ASSERT_NO_FATAL_FAILURE(w.build(http.endpoint()));
  ASSERT_NO_FATAL_FAILURE(w.start_control_plane());
  ASSERT_NO_FATAL_FAILURE(w.start_gateway());

  auto r = curl_via(w, "/big.bin", w.dir() / "got.bin", w.client_crt(), w.client_key());
  ASSERT_EQ(r.exit_code, 0) << r.err << w.log();
  EXPECT_EQ(sha256_file(w.dir() / "got.bin"), sha256_file(www / "big.bin"));

  // The session's recording: closed, signed by the journal's key, and it verifies.
  ASSERT_TRUE(eventually([&] { return !w.events("gateway.session.closed").empty(); })) << w.log();
  const auto closed = w.events("gateway.session.closed").front();
  EXPECT_TRUE(closed.value("signed", false)) << closed.dump();
  const fs::path file = w.dir() / closed.value("recording", "");
  auto signer = app::load_key_file((w.dir() / "j.key").string());
  ASSERT_TRUE(signer) << signer.error().to_string();
  formats::recording::VerifyOptions options;
  const auto v = signer->verifier();
  options.key = formats::recording::RecordingKey{v.name, v.key_id, v.key};
  std::uint64_t down = 0;
  options.on_frame = [&](formats::recording::Direction d, core::Timestamp, core::ByteView b) {
    if (d == formats::recording::Direction::kDown) down += b.size();
    return core::ok();
  };
  {
    auto in = formats::FileByteSource::open(file.string());
    ASSERT_TRUE(in) << in.error().to_string();
    auto report = formats::recording::verify_recording(**in, options);
    ASSERT_TRUE(report) << report.error().to_string();
    EXPECT_EQ(report->info.asset, GatewayWorld::kAsset);
    EXPECT_EQ(report->info.grant, w.grant());
    EXPECT_GT(down, static_cast<std::uint64_t>(mib) << 20);  // the file and the HTTP headers
    EXPECT_EQ(core::to_hex(report->manifest_sha256), closed.value("manifest_sha256", ""));
  }
  // A flipped byte in the middle is detected.
  std::string bytes = read_file(file);
  bytes[bytes.size() / 2] ^= 0x01;
  write_file(w.dir() / "flipped.pwrec", bytes);
  auto in = formats::FileByteSource::open((w.dir() / "flipped.pwrec").string());
  ASSERT_TRUE(in);
  options.on_frame = nullptr;
  EXPECT_FALSE(formats::recording::verify_recording(**in, options));
}

TEST(GatewayEndToEnd, SessionEndsWithTheGrantWindow) {
  GatewayWorld w;
  HttpUpstream http;
  fs::create_directories(w.dir() / "www");
  ASSERT_NO_FATAL_FAILURE(http.start(w.dir() / "www", w.dir().path()));
  // A grant whose window closes 20 s from now (time for the set-up below).
  ASSERT_NO_FATAL_FAILURE(w.build(http.endpoint(), 20.0 / 3600));
  ASSERT_NO_FATAL_FAILURE(w.start_control_plane());
  ASSERT_NO_FATAL_FAILURE(w.start_gateway());
  // A session that would stay open (stdin open, the HTTP server waits for a request).
  Child session;
  session.start(w.s_client(GatewayWorld::kAsset), w.dir() / "s.out", w.dir() / "s.err", true);
  ASSERT_TRUE(eventually([&] { return !w.events("gateway.session.opened").empty(); }))
      << session.err() << w.log();
  // It ends with the window: by the gateway's own timer, or the control plane's order, whichever
  // comes first.
  EXPECT_TRUE(eventually([&] { return !session.running(); }, std::chrono::seconds(60))) << w.log();
  EXPECT_TRUE(eventually([&] {
    for (const auto& e : w.events("gateway.session.closed")) {
      const std::string reason = e.value("reason", "");
      if (reason == "grant window ended" || reason.starts_with("killed")) return true;
    }
    return false;
  })) << w.log();
}

}  // namespace
}  // namespace pw::testing
