// Refusals that leak nothing, and fail closed when the control plane is gone (issue 6, Tests):
// every refused client gets no byte of the asset's HTTP upstream, whose page carries a marker;
// the same request with a valid grant certificate does get it (so each check can fail).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <thread>

#include "gateway/gateway_world.h"
#include "gateway/test_certs.h"

namespace pw::testing {
namespace {
namespace fs = std::filesystem;

const std::string kMarker = "UPSTREAM-SECRET-7f3a";
const std::string kRequest = "GET /page.html HTTP/1.0\r\nHost: asset\r\n\r\n";

// A world whose asset is an HTTP server serving page.html with the marker.
class GatewayRefusal : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(w_.dir() / "www");
    write_file(w_.dir() / "www" / "page.html", "<p>" + kMarker + "</p>\n");
    port_ = free_port();
    http_.start({"/usr/bin/python3", "-m", "http.server", std::to_string(port_), "--bind",
                 "127.0.0.1", "--directory", (w_.dir() / "www").string()},
                w_.dir() / "http.out", w_.dir() / "http.err");
    ASSERT_NO_FATAL_FAILURE(w_.build("127.0.0.1:" + std::to_string(port_)));
    ASSERT_NO_FATAL_FAILURE(w_.start_control_plane());
  }

  // openssl s_client through the gateway sending kRequest; what came back.
  RunResult fetch(const std::string& servername, const fs::path& crt, const fs::path& key) {
    auto a = w_.s_client(servername, false);
    if (!crt.empty()) a.insert(a.end(), {"-cert", crt.string(), "-key", key.string()});
    return run_process(a, kRequest);
  }
  RunResult fetch_granted() {
    return fetch(GatewayWorld::kAsset, w_.client_crt(), w_.client_key());
  }

  GatewayWorld w_;
  Child http_;
  std::uint16_t port_ = 0;
};

// A raw TCP connection to the gateway from `source` (a loopback address); -1 on failure.
int connect_from(const char* source, std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  inet_pton(AF_INET, source, &src.sin_addr);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Everything the gateway sends until it closes (or 30 s pass: then "TIMEOUT").
std::string read_until_closed(int fd) {
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string got;
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      got.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) got += "TIMEOUT";
    return got;
  }
}

TEST_F(GatewayRefusal, EveryBadClientIsRefusedAndGetsNothingFromTheAsset) {
  ASSERT_NO_FATAL_FAILURE(w_.start_gateway());
  auto good = fetch_granted();
  ASSERT_NE(good.out.find(kMarker), std::string::npos) << good.err << w_.log();

  // No client certificate.
  EXPECT_EQ(fetch(GatewayWorld::kAsset, "", "").out.find(kMarker), std::string::npos);
  // Expired, though signed by the grant CA for this grant and asset.
  const fs::path ca_key = w_.grant_ca().parent_path() / "grant-ca.key";
  CertSpec expired{.grant = w_.grant(), .not_before_seconds = -7200, .not_after_seconds = -3600};
  ASSERT_TRUE(make_client_cert(expired, w_.grant_ca(), ca_key, w_.dir() / "expired"));
  EXPECT_EQ(fetch(GatewayWorld::kAsset, w_.dir() / "expired.crt", w_.dir() / "expired.key")
                .out.find(kMarker),
            std::string::npos);
  // From another CA (self-signed), naming the right grant and asset.
  ASSERT_TRUE(make_client_cert({.grant = w_.grant()}, "", "", w_.dir() / "other-ca"));
  EXPECT_EQ(fetch(GatewayWorld::kAsset, w_.dir() / "other-ca.crt", w_.dir() / "other-ca.key")
                .out.find(kMarker),
            std::string::npos);
  // Signed by the grant CA, but never issued (another grant's name in it).
  ASSERT_TRUE(
      make_client_cert({.grant = "req-other#1"}, w_.grant_ca(), ca_key, w_.dir() / "forged"));
  EXPECT_EQ(fetch(GatewayWorld::kAsset, w_.dir() / "forged.crt", w_.dir() / "forged.key")
                .out.find(kMarker),
            std::string::npos);
  // The real grant certificate, for another asset (SNI).
  EXPECT_EQ(fetch("scanner-01", w_.client_crt(), w_.client_key()).out.find(kMarker),
            std::string::npos);
  // No SNI at all.
  {
    auto r = run_process({"/usr/bin/openssl", "s_client", "-quiet", "-noservername", "-connect",
                          "127.0.0.1:" + std::to_string(w_.gateway_port()), "-cert",
                          w_.client_crt().string(), "-key", w_.client_key().string()},
                         kRequest);
    EXPECT_EQ(r.out.find(kMarker), std::string::npos);
    EXPECT_NE(w_.log().find("TLS SNI missing"), std::string::npos) << r.err << w_.log();
  }
  // Garbage instead of a handshake: the gateway closes; nothing from the asset.
  {
    const int fd = connect_from("127.0.0.1", w_.gateway_port());
    ASSERT_GE(fd, 0);
    const std::string garbage = kRequest + std::string(512, '\x16');
    ASSERT_GT(send(fd, garbage.data(), garbage.size(), MSG_NOSIGNAL), 0);
    const std::string got = read_until_closed(fd);
    close(fd);
    EXPECT_EQ(got.find(kMarker), std::string::npos);
    EXPECT_EQ(got.find("TIMEOUT"), std::string::npos);
  }
  // A slow client that never finishes its handshake is cut (handshake_timeout_ms = 1000).
  {
    const int fd = connect_from("127.0.0.1", w_.gateway_port());
    ASSERT_GE(fd, 0);
    const std::string got = read_until_closed(fd);
    close(fd);
    EXPECT_EQ(got, "");
  }
  // Every refusal is logged with its reason; the last one may be written just after its socket
  // closed, so the count is awaited (a deadlock guard, not a timing claim).
  auto refused = [&] {
    int n = 0;
    for (const auto& e : w_.events("gateway.session.refused")) n += e.contains("reason");
    return n;
  };
  EXPECT_TRUE(eventually([&] { return refused() >= 8; })) << refused() << "\n" << w_.log();
  // The granted client still gets through after all that.
  EXPECT_NE(fetch_granted().out.find(kMarker), std::string::npos);
}

TEST_F(GatewayRefusal, AFloodFromOneAddressDoesNotKeepOthersOut) {
  ASSERT_NO_FATAL_FAILURE(w_.start_gateway());
  std::atomic<int> attempts{0};
  std::atomic<bool> stop{false};
  // 1,000+ connection attempts from 127.0.0.5 (bursts, as fast as the machine allows), while a
  // granted technician connects from 127.0.0.1.
  std::thread flood([&] {
    while (!stop.load() || attempts.load() < 1000) {
      const int fd = connect_from("127.0.0.5", w_.gateway_port());
      if (fd >= 0) {
        send(fd, "\x16\x03\x01", 3, MSG_NOSIGNAL);
        close(fd);
      }
      ++attempts;
    }
  });
  RunResult during;
  for (int i = 0; i < 3; ++i) during = fetch_granted();
  stop = true;
  flood.join();
  EXPECT_NE(during.out.find(kMarker), std::string::npos) << during.err << w_.log();
  bool limited = false;
  for (const auto& e : w_.events("gateway.session.refused")) {
    limited |= e.value("remote", "") == "127.0.0.5" &&
               e.value("reason", "").find("too many") != std::string::npos;
  }
  EXPECT_TRUE(limited) << w_.log();
}

TEST_F(GatewayRefusal, ControlPlaneGoneClosesSessionsAndAdmitsNoneUntilItIsBack) {
  ASSERT_NO_FATAL_FAILURE(
      w_.start_gateway("lease_timeout_ms = 1500\nheartbeat_interval_ms = 100\n"
                       "control_timeout_ms = 500\n"));
  // A session that stays open (its stdin stays open).
  Child session;
  session.start(w_.s_client(GatewayWorld::kAsset), w_.dir() / "s.out", w_.dir() / "s.err", true);
  ASSERT_TRUE(eventually([&] { return !w_.events("gateway.session.opened").empty(); }))
      << session.err() << w_.log();
  const std::uint16_t control_port = w_.control_port();
  w_.stop_control_plane();
  EXPECT_TRUE(eventually([&] { return !session.running(); })) << w_.log();
  EXPECT_FALSE(w_.events("gateway.lease.lost").empty()) << w_.log();
  // Closed for the lease (reported once the close request gave up on the control plane).
  EXPECT_TRUE(eventually([&] {
    for (const auto& e : w_.events("gateway.session.closed")) {
      if (e.value("reason", "").starts_with("lease lost")) return true;
    }
    return false;
  })) << w_.log();
  EXPECT_EQ(fetch_granted().out.find(kMarker), std::string::npos);

  const std::string id = w_.events("gateway.session.opened").front().value("session", "");

  // The control plane returns on the same address: admission resumes.
  ASSERT_NO_FATAL_FAILURE(w_.start_control_plane(control_port));
  EXPECT_TRUE(eventually([&] { return fetch_granted().out.find(kMarker) != std::string::npos; }))
      << w_.log();
  // The close the gateway could not report while the control plane was away is sent again:
  // the journal gets the lease-lost cut with its reason, and the recording its signature.
  EXPECT_TRUE(eventually([&] {
    for (const auto& e : w_.events("gateway.session.close_reported")) {
      if (e.value("session", "") == id) return e.value("signed", false);
    }
    return false;
  })) << w_.log();
  bool journaled = false;
  for (const auto& e : w_.journal("gateway.session.closed")) {
    if (e.value("session", "") == id && e.value("reason", "").starts_with("lease lost")) {
      journaled = e.value("manifest_sha256", "").size() == 64;
    }
  }
  EXPECT_TRUE(journaled) << w_.log();
}

}  // namespace
}  // namespace pw::testing
