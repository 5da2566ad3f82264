#pragma once
// The gateway's configuration (docs/GATEWAY.md, "Configuration"): a TOML file read once at
// start. Every value is checked here, so that a gateway with a bad setting refuses to start with
// an error that names the key, instead of failing open later.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace pw::gateway {

struct GatewayConfig {
  // Names this gateway to the control plane ("gw-1"): [A-Za-z0-9._-], 1..64 characters.
  std::string id;
  // An IP address literal and a port (0 = any free port; Gateway::port() reports it).
  std::string listen_address = "127.0.0.1";
  std::uint16_t listen_port = 0;
  // I/O threads, each with its own io_context; 0 = one per core.
  int threads = 0;
  // The gateway's own TLS certificate chain and key (PEM).
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  // The grant CA's certificate (PEM): every client certificate must chain to it.
  std::filesystem::path grant_ca;
  // The control plane: "https://HOST:PORT" (TLS only), the CA file its certificate is verified
  // against, and the file holding the bearer token of an account with role `gateway`.
  std::string control_host;
  std::string control_port;
  std::filesystem::path control_ca;
  std::filesystem::path token_file;
  // One recording file per session is written here (created if missing).
  std::filesystem::path recording_dir;
  // Fail closed: with no successful heartbeat for this long, every session is closed and none is
  // admitted until a heartbeat succeeds.
  std::chrono::milliseconds lease_timeout{10'000};
  std::chrono::milliseconds heartbeat_interval{250};
  // A client that has not finished its TLS handshake in this time is cut.
  std::chrono::milliseconds handshake_timeout{5'000};
  // Bounds on one control-plane request and on connecting to the upstream.
  std::chrono::milliseconds control_timeout{5'000};
  std::chrono::milliseconds connect_timeout{5'000};
  // Per source address: at most this many connections open at once, and at most this many new
  // connections per second (a token bucket of that size); beyond either, the connection is
  // closed at once, before any TLS work, so a flood from one address costs others little.
  int max_connections_per_address = 64;
  int max_attempts_per_second_per_address = 20;
};

// Parses the TOML text of a configuration. Relative paths are taken relative to `base_dir`
// (the configuration file's folder). `source` names the text in errors ("gateway.toml").
// Errors are invalid_argument and name the key: unknown keys, wrong types, out-of-range values,
// a missing required key, a control_url that is not https://HOST:PORT.
core::Result<GatewayConfig> parse_config(std::string_view toml_text, std::string_view source,
                                         const std::filesystem::path& base_dir);

// Reads and parses the file, then checks that the files it names are readable (the recording
// folder is created if missing). Errors name the file or key.
core::Result<GatewayConfig> load_config(const std::filesystem::path& file);

}  // namespace pw::gateway
