// What one connection of the Beast HttpServer does (see beast_server.h): read a request within
// the limits, route it, run its handler (or wait, without holding the thread, for the
// Responder of an asynchronous one), write the response, and close gracefully.

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <ctime>
#include <exception>
#include <type_traits>

#include "http/internal/beast_server.h"
#include "http/internal/message_check.h"
#include "http/internal/target.h"
#include "http/json.h"

namespace pw::http {
namespace {

using namespace internal;  // NOLINT: the aliases of beast_server.h
namespace bhttp = boost::beast::http;
using Clock = SteadyClock;

constexpr std::size_t kReadChunk = 16 * 1024;
// After we decided to close, how long we keep draining what the client still sends, so the
// kernel does not answer it with a reset that could destroy our response before the client
// read it (the "lingering close" of RFC 9112 section 9.6), and how long a TLS close_notify
// exchange may take.
constexpr std::chrono::milliseconds kLingerTime{1'000};
constexpr std::size_t kLingerBytes = 1 << 20;

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

// Replaces a response the server must not send (header injection, fields the server owns) by
// a 500 that says why in the access log.
void check(Response& response, const std::string& request_id) {
  if (auto problem = internal::check_response(response)) {
    response = error_response(
        core::Error(core::Code::kInternal, "handler response refused: " + *problem), request_id);
  }
}

}  // namespace

HttpServer::Impl::Outcome HttpServer::Impl::out_of_memory() noexcept {
  // Only std::bad_alloc gets here; answer with the smallest response possible.
  Outcome out;
  out.response.status = 500;
  out.response.body = "internal error";
  out.slot = metrics_->rejected_slot();
  out.route = internal::Metrics::kRejectedRoute;
  return out;
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
    open = co_await handle_one(stream, buffer, control, remote);
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
    if (match.async_handler != nullptr) {
      out.pending = std::make_shared<Responder::State>(request.request_id);
      auto threw = [&](std::string note) {
        out.pending->fail(error_response(core::Error(core::Code::kInternal, std::move(note)),
                                         request.request_id));
      };
      try {
        (*match.async_handler)(request, match.params, Responder(out.pending));
      } catch (const std::exception& e) {
        threw(std::string("handler threw: ") + e.what());
      } catch (...) {
        threw("handler threw a non-std exception");
      }
      return out;
    }
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
    check(out.response, request.request_id);
    return out;
  } catch (...) {
    return out_of_memory();
  }
}

asio::awaitable<bool> HttpServer::Impl::await_answer(Outcome& outcome, ConnectionControl& control) {
  Responder::State& state = *outcome.pending;
  // The wait is a timer that never expires: waking cancels it. Only this frame owns it; a
  // wake-up that arrives after the frame is gone finds the weak pointer empty.
  auto executor = co_await asio::this_coro::executor;
  auto signal =
      std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
  bool waiting = false;
  {
    std::lock_guard lock(state.mu);
    waiting = !state.answered;
    if (waiting) {
      state.wake = [executor, weak = std::weak_ptr<asio::steady_timer>(signal)] {
        asio::post(executor, [weak] {
          if (auto s = weak.lock()) s->cancel();
        });
      };
    }
  }
  if (waiting) {
    control.answer_pending = [&state] {
      try {
        state.complete(
            error_response(core::Error(core::Code::kUnavailable, "the server is shutting down"),
                           state.request_id),
            /*drop=*/false);
      } catch (...) {
        // std::bad_alloc: the connection is closed when the grace ends.
      }
    };
    // stop() began before this request got here: it will not come back to answer it.
    if (stopping_.load()) control.answer_pending();
    auto [ec] = co_await signal->async_wait(kAwait);
    (void)ec;  // cancelled: by an answer, or by stop() closing the connection
    control.answer_pending = nullptr;
  }
  std::optional<Response> answer;
  {
    std::lock_guard lock(state.mu);
    state.wake = nullptr;
    if (state.answered) {
      answer = std::move(state.answer);
    } else {
      state.abandoned = true;
    }
  }
  if (!answer) co_return false;
  outcome.response = std::move(*answer);
  try {
    check(outcome.response, state.request_id);
  } catch (...) {
    outcome = out_of_memory();
  }
  outcome.pending.reset();  // `state` may be gone from here on
  co_return true;
}

template <class Stream>
asio::awaitable<bool> HttpServer::Impl::handle_one(Stream& stream, beast::flat_buffer& buffer,
                                                   ConnectionControl& control,
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

  Outcome outcome = dispatch(request);
  if (outcome.pending && !co_await await_answer(outcome, control)) co_return false;
  co_return co_await send(stream, std::move(outcome), ex, keep_alive);
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

}  // namespace pw::http
