// The gateway's routes through the real HttpServer on a loopback port, called with curl: a
// technician gets a certificate for their remote grant from a CSR (a colleague cannot), a
// gateway token admits with it and is refused for another asset, heartbeats carry the bytes to
// the operators' list, an operator's kill reaches the next heartbeat, and the close answers a
// signature that verifies with the journal's public key.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "access/engine.h"
#include "core/bytes.h"
#include "core/crypto.h"
#include "http/api/api_fixture.h"
#include "journal/note.h"
#include "support/test_support.h"

namespace pw::http::api {
namespace {

using pw::testing::read_file;
using pw::testing::run_process;

std::string offset_minutes(int m) {
  core::SystemClock c;
  return core::format_rfc3339({c.now().micros + std::int64_t{m} * 60'000'000});
}

// The API fixture with a second Borealis technician, and the gateway calling with its bearer
// token.
ApiOptions gateway_options() {
  ApiOptions o;
  o.extra_accounts = {{"btech1", "tech-borealis-1", app::Role::kTechnician}};
  o.tokens = {{"gw", {}}};
  return o;
}

class ApiGatewayTest : public ApiTest {
 protected:
  ApiGatewayTest() : ApiTest(gateway_options()) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ApiTest::SetUp());
    // Borealis at medium risk, an open software fault on scanner-05 (remote-capable, with a
    // maintenance endpoint), and an approved remote session for tech-borealis-2.
    ASSERT_NO_FATAL_FAILURE(assess_borealis_medium());
    ASSERT_NO_FATAL_FAILURE(import_borealis_work("fault-api-gw", offset_minutes(-60)));
    login("btech");
    login("btech1");
    login("op");
    const nlohmann::json remote = {{"id", "req-api-gw"},         {"kind", "remote"},
                                   {"asset", "scanner-05"},      {"fault", "fault-api-gw"},
                                   {"from", offset_minutes(-1)}, {"to", offset_minutes(120)}};
    auto r = call("POST", "/v1/access/requests", "btech", remote.dump());
    ASSERT_EQ(r.status, 200) << r.raw;
    r = call("POST", "/v1/access/requests/req-api-gw/approve", "op", "{}");
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  static constexpr const char* kGrantPath = "/v1/grants/req-api-gw%231/certificate";
};

TEST_F(ApiGatewayTest, FromCertificateToAdmissionHeartbeatKillAndSignedClose) {
  // The technician's own key: a CSR made with openssl.
  const std::string key = (dir_ / "t.key").string(), csr = (dir_ / "t.csr").string();
  auto made = run_process({"/usr/bin/openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=me", "-keyout", key,
                           "-out", csr});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string body = nlohmann::json{{"csr", read_file(csr)}}.dump();
  auto r = call("POST", kGrantPath, "btech1", body);
  EXPECT_EQ(r.status, 403) << "a colleague's grant: " << r.raw;
  EXPECT_EQ(call("POST", kGrantPath, "gw", body).status, 403) << "gateways get no certificates";
  r = call("POST", "/v1/grants/nope/certificate", "btech", body);
  EXPECT_EQ(r.status, 404) << r.raw;
  r = call("POST", kGrantPath, "btech", R"({"csr":"not a csr"})");
  EXPECT_EQ(r.status, 400) << r.raw;
  r = call("POST", kGrantPath, "btech", body);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_FALSE(r.body.contains("key")) << "the key stayed with the technician";
  EXPECT_EQ(r.body["key_source"], "csr");
  const std::string cert = r.body["certificate"].get<std::string>();
  pw::testing::write_file(dir_ / "grant.crt", cert);
  pw::testing::write_file(dir_ / "ca.crt", r.body["ca"].get<std::string>());
  auto v = run_process({"/usr/bin/openssl", "verify", "-purpose", "sslclient", "-CAfile",
                        (dir_ / "ca.crt").string(), (dir_ / "grant.crt").string()});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // Without a CSR (an operator on the technician's behalf): the key comes back once.
  r = call("POST", kGrantPath, "op", "");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_NE(r.body.value("key", "").find("PRIVATE KEY"), std::string::npos);

  // A technician or an operator cannot speak the gateway protocol.
  nlohmann::json admit = {{"gateway", "gw"},
                          {"asset", "scanner-06"},
                          {"certificate", cert},
                          {"remote", "192.0.2.7:40000"}};
  EXPECT_EQ(call("POST", "/v1/gateway/admit", "op", admit.dump()).status, 403);
  r = call("POST", "/v1/gateway/admit", "gw", admit.dump());
  ASSERT_EQ(r.status, 403) << r.raw;
  EXPECT_FALSE(r.body["allow"].get<bool>());
  EXPECT_FALSE(r.body.contains("upstream"));
  EXPECT_NE(r.raw.find("is for asset 'scanner-05'"), std::string::npos) << r.raw;
  admit["asset"] = "scanner-05";
  r = call("POST", "/v1/gateway/admit", "gw", admit.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.body["allow"].get<bool>());
  EXPECT_EQ(r.body["upstream"], "10.20.1.15:8443");
  EXPECT_EQ(r.body["person"], "tech-borealis-2");
  const std::string session = r.body["session"].get<std::string>();

  const nlohmann::json beat = {
      {"gateway", "gw"},
      {"sessions", {{{"session", session}, {"bytes_up", 100}, {"bytes_down", 2000}}}}};
  r = call("POST", "/v1/gateway/heartbeat", "gw", beat.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["lease_ms"], 10000);
  EXPECT_TRUE(r.body["kill"].empty());
  EXPECT_EQ(call("POST", "/v1/gateway/heartbeat", "gw",
                 R"({"gateway":"gw","sessions":[{"session":"x","bytes_up":-1,"bytes_down":0}]})")
                .status,
            400);
  // A gateway token speaks only for its own gateway: a heartbeat in another gateway's name
  // (which would get that gateway's sessions closed as lost) or a close in its name is refused,
  // and the session is untouched.
  r = call("POST", "/v1/gateway/heartbeat", "gw", R"({"gateway":"gw-other","sessions":[]})");
  EXPECT_EQ(r.status, 403) << r.raw;
  EXPECT_NE(r.raw.find("speaks for gateway 'gw', not 'gw-other'"), std::string::npos) << r.raw;
  EXPECT_EQ(call("POST", "/v1/gateway/sessions/" + session + "/close", "gw",
                 R"({"gateway":"gw-other","reason":"x","bytes_up":0,"bytes_down":0,)"
                 R"("recording":{"manifest_sha256":")" +
                     std::string(64, 'a') + R"("}})")
                .status,
            403);
  r = call("GET", "/v1/sessions", "op");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["sessions"].size(), 1u);
  EXPECT_EQ(r.body["sessions"][0]["session"], session);
  EXPECT_EQ(r.body["sessions"][0]["bytes_down"], 2000);
  EXPECT_EQ(call("GET", "/v1/sessions", "btech").status, 403);
  EXPECT_EQ(call("POST", "/v1/sessions/" + session + "/kill", "btech", R"({"reason":"x"})").status,
            403);
  r = call("POST", "/v1/sessions/" + session + "/kill", "op", R"({"reason":"unplanned change"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  r = call("POST", "/v1/gateway/heartbeat", "gw", beat.dump());
  ASSERT_EQ(r.body["kill"].size(), 1u) << r.raw;
  EXPECT_NE(r.body["kill"][0]["reason"].get<std::string>().find("unplanned change"),
            std::string::npos);

  const std::string manifest(64, '7');
  const nlohmann::json close = {{"reason", "killed by the control plane"},
                                {"bytes_up", 100},
                                {"bytes_down", 2000},
                                {"recording", {{"manifest_sha256", manifest}}}};
  EXPECT_EQ(call("POST", "/v1/gateway/sessions/ses-nope/close", "gw", close.dump()).status, 404);
  // The recording member holds the manifest's digest or the recording's error, exactly one.
  for (const nlohmann::json& bad :
       {nlohmann::json::object(), nlohmann::json{{"manifest_sha256", manifest}, {"error", "x"}},
        nlohmann::json{{"error", ""}}, nlohmann::json{{"error", "x"}, {"other", 1}}}) {
    nlohmann::json c = close;
    c["recording"] = bad;
    r = call("POST", "/v1/gateway/sessions/" + session + "/close", "gw", c.dump());
    EXPECT_EQ(r.status, 400) << bad.dump() << r.raw;
  }
  r = call("POST", "/v1/gateway/sessions/" + session + "/close", "gw", close.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  auto vk = journal::parse_verifier_key(journal_->verifier_key());
  ASSERT_TRUE(vk);
  auto sig = core::from_base64(r.body["signature"].get<std::string>());
  ASSERT_TRUE(sig && sig->size() == core::kEd25519SignatureSize);
  core::Ed25519Signature s{};
  std::copy(sig->begin(), sig->end(), s.begin());
  EXPECT_TRUE(core::ed25519_verify(
      vk->key,
      core::as_bytes("portwarden-recording-manifest-v1\n" + session + "\n" + manifest + "\n"), s));
  EXPECT_EQ(call("POST", "/v1/gateway/sessions/" + session + "/close", "gw", close.dump()).status,
            409);
  r = call("GET", "/v1/sessions", "op");
  EXPECT_TRUE(r.body["sessions"].empty()) << r.raw;
  // A session whose recording could not be written is closed with the error: journaled, and
  // nothing to sign.
  r = call("POST", "/v1/gateway/admit", "gw", admit.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  const std::string second = r.body["session"].get<std::string>();
  nlohmann::json failed = close;
  failed["reason"] = "recording failed: disk full";
  failed["recording"] = {{"error", "cannot write recording: No space left on device"}};
  r = call("POST", "/v1/gateway/sessions/" + second + "/close", "gw", failed.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body, nlohmann::json({{"signed", false}}));
  auto verified = journal_->verify({});
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok());
}

}  // namespace
}  // namespace pw::http::api
