#include "http/internal/observability.h"

#include <nlohmann/json.hpp>
#include <string>

namespace pw::http::internal {
namespace {

// Prometheus label values escape backslash, double quote and newline.
void append_label_value(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

// Micros as decimal seconds without floating point ("0.000250", "10.000000").
std::string seconds(std::uint64_t micros) {
  std::string frac = std::to_string(micros % 1'000'000);
  return std::to_string(micros / 1'000'000) + "." + std::string(6 - frac.size(), '0') + frac;
}

std::string bucket_bound(std::uint64_t micros) {
  std::string s = seconds(micros);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

Metrics::Metrics(const Router& router) {
  for (const Router::RouteInfo& r : router.routes()) {
    auto slot = std::make_unique<Slot>();
    slot->route = r.pattern;
    slot->method = std::string(method_name(r.method));
    slots_.push_back(std::move(slot));
  }
  for (std::string_view route : {kUnmatchedRoute, kRejectedRoute}) {
    auto slot = std::make_unique<Slot>();
    slot->route = std::string(route);
    slot->method = "any";
    slots_.push_back(std::move(slot));
  }
}

void Metrics::record(std::size_t slot_index, int status, std::chrono::microseconds duration) {
  Slot& slot = *slots_[slot_index];
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) slot.by_class[cls - 1].fetch_add(1, std::memory_order_relaxed);
  const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(0, duration.count()));
  for (std::size_t i = 0; i < kBucketsMicros.size(); ++i) {
    if (micros <= kBucketsMicros[i]) {
      slot.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  slot.count.fetch_add(1, std::memory_order_relaxed);
  slot.sum_micros.fetch_add(micros, std::memory_order_relaxed);
}

void Metrics::connection_opened() {
  open_.fetch_add(1, std::memory_order_relaxed);
  accepted_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::connection_closed() {
  open_.fetch_sub(1, std::memory_order_relaxed);
}

std::string Metrics::render() const {
  // Counters are read one by one while requests continue, so a scrape is not an atomic
  // snapshot; Prometheus tolerates that (every series is monotonic on its own).
  std::string out;
  out.reserve(1024 + slots_.size() * 2048);
  out +=
      "# HELP pw_http_requests_total HTTP requests answered, by route pattern, method and "
      "status class.\n# TYPE pw_http_requests_total counter\n";
  auto labels = [&](const Slot& s) {
    std::string l = "route=\"";
    append_label_value(l, s.route);
    l += "\",method=\"";
    append_label_value(l, s.method);
    l += "\"";
    return l;
  };
  for (const auto& s : slots_) {
    const std::string l = labels(*s);
    for (int c = 0; c < 5; ++c) {
      const std::uint64_t n = s->by_class[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "pw_http_requests_total{" + l + ",code=\"" + std::to_string(c + 1) + "xx\"} " +
             std::to_string(n) + "\n";
    }
  }
  out +=
      "# HELP pw_http_request_duration_seconds Time from a request's last byte read to its "
      "response's last byte written.\n# TYPE pw_http_request_duration_seconds histogram\n";
  for (const auto& s : slots_) {
    const std::uint64_t count = s->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string l = labels(*s);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketsMicros.size(); ++i) {
      cumulative += s->buckets[i].load(std::memory_order_relaxed);
      out += "pw_http_request_duration_seconds_bucket{" + l + ",le=\"" +
             bucket_bound(kBucketsMicros[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "pw_http_request_duration_seconds_bucket{" + l + ",le=\"+Inf\"} " +
           std::to_string(count) + "\n";
    out += "pw_http_request_duration_seconds_sum{" + l + "} " +
           seconds(s->sum_micros.load(std::memory_order_relaxed)) + "\n";
    out += "pw_http_request_duration_seconds_count{" + l + "} " + std::to_string(count) + "\n";
  }
  out +=
      "# HELP pw_http_open_connections Connections open now.\n"
      "# TYPE pw_http_open_connections gauge\npw_http_open_connections " +
      std::to_string(open_.load(std::memory_order_relaxed)) +
      "\n# HELP pw_http_connections_total Connections accepted.\n"
      "# TYPE pw_http_connections_total counter\npw_http_connections_total " +
      std::to_string(accepted_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

std::string format_access_line(const AccessRecord& r) {
  nlohmann::ordered_json j;
  j["time"] = core::format_rfc3339(r.time);
  j["request_id"] = r.request_id;
  j["method"] = r.method;
  j["route"] = r.route;
  j["status"] = r.status;
  j["bytes"] = r.bytes;
  j["duration_us"] = r.duration.count();
  j["remote"] = r.remote;
  if (!r.note.empty()) j["note"] = r.note;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace pw::http::internal
