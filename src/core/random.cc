#include "core/random.h"

#include <cstdlib>
#include <cstring>

#include "core/crypto.h"

namespace pw::core {

std::uint64_t Random::next_u64() {
  std::uint8_t b[8];
  fill(b);
  std::uint64_t v;
  std::memcpy(&v, b, sizeof v);
  return v;
}

namespace {

class SecureRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override {
    if (!random_bytes(out)) std::abort();  // no entropy: refuse to continue (fail closed).
  }
};

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  void fill(std::span<std::uint8_t> out) override {
    for (std::size_t i = 0; i < out.size(); i += 8) {
      // SplitMix64 (Steele, Lea, Flood 2014).
      std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
      std::memcpy(out.data() + i, &z, std::min<std::size_t>(8, out.size() - i));
    }
  }

 private:
  std::uint64_t state_;
};

}  // namespace

std::unique_ptr<Random> make_secure_random() { return std::make_unique<SecureRandom>(); }
std::unique_ptr<Random> make_seeded_random(std::uint64_t seed) {
  return std::make_unique<SeededRandom>(seed);
}

}  // namespace pw::core
