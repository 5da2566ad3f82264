// `portwarden serve --config`: bad configuration is refused before anything listens.
#include <string>

#include <gtest/gtest.h>

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

TEST(ServeCli, BadListenAddressIsAUsageError) {
  JournalDir j;
  auto r = j.run({"serve", "--listen", "localhost"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ADDRESS:PORT"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pw::testing
