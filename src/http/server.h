#pragma once
// The HTTP server framework of portwarden: requests, responses, a router with path parameters,
// and HttpServer, which serves a Router over HTTP/1.1 (optionally TLS) with the limits,
// timeouts, safe defaults and observability every route gets for free. Adapters (the REST API)
// register routes here and call app/; nothing here knows about the domain.
//
// This header is free of Boost and OpenSSL on purpose: routes are written against these types
// only, and the implementation (Boost.Beast, src/http/internal/) can change behind them.
//
// Threading: HttpServer runs `threads` I/O threads, each with its own io_context; a connection
// lives on one of them for its whole life. Synchronous handlers (Handler) run on the I/O thread
// of their connection, so a handler must be thread-safe (several run at once on different
// threads) and must not block for long (it holds up every connection of that thread). A handler
// that blocks forever also blocks stop(). A route that has to wait (a long-poll) registers an
// AsyncHandler instead: it returns at once and answers later, from any thread, through its
// Responder, while the I/O thread serves other connections.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace pw::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions };

// "GET", "HEAD", ...
std::string_view method_name(Method method);
// The method for an upper-case token ("GET"); nullopt for anything else (methods are
// case-sensitive, RFC 9110 section 9.1).
std::optional<Method> parse_method(std::string_view token);

// True iff `name` is an RFC 9110 token (a valid header field name).
bool is_header_name(std::string_view name);
// True iff `value` may be sent as a header field value: visible ASCII, obs-text, space and tab
// only. In particular CR, LF and NUL are refused, which is what prevents header injection.
bool is_header_value(std::string_view value);

// Header fields in arrival (or insertion) order. Names compare case-insensitively (ASCII), as
// RFC 9110 requires; values are kept as they are.
class Headers {
 public:
  // The first value of `name`, or nullopt. The view lives as long as the Headers is unchanged.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  // Replaces every field called `name` by one with `value`.
  void set(std::string_view name, std::string_view value);
  // Appends a field, keeping existing ones of the same name (e.g. Set-Cookie).
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Named string parameters, in order: path parameters ({id} in a route pattern) and query
// parameters (?a=1&b=2). Values are percent-decoded. A query may repeat a name; get() returns
// the first, all() every value.
class Params {
 public:
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> all(std::string_view name) const;
  void add(std::string name, std::string value) {
    entries_.emplace_back(std::move(name), std::move(value));
  }
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};
using PathParams = Params;
using QueryParams = Params;

struct Request {
  Method method = Method::kGet;
  // The percent-decoded path ("/v1/assets/a b"). Guaranteed by the server: starts with '/',
  // has no "." or ".." segment, no NUL or other control character, no backslash and no
  // encoded '/' ("%2F") -- requests that would break these are refused with 400 before any
  // handler sees them.
  std::string path;
  // The request target exactly as it arrived ("/v1/assets/a%20b?x=1").
  std::string target;
  QueryParams query;
  Headers headers;
  std::string body;
  // "127.0.0.1:53211" or "[::1]:53211".
  std::string remote_address;
  // Unique per request (a UUID v7); also sent back as X-Request-Id and written to the access
  // log, so a client's report can be matched to the server's records.
  std::string request_id;
  // The route pattern that matched ("/v1/assets/{id}"), for logs.
  std::string route;
  bool tls = false;
};

struct Response {
  int status = 200;
  // Sent as Content-Type (when the body is not empty or content_type is set explicitly).
  std::string content_type = "text/plain; charset=utf-8";
  // Extra fields. Names must be tokens and values must pass is_header_value(); otherwise the
  // server refuses the whole response and sends 500 instead (header injection). Fields the
  // server owns (Content-Length, Transfer-Encoding, Connection, Date, Server, X-Request-Id)
  // are refused the same way. Security defaults (see HttpServer) are added unless set here.
  Headers headers;
  std::string body;
  // Diagnostics for the operator, written to the access log ("note") and never sent: e.g. the
  // message of an internal error that the client only sees as "internal error", or what() of
  // an exception a handler threw.
  std::string log_note;

  static Response text(int status, std::string body);
};

// Handlers get the request and the parameters their pattern captured. They may throw: the
// server turns any exception into a 500 with the request id and never sends its message.
using Handler = std::function<Response(const Request&, const PathParams&)>;

// Completes one request of an AsyncHandler, later and from any thread. Move-only; respond() and
// pending() are thread-safe (also on one object from several threads; moving or destroying it
// needs exclusive access, as for any object) and respond() takes effect once: the first answer
// wins, later ones are ignored.
//
// Contract, as the server keeps it:
// - While the answer is pending the connection reads nothing more (pipelined requests wait, so
//   responses stay in request order) and its I/O thread serves other connections.
// - The answer goes through everything a Handler's does: the response check (header
//   injection -> 500), the security defaults, X-Request-Id, the write timeout, the access log
//   (duration counted from the request's arrival) and the route's metrics.
// - A Responder destroyed without an answer (or a handler that throws before answering)
//   answers 500 with the request id; the access log says why.
// - stop() answers every pending request at once with 503 (Connection: close) rather than
//   waiting out shutdown_grace for it; respond() then returns false and pending() becomes
//   false, so a waiting handler can let go of the Responder.
// - The server neither times a pending answer out nor notices a client that disconnects while
//   it waits (it reads nothing meanwhile): the handler bounds its own wait.
class Responder {
 public:
  struct State;  // private to the server (http/internal/responder_state.h)

  Responder() = default;  // answers nothing; pending() is false
  explicit Responder(std::shared_ptr<State> state) : state_(std::move(state)) {}
  Responder(Responder&&) noexcept = default;
  // Drops (answers 500 for) the request this Responder held, if still pending.
  Responder& operator=(Responder&& other) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  // Sends `response`. True iff this call's answer is the one that goes out: false after an
  // earlier answer, after stop() answered 503, when the connection is gone, or when moved from.
  bool respond(Response response);
  // True while the server still waits for this answer.
  bool pending() const;

 private:
  std::shared_ptr<State> state_;
};

// An asynchronous handler: returns without answering and completes `responder` later (or
// within the call). `request` and `params` are valid only during the call: copy what the answer
// needs. It may throw before answering (500, as for Handler). It runs on the I/O thread, like a
// Handler, so the call itself must be quick.
using AsyncHandler = std::function<void(const Request&, const PathParams&, Responder)>;

// Method + path pattern -> handler. Patterns are absolute paths whose segments are either
// literal ("assets") or a parameter ("{id}", matching exactly one non-empty segment):
// "/v1/assets/{id}/faults/{fault}". Matching is on the decoded path, segment by segment.
//
// Precedence: among the patterns that match a path, a literal segment beats a parameter,
// comparing from the left ("/v1/assets/search" wins over "/v1/assets/{id}" for
// GET /v1/assets/search). The most specific pattern that has a handler for the method is
// used; if none has one, the answer is 405 with Allow listing the methods of every pattern
// that matches the path; if no pattern matches at all, 404. A GET route also answers HEAD
// (same headers, no body) unless a HEAD route is registered.
//
// Not thread-safe while being built; HttpServer takes its own copy at construction and only
// reads it afterwards.
class Router {
 public:
  // invalid_argument for a malformed pattern (not starting with '/', empty or unbalanced
  // parameter names, a parameter name used twice); already_exists if the same method is
  // already registered for a pattern of the same shape ("/a/{x}" and "/a/{y}" have one shape).
  core::Status add(Method method, std::string_view pattern, Handler handler);
  // The same for an asynchronous handler; patterns, precedence and errors as for add().
  core::Status add_async(Method method, std::string_view pattern, AsyncHandler handler);

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    // kFound: exactly one of these is set; points into the Router, valid while it lives.
    const Handler* handler = nullptr;
    const AsyncHandler* async_handler = nullptr;
    PathParams params;            // kFound
    std::string_view pattern;     // kFound: the matched pattern, valid while Router lives
    std::size_t route_index = 0;  // kFound: dense index of (pattern, method), < size()
    std::vector<Method> allow;    // kMethodNotAllowed: sorted, no duplicates
  };
  // Routes a decoded path (as in Request::path).
  Match match(Method method, std::string_view path) const;

  // Registered (pattern, method) pairs, in registration order; route_index indexes this.
  struct RouteInfo {
    std::string pattern;
    Method method;
  };
  const std::vector<RouteInfo>& routes() const { return infos_; }
  std::size_t size() const { return infos_.size(); }

 private:
  struct Segment {
    bool param = false;
    std::string text;  // literal text, or the parameter name
  };
  struct Entry {
    std::vector<Segment> segments;
    std::string pattern;
    std::vector<std::pair<Method, std::size_t>> methods;  // method -> index into handlers_
  };
  struct Route {
    Handler handler;     // set for add()
    AsyncHandler async;  // set for add_async()
  };
  core::Status add_route(Method method, std::string_view pattern, Route route);

  std::vector<Entry> entries_;
  std::vector<Route> handlers_;  // parallel to infos_
  std::vector<RouteInfo> infos_;
};

struct TlsOptions {
  // PEM files. The chain file may hold intermediates after the leaf. TLS 1.2 is the minimum,
  // TLS 1.3 is preferred (offered first, used by every client that speaks it).
  std::filesystem::path certificate_chain_file;
  std::filesystem::path private_key_file;
};

struct ServerOptions {
  // An IP address literal ("127.0.0.1", "::", "0.0.0.0"). Loopback by default: listening on
  // every interface is a decision to write down in the configuration.
  std::string listen_address = "127.0.0.1";
  // 0 = an ephemeral port; HttpServer::port() reports the one bound.
  std::uint16_t port = 0;
  // I/O threads, each with its own io_context; 0 = std::thread::hardware_concurrency().
  int threads = 0;
  // Larger bodies get 413 without the handler being called (and without the body being read
  // when Content-Length announces it).
  std::size_t max_body_bytes = 1 << 20;
  // Request line plus header fields; larger gets 431.
  std::size_t max_header_bytes = 16 << 10;
  // From the first byte of a request to its last: the connection of a client slower than this
  // (slowloris) is closed, and the access log records a 408. Nothing is sent: the deadline
  // closes the socket. Also bounds the TLS handshake and the wait for the first byte on a new
  // connection (a client connects to send a request, so it should send one soon).
  std::chrono::milliseconds read_timeout{10'000};
  // How long a kept-alive connection may wait for the first byte of its next request before it
  // is closed (silently, as RFC 9112 section 9.8 allows).
  std::chrono::milliseconds idle_timeout{30'000};
  // How long writing one response may take (a client that does not read).
  std::chrono::milliseconds write_timeout{10'000};
  // How long stop() lets requests in flight finish before it closes their connections.
  std::chrono::milliseconds shutdown_grace{5'000};
  std::optional<TlsOptions> tls;
  // Receives one JSON object per request, as one line without the trailing newline:
  // {"time","request_id","method","route","status","bytes","duration_us","remote"[,"note"]}.
  // Called on I/O threads, possibly concurrently: the sink must be thread-safe and quick.
  std::function<void(std::string_view line)> access_log;
  // Time for the access log and request ids; nullptr = the system clock. Borrowed: must
  // outlive the server.
  const core::Clock* clock = nullptr;
};

// Serves a Router. Every response carries X-Request-Id and the security defaults
// X-Content-Type-Options: nosniff, Cache-Control: no-store, Content-Security-Policy:
// default-src 'none'; frame-ancestors 'none', Referrer-Policy: no-referrer,
// X-Frame-Options: DENY (and Strict-Transport-Security over TLS); a handler may set its own
// value for any of them (a console page needs a different CSP). Built-in routes: GET /healthz
// (200 "ok") and GET /metrics (Prometheus text format 0.0.4).
//
// Malformed requests get 400, oversized headers 431, oversized bodies 413, a path with
// traversal 400, and a request slower than read_timeout is cut. Each of these closes the
// connection, since the rest of the byte stream can no longer be trusted. Responses also carry
// Date; they carry no Server header, so the software version is not advertised. HTTP/1.1 keep-alive
// and pipelining are supported (responses go out in request order; one request is handled at a time
// per connection, including while an asynchronous one waits for its Responder).
class HttpServer {
 public:
  HttpServer(ServerOptions options, Router router);
  ~HttpServer();  // stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads. Errors: invalid_argument (bad address, options
  // or a route clash with the built-in /healthz and /metrics), unavailable (the address could
  // not be bound: in use, not permitted; the message names the address and the reason),
  // invalid_argument for unreadable or mismatched TLS files (named). Call once.
  core::Status start();
  // The bound port, once start() succeeded; 0 before.
  std::uint16_t port() const;
  // Graceful: stops accepting, closes idle connections, answers requests pending on a
  // Responder with 503 at once, lets requests in flight finish and answers them with
  // Connection: close (for up to shutdown_grace, then closes what is left), and joins the I/O
  // threads. Idempotent; safe to call from any thread but a handler's.
  void stop();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pw::http
