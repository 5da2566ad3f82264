// The gateway's configuration: defaults, paths relative to the file, and a clear error naming the
// key for every bad value.
#include "gateway/config.h"

#include <gtest/gtest.h>

#include <string>

#include "support/test_support.h"

namespace pw::gateway {
namespace {

const std::string kMinimal = R"(
id = "gw-1"
listen = "127.0.0.1:0"
tls_cert = "gw.crt"
tls_key = "gw.key"
grant_ca = "ca/grant-ca.crt"
control_url = "https://localhost:8443"
control_ca = "/etc/pw/control.crt"
token_file = "token"
recording_dir = "rec"
)";

core::Result<GatewayConfig> parse(const std::string& text) {
  return parse_config(text, "gw.toml", "/etc/pw");
}

// The error message for `kMinimal` plus `extra` (which must fail).
std::string error_of(const std::string& extra) {
  auto c = parse(kMinimal + extra);
  EXPECT_FALSE(c.has_value()) << extra;
  return c ? "" : c.error().message();
}

TEST(GatewayConfig, MinimalFileGetsDefaultsAndPathsRelativeToTheFile) {
  auto c = parse(kMinimal);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  EXPECT_EQ(c->id, "gw-1");
  EXPECT_EQ(c->listen_address, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 0);
  EXPECT_EQ(c->threads, 0);
  EXPECT_EQ(c->tls_cert, std::filesystem::path("/etc/pw/gw.crt"));
  EXPECT_EQ(c->grant_ca, std::filesystem::path("/etc/pw/ca/grant-ca.crt"));
  EXPECT_EQ(c->control_ca, std::filesystem::path("/etc/pw/control.crt"));
  EXPECT_EQ(c->control_host, "localhost");
  EXPECT_EQ(c->control_port, "8443");
  EXPECT_EQ(c->lease_timeout.count(), 10'000);
  EXPECT_EQ(c->heartbeat_interval.count(), 250);
  EXPECT_GT(c->max_connections_per_address, 0);
}

TEST(GatewayConfig, EveryOptionalKeyIsRead) {
  auto c = parse(kMinimal + R"(
threads = 3
lease_timeout_ms = 2000
heartbeat_interval_ms = 100
handshake_timeout_ms = 700
control_timeout_ms = 900
connect_timeout_ms = 800
max_connections_per_address = 5
max_attempts_per_second_per_address = 7
)");
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  EXPECT_EQ(c->threads, 3);
  EXPECT_EQ(c->lease_timeout.count(), 2000);
  EXPECT_EQ(c->heartbeat_interval.count(), 100);
  EXPECT_EQ(c->handshake_timeout.count(), 700);
  EXPECT_EQ(c->control_timeout.count(), 900);
  EXPECT_EQ(c->connect_timeout.count(), 800);
  EXPECT_EQ(c->max_connections_per_address, 5);
  EXPECT_EQ(c->max_attempts_per_second_per_address, 7);
}

TEST(GatewayConfig, BadValuesAreRefusedNamingTheKey) {
  EXPECT_NE(error_of("threads = -1").find("threads"), std::string::npos);
  EXPECT_NE(error_of("threads = \"two\"").find("threads: must be an integer"), std::string::npos);
  EXPECT_NE(error_of("lease_timeout_ms = 0").find("lease_timeout_ms"), std::string::npos);
  EXPECT_NE(error_of("heartbeat_interval_ms = 20000").find("heartbeat_interval_ms"),
            std::string::npos);
  EXPECT_NE(error_of("max_connections_per_address = 0").find("max_connections_per_address"),
            std::string::npos);
  EXPECT_NE(error_of("colour = \"blue\"").find("colour: unknown key"), std::string::npos);
}

TEST(GatewayConfig, MissingOrMalformedRequiredValuesAreRefused) {
  auto missing = parse("id = \"gw-1\"\nlisten = \"127.0.0.1:1\"\n");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("tls_cert: required"), std::string::npos);

  auto replace = [](std::string key, std::string value) {
    std::string text = kMinimal;
    const auto at = text.find(key + " = ");
    const auto end = text.find('\n', at);
    text.replace(at, end - at, key + " = " + value);
    auto c = parse(text);
    EXPECT_FALSE(c.has_value()) << key << " = " << value;
    return c ? std::string() : c.error().message();
  };
  EXPECT_NE(replace("id", "\"gw 1\"").find("id:"), std::string::npos);
  EXPECT_NE(replace("listen", "\"127.0.0.1\"").find("listen:"), std::string::npos);
  EXPECT_NE(replace("listen", "\"127.0.0.1:70000\"").find("listen:"), std::string::npos);
  EXPECT_NE(replace("control_url", "\"http://localhost:8443\"").find("https://"),
            std::string::npos);
  EXPECT_NE(replace("control_url", "\"https://localhost\"").find("control_url"), std::string::npos);
  EXPECT_NE(replace("control_url", "\"https://localhost:0\"").find("control_url"),
            std::string::npos);
  EXPECT_NE(replace("tls_cert", "\"\"").find("tls_cert: must not be empty"), std::string::npos);
  EXPECT_NE(replace("token_file", "7").find("token_file: must be a string"), std::string::npos);
  auto syntax = parse("id = ");
  ASSERT_FALSE(syntax.has_value());
  EXPECT_NE(syntax.error().message().find("gw.toml:1"), std::string::npos);
}

TEST(GatewayConfig, LoadChecksTheNamedFilesAreReadable) {
  testing::TempDir dir;
  testing::write_file(dir / "gw.toml", kMinimal);
  auto c = load_config(dir / "gw.toml");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("tls_cert: cannot read"), std::string::npos)
      << c.error().message();
  auto none = load_config(dir / "absent.toml");
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message().find("absent.toml"), std::string::npos);
}

}  // namespace
}  // namespace pw::gateway
