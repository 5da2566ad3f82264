#pragma once
// Time as the product sees it: microseconds since the Unix epoch, UTC. Engines never read a
// clock; adapters and app/ pass the time in. Tests use FakeClock.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace pw::core {

// Microseconds since 1970-01-01T00:00:00Z.
struct Timestamp {
  std::int64_t micros = 0;
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// "2026-11-29T03:48:31.123456Z" (RFC 3339, always UTC, always six fraction digits).
std::string format_rfc3339(Timestamp t);
// Accepts RFC 3339 with 'Z' or a numeric offset and 0-9 fraction digits (extra precision
// beyond microseconds is truncated).
Result<Timestamp> parse_rfc3339(std::string_view text);

// Exactly the form format_rfc3339 writes (27 bytes, six fraction digits, 'Z'); nullopt for
// anything else. The fast check for stored journal entries.
std::optional<Timestamp> parse_rfc3339_canonical(std::string_view text);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : micros_(start.micros) {}
  Timestamp now() const override { return Timestamp{micros_.load()}; }
  void set(Timestamp t) { micros_.store(t.micros); }
  void advance_micros(std::int64_t delta) { micros_.fetch_add(delta); }

 private:
  std::atomic<std::int64_t> micros_;
};

}  // namespace pw::core
