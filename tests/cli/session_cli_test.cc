// Remote-maintenance sessions through the real binary: `grant cert` writes a certificate that
// the real `openssl verify` accepts (with the key 0600 when generated, without it from a CSR),
// refuses a colleague and never overwrites; `ca export` writes what a gateway trusts;
// `session list` and `session kill` (customs staff only) over a session admitted by the
// control plane.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_test_util.h"
#include "core/clock.h"

namespace pw::testing {
namespace {

namespace fs = std::filesystem;

std::string at_offset_minutes(int minutes) {
  core::SystemClock clock;
  return core::format_rfc3339({clock.now().micros + std::int64_t{minutes} * 60'000'000});
}

class SessionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path rotterdam = tests_dir().parent_path() / "examples" / "rotterdam";
    ASSERT_EQ(j_.run({"inventory", "import", rotterdam.string()}).exit_code, 0);
    const fs::path extra = j_.dir() / "extra.toml";
    std::ofstream(extra) << "[[fault]]\nid = \"fault-cli-gw\"\nasset = \"scanner-05\"\n"
                         << "reported = \"" << at_offset_minutes(-60) << "\"\n"
                         << "category = \"software\"\n";
    ASSERT_EQ(j_.run({"inventory", "import", extra.string()}).exit_code, 0);
    ASSERT_EQ(j_.run({"assess", "start", "borealis", "--as", "analyst-1"}).exit_code, 0);
    for (auto [c, answer] : {std::pair{"1", "no"}, std::pair{"2", "no"}, std::pair{"3a", "yes"},
                             std::pair{"3b", "yes"}}) {
      auto r = j_.run({"assess", "judge", "borealis", "--as", "analyst-1", "--criterion", c,
                       "--answer", answer, "--judgement", "reviewed"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    ASSERT_EQ(j_.run({"assess", "sign", "borealis", "--as", "analyst-2"}).exit_code, 0);
    auto r = j_.run({"request", "remote", "--as", "tech-borealis-2", "--asset", "scanner-05",
                     "--fault", "fault-cli-gw", "--from", at_offset_minutes(-1), "--to",
                     at_offset_minutes(120), "--id", "req-cli-gw"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    r = j_.run({"approve", "req-cli-gw", "--as", "operator-1"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  std::string path(const std::string& name) const { return (j_.dir() / name).string(); }
  RunResult openssl(std::vector<std::string> args) const {
    args.insert(args.begin(), "/usr/bin/openssl");
    return run_process(args);
  }
  JournalDir j_;
};

TEST_F(SessionCli, GrantCertWritesWhatOpensslVerifiesAndRefusesAColleague) {
  auto r =
      j_.run({"grant", "cert", "req-cli-gw#1", "--out", path("other"), "--as", "tech-borealis-1"});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_FALSE(fs::exists(path("other") + "/grant.crt"));
  r = j_.run(
      {"--json", "grant", "cert", "req-cli-gw#1", "--out", path("gen"), "--as", "tech-borealis-2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["key_source"], "generated");
  struct stat st {};
  ASSERT_EQ(::stat((path("gen") + "/grant.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto v = openssl({"verify", "-purpose", "sslclient", "-CAfile", path("gen") + "/ca.crt",
                    path("gen") + "/grant.crt"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // Never over an existing certificate or key.
  r = j_.run({"grant", "cert", "req-cli-gw#1", "--out", path("gen"), "--as", "tech-borealis-2"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  // From a CSR: no key written.
  ASSERT_EQ(openssl({"req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=me", "-keyout",
                     path("t.key"), "-out", path("t.csr")})
                .exit_code,
            0);
  r = j_.run({"grant", "cert", "req-cli-gw#1", "--out", path("csr"), "--csr", path("t.csr"), "--as",
              "tech-borealis-2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(fs::exists(path("csr") + "/grant.key"));
  v = openssl({"verify", "-purpose", "sslclient", "-CAfile", path("csr") + "/ca.crt",
               path("csr") + "/grant.crt"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // The CA a gateway trusts is the one that signed them.
  r = j_.run({"ca", "export", "--out", path("trust.crt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(path("trust.crt")), read_file(path("csr") + "/ca.crt"));
  EXPECT_EQ(j_.run({"journal", "verify"}).exit_code, 0);
}

TEST_F(SessionCli, SessionListAndKillByCustomsStaffOnly) {
  auto r = j_.run({"session", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no live sessions"), std::string::npos);
  // A session opened by the control plane (as the server would on a gateway's admit): through
  // the journal, which is all the CLI and the server share.
  ASSERT_EQ(j_.run({"--json", "grant", "cert", "req-cli-gw#1", "--out", path("c"), "--as",
                    "tech-borealis-2"})
                .exit_code,
            0);
  const std::string payload =
      nlohmann::json{{"session", "ses-cli-1"},        {"gateway", "gw-1"},
                     {"grant", "req-cli-gw#1"},       {"person", "tech-borealis-2"},
                     {"vendor", "borealis"},          {"asset", "scanner-05"},
                     {"upstream", "10.20.1.15:8443"}, {"grant_end", at_offset_minutes(120)}}
          .dump();
  ASSERT_EQ(j_.run({"journal", "append", "--type", "gateway.session.opened", "--payload", payload})
                .exit_code,
            0);
  r = j_.run({"--json", "session", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["sessions"].size(), 1u) << r.out;
  EXPECT_EQ(j["sessions"][0]["person"], "tech-borealis-2");
  r = j_.run({"session", "kill", "ses-cli-1", "--reason", "test", "--as", "tech-borealis-2"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  r = j_.run({"session", "kill", "ses-nope", "--reason", "test", "--as", "operator-1"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  r = j_.run({"session", "kill", "ses-cli-1", "--reason", "unplanned", "--as", "operator-1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = j_.run({"--json", "session", "list"});
  j = nlohmann::json::parse(r.out);
  EXPECT_NE(j["sessions"][0]["kill_reason"].get<std::string>().find("unplanned"), std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace pw::testing
