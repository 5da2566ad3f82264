#pragma once
// The gateway's HTTPS client for the control plane (docs/GATEWAY.md, "Control-plane protocol"):
// JSON POSTs with the gateway's bearer token, over TLS verified against control_ca and the
// control plane's host name. The gateway may not include http/ (DESIGN.md section 2), so this is
// its own small Beast client.
//
// Threading: a ControlClient lives on one io_context (the gateway's control thread) and is used
// only from coroutines running there. It keeps idle kept-alive connections for reuse.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "gateway/config.h"

namespace pw::gateway::internal {

struct HttpReply {
  int status = 0;
  std::string body;
};

class ControlClient {
 public:
  // `ioc` must outlive the client.
  ControlClient(boost::asio::io_context& ioc, const GatewayConfig& config, std::string token);
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  // Loads control_ca; invalid_argument naming the file if it holds no usable certificate.
  core::Status init();

  // POST `target` with a JSON body. Any answer with a status is a reply (the caller judges the
  // status); unavailable for a transport failure or a timeout (control_timeout for the whole
  // exchange). Never throws. At most kMaxInFlight requests run at once (a burst of admissions
  // or closes waits its turn instead of opening a connection each); an `urgent` request (the
  // heartbeat, on which the lease and the kills depend) never waits.
  static constexpr int kMaxInFlight = 8;
  boost::asio::awaitable<core::Result<HttpReply>> post(std::string target, std::string body,
                                                       bool urgent = false);

  struct Connection;

 private:
  boost::asio::awaitable<core::Result<std::unique_ptr<Connection>>> connect();
  boost::asio::awaitable<core::Result<HttpReply>> exchange(Connection& c, const std::string& target,
                                                           const std::string& body, bool& reusable);

  boost::asio::io_context& ioc_;
  std::string host_;
  std::string port_;
  std::string token_;
  std::chrono::milliseconds timeout_;
  std::filesystem::path ca_file_;
  boost::asio::ssl::context tls_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int in_flight_ = 0;
  std::deque<boost::asio::steady_timer*> waiting_;  // each wakes when cancelled
};

}  // namespace pw::gateway::internal
