#include "gateway/internal/control_client.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace pw::gateway::internal {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

struct ControlClient::Connection {
  explicit Connection(asio::io_context& ioc, ssl::context& tls) : stream(ioc, tls) {}
  beast::ssl_stream<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

ControlClient::ControlClient(asio::io_context& ioc, const GatewayConfig& config, std::string token)
    : ioc_(ioc),
      host_(config.control_host),
      port_(config.control_port),
      token_(std::move(token)),
      timeout_(config.control_timeout),
      ca_file_(config.control_ca),
      tls_(ssl::context::tls_client) {}

ControlClient::~ControlClient() = default;

core::Status ControlClient::init() {
  SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
  tls_.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  tls_.load_verify_file(ca_file_.string(), ec);
  if (ec) {
    return core::invalid_argument("control_ca: " + ca_file_.string() +
                                  " holds no usable certificate (" + ec.message() + ")");
  }
  return core::ok();
}

asio::awaitable<core::Result<std::unique_ptr<ControlClient::Connection>>> ControlClient::connect() {
  auto c = std::make_unique<Connection>(ioc_, tls_);
  SSL* ssl = c->stream.native_handle();
  boost::system::error_code ec;
  (void)asio::ip::make_address(host_, ec);
  if (!ec) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host_.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, host_.c_str());
    SSL_set1_host(ssl, host_.c_str());
  }
  tcp::resolver resolver(ioc_);
  auto [rec, endpoints] = co_await resolver.async_resolve(host_, port_, kAwait);
  if (rec) co_return core::unavailable("control plane " + host_ + ": " + rec.message());
  beast::get_lowest_layer(c->stream).expires_after(timeout_);
  auto [cec, ep] = co_await beast::get_lowest_layer(c->stream).async_connect(endpoints, kAwait);
  if (cec) {
    co_return core::unavailable("control plane " + host_ + ":" + port_ + ": " + cec.message());
  }
  beast::get_lowest_layer(c->stream).socket().set_option(tcp::no_delay(true), ec);
  auto [hec] = co_await c->stream.async_handshake(ssl::stream_base::client, kAwait);
  if (hec) co_return core::unavailable("control plane TLS: " + hec.message());
  co_return std::move(c);
}

asio::awaitable<core::Result<HttpReply>> ControlClient::exchange(Connection& c,
                                                                 const std::string& target,
                                                                 const std::string& body,
                                                                 bool& reusable) {
  reusable = false;
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, host_ + ":" + port_);
  req.set(http::field::authorization, "Bearer " + token_);
  req.set(http::field::content_type, "application/json");
  req.keep_alive(true);
  req.body() = body;
  req.prepare_payload();
  beast::get_lowest_layer(c.stream).expires_after(timeout_);
  auto [wec, written] = co_await http::async_write(c.stream, req, kAwait);
  if (wec) co_return core::unavailable("control plane: " + wec.message());
  http::response_parser<http::string_body> parser;
  parser.body_limit(4 << 20);
  auto [rec, read] = co_await http::async_read(c.stream, c.buffer, parser, kAwait);
  if (rec) co_return core::unavailable("control plane: " + rec.message());
  auto res = parser.release();
  reusable = res.keep_alive();
  co_return HttpReply{static_cast<int>(res.result_int()), std::move(res.body())};
}

asio::awaitable<core::Result<HttpReply>> ControlClient::post(std::string target, std::string body,
                                                             bool urgent) {
  // Runs on the control thread only, so the counter and queue need no lock.
  while (!urgent && in_flight_ >= kMaxInFlight) {
    asio::steady_timer turn(ioc_, std::chrono::steady_clock::time_point::max());
    waiting_.push_back(&turn);
    co_await turn.async_wait(kAwait);
    std::erase(waiting_, &turn);
  }
  ++in_flight_;
  struct Release {
    ControlClient& c;
    ~Release() {
      --c.in_flight_;
      if (!c.waiting_.empty()) {
        c.waiting_.front()->cancel();
        c.waiting_.pop_front();
      }
    }
  } release{*this};
  try {
    // A kept-alive connection may have been closed by the server meanwhile: one failure on a
    // reused connection is retried on a fresh one (the requests are safe to repeat: admit
    // answers from the registry, heartbeats and closes are idempotent at the control plane).
    while (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      bool reusable = false;
      auto r = co_await exchange(*c, target, body, reusable);
      if (r) {
        if (reusable && idle_.size() < 8) idle_.push_back(std::move(c));
        co_return r;
      }
    }
    auto c = co_await connect();
    if (!c) co_return std::unexpected(c.error());
    bool reusable = false;
    auto r = co_await exchange(**c, target, body, reusable);
    if (r && reusable && idle_.size() < 8) idle_.push_back(std::move(*c));
    co_return r;
  } catch (const std::exception& e) {
    co_return core::unavailable(std::string("control plane: ") + e.what());
  }
}

}  // namespace pw::gateway::internal
