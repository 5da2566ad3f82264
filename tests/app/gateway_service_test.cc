// The gateway's control plane: admission with every check of docs/GATEWAY.md (each refusal
// journaled with its reason), heartbeats that cut a session on the next beat after a vendor
// suspension, a revocation or an operator's kill (also one journaled by another process), lost
// sessions, and the close whose signature verifies with the journal's public key over the
// exact message.
#include "app/gateway_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/gateway_fixture.h"
#include "core/bytes.h"
#include "core/crypto.h"
#include "domain/event_types.h"
#include "journal/note.h"

namespace pw::app::testing {
namespace {

using pw::testing::read_file;
using pw::testing::run_process;
using pw::testing::write_file;

const std::string kManifest(64, 'a');

// '#' starts a comment in an OpenSSL configuration file.
std::string escape_hash(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '#' ? std::string("\\#") : std::string(1, c);
  return out;
}

class GatewayServiceTest : public GatewayFixture {
 protected:
  // A certificate with a generated key for `grant` (issued by its technician).
  std::string cert_for(const std::string& grant, const std::string& person = "tech-borealis-2") {
    auto issued = ca_->issue(person, grant, std::nullopt);
    EXPECT_TRUE(issued) << issued.error().to_string();
    return issued ? issued->certificate_pem : "";
  }
  Admission admit(const std::string& cert, const std::string& asset = "scanner-05") {
    auto a = gateway_->admit({"gw-1", asset, cert, "10.0.0.5:50123"});
    EXPECT_TRUE(a) << a.error().to_string();
    return a ? *a : Admission{};
  }
  // The reasons of the last gateway.session.refused event.
  std::vector<std::string> last_refusal() {
    std::vector<std::string> out;
    EXPECT_TRUE(journal_->scan_events(
        0, domain::kGatewaySessionRefused, [&](const journal::Envelope& e) -> core::Status {
          out = e.payload.at("reasons").get<std::vector<std::string>>();
          return core::ok();
        }));
    return out;
  }
  static bool any_contains(const std::vector<std::string>& v, const std::string& what) {
    for (const auto& s : v) {
      if (s.find(what) != std::string::npos) return true;
    }
    return false;
  }
  static std::string dump(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }
  HeartbeatAnswer beat(std::vector<SessionReport> sessions) {
    auto h = gateway_->heartbeat("gw-1", sessions);
    EXPECT_TRUE(h) << h.error().to_string();
    return h ? *h : HeartbeatAnswer{};
  }
  // Expects a refusal naming `what`, journaled with it.
  void expect_refused(const Admission& a, const std::string& what) {
    EXPECT_FALSE(a.allow);
    EXPECT_TRUE(a.session.empty());
    EXPECT_TRUE(a.upstream.empty()) << "nothing about the upstream reaches a refused client";
    EXPECT_TRUE(any_contains(a.reasons, what)) << what << " in " << dump(a.reasons);
    EXPECT_TRUE(any_contains(last_refusal(), what)) << what << " in " << dump(last_refusal());
  }
};

TEST_F(GatewayServiceTest, AdmitsACertifiedGrantAndAnswersTheUpstream) {
  const std::string grant = remote_grant("req-gw-1", "tech-borealis-2");
  const Admission a = admit(cert_for(grant));
  ASSERT_TRUE(a.allow) << dump(a.reasons);
  EXPECT_EQ(a.session.rfind("ses-", 0), 0u);
  EXPECT_EQ(a.grant, grant);
  EXPECT_EQ(a.person, "tech-borealis-2");
  EXPECT_EQ(a.vendor, "borealis");
  EXPECT_EQ(a.upstream, "10.20.1.15:8443");
  EXPECT_EQ(a.grant_end, ts(120));
  EXPECT_TRUE(a.recorded);
  auto opened = events(domain::kGatewaySessionOpened);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0]["session"], a.session);
  EXPECT_EQ(opened[0]["remote"], "10.0.0.5:50123");
  auto live = gateway_->sessions();
  ASSERT_TRUE(live);
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ(live->at(0).id, a.session);
  EXPECT_EQ(live->at(0).asset, "scanner-05");
  // Bytes reported by the heartbeat show in the list; nothing is journaled for them.
  const auto size = *journal_->size();
  auto h = beat({{a.session, 123, 456}});
  EXPECT_EQ(h.lease_ms, 10'000);
  EXPECT_TRUE(h.kill.empty());
  EXPECT_EQ(*journal_->size(), size) << "a heartbeat with no change writes nothing";
  live = gateway_->sessions();
  EXPECT_EQ(live->at(0).bytes_up, 123u);
  EXPECT_EQ(live->at(0).bytes_down, 456u);
}

TEST_F(GatewayServiceTest, ACertificateFromAnotherCaIsRefusedAndJournaled) {
  remote_grant("req-gw-2", "tech-borealis-2");
  const auto path = [&](const char* n) { return (dir_ / n).string(); };
  auto r =
      run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                   "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=tech-borealis-2/O=borealis",
                   "-days", "1", "-keyout", path("x.key"), "-out", path("x.crt"), "-addext",
                   "subjectAltName=URI:urn:portwarden:grant:req-gw-2#1,URI:urn:portwarden:"
                   "asset:scanner-05"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_refused(admit(read_file(dir_ / "x.crt")), "not issued by portwarden's grant CA");
  EXPECT_TRUE(any_contains(last_refusal(), "was not issued")) << dump(last_refusal());
  expect_refused(admit("garbage"), "not a PEM X.509 certificate");
}

TEST_F(GatewayServiceTest, ExpiredAndNotYetValidCertificatesAreRefused) {
  const std::string soon = remote_grant("req-gw-3", "tech-borealis-2", 30);
  const std::string cert = cert_for(soon);
  // A grant whose window starts in an hour: certified now, not valid until then.
  access::VisitDraft d;
  d.id = "req-gw-4";
  d.kind = domain::RequestKind::kRemote;
  d.technicians = {"tech-borealis-2"};
  d.asset = "scanner-05";
  d.fault = "fault-gw-1";
  d.window = {ts(60), ts(120)};
  ASSERT_TRUE(access_->run("tech-borealis-2", [&](const auto& s, const auto& ctx,
                                                  std::string_view actor, core::Timestamp now) {
    return access::request_visit(s, ctx, actor, now, d);
  }));
  ASSERT_TRUE(access_->run("operator-1", [&](const auto& s, const auto& ctx, std::string_view actor,
                                             core::Timestamp now) {
    return access::approve(s, ctx, actor, now, "req-gw-4");
  }));
  expect_refused(admit(cert_for("req-gw-4#1")), "not yet valid");
  clock_.advance_micros(31 * kMinute);
  expect_refused(admit(cert), "expired");
}

TEST_F(GatewayServiceTest, AnotherAssetAnUnknownSerialARevokedGrantAndASuspendedVendorAreRefused) {
  const std::string grant = remote_grant("req-gw-5", "tech-borealis-2");
  const std::string cert = cert_for(grant);
  expect_refused(admit(cert, "scanner-06"), "the certificate is for asset 'scanner-05'");
  // A certificate the CA's key signed but portwarden never issued (a copy of the key used
  // outside the control plane): its serial is not in the journal.
  const GrantCaFiles files = grant_ca_files(paths_.db);
  const auto path = [&](const char* n) { return (dir_ / n).string(); };
  write_file(dir_ / "ext.cnf",
             "extendedKeyUsage=clientAuth\nsubjectAltName=URI:urn:portwarden:grant:" +
                 escape_hash(grant) + ",URI:urn:portwarden:asset:scanner-05\n");
  auto r =
      run_process({"/usr/bin/openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                   "ec_paramgen_curve:P-256", "-nodes", "-subj", "/O=borealis/CN=tech-borealis-2",
                   "-keyout", path("f.key"), "-out", path("f.csr")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_process({"/usr/bin/openssl", "x509", "-req", "-in", path("f.csr"), "-CA",
                   files.certificate, "-CAkey", files.key, "-CAcreateserial", "-days", "1",
                   "-extfile", path("ext.cnf"), "-out", path("f.crt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  clock_.advance_micros(10'000'000);  // openssl dated it by the real clock, a little ahead
  const Admission forged = admit(read_file(dir_ / "f.crt"));
  expect_refused(forged, "was not issued by portwarden's grant CA");
  EXPECT_EQ(forged.reasons.size(), 1u) << "only the serial is wrong: " << dump(forged.reasons);
  // The vendor suspended: refused with the suspension's reason.
  suspend_vendor("susp-gw-1", "borealis");
  expect_refused(admit(cert), "suspected exfiltration");
  // A revoked grant (another technician's, so the vendor's suspension is not in the way).
  auto resumed = access_->run(
      "security-officer-1",
      [&](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
        return access::resume(s, ctx, actor, now, "susp-gw-1", "cleared");
      });
  ASSERT_TRUE(resumed && resumed->allowed());
  ASSERT_TRUE(admit(cert).allow) << "admitted again once resumed";
  revoke(grant);
  expect_refused(admit(cert), "revoked");
  EXPECT_GE(events(domain::kGatewaySessionRefused).size(), 4u);
}

TEST_F(GatewayServiceTest, HeartbeatCutsOnSuspensionRevocationAndOperatorKill) {
  const std::string g1 = remote_grant("req-gw-6", "tech-borealis-2");
  // Two grants of one technician on one asset: the access check allows with either, so a
  // session must be cut when its own grant goes, even though the other still allows.
  const std::string g2 = remote_grant("req-gw-7", "tech-borealis-2", 60);
  const Admission a = admit(cert_for(g1));
  const Admission b = admit(cert_for(g2));
  ASSERT_TRUE(a.allow && b.allow);
  EXPECT_TRUE(beat({{a.session, 1, 1}, {b.session, 1, 1}}).kill.empty());
  revoke(g2);
  auto h = beat({{a.session, 2, 2}, {b.session, 2, 2}});
  ASSERT_EQ(h.kill.size(), 1u);
  EXPECT_EQ(h.kill[0].session, b.session);
  EXPECT_NE(h.kill[0].reason.find("revoked"), std::string::npos) << h.kill[0].reason;
  // An operator's kill journaled by another process (another service on the same journal).
  {
    GatewayService cli(*journal_, *access_, *reg_, *ca_, clock_);
    ASSERT_TRUE(cli.kill("person:operator-1", a.session, "looks odd"));
    auto again = cli.kill("person:operator-1", "ses-nope", "x");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code(), core::Code::kNotFound);
  }
  h = beat({{a.session, 3, 3}});
  ASSERT_EQ(h.kill.size(), 1u);
  EXPECT_EQ(h.kill[0].session, a.session);
  EXPECT_NE(h.kill[0].reason.find("looks odd"), std::string::npos) << h.kill[0].reason;
  EXPECT_EQ(events(domain::kGatewaySessionKillRequested).size(), 1u);
  // Every order to cut is journaled once, with who (the session's person, vendor, grant,
  // asset, gateway) and why (cause and reason), however often the heartbeats repeat it.
  beat({{a.session, 4, 4}, {b.session, 4, 4}});
  auto ordered = events(domain::kGatewaySessionKillOrdered);
  ASSERT_EQ(ordered.size(), 2u);
  EXPECT_EQ(ordered[0]["session"], b.session);
  EXPECT_EQ(ordered[0]["cause"], "grant_state");
  EXPECT_EQ(ordered[0]["grant"], g2);
  EXPECT_NE(ordered[0]["reason"].get<std::string>().find("revoked"), std::string::npos)
      << ordered[0].dump();
  EXPECT_EQ(ordered[1]["session"], a.session);
  EXPECT_EQ(ordered[1]["cause"], "operator");
  EXPECT_EQ(ordered[1]["person"], "tech-borealis-2");
  EXPECT_EQ(ordered[1]["vendor"], "borealis");
  EXPECT_EQ(ordered[1]["asset"], "scanner-05");
  EXPECT_EQ(ordered[1]["gateway"], "gw-1");
  EXPECT_NE(ordered[1]["reason"].get<std::string>().find("looks odd"), std::string::npos);
  // A control plane started afresh on the same journal keeps ordering them, journals no more.
  GatewayService fresh(*journal_, *access_, *reg_, *ca_, clock_);
  auto again = fresh.heartbeat("gw-1", {{a.session, 5, 5}, {b.session, 5, 5}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kill.size(), 2u);
  EXPECT_EQ(events(domain::kGatewaySessionKillOrdered).size(), 2u);
}

TEST_F(GatewayServiceTest, AVendorSuspensionCutsOnTheNextHeartbeat) {
  const Admission a = admit(cert_for(remote_grant("req-gw-8", "tech-borealis-2")));
  ASSERT_TRUE(a.allow);
  EXPECT_TRUE(beat({{a.session, 0, 0}}).kill.empty());
  suspend_vendor("susp-gw-2", "borealis");
  auto h = beat({{a.session, 0, 0}});
  ASSERT_EQ(h.kill.size(), 1u);
  EXPECT_NE(h.kill[0].reason.find("vendor 'borealis' suspended"), std::string::npos)
      << h.kill[0].reason;
  auto ordered = events(domain::kGatewaySessionKillOrdered);
  ASSERT_EQ(ordered.size(), 1u);
  EXPECT_EQ(ordered[0]["cause"], "access_check");
  EXPECT_EQ(ordered[0]["reason"], h.kill[0].reason);
}

TEST_F(GatewayServiceTest, TheEndOfTheWindowIsAJournaledKillOrder) {
  const Admission a = admit(cert_for(remote_grant("req-gw-13", "tech-borealis-2", 10)));
  ASSERT_TRUE(a.allow);
  clock_.advance_micros(11 * 60'000'000LL);
  auto h = beat({{a.session, 0, 0}});
  ASSERT_EQ(h.kill.size(), 1u);
  auto ordered = events(domain::kGatewaySessionKillOrdered);
  ASSERT_EQ(ordered.size(), 1u);
  EXPECT_EQ(ordered[0]["cause"], "grant_window");
}

TEST_F(GatewayServiceTest, ACloseForAFailedRecordingIsJournaledWithTheErrorAndUnsigned) {
  const Admission a = admit(cert_for(remote_grant("req-gw-14", "tech-borealis-2")));
  ASSERT_TRUE(a.allow);
  CloseRequest both{"x", 1, 2, kManifest, "disk full"};
  auto bad = gateway_->close("gw-1", a.session, both);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), core::Code::kInvalidArgument);
  EXPECT_FALSE(gateway_->close("gw-1", a.session, {"x", 1, 2, "", ""})) << "neither";
  CloseRequest failed{"recording failed: File too large", 10, 2'000'000, "", "File too large"};
  auto sig = gateway_->close("gw-1", a.session, failed);
  ASSERT_TRUE(sig) << sig.error().to_string();
  EXPECT_TRUE(sig->signature.empty()) << "no manifest, nothing signed";
  auto closed = events(domain::kGatewaySessionClosed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0]["recording_error"], "File too large");
  EXPECT_EQ(closed[0]["manifest_sha256"], "");
  // Who it was, on the close itself.
  EXPECT_EQ(closed[0]["person"], "tech-borealis-2");
  EXPECT_EQ(closed[0]["vendor"], "borealis");
  EXPECT_EQ(closed[0]["asset"], "scanner-05");
  EXPECT_EQ(closed[0]["gateway"], "gw-1");
  EXPECT_EQ(closed[0]["grant"], a.grant);
  EXPECT_TRUE(gateway_->sessions()->empty());
  // Closed for good: not a lost session the gateway may close again.
  auto twice = gateway_->close("gw-1", a.session, {"x", 1, 2, kManifest, ""});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), core::Code::kFailedPrecondition);
}

TEST_F(GatewayServiceTest, UnreportedSessionsAreLostAndUnknownOnesCut) {
  const Admission a = admit(cert_for(remote_grant("req-gw-9", "tech-borealis-2")));
  ASSERT_TRUE(a.allow);
  EXPECT_TRUE(beat({}).kill.empty());
  EXPECT_EQ(gateway_->sessions()->size(), 1u) << "just opened: not lost yet";
  clock_.advance_micros(6'000'000);
  beat({});
  EXPECT_TRUE(gateway_->sessions()->empty());
  auto closed = events(domain::kGatewaySessionClosed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0]["reason"].get<std::string>().find("lost"), std::string::npos);
  EXPECT_EQ(closed[0]["person"], "tech-borealis-2");
  // Reported again after that (or never admitted): cut.
  auto h = beat({{a.session, 1, 1}, {"ses-forged", 0, 0}});
  ASSERT_EQ(h.kill.size(), 2u);
  // The gateway can still close a lost session, so its recording gets its signature.
  EXPECT_TRUE(gateway_->close("gw-1", a.session, {"client closed", 10, 20, kManifest, ""}));
}

TEST_F(GatewayServiceTest, ASilentGatewayLosesItsSessionsAtAnotherGatewaysHeartbeat) {
  const Admission a = admit(cert_for(remote_grant("req-gw-12", "tech-borealis-2")));
  ASSERT_TRUE(a.allow);
  EXPECT_TRUE(beat({{a.session, 5, 7}}).kill.empty());
  clock_.advance_micros(14'000'000);  // less than lease + lost_after
  ASSERT_TRUE(gateway_->heartbeat("gw-2", {}));
  EXPECT_EQ(gateway_->sessions()->size(), 1u);
  clock_.advance_micros(2'000'000);
  ASSERT_TRUE(gateway_->heartbeat("gw-2", {}));
  EXPECT_TRUE(gateway_->sessions()->empty());
  auto closed = events(domain::kGatewaySessionClosed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0]["reason"].get<std::string>().find("'gw-1' went silent"), std::string::npos)
      << closed[0].dump();
  EXPECT_EQ(closed[0]["bytes_down"], 7) << "the bytes last reported";
}

TEST_F(GatewayServiceTest, CloseSignsTheExactMessageWithTheJournalKey) {
  const Admission a = admit(cert_for(remote_grant("req-gw-10", "tech-borealis-2", 4)));
  ASSERT_TRUE(a.allow);
  auto h = beat({{a.session, 0, 0}});
  ASSERT_EQ(h.warn.size(), 1u);
  EXPECT_NE(h.warn[0].message.find("window ends in 4 minutes"), std::string::npos)
      << h.warn[0].message;
  EXPECT_TRUE(beat({{a.session, 0, 0}}).warn.empty()) << "warned once";
  // The warning is also the session's record in the journal, and the operators' list shows it.
  auto warned = events(domain::kGatewaySessionWarned);
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0]["session"], a.session);
  EXPECT_EQ(warned[0]["message"], h.warn[0].message);
  auto live = gateway_->sessions();
  ASSERT_TRUE(live);
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ(live->front().warning, h.warn[0].message);
  auto bad = gateway_->close("gw-1", a.session, {"done", 1, 2, "ABC", ""});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), core::Code::kInvalidArgument);
  auto other = gateway_->close("gw-2", a.session, {"done", 1, 2, kManifest, ""});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code(), core::Code::kPermissionDenied);
  auto sig = gateway_->close("gw-1", a.session, {"client closed", 1000, 2000, kManifest, ""});
  ASSERT_TRUE(sig) << sig.error().to_string();
  auto vk = journal::parse_verifier_key(journal_->verifier_key());
  ASSERT_TRUE(vk);
  EXPECT_EQ(sig->key_name, vk->name);
  char id[9];
  std::snprintf(id, sizeof id, "%08x", vk->key_id);
  EXPECT_EQ(sig->key_id, id);
  auto raw = core::from_base64(sig->signature);
  ASSERT_TRUE(raw);
  ASSERT_EQ(raw->size(), core::kEd25519SignatureSize);
  core::Ed25519Signature s{};
  std::copy(raw->begin(), raw->end(), s.begin());
  const std::string message =
      "portwarden-recording-manifest-v1\n" + a.session + "\n" + kManifest + "\n";
  EXPECT_EQ(recording_manifest_message(a.session, kManifest), message);
  EXPECT_TRUE(core::ed25519_verify(vk->key, core::as_bytes(message), s));
  EXPECT_FALSE(core::ed25519_verify(
      vk->key, core::as_bytes(recording_manifest_message("ses-other", kManifest)), s));
  auto closed = events(domain::kGatewaySessionClosed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0]["manifest_sha256"], kManifest);
  EXPECT_EQ(closed[0]["bytes_up"], 1000);
  EXPECT_EQ(closed[0]["bytes_down"], 2000);
  EXPECT_EQ(closed[0]["reason"], "client closed");
  EXPECT_TRUE(gateway_->sessions()->empty());
  auto twice = gateway_->close("gw-1", a.session, {"again", 1, 2, kManifest, ""});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), core::Code::kFailedPrecondition);
  // The window's end cuts the session by itself.
  const Admission b = admit(cert_for(remote_grant("req-gw-11", "tech-borealis-2", 4)));
  ASSERT_TRUE(b.allow);
  clock_.advance_micros(4 * kMinute);
  auto end = beat({{b.session, 0, 0}});
  ASSERT_EQ(end.kill.size(), 1u);
  auto v = journal_->verify({});
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ok());
}

}  // namespace
}  // namespace pw::app::testing
