#pragma once
// Helpers for the HTTP server tests: a server on 127.0.0.1 port 0, the curl binary, and a raw
// socket client for requests no well-behaved client would send.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"
#include "support/test_support.h"

namespace pw::http::testing {

inline constexpr const char* kCurl = "/usr/bin/curl";
inline constexpr const char* kOpenssl = "/usr/bin/openssl";

// Starts `router` on 127.0.0.1:0 with `options` (listen address and port are overridden).
inline std::unique_ptr<HttpServer> start_server(Router router, ServerOptions options = {}) {
  options.listen_address = "127.0.0.1";
  options.port = 0;
  if (options.threads == 0) options.threads = 2;
  auto server = std::make_unique<HttpServer>(std::move(options), std::move(router));
  auto started = server->start();
  EXPECT_TRUE(started.has_value()) << (started ? "" : started.error().to_string());
  return server;
}

inline std::string url(const HttpServer& server, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + std::string(path);
}

// curl with a time limit, silent but showing errors. `args` go after the defaults.
inline pw::testing::RunResult curl(std::vector<std::string> args) {
  std::vector<std::string> argv{kCurl, "-sS", "--max-time", "20"};
  argv.insert(argv.end(), args.begin(), args.end());
  return pw::testing::run_process(argv);
}

// A blocking TCP connection to the server, for hostile and hand-made requests.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  // False if the peer has closed or reset the connection.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads until the peer closes or `timeout` passes; returns what arrived. closed() tells which.
  std::string read_until_close(std::chrono::milliseconds timeout) {
    return read_while([](const std::string&) { return true; }, timeout);
  }

  // Reads until `text` has arrived `count` times, the peer closes, or `timeout` passes.
  std::string read_until(std::string_view text, std::chrono::milliseconds timeout, int count = 1) {
    return read_while(
        [&](const std::string& got) {
          int seen = 0;
          for (std::size_t p = got.find(text); p != std::string::npos;
               p = got.find(text, p + text.size())) {
            ++seen;
          }
          return seen < count;
        },
        timeout);
  }

  // Reads one full response with a Content-Length body (or none).
  std::string read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return read_while(
        [](const std::string& got) {
          std::size_t end = got.find("\r\n\r\n");
          if (end == std::string::npos) return true;
          std::size_t cl = got.find("Content-Length: ");
          if (cl == std::string::npos || cl > end) return false;
          std::size_t length = std::stoul(got.substr(cl + 16));
          return got.size() < end + 4 + length;
        },
        timeout);
  }

  bool closed() const { return closed_; }

 private:
  template <typename More>
  std::string read_while(More more, std::chrono::milliseconds timeout) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (more(got)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

// The status code of the first response in `raw` ("HTTP/1.1 404 Not Found" -> 404), or 0.
inline int status_of(const std::string& raw) {
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return 0;
  return std::stoi(raw.substr(9, 3));
}

}  // namespace pw::http::testing
