// HttpServer on Boost.Beast: one io_context per I/O thread, one coroutine per connection.
//
// Threads: `threads` workers, each running its own io_context, plus one acceptor thread with its
// own io_context that only accepts and hands sockets to the workers in turn. The acceptor has a
// thread of its own because handlers run on the workers: a slow handler must not stop the
// server from accepting connections for the other workers.
//
// Ownership: HttpServer::Impl owns everything. A connection's coroutine frame owns
// its socket, buffer and ConnectionControl and runs only on its worker's thread; the worker's
// `connections` list (for stop()) is touched only on that thread too. The Router, options and
// TLS context are read-only once start() returned; Metrics are atomics.
//
// Every Beast/Asio operation here completes with an error code (as_tuple), never an exception;
// what may still throw (std::bad_alloc, a handler) is caught before it can leave a coroutine or
// a thread, so nothing crosses out of this file as an exception.

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <exception>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/ids.h"
#include "core/random.h"
#include "http/internal/message_check.h"
#include "http/internal/observability.h"
#include "http/internal/target.h"
#include "http/json.h"
#include "http/server.h"

namespace pw::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;
// After we decided to close, how long we keep draining what the client still sends, so the
// kernel does not answer it with a reset that could destroy our response before the client
// read it (the "lingering close" of RFC 9112 section 9.6), and how long a TLS close_notify
// exchange may take.
constexpr std::chrono::milliseconds kLingerTime{1'000};
constexpr std::size_t kLingerBytes = 1 << 20;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// How stop() reaches a connection. Lives in the connection's coroutine frame; registered in
// its worker's list for exactly as long as the frame lives.
struct ConnectionControl {
  bool idle = true;             // waiting for the first byte of a request
  std::function<void()> close;  // closes the socket; pending operations complete aborted
};

struct Worker {
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::list<ConnectionControl*> connections;  // touched only on ioc's thread
};

std::string format_remote(const tcp::socket& socket) {
  boost::system::error_code ec;
  tcp::endpoint ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  const std::string address = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(ep.port());
}

// The Date field (RFC 9110 section 5.6.7, IMF-fixdate), formatted once per second per thread.
const std::string& http_date(core::Timestamp now) {
  thread_local std::int64_t cached_second = -1;
  thread_local std::string cached;
  const std::int64_t second = now.micros / 1'000'000;
  if (second != cached_second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    cached = buf;
    cached_second = second;
  }
  return cached;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// What ended an attempt to read a request, when it did not produce one.
enum class ReadFailure { kClientGone, kTimeout, kMalformed, kHeadersTooLarge, kBodyTooLarge };

ReadFailure classify(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return ReadFailure::kTimeout;
  if (ec == bhttp::error::header_limit) return ReadFailure::kHeadersTooLarge;
  if (ec == bhttp::error::body_limit) return ReadFailure::kBodyTooLarge;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    return ReadFailure::kClientGone;
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return ReadFailure::kMalformed;
  }
  return ReadFailure::kClientGone;  // reset, aborted by stop(), TLS failure
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, Router router)
      : options_(std::move(options)), router_(std::move(router)) {}

  core::Status start();
  void stop();
  std::uint16_t port() const { return port_.load(); }

 private:
  struct Outcome {
    Response response;
    std::size_t slot = 0;
    std::string_view route;
  };
  // Per request: what the access log and metrics need besides the response.
  struct Exchange {
    std::string request_id;
    std::string method = "-";
    std::string_view remote;
    Clock::time_point started;
    bool head = false;
    unsigned version = 11;
  };

  core::Status configure_tls();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(tcp::socket socket, Worker& worker);
  template <class Stream>
  asio::awaitable<void> serve_stream(Stream& stream, ConnectionControl& control,
                                     const std::string& remote);
  template <class Stream>
  asio::awaitable<bool> handle_one(Stream& stream, beast::flat_buffer& buffer,
                                   const std::string& remote);
  template <class Stream>
  asio::awaitable<bool> send(Stream& stream, Outcome outcome, const Exchange& exchange,
                             bool keep_alive);
  template <class Stream>
  asio::awaitable<void> close_gracefully(Stream& stream);

  Outcome dispatch(Request& request) noexcept;
  Outcome refusal(int status, std::string_view code_message, const std::string& request_id,
                  bool unmatched);
  void log(const Exchange& exchange, std::string_view route, int status, std::uint64_t bytes,
           std::string_view note);
  std::string new_request_id() { return core::new_uuid_v7(clock_->now(), *random_); }
  void connection_ended();

  ServerOptions options_;
  Router router_;
  const core::Clock* clock_ = nullptr;
  core::SystemClock system_clock_;
  std::unique_ptr<core::Random> random_;  // OpenSSL's CSPRNG: thread-safe
  std::unique_ptr<internal::Metrics> metrics_;
  std::optional<ssl::context> tls_;
  std::vector<std::unique_ptr<Worker>> workers_;
  asio::io_context accept_ioc_{1};
  std::optional<tcp::acceptor> acceptor_;  // on accept_ioc_
  std::vector<std::thread> threads_;       // the workers' and, last, the acceptor's
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;  // guards started_, stopped_, live_ waits
  std::condition_variable drained_;
  bool started_ = false;
  bool stopped_ = false;
  std::atomic<std::int64_t> live_{0};  // connection coroutines spawned and not yet ended
};

core::Status HttpServer::Impl::configure_tls() {
  const TlsOptions& t = *options_.tls;
  tls_.emplace(ssl::context::tls_server);
  SSL_CTX* ctx = tls_->native_handle();
  // TLS 1.2 is the floor; OpenSSL negotiates 1.3 with every client that offers it. For 1.2,
  // only forward-secret AEAD suites.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) {
    return core::internal_error("TLS: cipher list rejected by OpenSSL");
  }
  boost::system::error_code ec;
  tls_->use_certificate_chain_file(t.certificate_chain_file.string(), ec);
  if (ec) {
    return core::invalid_argument("TLS certificate chain file " +
                                  t.certificate_chain_file.string() + ": " + ec.message());
  }
  tls_->use_private_key_file(t.private_key_file.string(), ssl::context::pem, ec);
  if (ec) {
    return core::invalid_argument("TLS private key file " + t.private_key_file.string() + ": " +
                                  ec.message());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return core::invalid_argument("TLS private key file " + t.private_key_file.string() +
                                  ": does not match the certificate");
  }
  return core::ok();
}

core::Status HttpServer::Impl::start() {
  {
    std::lock_guard lock(mutex_);
    if (started_) return core::failed_precondition("HttpServer::start called twice");
    started_ = true;
  }
  if (options_.max_header_bytes == 0 || options_.max_header_bytes > UINT32_MAX) {
    return core::invalid_argument("max_header_bytes must be in 1..4294967295");
  }
  int threads = options_.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  clock_ = options_.clock != nullptr ? options_.clock : &system_clock_;
  random_ = core::make_secure_random();

  // Built-in routes; registered here so that they are counted like any other route.
  auto builtin = [&](std::string_view pattern, Handler h) -> core::Status {
    auto added = router_.add(Method::kGet, pattern, std::move(h));
    if (!added) {
      return core::invalid_argument("route " + std::string(pattern) +
                                    " is built into the server and cannot be registered");
    }
    return core::ok();
  };
  PW_TRY(builtin("/healthz",
                 [](const Request&, const PathParams&) { return Response::text(200, "ok"); }));
  PW_TRY(builtin("/metrics", [this](const Request&, const PathParams&) {
    Response r = Response::text(200, metrics_->render());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  }));
  metrics_ = std::make_unique<internal::Metrics>(router_);

  if (options_.tls) PW_TRY(configure_tls());

  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->guard.emplace(asio::make_work_guard(w->ioc));
    workers_.push_back(std::move(w));
  }

  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options_.listen_address, ec);
  if (ec) {
    return core::invalid_argument("listen address \"" + options_.listen_address +
                                  "\" is not an IP address");
  }
  const tcp::endpoint endpoint(address, options_.port);
  const std::string where = options_.listen_address + " port " + std::to_string(options_.port);
  acceptor_.emplace(accept_ioc_);
  if (acceptor_->open(endpoint.protocol(), ec); ec) {
    return core::unavailable("cannot open a socket for " + where + ": " + ec.message());
  }
  // Lets a restarted server bind while old connections sit in TIME_WAIT; it does not let two
  // live servers share the port on Linux.
  acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor_->bind(endpoint, ec); ec) {
    return core::unavailable("cannot bind " + where + ": " + ec.message());
  }
  if (acceptor_->listen(asio::socket_base::max_listen_connections, ec); ec) {
    return core::unavailable("cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint(ec).port();

  asio::co_spawn(accept_ioc_, accept_loop(), [](std::exception_ptr) {});
  std::vector<asio::io_context*> contexts;
  for (auto& w : workers_) contexts.push_back(&w->ioc);
  contexts.push_back(&accept_ioc_);
  for (asio::io_context* context : contexts) {
    threads_.emplace_back([&ioc = *context] {
      // Nothing is expected to throw out of run(); if something does (a bug), keep the thread
      // serving rather than take the process down.
      for (;;) {
        try {
          ioc.run();
          return;
        } catch (...) {
        }
      }
    });
  }
  return core::ok();
}

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  std::size_t next = 0;
  for (;;) {
    Worker& worker = *workers_[next++ % workers_.size()];
    auto [ec, socket] = co_await acceptor_->async_accept(worker.ioc, kAwait);
    if (stopping_.load() || !acceptor_->is_open()) co_return;
    if (ec) {
      // Out of descriptors or memory: wait a little instead of spinning on the error.
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(kAwait);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    live_.fetch_add(1);
    asio::co_spawn(worker.ioc, serve(std::move(socket), worker),
                   [this](std::exception_ptr) { connection_ended(); });
  }
}

void HttpServer::Impl::connection_ended() {
  if (live_.fetch_sub(1) == 1) {
    std::lock_guard lock(mutex_);
    drained_.notify_all();
  }
}

asio::awaitable<void> HttpServer::Impl::serve(tcp::socket socket, Worker& worker) {
  metrics_->connection_opened();
  ConnectionControl control;
  worker.connections.push_back(&control);
  const auto registered = std::prev(worker.connections.end());
  struct Unregister {
    Worker& worker;
    std::list<ConnectionControl*>::iterator it;
    internal::Metrics& metrics;
    ~Unregister() {
      worker.connections.erase(it);
      metrics.connection_closed();
    }
  } unregister{worker, registered, *metrics_};

  const std::string remote = format_remote(socket);
  try {
    if (tls_) {
      TlsStream stream(std::move(socket), *tls_);
      control.close = [&stream] { beast::get_lowest_layer(stream).close(); };
      co_await serve_stream(stream, control, remote);
    } else {
      PlainStream stream(std::move(socket));
      control.close = [&stream] { stream.close(); };
      co_await serve_stream(stream, control, remote);
    }
  } catch (...) {
    // std::bad_alloc or a bug: drop this connection, keep the server.
  }
  control.close = nullptr;
}

template <class Stream>
asio::awaitable<void> HttpServer::Impl::serve_stream(Stream& stream, ConnectionControl& control,
                                                     const std::string& remote) {
  constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  auto& lowest = beast::get_lowest_layer(stream);
  if (stopping_.load()) co_return;
  if constexpr (kTls) {
    // Still idle for stop(): no request has started yet.
    lowest.expires_after(options_.read_timeout);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kAwait);
    if (ec) co_return;
  }
  beast::flat_buffer buffer;
  bool first = true;
  bool open = true;
  while (open && !stopping_.load()) {
    if (buffer.size() == 0) {
      // Waiting for a request: a new connection gets read_timeout (it connected to send one),
      // a kept-alive connection idle_timeout. stop() may close the socket while idle.
      control.idle = true;
      lowest.expires_after(first ? options_.read_timeout : options_.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kAwait);
      control.idle = false;
      if (ec) co_return;
      buffer.commit(n);
    }
    first = false;
    // From the first byte of the request: the whole request must arrive within read_timeout
    // (basic_stream's expiry is a deadline for all operations until it is set again).
    lowest.expires_after(options_.read_timeout);
    open = co_await handle_one(stream, buffer, remote);
  }
  co_await close_gracefully(stream);
}

template <class Stream>
asio::awaitable<void> HttpServer::Impl::close_gracefully(Stream& stream) {
  auto& lowest = beast::get_lowest_layer(stream);
  if (!lowest.socket().is_open()) co_return;
  lowest.expires_after(std::min<std::chrono::milliseconds>(kLingerTime, options_.write_timeout));
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    auto [ec] = co_await stream.async_shutdown(kAwait);
    (void)ec;
  } else {
    boost::system::error_code ec;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    // Drain until the client closes, for at most kLingerTime / kLingerBytes.
    std::vector<char> sink(kReadChunk);
    std::size_t drained = 0;
    while (drained < kLingerBytes) {
      auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), kAwait);
      if (rec) break;
      drained += n;
    }
  }
  lowest.close();
}

HttpServer::Impl::Outcome HttpServer::Impl::refusal(int status, std::string_view message,
                                                    const std::string& request_id, bool unmatched) {
  core::Code code = core::Code::kInvalidArgument;
  if (status == 404) code = core::Code::kNotFound;
  Outcome out;
  out.response = error_response(core::Error(code, std::string(message)), request_id);
  out.response.status = status;
  out.slot = unmatched ? metrics_->unmatched_slot() : metrics_->rejected_slot();
  out.route = unmatched ? internal::Metrics::kUnmatchedRoute : internal::Metrics::kRejectedRoute;
  return out;
}

HttpServer::Impl::Outcome HttpServer::Impl::dispatch(Request& request) noexcept {
  try {
    Router::Match match = router_.match(request.method, request.path);
    if (match.kind == Router::Match::Kind::kNotFound) {
      return refusal(404, "no route for this path", request.request_id, true);
    }
    if (match.kind == Router::Match::Kind::kMethodNotAllowed) {
      Outcome out = refusal(405, "method not allowed for this path", request.request_id, true);
      std::string allow;
      for (Method m : match.allow) {
        if (!allow.empty()) allow += ", ";
        allow += method_name(m);
      }
      out.response.headers.set("Allow", allow);
      return out;
    }
    Outcome out;
    out.slot = match.route_index;
    out.route = match.pattern;
    request.route = std::string(match.pattern);
    // The exception's text may hold internals: the client gets the request id only, the
    // access log gets the text.
    try {
      out.response = (*match.handler)(request, match.params);
    } catch (const std::exception& e) {
      out.response = error_response(
          core::Error(core::Code::kInternal, std::string("handler threw: ") + e.what()),
          request.request_id);
      return out;
    } catch (...) {
      out.response =
          error_response(core::Error(core::Code::kInternal, "handler threw a non-std exception"),
                         request.request_id);
      return out;
    }
    if (auto problem = internal::check_response(out.response)) {
      out.response = error_response(
          core::Error(core::Code::kInternal, "handler response refused: " + *problem),
          request.request_id);
    }
    return out;
  } catch (...) {
    // Only std::bad_alloc can get here; answer with the smallest response possible.
    Outcome out;
    out.response.status = 500;
    out.response.body = "internal error";
    out.slot = metrics_->rejected_slot();
    out.route = internal::Metrics::kRejectedRoute;
    return out;
  }
}

template <class Stream>
asio::awaitable<bool> HttpServer::Impl::handle_one(Stream& stream, beast::flat_buffer& buffer,
                                                   const std::string& remote) {
  Exchange ex;
  ex.request_id = new_request_id();
  ex.remote = remote;
  ex.started = Clock::now();

  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
  parser.body_limit(options_.max_body_bytes);

  // Answers a request that cannot be handled and closes the connection: after a framing error
  // the rest of the byte stream cannot be trusted, and after a too-large body we did not read.
  auto refuse = [&](ReadFailure failure) -> asio::awaitable<bool> {
    switch (failure) {
      case ReadFailure::kClientGone:
        co_return false;
      case ReadFailure::kTimeout:
        // basic_stream closed the socket when the deadline passed; nothing can be sent.
        log(ex, internal::Metrics::kRejectedRoute, 408, 0, "read timeout; connection closed");
        metrics_->record(
            metrics_->rejected_slot(), 408,
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - ex.started));
        co_return false;
      case ReadFailure::kMalformed:
        co_return co_await send(stream, refusal(400, "malformed request", ex.request_id, false), ex,
                                false);
      case ReadFailure::kHeadersTooLarge:
        co_return co_await send(stream,
                                refusal(431,
                                        "request header fields too large: limit " +
                                            std::to_string(options_.max_header_bytes) + " bytes",
                                        ex.request_id, false),
                                ex, false);
      case ReadFailure::kBodyTooLarge:
        co_return co_await send(stream,
                                refusal(413,
                                        "request body too large: limit " +
                                            std::to_string(options_.max_body_bytes) + " bytes",
                                        ex.request_id, false),
                                ex, false);
    }
    co_return false;
  };

  {
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kAwait);
    (void)n;
    if (ec) co_return co_await refuse(classify(ec));
  }
  const auto& header = parser.get();
  ex.method = std::string(header.method_string());
  ex.version = header.version();
  ex.head = header.method() == bhttp::verb::head;
  if (ex.version != 10 && ex.version != 11) co_return co_await refuse(ReadFailure::kMalformed);
  // RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host.
  if (ex.version == 11 && header.find(bhttp::field::host) == header.end()) {
    co_return co_await send(stream, refusal(400, "Host header is required", ex.request_id, false),
                            ex, false);
  }
  // Announced too large: refuse before reading a byte of it.
  if (auto length = parser.content_length(); length && *length > options_.max_body_bytes) {
    co_return co_await refuse(ReadFailure::kBodyTooLarge);
  }
  if (!parser.is_done()) {
    if (auto expect = header.find(bhttp::field::expect);
        expect != header.end() && iequals_ascii(expect->value(), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kContinue), kAwait);
      if (ec) co_return false;
    }
    auto [ec, read] = co_await bhttp::async_read(stream, buffer, parser, kAwait);
    (void)read;
    if (ec) co_return co_await refuse(classify(ec));
  }

  bhttp::request<bhttp::string_body> message = parser.release();
  const bool keep_alive = message.keep_alive();
  ex.started = Clock::now();

  const std::optional<Method> method = parse_method(ex.method);
  if (!method) {
    co_return co_await send(stream, refusal(501, "method not implemented", ex.request_id, true), ex,
                            keep_alive);
  }
  auto target = internal::parse_target(message.target());
  if (!target) {
    co_return co_await send(stream, refusal(400, target.error().message(), ex.request_id, false),
                            ex, false);
  }
  Request request;
  request.method = *method;
  request.path = std::move(target->path);
  request.target = std::string(message.target());
  request.query = std::move(target->query);
  for (const auto& field : message) {
    request.headers.add(field.name_string(), field.value());
  }
  request.body = std::move(message.body());
  request.remote_address = remote;
  request.request_id = ex.request_id;
  request.tls = std::is_same_v<Stream, TlsStream>;

  co_return co_await send(stream, dispatch(request), ex, keep_alive);
}

template <class Stream>
asio::awaitable<bool> HttpServer::Impl::send(Stream& stream, Outcome outcome, const Exchange& ex,
                                             bool keep_alive) {
  Response& r = outcome.response;
  keep_alive = keep_alive && !stopping_.load();
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), ex.version};
  out.set("X-Request-Id", ex.request_id);
  out.set(bhttp::field::date, http_date(clock_->now()));
  auto set_default = [&](std::string_view name, std::string_view value) {
    if (!r.headers.contains(name)) out.set(name, value);
  };
  set_default("X-Content-Type-Options", "nosniff");
  set_default("Cache-Control", "no-store");
  set_default("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  set_default("Referrer-Policy", "no-referrer");
  set_default("X-Frame-Options", "DENY");
  if (std::is_same_v<Stream, TlsStream>) {
    set_default("Strict-Transport-Security", "max-age=31536000");
  }
  for (const auto& [name, value] : r.headers.fields()) out.insert(name, value);
  const std::uint64_t bytes = r.body.size();
  if (!r.body.empty()) out.set(bhttp::field::content_type, r.content_type);
  out.keep_alive(keep_alive);
  if (ex.head) {
    out.content_length(bytes);  // what a GET would have sent; no body follows
  } else {
    out.body() = std::move(r.body);
    out.prepare_payload();
  }

  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(options_.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, out, kAwait);
  const auto duration =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - ex.started);
  metrics_->record(outcome.slot, r.status, duration);
  log(ex, outcome.route, r.status, ex.head ? 0 : bytes,
      ec ? std::string_view("write failed; connection closed") : std::string_view(r.log_note));
  co_return !ec && keep_alive;
}

void HttpServer::Impl::log(const Exchange& ex, std::string_view route, int status,
                           std::uint64_t bytes, std::string_view note) {
  if (!options_.access_log) return;
  try {
    internal::AccessRecord record;
    record.time = clock_->now();
    record.request_id = ex.request_id;
    record.method = ex.method;
    record.route = route;
    record.status = status;
    record.bytes = bytes;
    record.duration =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - ex.started);
    record.remote = ex.remote;
    record.note = note;
    options_.access_log(internal::format_access_line(record));
  } catch (...) {
    // A failing log sink must not fail the request.
  }
}

void HttpServer::Impl::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopped_) return;
    stopped_ = true;
  }
  stopping_.store(true);
  if (!workers_.empty()) {
    if (acceptor_) {
      asio::post(accept_ioc_, [this] {
        boost::system::error_code ignored;
        acceptor_->close(ignored);
      });
    }
    auto close_connections = [this](bool idle_only) {
      for (auto& w : workers_) {
        asio::post(w->ioc, [&worker = *w, idle_only] {
          // Closing completes pending operations, but their handlers (which unregister the
          // connection) run later, not inside this loop, so the list is stable here.
          for (ConnectionControl* c : worker.connections) {
            if ((c->idle || !idle_only) && c->close) c->close();
          }
        });
      }
    };
    close_connections(/*idle_only=*/true);
    {
      std::unique_lock lock(mutex_);
      drained_.wait_for(lock, options_.shutdown_grace, [this] { return live_.load() == 0; });
    }
    if (live_.load() != 0) close_connections(/*idle_only=*/false);
    for (auto& w : workers_) w->guard.reset();
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
  acceptor_.reset();
  workers_.clear();
}

HttpServer::HttpServer(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

HttpServer::~HttpServer() {
  stop();
}

core::Status HttpServer::start() {
  auto status = impl_->start();
  if (!status) impl_->stop();
  return status;
}

std::uint16_t HttpServer::port() const {
  return impl_->port();
}

void HttpServer::stop() {
  impl_->stop();
}

}  // namespace pw::http
