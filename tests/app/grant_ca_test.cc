// The grant CA: certificates for one active remote grant, checked with the real `openssl`
// binary (verify -purpose sslclient, the SANs, the key's match), from a CSR and with a key made
// here; and every refusal (no such grant, not remote, not active, another technician, a bad,
// forged or weak CSR) changes nothing in the journal.
#include "app/grant_ca.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "app/gateway_fixture.h"
#include "core/bytes.h"

namespace pw::app::testing {
namespace {

using pw::testing::read_file;
using pw::testing::run_process;
using pw::testing::write_file;

class GrantCaTest : public GatewayFixture {
 protected:
  // openssl on files in the test's directory; returns stdout, expecting exit 0.
  std::string openssl(std::vector<std::string> args, int want_exit = 0) {
    args.insert(args.begin(), "/usr/bin/openssl");
    auto r = run_process(args);
    EXPECT_EQ(r.exit_code, want_exit) << r.out << r.err;
    return r.out + r.err;
  }
  std::string path(const std::string& name) { return (dir_ / name).string(); }

  // A CSR for a new key of `key_args` ("-newkey", "ec", "-pkeyopt", ...).
  std::string make_csr(const std::string& name, std::vector<std::string> key_args) {
    std::vector<std::string> args{"req", "-new", "-nodes", "-subj", "/CN=ignored"};
    args.insert(args.end(), key_args.begin(), key_args.end());
    args.insert(args.end(), {"-keyout", path(name + ".key"), "-out", path(name + ".csr")});
    openssl(args);
    return read_file(dir_ / (name + ".csr"));
  }
};

TEST_F(GrantCaTest, CertificateFromACsrVerifiesWithOpensslAndCarriesTheGrant) {
  const std::string grant = remote_grant("req-ca-1", "tech-borealis-2");
  const std::string csr =
      make_csr("tech", {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"});
  auto issued = ca_->issue("tech-borealis-2", grant, csr);
  ASSERT_TRUE(issued) << issued.error().to_string();
  EXPECT_EQ(issued->key_source, KeySource::kCsr);
  EXPECT_TRUE(issued->key_pem.empty()) << "the technician's key never leaves their side";
  write_file(dir_ / "grant.crt", issued->certificate_pem);
  write_file(dir_ / "ca.crt", issued->ca_pem);
  const std::string ok =
      openssl({"verify", "-purpose", "sslclient", "-CAfile", path("ca.crt"), path("grant.crt")});
  EXPECT_NE(ok.find("OK"), std::string::npos) << ok;
  const std::string text = openssl({"x509", "-in", path("grant.crt"), "-noout", "-text"});
  EXPECT_NE(text.find("URI:urn:portwarden:grant:" + grant), std::string::npos) << text;
  EXPECT_NE(text.find("URI:urn:portwarden:asset:scanner-05"), std::string::npos) << text;
  EXPECT_NE(text.find("TLS Web Client Authentication"), std::string::npos) << text;
  const std::string subject = openssl({"x509", "-in", path("grant.crt"), "-noout", "-subject"});
  EXPECT_NE(subject.find("CN = tech-borealis-2"), std::string::npos) << subject;
  EXPECT_NE(subject.find("O = borealis"), std::string::npos) << subject;
  // The certificate's key is the CSR's.
  EXPECT_EQ(openssl({"x509", "-in", path("grant.crt"), "-noout", "-pubkey"}),
            openssl({"pkey", "-in", path("tech.key"), "-pubout"}));
  // Validity inside the grant's window, and the serial as openssl reads it.
  EXPECT_LE(issued->not_before, ts(0));
  EXPECT_LT(ts(0).micros - issued->not_before.micros, 1'000'000) << "whole seconds";
  EXPECT_LE(issued->not_after, ts(120));
  EXPECT_GT(issued->not_after.micros - issued->not_before.micros, 119 * kMinute);
  std::string serial = openssl({"x509", "-in", path("grant.crt"), "-noout", "-serial"});
  for (auto& c : serial) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(serial, "serial=" + issued->serial + "\n");
  // Journaled with what admission needs.
  auto ev = events(domain::kAccessGrantCertificateIssued);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0]["grant"], grant);
  EXPECT_EQ(ev[0]["serial"], issued->serial);
  EXPECT_EQ(ev[0]["sha256"], issued->sha256);
  EXPECT_EQ(ev[0]["key_source"], "csr");
  // The access records still work after it (the access state skips the event).
  auto check =
      access_->check("tech-borealis-2", "scanner-05", domain::GrantMode::kRemote, clock_.now());
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->allow);
  auto v = journal_->verify({});
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ok());
}

TEST_F(GrantCaTest, GeneratedKeyIsDeliveredOnceAndMatchesTheCertificate) {
  const std::string grant = remote_grant("req-ca-2", "tech-borealis-2");
  auto issued = ca_->issue("operator-1", grant, std::nullopt);  // customs staff may too
  ASSERT_TRUE(issued) << issued.error().to_string();
  EXPECT_EQ(issued->key_source, KeySource::kGenerated);
  ASSERT_FALSE(issued->key_pem.empty());
  write_file(dir_ / "grant.crt", issued->certificate_pem);
  write_file(dir_ / "grant.key", issued->key_pem);
  write_file(dir_ / "ca.crt", issued->ca_pem);
  openssl({"verify", "-purpose", "sslclient", "-CAfile", path("ca.crt"), path("grant.crt")});
  EXPECT_EQ(openssl({"x509", "-in", path("grant.crt"), "-noout", "-pubkey"}),
            openssl({"pkey", "-in", path("grant.key"), "-pubout"}));
  // The generated key is nowhere in the journal or the CA's files.
  const std::string der_b64 = issued->key_pem.substr(28, 40);
  auto ev = events("");
  for (const auto& e : ev) EXPECT_EQ(e.dump().find(der_b64), std::string::npos);
  EXPECT_EQ(events(domain::kAccessGrantCertificateIssued).at(0)["key_source"], "generated");
  // The CA: key file 0600; a second instance on the same files is the same CA.
  const GrantCaFiles files = grant_ca_files(paths_.db);
  struct stat st {};
  ASSERT_EQ(::stat(files.key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read_file(files.certificate), issued->ca_pem);
  GrantCa again(*journal_, *access_, *reg_, clock_, files);
  EXPECT_EQ(*again.certificate_pem(), issued->ca_pem);
  // A CA certificate file that is not the key's is refused, not trusted.
  write_file(files.certificate, read_file(dir_ / "grant.crt"));
  GrantCa swapped(*journal_, *access_, *reg_, clock_, files);
  auto bad = swapped.certificate_pem();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), core::Code::kDataLoss);
}

TEST_F(GrantCaTest, RefusalsNameTheProblemAndJournalNothing) {
  const std::string grant = remote_grant("req-ca-3", "tech-borealis-2");
  const std::string onsite = onsite_grant("req-ca-4");
  const auto before = *journal_->size();
  auto r = ca_->issue("tech-borealis-2", "req-nope#1", std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::Code::kNotFound);
  r = ca_->issue("tech-borealis-2", onsite, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::Code::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("not remote"), std::string::npos) << r.error().message();
  r = ca_->issue("tech-borealis-1", grant, std::nullopt);  // a colleague of the same vendor
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::Code::kPermissionDenied);
  // CSRs: garbage, a forged signature, a weak key.
  r = ca_->issue("tech-borealis-2", grant, std::string("-----BEGIN CERTIFICATE REQUEST-----\nxx"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::Code::kInvalidArgument);
  const std::string good = make_csr("t2", {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"});
  openssl({"req", "-in", path("t2.csr"), "-outform", "DER", "-out", path("t2.der")});
  std::string der = read_file(dir_ / "t2.der");
  der[der.size() - 3] ^= 0x01;  // inside the signature
  std::string b64 = core::to_base64(core::as_bytes(der));
  std::string pem = "-----BEGIN CERTIFICATE REQUEST-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  pem += "-----END CERTIFICATE REQUEST-----\n";
  r = ca_->issue("tech-borealis-2", grant, pem);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::Code::kInvalidArgument);
  EXPECT_NE(r.error().message().find("signature"), std::string::npos) << r.error().message();
  const std::string weak = make_csr("t3", {"-newkey", "rsa:1024"});
  r = ca_->issue("tech-borealis-2", grant, weak);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("1024"), std::string::npos) << r.error().message();
  EXPECT_EQ(*journal_->size(), before);
  // A revoked grant gets no certificate.
  revoke(grant);
  r = ca_->issue("tech-borealis-2", grant, good);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::Code::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("revoked"), std::string::npos) << r.error().message();
}

TEST_F(GrantCaTest, VerifyReportsEveryProblemOfAForeignCertificate) {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-subj", "/CN=tech-borealis-2/O=borealis", "-days", "1", "-keyout", path("x.key"),
           "-out", path("x.crt"), "-addext",
           "subjectAltName=URI:urn:portwarden:grant:g,URI:urn:portwarden:asset:scanner-05"});
  auto c = ca_->verify(read_file(dir_ / "x.crt"), clock_.now());
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->verified());
  EXPECT_EQ(c->person, "tech-borealis-2");
  EXPECT_EQ(c->asset, "scanner-05");
  ASSERT_FALSE(c->problems.empty());
  EXPECT_NE(c->problems[0].find("not issued by portwarden's grant CA"), std::string::npos)
      << c->problems[0];
  c = ca_->verify("not a certificate", clock_.now());
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->verified());
}

}  // namespace
}  // namespace pw::app::testing
