// The lifecycle of the Beast HttpServer (see beast_server.h): TLS configuration, start,
// the accept loop, and the graceful stop.

#include "http/internal/beast_server.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>

namespace pw::http {

using namespace internal;  // NOLINT: the aliases of beast_server.h

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
            // A request waiting for its Responder (a long-poll) is answered 503 at once: its
            // wait could outlast the grace, and the answer would be empty anyway.
            if (c->answer_pending) c->answer_pending();
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
