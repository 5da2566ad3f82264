#pragma once
// Randomness as an injected dependency, so tests are repeatable. Production uses OpenSSL's
// CSPRNG; tests use a seeded generator. Not for key material: keys come from crypto.h.

#include <cstdint>
#include <memory>
#include <span>

namespace pw::core {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
  std::uint64_t next_u64();
};

// OpenSSL RAND_bytes. Thread-safe.
std::unique_ptr<Random> make_secure_random();
// Deterministic (SplitMix64) for tests. Not thread-safe.
std::unique_ptr<Random> make_seeded_random(std::uint64_t seed);

}  // namespace pw::core
