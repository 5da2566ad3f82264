// Fail closed on the wire, journaled (issue 6, Deliver 3 and 4): a live session whose
// recording can no longer be written is cut, and every cut -- the recording's failure, an
// operator's kill, a vendor's suspension -- leaves its who/what/why in the journal. Real
// programs on loopback: `portwarden serve`, `portwarden gateway`, openssl s_client, Python
// upstreams.
#include <gtest/gtest.h>

#include <string>

#include "gateway/gateway_world.h"

namespace pw::testing {
namespace {
namespace fs = std::filesystem;

// An asset that, to each connection, streams bytes until the connection breaks: a session
// through it ends only when somebody cuts it.
class EndlessUpstream {
 public:
  void start(const fs::path& logs) {
    port_ = free_port();
    const std::string script =
        "import os, socket, sys, threading\n"
        "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        "s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(16)\n"
        "block = os.urandom(1 << 16)\n"
        "def serve(c):\n"
        "    try:\n"
        "        while True: c.sendall(block)\n"
        "    except OSError: pass\n"
        "    c.close()\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    c, _ = s.accept()\n"
        "    threading.Thread(target=serve, args=(c,), daemon=True).start()\n";
    write_file(logs / "endless.py", script);
    child_.start({"/usr/bin/python3", (logs / "endless.py").string(), std::to_string(port_)},
                 logs / "endless.out", logs / "endless.err");
    ASSERT_TRUE(eventually([&] { return child_.out().find("ready") != std::string::npos; }))
        << child_.err();
  }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  Child child_;
  std::uint16_t port_ = 0;
};

std::uint64_t size_of(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

const nlohmann::json* find_session(const std::vector<nlohmann::json>& v, const std::string& id) {
  for (const auto& e : v) {
    if (e.value("session", "") == id) return &e;
  }
  return nullptr;
}

TEST(GatewayFailClosed, ARecordingWriteErrorCutsTheLiveSessionAndIsJournaled) {
  GatewayWorld w;
  EndlessUpstream asset;
  ASSERT_NO_FATAL_FAILURE(asset.start(w.dir().path()));
  ASSERT_NO_FATAL_FAILURE(w.build(asset.endpoint()));
  ASSERT_NO_FATAL_FAILURE(w.start_control_plane());
  // The gateway may write no file beyond 4 MiB: the recording "disk" fills after about 4 MiB
  // of the stream (its event log stays far below that).
  constexpr std::uint64_t kLimit = 4u << 20;
  ASSERT_NO_FATAL_FAILURE(w.start_gateway("", kLimit));

  // The client reads whatever comes, for as long as it comes.
  Child client;
  const fs::path got = w.dir() / "client.bin";
  client.start(w.s_client(GatewayWorld::kAsset), got, w.dir() / "client.err");
  ASSERT_TRUE(eventually([&] { return !w.events("gateway.session.opened").empty(); }))
      << client.err() << w.log();
  const std::string session = w.events("gateway.session.opened").front().value("session", "");
  // The stream is endless, so only the cut ends the session: the client sees its end.
  ASSERT_TRUE(eventually([&] { return !client.running(); })) << w.log();
  EXPECT_TRUE(w.gateway().running()) << "the write error cut one session, not the gateway";

  ASSERT_TRUE(eventually([&] { return !w.events("gateway.session.closed").empty(); })) << w.log();
  const nlohmann::json closed = w.events("gateway.session.closed").front();
  EXPECT_EQ(closed.value("session", ""), session);
  EXPECT_TRUE(closed.value("reason", "").starts_with("recording failed: ")) << closed.dump();
  EXPECT_NE(closed.value("recording_error", "").find("File too large"), std::string::npos)
      << closed.dump();
  EXPECT_EQ(closed.value("manifest_sha256", "x"), "");
  EXPECT_FALSE(closed.value("signed", true));
  // The client got bytes while the session lived, and not one byte more than the gateway
  // counted before the cut; what went out unrecorded is bounded by the buffers in flight (the
  // down ring, 4 x 256 KiB, and the chunk being written).
  const std::uint64_t received = size_of(got);
  EXPECT_GT(received, 0u) << client.err();
  EXPECT_LE(received, closed.value("bytes_down", std::uint64_t{0}));
  EXPECT_LE(received, kLimit + (2u << 20)) << "the stream went on after the write error";

  // The journal has the close with its reason and the recording's error.
  std::vector<nlohmann::json> journaled;
  ASSERT_TRUE(eventually([&] {
    journaled = w.journal("gateway.session.closed");
    return find_session(journaled, session) != nullptr;
  })) << w.log();
  const nlohmann::json& j = *find_session(journaled, session);
  EXPECT_TRUE(j.value("reason", "").starts_with("recording failed: ")) << j.dump();
  EXPECT_NE(j.value("recording_error", "").find("File too large"), std::string::npos) << j.dump();
  EXPECT_EQ(j.value("manifest_sha256", "x"), "");
  EXPECT_EQ(j.value("actor", ""), "gateway:rmgw-1");
  EXPECT_EQ(j.value("person", ""), "tech-borealis-2");
  EXPECT_EQ(j.value("asset", ""), GatewayWorld::kAsset);

  // The recording file keeps what was written, ends where the writing failed (inside a chunk
  // or after one) and has no manifest: verify says it is incomplete.
  const fs::path file = w.dir() / "recordings" / (session + ".pwrec");
  ASSERT_TRUE(fs::exists(file));
  EXPECT_LE(size_of(file), kLimit);
  auto v = run_portwarden({"--db", w.db(), "recording", "verify", file.string()});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  const std::string said = v.out + v.err;
  EXPECT_TRUE(said.find("INVALID: recording is truncated") != std::string::npos ||
              said.find("without a manifest") != std::string::npos)
      << said;
}

TEST(GatewayFailClosed, OperatorKillsAndSuspensionsAreJournaledWithWhoAndWhy) {
  GatewayWorld w;
  EndlessUpstream asset;
  ASSERT_NO_FATAL_FAILURE(asset.start(w.dir().path()));
  ASSERT_NO_FATAL_FAILURE(w.build(asset.endpoint()));
  ASSERT_NO_FATAL_FAILURE(w.start_control_plane());
  ASSERT_NO_FATAL_FAILURE(w.start_gateway());
  // Two live sessions (their bytes go nowhere: the clients' output is /dev/null).
  Child first, second;
  first.start(w.s_client(GatewayWorld::kAsset), "/dev/null", w.dir() / "first.err");
  ASSERT_TRUE(eventually([&] { return w.events("gateway.session.opened").size() == 1; }))
      << w.log();
  second.start(w.s_client(GatewayWorld::kAsset), "/dev/null", w.dir() / "second.err");
  ASSERT_TRUE(eventually([&] { return w.events("gateway.session.opened").size() == 2; }))
      << w.log();
  const std::string a = w.events("gateway.session.opened")[0].value("session", "");
  const std::string b = w.events("gateway.session.opened")[1].value("session", "");

  // The operator kills the first.
  auto k = w.api_post("/v1/sessions/" + a + "/kill", R"({"reason":"test: looks odd"})");
  ASSERT_EQ(k.exit_code, 0) << k.err;
  EXPECT_TRUE(eventually([&] { return !first.running(); })) << w.log();
  EXPECT_TRUE(second.running());
  // The vendor is suspended: the second goes too.
  auto s =
      w.api_post("/v1/suspensions", R"({"id":"susp-gw-9","scope":"vendor","subject":"borealis",)"
                                    R"("reason":"test: suspected compromise","confirmed":true})");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_TRUE(eventually([&] { return !second.running(); })) << w.log();

  // Journal: the operator's request (who: the operator), the control plane's orders (cause and
  // reason, with the session's person, vendor, asset and grant) and the gateway's closes.
  std::vector<nlohmann::json> closed;
  ASSERT_TRUE(eventually([&] {
    closed = w.journal("gateway.session.closed");
    return find_session(closed, a) && find_session(closed, b);
  })) << w.log();
  const auto requested = w.journal("gateway.session.kill_requested");
  ASSERT_TRUE(find_session(requested, a));
  // The operator's account acts as its person (operator-1).
  EXPECT_EQ(find_session(requested, a)->value("actor", ""), "person:operator-1");
  EXPECT_EQ(find_session(requested, a)->value("reason", ""), "test: looks odd");
  const auto ordered = w.journal("gateway.session.kill_ordered");
  ASSERT_TRUE(find_session(ordered, a) && find_session(ordered, b)) << nlohmann::json(ordered);
  const nlohmann::json& oa = *find_session(ordered, a);
  const nlohmann::json& ob = *find_session(ordered, b);
  EXPECT_EQ(oa.value("cause", ""), "operator");
  EXPECT_NE(oa.value("reason", "").find("looks odd"), std::string::npos) << oa.dump();
  EXPECT_EQ(ob.value("cause", ""), "access_check");
  EXPECT_NE(ob.value("reason", "").find("suspected compromise"), std::string::npos) << ob.dump();
  for (const auto* o : {&oa, &ob}) {
    EXPECT_EQ(o->value("person", ""), "tech-borealis-2");
    EXPECT_EQ(o->value("vendor", ""), "borealis");
    EXPECT_EQ(o->value("asset", ""), GatewayWorld::kAsset);
    EXPECT_EQ(o->value("grant", ""), w.grant());
    EXPECT_EQ(o->value("gateway", ""), "rmgw-1");
    EXPECT_EQ(o->value("actor", ""), "system:gateway-control");
  }
  EXPECT_TRUE(find_session(closed, a)->value("reason", "").starts_with("killed: ")) << closed[0];
  EXPECT_NE(find_session(closed, b)->value("reason", "").find("suspected compromise"),
            std::string::npos);
  EXPECT_EQ(find_session(closed, b)->value("manifest_sha256", "").size(), 64u)
      << "a killed session's recording is complete and signed";
}

}  // namespace
}  // namespace pw::testing
