#pragma once
// Metrics (Prometheus text format 0.0.4) and access-log lines of the HTTP server. Private to
// http/.
//
// Metrics are lock-free: one slot per registered (pattern, method) plus two for requests that
// matched no route and requests refused before routing, each a set of atomic counters, so
// recording costs a few relaxed atomic increments on any I/O thread.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "http/server.h"

namespace pw::http::internal {

class Metrics {
 public:
  // Upper bounds of the latency histogram, in microseconds (100 us .. 10 s).
  static constexpr std::array<std::uint64_t, 14> kBucketsMicros = {
      100,    250,    500,     1'000,   2'500,     5'000,     10'000,
      25'000, 50'000, 100'000, 250'000, 1'000'000, 2'500'000, 10'000'000};

  explicit Metrics(const Router& router);

  // Slots: Router route_index for matched routes, then these two.
  std::size_t unmatched_slot() const { return slots_.size() - 2; }  // 404, 405, 501
  std::size_t rejected_slot() const { return slots_.size() - 1; }   // 400, 408, 413, 431
  static constexpr std::string_view kUnmatchedRoute = "(unmatched)";
  static constexpr std::string_view kRejectedRoute = "(rejected)";

  void record(std::size_t slot, int status, std::chrono::microseconds duration);
  void connection_opened();
  void connection_closed();
  std::int64_t open_connections() const { return open_.load(std::memory_order_relaxed); }

  std::string render() const;

 private:
  struct Slot {
    std::string route;
    std::string method;
    std::array<std::atomic<std::uint64_t>, 5> by_class{};                     // 1xx..5xx
    std::array<std::atomic<std::uint64_t>, kBucketsMicros.size()> buckets{};  // not cumulative
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
  };
  std::vector<std::unique_ptr<Slot>> slots_;  // fixed after construction
  std::atomic<std::int64_t> open_{0};
  std::atomic<std::uint64_t> accepted_{0};
};

struct AccessRecord {
  core::Timestamp time;
  std::string_view request_id;
  std::string_view method;
  std::string_view route;
  int status = 0;
  std::uint64_t bytes = 0;  // response body bytes sent
  std::chrono::microseconds duration{0};
  std::string_view remote;
  std::string_view note;  // omitted when empty
};

// One JSON object, no trailing newline. Never throws (except std::bad_alloc): invalid UTF-8 in
// any field is replaced, never passed through.
std::string format_access_line(const AccessRecord& record);

}  // namespace pw::http::internal
