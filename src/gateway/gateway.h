#pragma once
// The remote-maintenance gateway (docs/GATEWAY.md): a TLS 1.3 proxy that admits a technician's
// connection only when the control plane says so, records both byte streams, reports its live
// sessions on every heartbeat and cuts the ones the control plane names, and fails closed when
// it cannot renew its lease.
//
// This header is free of Boost and OpenSSL; the implementation is in gateway.cc and internal/.
//
// Threads: `threads` I/O threads, each with its own io_context, owning the connections handed to
// it (per-thread session tables, no locks on the data path); one acceptor thread (admission rate
// limits per source address, hands sockets to the I/O threads in turn); one control thread (the
// control-plane client: admit, heartbeat, close, lease watchdog). Threads exchange work only by
// posting to each other's io_context.

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "core/result.h"
#include "gateway/config.h"

namespace pw::gateway {

// Receives one JSON object per gateway event, as one line without the newline:
// {"time","event",...} with events gateway.started, gateway.lease.lost, gateway.lease.renewed,
// gateway.session.refused {remote, asset?, reason}, gateway.session.opened {session, ...},
// gateway.session.closed {session, reason, bytes_up, bytes_down, recording, manifest_sha256,
// recording_error?, signed, report_pending?}, gateway.session.close_reported {the same},
// gateway.control.error {what}. Called from any of the gateway's threads: must be
// thread-safe and quick.
using EventLog = std::function<void(std::string_view line)>;

class Gateway {
 public:
  // `token` is the bearer token (the token file's content, trimmed).
  Gateway(GatewayConfig config, std::string token, EventLog log = {});
  ~Gateway();  // stop()s
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Loads the TLS material, binds, and starts the threads. Errors: invalid_argument for
  // unreadable or mismatched TLS files (named), unavailable if the address cannot be bound.
  // Admission starts only once the first heartbeat has succeeded. Call once.
  core::Status start();
  // The bound port once start() succeeded.
  std::uint16_t port() const;
  // Stops accepting, closes every session (each one's recording is finished and the control
  // plane told, within control_timeout), joins the threads. Idempotent.
  void stop();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pw::gateway
