// `portwarden serve --config`: bad configuration is refused before anything listens.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli/cli_test_util.h"

namespace pw::testing {
namespace {

TEST(ServeCli, UnknownKeyOrWrongTypeInTheConfigIsRefusedNamingIt) {
  JournalDir j;
  const auto bad_key = j.dir() / "bad-key.toml";
  write_file(bad_key, "listen = \"127.0.0.1:0\"\nlisen = \"x\"\n");
  auto r = j.run({"serve", "--config", bad_key.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown key 'lisen'"), std::string::npos) << r.err;

  const auto bad_type = j.dir() / "bad-type.toml";
  write_file(bad_type, "threads = \"two\"\n");
  r = j.run({"serve", "--config", bad_type.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("threads must be an integer"), std::string::npos) << r.err;

  const auto broken = j.dir() / "broken.toml";
  write_file(broken, "listen = \n");
  r = j.run({"serve", "--config", broken.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("broken.toml:1"), std::string::npos) << r.err;
}

TEST(ServeCli, TheGatewayTableIsCheckedKeyByKey) {
  JournalDir j;
  for (auto [text, expected] :
       {std::pair{"[gateway]\nlease_ms = 10\n",
                  "gateway.lease_ms must be an integer from 1000 to 600000"},
        std::pair{"[gateway]\nlost_after_ms = \"5s\"\n",
                  "gateway.lost_after_ms must be an integer from 1000 to 600000"},
        std::pair{"[gateway]\nwarn_before_minutes = 2000\n",
                  "gateway.warn_before_minutes must be an integer from 0 to 1440"},
        std::pair{"[gateway]\nlease = 3\n", "unknown key 'gateway.lease'"},
        std::pair{"gateway = 3\n", "gateway must be a table"}}) {
    const auto file = j.dir() / "gw.toml";
    write_file(file, text);
    auto r = j.run({"serve", "--config", file.string()});
    EXPECT_EQ(r.exit_code, 2) << text;
    EXPECT_NE(r.err.find(expected), std::string::npos) << text << r.err;
  }
}

TEST(ServeCli, BadListenAddressIsAUsageError) {
  JournalDir j;
  auto r = j.run({"serve", "--listen", "localhost"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ADDRESS:PORT"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pw::testing

namespace pw::testing {
namespace {

TEST(InitCli, TlsFlagMakesAVerifiableCertificateForLocalhostWithAPrivateKey) {
  TempDir d;
  const std::string db = (d / "x.db").string();
  auto r = run_portwarden({"--db", db, "init", "--tls"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto crt = d / "x-tls.crt";
  const auto key = d / "x-tls.key";
  ASSERT_TRUE(std::filesystem::exists(crt));
  EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto v = run_process({"/usr/bin/openssl", "verify", "-CAfile", crt.string(), crt.string()});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  auto text = run_process({"/usr/bin/openssl", "x509", "-in", crt.string(), "-noout", "-text"});
  EXPECT_NE(text.out.find("DNS:localhost"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("IP Address:127.0.0.1"), std::string::npos);
  // The key matches the certificate.
  auto pub1 = run_process({"/usr/bin/openssl", "x509", "-in", crt.string(), "-noout", "-pubkey"});
  auto pub2 = run_process({"/usr/bin/openssl", "pkey", "-in", key.string(), "-pubout"});
  EXPECT_EQ(pub1.out, pub2.out);
}

}  // namespace
}  // namespace pw::testing
