#include "gateway/config.h"

#include <toml++/toml.h>

#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <system_error>

namespace pw::gateway {
namespace {

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// "HOST:PORT" or "[V6]:PORT" -> host, port. Port 0..65535 when allow_zero, else 1..65535.
core::Status split_host_port(std::string_view text, bool allow_zero, std::string& host,
                             std::uint16_t& port) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return core::invalid_argument("no port");
  std::string_view h = text.substr(0, colon);
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']') return core::invalid_argument("unbalanced [ ]");
    h = h.substr(1, h.size() - 2);
  }
  const std::string_view p = text.substr(colon + 1);
  if (p.empty() || p.size() > 5) return core::invalid_argument("bad port");
  unsigned value = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return core::invalid_argument("bad port");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535 || (!allow_zero && value == 0)) {
    return core::invalid_argument("port out of range");
  }
  for (char c : h) {
    if (c <= ' ' || c == '/' || c == '@' || c == '?' || c == '#') {
      return core::invalid_argument("bad host");
    }
  }
  host = std::string(h);
  port = static_cast<std::uint16_t>(value);
  return core::ok();
}

// "https://HOST:PORT" (an optional trailing '/') -> host, port.
core::Status parse_control_url(std::string_view url, std::string& host, std::string& port) {
  constexpr std::string_view kScheme = "https://";
  if (!url.starts_with(kScheme))
    return core::invalid_argument("must start with https:// (TLS only)");
  url.remove_prefix(kScheme.size());
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  std::uint16_t number = 0;
  if (auto st = split_host_port(url, false, host, number); !st) {
    return core::invalid_argument("must be https://HOST:PORT (" + st.error().message() + ")");
  }
  port = std::to_string(number);
  return core::ok();
}

class Reader {
 public:
  Reader(const toml::table& t, std::string_view source, const std::filesystem::path& base)
      : t_(t), source_(source), base_(base) {}

  core::Error err(std::string_view key, std::string_view what) const {
    return core::Error(core::Code::kInvalidArgument,
                       std::string(source_) + ": " + std::string(key) + ": " + std::string(what));
  }

  core::Result<std::string> str(std::string_view key, bool required) {
    seen_.insert(std::string(key));
    const toml::node* n = t_.get(key);
    if (n == nullptr) {
      if (required) return std::unexpected(err(key, "required"));
      return std::string();
    }
    if (!n->is_string()) return std::unexpected(err(key, "must be a string"));
    std::string v = *n->value<std::string>();
    if (v.empty()) return std::unexpected(err(key, "must not be empty"));
    return v;
  }

  core::Result<std::filesystem::path> path(std::string_view key) {
    PW_ASSIGN_OR_RETURN(std::string v, str(key, true));
    std::filesystem::path p(v);
    if (p.is_relative()) p = base_ / p;
    return p;
  }

  // An integer in [lo, hi], or `fallback` if absent.
  core::Result<std::int64_t> integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                                     std::int64_t fallback) {
    seen_.insert(std::string(key));
    const toml::node* n = t_.get(key);
    if (n == nullptr) return fallback;
    if (!n->is_integer()) return std::unexpected(err(key, "must be an integer"));
    const std::int64_t v = *n->value<std::int64_t>();
    if (v < lo || v > hi) {
      return std::unexpected(
          err(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi)));
    }
    return v;
  }

  core::Result<std::chrono::milliseconds> millis(std::string_view key, std::int64_t lo,
                                                 std::int64_t hi, std::chrono::milliseconds def) {
    PW_ASSIGN_OR_RETURN(std::int64_t v, integer(key, lo, hi, def.count()));
    return std::chrono::milliseconds(v);
  }

  core::Status no_unknown_keys() const {
    for (const auto& [key, node] : t_) {
      if (!seen_.contains(std::string(key.str()))) {
        std::string known;
        for (const auto& k : seen_) known += (known.empty() ? "" : ", ") + k;
        return std::unexpected(err(key.str(), "unknown key (known: " + known + ")"));
      }
    }
    return core::ok();
  }

 private:
  const toml::table& t_;
  std::string_view source_;
  std::filesystem::path base_;
  std::set<std::string> seen_;
};

core::Status check_readable(const std::filesystem::path& p, std::string_view key) {
  std::ifstream in(p);
  if (!in) {
    return core::invalid_argument(std::string(key) + ": cannot read " + p.string());
  }
  return core::ok();
}

}  // namespace

core::Result<GatewayConfig> parse_config(std::string_view toml_text, std::string_view source,
                                         const std::filesystem::path& base_dir) {
  toml::table t;
  try {
    t = toml::parse(toml_text, std::string(source));
  } catch (const toml::parse_error& e) {
    return core::invalid_argument(std::string(source) + ":" +
                                  std::to_string(e.source().begin.line) + ": " +
                                  std::string(e.description()));
  }
  Reader r(t, source, base_dir);
  GatewayConfig c;
  PW_ASSIGN_OR_RETURN(c.id, r.str("id", true));
  if (!valid_id(c.id)) {
    return std::unexpected(r.err("id", "1 to 64 characters of A-Z a-z 0-9 . _ -"));
  }
  PW_ASSIGN_OR_RETURN(std::string listen, r.str("listen", true));
  if (auto st = split_host_port(listen, true, c.listen_address, c.listen_port); !st) {
    return std::unexpected(r.err(
        "listen", "must be ADDRESS:PORT, e.g. 127.0.0.1:7443 (" + st.error().message() + ")"));
  }
  PW_ASSIGN_OR_RETURN(std::int64_t threads, r.integer("threads", 0, 256, 0));
  c.threads = static_cast<int>(threads);
  PW_ASSIGN_OR_RETURN(c.tls_cert, r.path("tls_cert"));
  PW_ASSIGN_OR_RETURN(c.tls_key, r.path("tls_key"));
  PW_ASSIGN_OR_RETURN(c.grant_ca, r.path("grant_ca"));
  const auto url = r.str("control_url", true);
  if (!url) return std::unexpected(url.error());
  if (auto st = parse_control_url(*url, c.control_host, c.control_port); !st) {
    return std::unexpected(r.err("control_url", st.error().message()));
  }
  PW_ASSIGN_OR_RETURN(c.control_ca, r.path("control_ca"));
  PW_ASSIGN_OR_RETURN(c.token_file, r.path("token_file"));
  PW_ASSIGN_OR_RETURN(c.recording_dir, r.path("recording_dir"));
  PW_ASSIGN_OR_RETURN(c.lease_timeout,
                      r.millis("lease_timeout_ms", 100, 3'600'000, c.lease_timeout));
  PW_ASSIGN_OR_RETURN(c.heartbeat_interval,
                      r.millis("heartbeat_interval_ms", 10, 60'000, c.heartbeat_interval));
  if (c.heartbeat_interval >= c.lease_timeout) {
    return std::unexpected(r.err("heartbeat_interval_ms", "must be shorter than lease_timeout_ms"));
  }
  PW_ASSIGN_OR_RETURN(c.handshake_timeout,
                      r.millis("handshake_timeout_ms", 10, 600'000, c.handshake_timeout));
  PW_ASSIGN_OR_RETURN(c.control_timeout,
                      r.millis("control_timeout_ms", 10, 600'000, c.control_timeout));
  PW_ASSIGN_OR_RETURN(c.connect_timeout,
                      r.millis("connect_timeout_ms", 10, 600'000, c.connect_timeout));
  PW_ASSIGN_OR_RETURN(std::int64_t max_conn, r.integer("max_connections_per_address", 1, 1'000'000,
                                                       c.max_connections_per_address));
  c.max_connections_per_address = static_cast<int>(max_conn);
  PW_ASSIGN_OR_RETURN(std::int64_t max_rate,
                      r.integer("max_attempts_per_second_per_address", 1, 1'000'000,
                                c.max_attempts_per_second_per_address));
  c.max_attempts_per_second_per_address = static_cast<int>(max_rate);
  PW_TRY(r.no_unknown_keys());
  return c;
}

core::Result<GatewayConfig> load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return core::invalid_argument("cannot read the configuration " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  PW_ASSIGN_OR_RETURN(GatewayConfig c, parse_config(text.str(), file.string(), file.parent_path()));
  PW_TRY(check_readable(c.tls_cert, "tls_cert"));
  PW_TRY(check_readable(c.tls_key, "tls_key"));
  PW_TRY(check_readable(c.grant_ca, "grant_ca"));
  PW_TRY(check_readable(c.control_ca, "control_ca"));
  PW_TRY(check_readable(c.token_file, "token_file"));
  std::error_code ec;
  std::filesystem::create_directories(c.recording_dir, ec);
  if (ec || !std::filesystem::is_directory(c.recording_dir)) {
    return core::invalid_argument("recording_dir: cannot create " + c.recording_dir.string() +
                                  (ec ? ": " + ec.message() : ""));
  }
  return c;
}

}  // namespace pw::gateway
