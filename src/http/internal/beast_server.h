#pragma once
// HttpServer on Boost.Beast: one io_context per I/O thread, one coroutine per connection.
// Private to http/. The server's lifecycle (start, accept, stop) is in beast_server.cc; what a
// connection does (read, dispatch, wait for an asynchronous answer, write, close) is in
// beast_connection.cc.
//
// Threads: `threads` workers, each running its own io_context, plus one acceptor thread with its
// own io_context that only accepts and hands sockets to the workers in turn. The acceptor has a
// thread of its own because handlers run on the workers: a slow handler must not stop the
// server from accepting connections for the other workers.
//
// Ownership: HttpServer::Impl owns everything. A connection's coroutine frame owns
// its socket, buffer and ConnectionControl and runs only on its worker's thread; the worker's
// `connections` list (for stop()) is touched only on that thread too. The Router, options and
// TLS context are read-only once start() returned; Metrics are atomics. A request waiting for
// a Responder shares only a Responder::State (responder_state.h) with other threads.
//
// Every Beast/Asio operation here completes with an error code (as_tuple), never an exception;
// what may still throw (std::bad_alloc, a handler) is caught before it can leave a coroutine or
// a thread, so nothing crosses out of these files as an exception.

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "core/random.h"
#include "http/internal/observability.h"
#include "http/internal/responder_state.h"
#include "http/server.h"

namespace pw::http::internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

inline constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// How stop() reaches a connection. Lives in the connection's coroutine frame; registered in
// its worker's list for exactly as long as the frame lives; touched only on that worker's thread.
struct ConnectionControl {
  bool idle = true;             // waiting for the first byte of a request
  std::function<void()> close;  // closes the socket; pending operations complete aborted
  // Set while the connection waits for a Responder: answers it with 503 (no-op if answered).
  std::function<void()> answer_pending;
};

struct Worker {
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::list<ConnectionControl*> connections;  // touched only on ioc's thread
};

}  // namespace pw::http::internal

namespace pw::http {

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, Router router)
      : options_(std::move(options)), router_(std::move(router)) {}

  core::Status start();
  void stop();
  std::uint16_t port() const { return port_.load(); }

 private:
  using ConnectionControl = internal::ConnectionControl;
  using Worker = internal::Worker;
  template <class T>
  using awaitable = internal::asio::awaitable<T>;

  struct Outcome {
    Response response;
    std::size_t slot = 0;
    std::string_view route;
    // Set when an asynchronous handler has not answered yet: `response` is then filled in by
    // await_answer().
    std::shared_ptr<Responder::State> pending;
  };
  // Per request: what the access log and metrics need besides the response.
  struct Exchange {
    std::string request_id;
    std::string method = "-";
    std::string_view remote;
    internal::SteadyClock::time_point started;
    bool head = false;
    unsigned version = 11;
  };

  // beast_server.cc: lifecycle.
  core::Status configure_tls();
  awaitable<void> accept_loop();
  void connection_ended();

  // beast_connection.cc: one connection.
  awaitable<void> serve(internal::tcp::socket socket, Worker& worker);
  template <class Stream>
  awaitable<void> serve_stream(Stream& stream, ConnectionControl& control,
                               const std::string& remote);
  template <class Stream>
  awaitable<bool> handle_one(Stream& stream, internal::beast::flat_buffer& buffer,
                             ConnectionControl& control, const std::string& remote);
  template <class Stream>
  awaitable<bool> send(Stream& stream, Outcome outcome, const Exchange& exchange, bool keep_alive);
  template <class Stream>
  awaitable<void> close_gracefully(Stream& stream);
  // Waits (without blocking the thread) for the pending answer of `outcome` and puts it in
  // outcome.response. False if the connection was closed while waiting: nothing to send.
  awaitable<bool> await_answer(Outcome& outcome, ConnectionControl& control);

  Outcome dispatch(Request& request) noexcept;
  // The smallest 500 there is, for when even building a response failed (std::bad_alloc).
  Outcome out_of_memory() noexcept;
  Outcome refusal(int status, std::string_view code_message, const std::string& request_id,
                  bool unmatched);
  void log(const Exchange& exchange, std::string_view route, int status, std::uint64_t bytes,
           std::string_view note);
  std::string new_request_id() { return core::new_uuid_v7(clock_->now(), *random_); }

  ServerOptions options_;
  Router router_;
  const core::Clock* clock_ = nullptr;
  core::SystemClock system_clock_;
  std::unique_ptr<core::Random> random_;  // OpenSSL's CSPRNG: thread-safe
  std::unique_ptr<internal::Metrics> metrics_;
  std::optional<internal::ssl::context> tls_;
  std::vector<std::unique_ptr<Worker>> workers_;
  internal::asio::io_context accept_ioc_{1};
  std::optional<internal::tcp::acceptor> acceptor_;  // on accept_ioc_
  std::vector<std::thread> threads_;                 // the workers' and, last, the acceptor's
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;  // guards started_, stopped_, live_ waits
  std::condition_variable drained_;
  bool started_ = false;
  bool stopped_ = false;
  std::atomic<std::int64_t> live_{0};  // connection coroutines spawned and not yet ended
};

}  // namespace pw::http
