// One client connection, from the TLS handshake to the close (docs/GATEWAY.md):
//   handshake (bounded) -> admit at the control plane -> connect upstream -> proxy and record
//   both directions until both ends closed, or a cut (kill, grant_end, lease lost, recording
//   error) -> finish the recording -> the control thread reports the close and seals it.
// Nothing is read from the upstream before the control plane admitted the session.

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include "gateway/internal/gateway_impl.h"

namespace pw::gateway {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using internal::Conn;
using internal::Direction;
using internal::Recorder;
using internal::Worker;
namespace {
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// Arms a timer that cuts `conn` with `reason` when it fires; cancelled when the timer is
// destroyed or re-armed. The handler holds only a weak reference.
void arm(asio::steady_timer& timer, const std::shared_ptr<Conn>& conn,
         std::chrono::steady_clock::time_point at, std::string reason) {
  timer.expires_at(at);
  timer.async_wait([weak = std::weak_ptr<Conn>(conn),
                    reason = std::move(reason)](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto c = weak.lock()) c->cut(reason);
  });
}

std::string peer_certificate_pem(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return {};
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return {};
  std::string pem;
  if (PEM_write_bio_X509(bio, cert) == 1) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    if (n > 0) pem.assign(data, static_cast<std::size_t>(n));
  }
  BIO_free(bio);
  return pem;
}

bool benign_end(const boost::system::error_code& ec) {
  return ec == asio::error::eof || ec == ssl::error::stream_truncated;
}

core::Timestamp now_ts() {
  return core::SystemClock().now();
}

// One direction: read from `from` into the recorder's buffers, hand each filled one to the
// recording writer thread, and send the same bytes to `to` meanwhile (both only read the
// buffer). Returns at the end of the stream (passed on as a TCP half-close by `half_close`) or
// when the session is cut. A recorder that falls behind makes acquire() wait: backpressure.
template <typename From, typename To, typename HalfClose>
asio::awaitable<void> pump(std::shared_ptr<Conn> c, Recorder* rec, Direction d, From& from, To& to,
                           HalfClose half_close) {
  const bool up = d == Direction::kUp;
  bool bulk = false;
  for (;;) {
    std::span<char> buf = co_await rec->acquire(d);
    if (buf.empty()) {
      c->cut(rec->stop_reason());  // keeps the first reason if the session was cut before
      co_return;
    }
    auto [ec, n] = co_await from.async_read_some(asio::buffer(buf.data(), buf.size()), kAwait);
    if (!bulk && n >= (16u << 10)) {
      // A bulk transfer: keep OpenSSL's record buffers instead of freeing and allocating them
      // for every 16 KiB record (Asio sets SSL_MODE_RELEASE_BUFFERS, which suits the many idle
      // sessions: they keep none).
      bulk = true;
      SSL_clear_mode(c->client.native_handle(), SSL_MODE_RELEASE_BUFFERS);
    }
    if (n > 0) {
      if (auto st = rec->submit(d, now_ts(), n); !st) {
        c->cut("recording failed: " + st.error().message());
        co_return;
      }
      auto [wec, written] = co_await asio::async_write(to, asio::buffer(buf.data(), n), kAwait);
      // Counted as sent even when a cut broke the write half way: the part that went out did.
      (up ? c->bytes_up : c->bytes_down) += written;
      if (wec) {
        if (c->end_reason.empty()) {
          c->cut(std::string(up ? "upstream" : "client") + " write failed: " + wec.message());
        }
        co_return;
      }
    }
    if (ec) {
      if (up ? benign_end(ec) : ec == asio::error::eof) {
        half_close();
      } else if (c->end_reason.empty()) {
        c->cut(std::string(up ? "client: " : "upstream: ") + ec.message());
      }
      co_return;
    }
  }
}

// Client -> upstream. The client's end is passed on as a TCP half-close.
asio::awaitable<void> pump_up(std::shared_ptr<Conn> c, Recorder* rec) {
  Conn& conn = *c;
  co_await pump(std::move(c), rec, Direction::kUp, conn.client, conn.upstream, [&conn] {
    boost::system::error_code ignored;
    conn.upstream.shutdown(tcp::socket::shutdown_send, ignored);
  });
}

// Upstream -> client. The asset's end is passed on as a TCP half-close (the client still may
// send).
asio::awaitable<void> pump_down(std::shared_ptr<Conn> c, Recorder* rec) {
  Conn& conn = *c;
  co_await pump(std::move(c), rec, Direction::kDown, conn.upstream, conn.client, [&conn] {
    boost::system::error_code ignored;
    conn.client.next_layer().shutdown(tcp::socket::shutdown_send, ignored);
  });
}

}  // namespace

asio::awaitable<void> Gateway::Impl::serve(std::shared_ptr<Conn> conn, Worker& worker) {
  using namespace asio::experimental::awaitable_operators;
  worker.conns.push_back(conn.get());
  struct Unlist {
    Worker& w;
    Conn* c;
    ~Unlist() {
      w.conns.remove(c);
      if (!c->session.empty()) w.sessions.erase(c->session);
    }
  } unlist{worker, conn.get()};
  auto refuse = [&](const std::string& asset, const std::string& reason) {
    event("gateway.session.refused", "\"remote\":" + json(conn->remote).dump() +
                                         (asset.empty() ? "" : ",\"asset\":" + json(asset).dump()) +
                                         ",\"reason\":" + json(reason).dump());
    conn->cut(reason);
  };
  if (!admitting())
    co_return refuse("", "no lease: the control plane has not confirmed this gateway");

  asio::steady_timer timer(worker.ioc);
  arm(timer, conn, std::chrono::steady_clock::now() + config_.handshake_timeout,
      "TLS handshake timed out");
  auto [hec] = co_await conn->client.async_handshake(ssl::stream_base::server, kAwait);
  timer.cancel();
  if (hec)
    co_return refuse(
        "", conn->end_reason.empty() ? "TLS handshake: " + hec.message() : conn->end_reason);
  SSL* ssl = conn->client.native_handle();
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  const std::string asset = sni ? sni : "";
  if (asset.empty()) co_return refuse("", "no asset named (TLS SNI missing)");
  const std::string pem = peer_certificate_pem(ssl);
  if (pem.empty()) co_return refuse(asset, "no client certificate");
  if (!admitting())
    co_return refuse(asset, "no lease: the control plane has not confirmed this gateway");

  internal::AdmitAnswer a =
      co_await asio::co_spawn(control_ioc(), admit(asset, pem, conn->remote), asio::use_awaitable);
  if (!a.allow) co_return refuse(asset, a.reasons);
  // Admitted at the control plane: from here on the session is closed there, whatever happens.
  conn->session = a.session;
  worker.sessions[a.session] = conn.get();
  event("gateway.session.opened",
        "\"session\":" + json(a.session).dump() + ",\"remote\":" + json(conn->remote).dump() +
            ",\"asset\":" + json(asset).dump() + ",\"grant\":" + json(a.grant).dump() +
            ",\"person\":" + json(a.person).dump() +
            ",\"upstream\":" + json(a.upstream_host + ":" + a.upstream_port).dump());

  std::unique_ptr<Recorder> recorder;
  std::string digest;
  std::string recording_error;  // why the recording has no manifest
  if (!admitting()) conn->cut("lease lost");
  if (conn->end_reason.empty()) {
    internal::RecordingInfo info{a.session, config_.id, a.grant, a.person,
                                 a.vendor,  asset,      now_ts()};
    auto r = Recorder::create(config_.recording_dir, info, worker.recording, worker.ioc);
    if (!r) {
      recording_error = r.error().message();
      conn->cut("recording failed: " + recording_error);
    } else {
      recorder = std::move(*r);
      // Fail closed: a write error on the writer thread cuts the session.
      recorder->on_failure([weak = std::weak_ptr<Conn>(conn)](const std::string& why) {
        if (auto c = weak.lock()) c->cut("recording failed: " + why);
      });
      conn->recorder = recorder.get();
    }
  }
  if (conn->end_reason.empty()) {
    tcp::resolver resolver(worker.ioc);
    arm(timer, conn, std::chrono::steady_clock::now() + config_.connect_timeout,
        "upstream connect timed out");
    auto [rec, endpoints] =
        co_await resolver.async_resolve(a.upstream_host, a.upstream_port, kAwait);
    if (rec) {
      conn->cut("upstream " + a.upstream_host + ": " + rec.message());
    } else if (conn->end_reason.empty()) {
      auto [cec, ep] = co_await asio::async_connect(conn->upstream, endpoints, kAwait);
      if (cec && conn->end_reason.empty()) conn->cut("upstream connect: " + cec.message());
    }
    timer.cancel();
  }
  if (conn->end_reason.empty()) {
    boost::system::error_code ignored;
    conn->upstream.set_option(tcp::no_delay(true), ignored);
    // The grant window's end cuts the session by the gateway's own clock.
    const auto left = std::chrono::microseconds(a.grant_end.micros - now_ts().micros);
    arm(timer, conn, std::chrono::steady_clock::now() + left, "grant window ended");
    co_await (pump_up(conn, recorder.get()) && pump_down(conn, recorder.get()));
    timer.cancel();
  }
  worker.sessions.erase(a.session);
  conn->recorder = nullptr;
  std::string reason = conn->end_reason.empty() ? "closed" : conn->end_reason;
  if (recorder) {
    // Waits until the writer thread has written every buffer, then the manifest.
    auto d = co_await recorder->finish(now_ts(), reason);
    if (d) {
      digest = *d;
    } else {
      // The file keeps what was written and has no manifest (docs/RECORDING.md, "Writing").
      recording_error = d.error().message();
      if (conn->end_reason.empty()) reason = "recording failed: " + recording_error;
    }
  } else if (recording_error.empty()) {
    recording_error = "no recording: the session was cut before it started (" + reason + ")";
  }
  conn->cut(reason);
  internal::ClosedSession c;
  c.stat = {a.session, conn->bytes_up, conn->bytes_down};
  c.reason = std::move(reason);
  c.recorder = std::move(recorder);
  c.manifest_sha256 = std::move(digest);
  c.recording_error = std::move(recording_error);
  asio::co_spawn(control_ioc(), closed(std::move(c)), asio::detached);
}

}  // namespace pw::gateway
