// Gateway: threads, the acceptor with its per-address limits, and the control thread (admit,
// heartbeat, close, lease watchdog). One connection's life is in internal/session.cc.
//
// Every Asio operation completes with an error code (as_tuple); what may still throw (bad_alloc,
// JSON) is caught inside the coroutine, so nothing leaves a thread as an exception.

#include "gateway/gateway.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "gateway/internal/gateway_impl.h"

namespace pw::gateway {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using internal::AdmitAnswer;
using internal::SessionStat;
using internal::Worker;
namespace {
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto a = ep.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

// Session ids go into file names and URL paths: only [A-Za-z0-9._-], 1..128, not "." or "..".
bool safe_id(std::string_view id) {
  if (id.empty() || id.size() > 128 || id == "." || id == "..") return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string jstr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Gateway::Impl::Impl(GatewayConfig config, std::string token, EventLog log)
    : config_(std::move(config)), token_(std::move(token)), log_(std::move(log)) {}

void Gateway::Impl::event(std::string_view name, const std::string& fields) const {
  if (!log_) return;
  std::string line = "{\"time\":\"" + core::format_rfc3339(clock_.now()) + "\",\"event\":\"" +
                     std::string(name) + "\"";
  if (!fields.empty()) line += "," + fields;
  line += "}";
  log_(line);
}

core::Status Gateway::Impl::start() {
  server_tls_.emplace(ssl::context::tls_server);
  SSL_CTX* ctx = server_tls_->native_handle();
  // TLS 1.3 only; no renegotiation, compression or session resumption (a resumed session
  // would skip the certificate checks of a fresh handshake).
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
                               SSL_OP_NO_TLSv1_2 | SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET |
                               SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_num_tickets(ctx, 0);
  // AES-128-GCM first, by the server's preference (clients, OpenSSL's among them, usually list
  // AES-256-GCM first): the same TLS 1.3 security level for this purpose at less CPU per byte
  // for the gateway and the client (docs/PERFORMANCE.md). ChaCha20 stays for clients without
  // AES instructions, which list it first (SSL_OP_PRIORITIZE_CHACHA).
  SSL_CTX_set_ciphersuites(
      ctx, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256");
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_PRIORITIZE_CHACHA);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  boost::system::error_code ec;
  server_tls_->use_certificate_chain_file(config_.tls_cert.string(), ec);
  if (ec)
    return core::invalid_argument("tls_cert: " + config_.tls_cert.string() + ": " + ec.message());
  server_tls_->use_private_key_file(config_.tls_key.string(), ssl::context::pem, ec);
  if (ec)
    return core::invalid_argument("tls_key: " + config_.tls_key.string() + ": " + ec.message());
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return core::invalid_argument("tls_key: " + config_.tls_key.string() +
                                  " does not match tls_cert " + config_.tls_cert.string());
  }
  server_tls_->load_verify_file(config_.grant_ca.string(), ec);
  if (ec) {
    return core::invalid_argument("grant_ca: " + config_.grant_ca.string() +
                                  " holds no usable certificate: " + ec.message());
  }
  // Only certificates chaining to the grant CA; the client must present one.
  server_tls_->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  SSL_CTX_set_verify_depth(ctx, 2);

  control_.emplace(control_ioc_, config_, token_);
  PW_TRY(control_->init());

  const auto address = asio::ip::make_address(config_.listen_address, ec);
  if (ec) return core::invalid_argument("listen: not an IP address: " + config_.listen_address);
  const tcp::endpoint endpoint(address, config_.listen_port);
  acceptor_.emplace(accept_ioc_);
  const std::string where = endpoint_text(endpoint);
  if (acceptor_->open(endpoint.protocol(), ec); ec) {
    return core::unavailable("listen " + where + ": " + ec.message());
  }
  acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor_->bind(endpoint, ec); ec)
    return core::unavailable("listen " + where + ": " + ec.message());
  if (acceptor_->listen(asio::socket_base::max_listen_connections, ec); ec) {
    return core::unavailable("listen " + where + ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint(ec).port();

  int threads = config_.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->guard.emplace(w->ioc.get_executor());
    workers_.push_back(std::move(w));
  }
  control_guard_.emplace(control_ioc_.get_executor());
  last_lease_ = std::chrono::steady_clock::now();
  heartbeat_timer_.emplace(control_ioc_);
  watchdog_timer_.emplace(control_ioc_);
  auto ignore = [](std::exception_ptr) {};
  asio::co_spawn(control_ioc_, heartbeat_loop(),
                 [this](std::exception_ptr) { heartbeat_done_.set_value(); });
  asio::co_spawn(control_ioc_, lease_watchdog(), ignore);
  asio::co_spawn(accept_ioc_, accept_loop(), ignore);
  auto run = [](asio::io_context& ioc) {
    return [&ioc] {
      for (;;) {
        try {
          ioc.run();
          return;
        } catch (...) {
          // A bug threw out of a handler; keep serving the other connections.
        }
      }
    };
  };
  for (auto& w : workers_) {
    w->recording.start();
    threads_.emplace_back(run(w->ioc));
  }
  threads_.emplace_back(run(accept_ioc_));
  threads_.emplace_back(run(control_ioc_));
  event("gateway.started", "\"gateway\":" + json(config_.id).dump() + ",\"listen\":" +
                               json(config_.listen_address + ":" + std::to_string(port_)).dump() +
                               ",\"threads\":" + std::to_string(threads));
  return core::ok();
}

bool Gateway::Impl::allow_attempt(const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  if (addresses_.size() > 100'000) {
    std::erase_if(addresses_, [](const auto& kv) { return kv.second.open == 0; });
  }
  auto [it, fresh] = addresses_.try_emplace(address);
  AddressState& s = it->second;
  const double cap = config_.max_attempts_per_second_per_address;
  if (fresh) {
    s.tokens = cap;
    s.refilled = now;
  } else {
    const double elapsed = std::chrono::duration<double>(now - s.refilled).count();
    s.tokens = std::min(cap, s.tokens + elapsed * cap);
    s.refilled = now;
  }
  if (s.tokens < 1.0 || s.open >= config_.max_connections_per_address) {
    if (now - s.last_logged > std::chrono::seconds(1)) {
      s.last_logged = now;
      event("gateway.session.refused",
            "\"remote\":" + json(address).dump() +
                ",\"reason\":\"too many connection attempts from this address\"");
    }
    return false;
  }
  s.tokens -= 1.0;
  ++s.open;
  return true;
}

void Gateway::Impl::released(const std::string& address) {
  asio::post(accept_ioc_, [this, address] {
    auto it = addresses_.find(address);
    if (it != addresses_.end() && it->second.open > 0) --it->second.open;
  });
}

asio::awaitable<void> Gateway::Impl::accept_loop() {
  for (;;) {
    Worker& worker = *workers_[next_worker_];
    auto [ec, socket] = co_await acceptor_->async_accept(worker.ioc, kAwait);
    if (stopping_.load() || !acceptor_->is_open()) co_return;
    if (ec) continue;  // e.g. EMFILE: the next accept may succeed
    boost::system::error_code ignored;
    const auto peer = socket.remote_endpoint(ignored);
    if (ignored) continue;
    const std::string address = peer.address().to_string();
    if (!allow_attempt(address)) {
      socket.close(ignored);
      continue;
    }
    next_worker_ = (next_worker_ + 1) % workers_.size();
    socket.set_option(tcp::no_delay(true), ignored);
    auto conn = std::make_shared<internal::Conn>(worker.ioc, *server_tls_, std::move(socket));
    conn->remote = endpoint_text(peer);
    asio::co_spawn(
        worker.ioc,
        [this, conn, &worker, address]() -> asio::awaitable<void> {
          try {
            co_await serve(conn, worker);
          } catch (...) {
            conn->cut("internal error");
          }
          released(address);
        },
        asio::detached);
  }
}

asio::awaitable<AdmitAnswer> Gateway::Impl::admit(std::string asset, std::string pem,
                                                  std::string remote) {
  AdmitAnswer a;
  try {
    json body = {
        {"gateway", config_.id}, {"asset", asset}, {"certificate", pem}, {"remote", remote}};
    auto r = co_await control_->post("/v1/gateway/admit", body.dump());
    if (!r) {
      a.reasons = "control plane unreachable: " + r.error().message();
      co_return a;
    }
    const json j = json::parse(r->body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      a.reasons = "control plane answered " + std::to_string(r->status) + " without JSON";
      co_return a;
    }
    if (auto it = j.find("reasons"); it != j.end() && it->is_array() && !it->empty()) {
      a.reasons = it->dump();
    }
    // Only a 200 with allow == true admits; anything else is a refusal.
    const auto allow = j.find("allow");
    if (r->status != 200 || allow == j.end() || !allow->is_boolean() || !allow->get<bool>()) {
      if (a.reasons.empty()) a.reasons = "control plane answered " + std::to_string(r->status);
      co_return a;
    }
    a.session = jstr(j, "session");
    a.grant = jstr(j, "grant");
    a.person = jstr(j, "person");
    a.vendor = jstr(j, "vendor");
    a.asset = jstr(j, "asset");
    const std::string upstream = jstr(j, "upstream");
    const std::size_t colon = upstream.rfind(':');
    auto end = core::parse_rfc3339(jstr(j, "grant_end"));
    if (!safe_id(a.session) || colon == std::string::npos || colon == 0 || !end) {
      a.reasons = "control plane's admit answer lacks a valid session, upstream or grant_end";
      co_return a;
    }
    a.upstream_host = upstream.substr(0, colon);
    if (a.upstream_host.size() > 2 && a.upstream_host.front() == '[') {
      a.upstream_host = a.upstream_host.substr(1, a.upstream_host.size() - 2);
    }
    a.upstream_port = upstream.substr(colon + 1);
    a.grant_end = *end;
    a.allow = true;
    live_.insert(a.session);
  } catch (const std::exception& e) {
    a.allow = false;
    a.reasons = std::string("admit failed: ") + e.what();
  }
  co_return a;
}

asio::awaitable<void> Gateway::Impl::closed(internal::ClosedSession c) {
  live_.erase(c.stat.session);
  std::string unsigned_why;
  bool retry = false;
  try {
    json body = {{"gateway", config_.id},
                 {"reason", c.reason},
                 {"bytes_up", c.stat.bytes_up},
                 {"bytes_down", c.stat.bytes_down}};
    if (!c.manifest_sha256.empty()) {
      body["recording"] = {{"manifest_sha256", c.manifest_sha256}};
    } else {
      body["recording"] = {
          {"error", c.recording_error.empty() ? "no recording" : c.recording_error}};
    }
    ++c.attempts;
    auto r =
        co_await control_->post("/v1/gateway/sessions/" + c.stat.session + "/close", body.dump());
    if (!r || r->status >= 500) {
      // Not answered: the close (and its reason) must still reach the journal.
      retry = true;
      unsigned_why = r ? "control plane answered " + std::to_string(r->status)
                       : "control plane unreachable: " + r.error().message();
    } else {
      const json j = json::parse(r->body, nullptr, false);
      const std::string key_name = j.is_object() ? jstr(j, "key_name") : "";
      const std::string key_id = j.is_object() ? jstr(j, "key_id") : "";
      const std::string signature = j.is_object() ? jstr(j, "signature") : "";
      if (r->status == 200 && c.manifest_sha256.empty()) {
        unsigned_why = "no manifest: " + c.recording_error;  // journaled with the error
      } else if (r->status != 200 || key_name.empty() || key_id.empty() || signature.empty()) {
        unsigned_why = "control plane did not sign (status " + std::to_string(r->status) + ")";
      } else if (c.recorder) {
        if (auto st = c.recorder->seal(key_name, key_id, signature); !st) {
          unsigned_why = "seal failed: " + st.error().message();
        }
      }
    }
  } catch (const std::exception& e) {
    unsigned_why = std::string("close failed: ") + e.what();
  }
  const bool retried = c.attempts > 1;
  if (retry && !stopping_.load() && pending_closes_.size() < kMaxPendingCloses) {
    if (!retried) {
      event("gateway.session.closed",
            "\"session\":" + json(c.stat.session).dump() + ",\"reason\":" + json(c.reason).dump() +
                ",\"bytes_up\":" + std::to_string(c.stat.bytes_up) +
                ",\"bytes_down\":" + std::to_string(c.stat.bytes_down) +
                ",\"recording\":" + json(c.recorder ? c.recorder->path().string() : "").dump() +
                ",\"manifest_sha256\":" + json(c.manifest_sha256).dump() +
                ",\"signed\":false,\"report_pending\":true,\"unsigned_because\":" +
                json(unsigned_why).dump());
    }
    pending_closes_.push_back(std::move(c));
    co_return;
  }
  finish_close(c, unsigned_why, retried);
}

void Gateway::Impl::finish_close(internal::ClosedSession& c, const std::string& unsigned_why,
                                 bool retried) {
  bool sealed_unsigned = false;
  if (!unsigned_why.empty() && c.recorder && c.manifest_sha256.size() == 64) {
    (void)c.recorder->seal_unsigned(unsigned_why);
    sealed_unsigned = true;
  }
  const bool is_signed = c.recorder && !sealed_unsigned && unsigned_why.empty();
  // A close that was pending is reported again under its own name, once it is settled.
  event(retried ? "gateway.session.close_reported" : "gateway.session.closed",
        "\"session\":" + json(c.stat.session).dump() + ",\"reason\":" + json(c.reason).dump() +
            ",\"bytes_up\":" + std::to_string(c.stat.bytes_up) +
            ",\"bytes_down\":" + std::to_string(c.stat.bytes_down) +
            ",\"recording\":" + json(c.recorder ? c.recorder->path().string() : "").dump() +
            ",\"manifest_sha256\":" + json(c.manifest_sha256).dump() +
            (c.recording_error.empty() ? ""
                                       : ",\"recording_error\":" + json(c.recording_error).dump()) +
            ",\"signed\":" + (is_signed ? "true" : "false") +
            (unsigned_why.empty() ? "" : ",\"unsigned_because\":" + json(unsigned_why).dump()));
}

asio::awaitable<void> Gateway::Impl::resend_pending() {
  if (resending_ || pending_closes_.empty()) co_return;
  resending_ = true;
  std::vector<internal::ClosedSession> batch = std::move(pending_closes_);
  pending_closes_.clear();
  for (auto& c : batch) co_await closed(std::move(c));  // a failure queues it again
  resending_ = false;
}

asio::awaitable<std::vector<SessionStat>> Gateway::Impl::gather() {
  std::vector<SessionStat> all;
  for (auto& w : workers_) {
    Worker* worker = w.get();
    auto part = co_await asio::co_spawn(
        worker->ioc,
        [worker]() -> asio::awaitable<std::vector<SessionStat>> {
          std::vector<SessionStat> out;
          out.reserve(worker->sessions.size());
          const core::Timestamp now = core::SystemClock().now();
          for (const auto& [id, conn] : worker->sessions) {
            out.push_back({id, conn->bytes_up, conn->bytes_down});
            // Idle sessions' last bytes reach the file within about a second.
            if (conn->recorder != nullptr) {
              if (auto st = conn->recorder->tick(now); !st) {
                conn->cut("recording failed: " + st.error().message());
              }
            }
          }
          co_return out;
        },
        asio::use_awaitable);
    for (auto& s : part) all.push_back(std::move(s));
  }
  co_return all;
}

void Gateway::Impl::cut_all(std::string reason) {
  for (auto& w : workers_) {
    asio::post(w->ioc, [worker = w.get(), reason] {
      for (internal::Conn* c : worker->conns) c->cut(reason);
    });
  }
}

asio::awaitable<void> Gateway::Impl::heartbeat_loop() {
  bool failing = false;
  while (!stopping_.load()) {
    const auto started = std::chrono::steady_clock::now();
    try {
      std::vector<SessionStat> stats = co_await gather();
      // Report every session admitted and not yet closed, including those whose worker has not
      // registered them yet (so the control plane never takes them for lost).
      std::unordered_set<std::string> seen;
      json sessions = json::array();
      for (const auto& s : stats) {
        seen.insert(s.session);
        sessions.push_back(
            {{"session", s.session}, {"bytes_up", s.bytes_up}, {"bytes_down", s.bytes_down}});
      }
      for (const auto& id : live_) {
        if (!seen.contains(id))
          sessions.push_back({{"session", id}, {"bytes_up", 0}, {"bytes_down", 0}});
      }
      json body = {{"gateway", config_.id}, {"sessions", std::move(sessions)}};
      auto r = co_await control_->post("/v1/gateway/heartbeat", body.dump(), true);
      const json j = r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
      if (!j.is_object()) {
        if (!failing) {
          failing = true;
          event("gateway.control.error",
                "\"what\":" + json(r ? "heartbeat answered " + std::to_string(r->status)
                                     : "heartbeat: " + r.error().message())
                                  .dump());
        }
      } else {
        failing = false;
        last_lease_ = std::chrono::steady_clock::now();
        if (!admitting_.exchange(true)) event("gateway.lease.renewed", "");
        if (!pending_closes_.empty() && !resending_) {
          asio::co_spawn(control_ioc_, resend_pending(), asio::detached);
        }
        if (auto wn = j.find("warn"); wn != j.end() && wn->is_array()) {
          for (const auto& item : *wn) {
            if (!item.is_object()) continue;
            event("gateway.session.warned",
                  "\"session\":" + json(jstr(item, "session")).dump() +
                      ",\"message\":" + json(jstr(item, "message")).dump());
          }
        }
        if (auto k = j.find("kill"); k != j.end() && k->is_array() && !k->empty()) {
          auto kills = std::make_shared<std::vector<std::pair<std::string, std::string>>>();
          for (const auto& item : *k) {
            if (item.is_object()) kills->emplace_back(jstr(item, "session"), jstr(item, "reason"));
          }
          for (auto& w : workers_) {
            asio::post(w->ioc, [worker = w.get(), kills] {
              for (const auto& [id, why] : *kills) {
                auto it = worker->sessions.find(id);
                if (it != worker->sessions.end()) it->second->cut("killed: " + why);
              }
            });
          }
        }
      }
    } catch (const std::exception& e) {
      event("gateway.control.error",
            "\"what\":" + json(std::string("heartbeat: ") + e.what()).dump());
    }
    heartbeat_timer_->expires_at(started + config_.heartbeat_interval);
    co_await heartbeat_timer_->async_wait(kAwait);
  }
}

asio::awaitable<void> Gateway::Impl::lease_watchdog() {
  const auto tick = std::min<std::chrono::milliseconds>(config_.heartbeat_interval,
                                                        std::chrono::milliseconds(100));
  while (!stopping_.load()) {
    watchdog_timer_->expires_after(tick);
    co_await watchdog_timer_->async_wait(kAwait);
    if (stopping_.load()) break;
    if (admitting_.load() &&
        std::chrono::steady_clock::now() - last_lease_ > config_.lease_timeout) {
      // Fail closed: no confirmation for lease_timeout -> nothing is admitted and every
      // session is cut, until a heartbeat succeeds again.
      admitting_.store(false);
      event("gateway.lease.lost",
            "\"lease_timeout_ms\":" + std::to_string(config_.lease_timeout.count()));
      cut_all("lease lost: no heartbeat confirmed by the control plane");
    }
  }
}

void Gateway::Impl::stop() {
  if (stopping_.exchange(true)) return;
  if (threads_.empty()) return;
  admitting_.store(false);
  asio::post(accept_ioc_, [this] {
    boost::system::error_code ignored;
    if (acceptor_) acceptor_->close(ignored);
  });
  cut_all("gateway stopping");
  // The heartbeat loop posts to the I/O threads (gather), so it must end while they still run.
  asio::post(control_ioc_, [this] {
    heartbeat_timer_->cancel();
    watchdog_timer_->cancel();
  });
  heartbeat_done_.get_future().wait();
  for (auto& w : workers_) w->guard.reset();
  // Workers end when their last connection has finished (recordings finished, close posted).
  for (std::size_t i = 0; i < workers_.size(); ++i) threads_[i].join();
  for (auto& w : workers_) w->recording.stop();  // their sessions have finished recording
  threads_[workers_.size()].join();              // acceptor: its loop ended with the acceptor
  control_guard_.reset();
  threads_.back().join();  // pending closes end within control_timeout
  threads_.clear();
  // Closes the control plane never answered: their recordings are sealed unsigned.
  for (auto& c : pending_closes_) {
    ++c.attempts;
    finish_close(c, "control plane unreachable until the gateway stopped", true);
  }
  pending_closes_.clear();
}

Gateway::Gateway(GatewayConfig config, std::string token, EventLog log)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(token), std::move(log))) {}
Gateway::~Gateway() {
  stop();
}
core::Status Gateway::start() {
  return impl_->start();
}
std::uint16_t Gateway::port() const {
  return impl_->port();
}
void Gateway::stop() {
  impl_->stop();
}

}  // namespace pw::gateway
