#pragma once
// Gateway::Impl, shared by gateway.cc (threads, acceptor, control loop) and session.cc (one
// client connection from handshake to close). See gateway.h for the threading model.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <future>
#include <list>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "gateway/gateway.h"
#include "gateway/internal/control_client.h"
#include "gateway/internal/recorder.h"
#include "gateway/internal/recording_thread.h"

namespace pw::gateway {

namespace internal {

// One client connection. Owned by a shared_ptr in its coroutine (and by timer handlers while they
// are pending); touched only on its worker's thread.
struct Conn {
  Conn(boost::asio::io_context& ioc, boost::asio::ssl::context& tls, boost::asio::ip::tcp::socket s)
      : client(std::move(s), tls), upstream(ioc) {}
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> client;
  boost::asio::ip::tcp::socket upstream;
  std::string remote;   // "127.0.0.1:50123"
  std::string session;  // set once admitted
  std::uint64_t bytes_up = 0;
  std::uint64_t bytes_down = 0;
  std::string end_reason;        // the first reason the session was cut for; empty while it runs
  Recorder* recorder = nullptr;  // owned by the session's coroutine; set while it records

  // Ends the connection now: closes both sockets (pending operations complete with an error).
  void cut(std::string reason) {
    if (end_reason.empty()) end_reason = std::move(reason);
    boost::system::error_code ec;
    client.next_layer().close(ec);
    upstream.close(ec);
    if (recorder != nullptr) recorder->cancel();  // a pump waiting for a buffer stops too
  }
};

struct Worker {
  boost::asio::io_context ioc{1};
  // Hashes and writes the recordings of this thread's sessions. Declared after ioc: it is
  // stopped (drained) before ioc goes, since it posts to ioc.
  RecordingThread recording;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  // Every live connection (admitted or not), and the admitted ones by session id. Only on ioc's
  // thread.
  std::list<Conn*> conns;
  std::unordered_map<std::string, Conn*> sessions;
};

struct SessionStat {
  std::string session;
  std::uint64_t bytes_up = 0;
  std::uint64_t bytes_down = 0;
};

// A session that ended, on its way to the control plane (Impl::closed).
struct ClosedSession {
  SessionStat stat;
  std::string reason;
  std::unique_ptr<Recorder> recorder;  // null when none was made
  std::string manifest_sha256;         // empty when the recording did not finish
  std::string recording_error;         // why there is no manifest (empty when there is one)
  int attempts = 0;
};

struct AdmitAnswer {
  bool allow = false;
  std::string session, grant, person, vendor, asset, upstream_host, upstream_port;
  core::Timestamp grant_end;
  std::string reasons;  // for the log
};

}  // namespace internal

class Gateway::Impl {
 public:
  Impl(GatewayConfig config, std::string token, EventLog log);
  core::Status start();
  void stop();
  std::uint16_t port() const { return port_; }

  // session.cc: one connection, on `worker`'s thread, from handshake to close.
  boost::asio::awaitable<void> serve(std::shared_ptr<internal::Conn> conn,
                                     internal::Worker& worker);

  // Control thread: admission and close (gateway.cc). admit() adds an admitted session to the
  // live set; closed() removes it, tells the control plane and seals the recording.
  boost::asio::awaitable<internal::AdmitAnswer> admit(std::string asset, std::string pem,
                                                      std::string remote);
  // `recording_error` is set (and `manifest_sha256` empty) when the session has no complete
  // recording: it was cut because the recording could not be written, or before it started.
  // A close the control plane could not be reached for (or answered 5xx) stays pending, its
  // recording unsealed, and is sent again after each successful heartbeat: so a cut made while
  // the control plane was away (lease lost) still reaches the journal with its reason.
  boost::asio::awaitable<void> closed(internal::ClosedSession c);

  // Writes one event line; `fields` is a JSON object body without braces (may be empty).
  void event(std::string_view name, const std::string& fields) const;

  const GatewayConfig& config() const { return config_; }
  boost::asio::ssl::context& server_tls() { return *server_tls_; }
  boost::asio::io_context& control_ioc() { return control_ioc_; }
  bool admitting() const { return admitting_.load(std::memory_order_acquire); }
  // Acceptor thread: a connection from `address` ended.
  void released(const std::string& address);

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> heartbeat_loop();
  boost::asio::awaitable<void> lease_watchdog();
  boost::asio::awaitable<std::vector<internal::SessionStat>> gather();
  void cut_all(std::string reason);
  bool allow_attempt(const std::string& address);

  GatewayConfig config_;
  std::string token_;
  EventLog log_;
  core::SystemClock clock_;
  std::optional<boost::asio::ssl::context> server_tls_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  // True while the lease is held: written by the control thread, read by the I/O threads.
  std::atomic<bool> admitting_{false};

  // Acceptor thread.
  boost::asio::io_context accept_ioc_{1};
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  struct AddressState {
    int open = 0;
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
    std::chrono::steady_clock::time_point last_logged;
  };
  std::unordered_map<std::string, AddressState> addresses_;
  std::size_t next_worker_ = 0;

  std::vector<std::unique_ptr<internal::Worker>> workers_;

  // Control thread.
  boost::asio::io_context control_ioc_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      control_guard_;
  std::optional<internal::ControlClient> control_;
  std::set<std::string> live_;  // admitted and not yet closed
  // Closes not yet answered by the control plane (see closed()); sent again after each
  // successful heartbeat, sealed unsigned when the gateway stops. At most kMaxPendingCloses.
  static constexpr std::size_t kMaxPendingCloses = 4096;
  std::vector<internal::ClosedSession> pending_closes_;
  bool resending_ = false;  // a resend of pending_closes_ is running
  boost::asio::awaitable<void> resend_pending();
  void finish_close(internal::ClosedSession& c, const std::string& unsigned_why, bool retried);
  std::chrono::steady_clock::time_point last_lease_;
  std::optional<boost::asio::steady_timer> heartbeat_timer_;
  std::optional<boost::asio::steady_timer> watchdog_timer_;
  std::promise<void> heartbeat_done_;  // set when heartbeat_loop has ended

  std::vector<std::thread> threads_;  // workers, acceptor, control
};

}  // namespace pw::gateway
