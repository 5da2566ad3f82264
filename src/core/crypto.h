#pragma once
// SHA-256 and Ed25519 over OpenSSL 3. The algorithm objects are fetched once per process;
// a Sha256 hasher owns one EVP_MD_CTX that is reused for every digest it computes.
// Thread safety: a Sha256 or Ed25519 object is used by one thread at a time; the free
// function sha256() uses a thread-local hasher.

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace pw::core {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Incremental use: reset(), update()..., finish().
  void reset();
  void update(ByteView data);
  void update(std::string_view data) { update(as_bytes(data)); }
  Hash finish();

  // Digest of `data`, appended to anything given to update() since the last finish()
  // (nothing, in one-shot use). Leaves the hasher reset.
  Hash digest(ByteView data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// SHA-256 with a thread-local hasher.
Hash sha256(ByteView data);
inline Hash sha256(std::string_view data) { return sha256(as_bytes(data)); }

inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeySize>;
using Ed25519Seed = std::array<std::uint8_t, kEd25519SeedSize>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureSize>;

// An Ed25519 private key (RFC 8032), held by OpenSSL.
class Ed25519PrivateKey {
 public:
  // A new key from OpenSSL's CSPRNG.
  static Result<Ed25519PrivateKey> generate();
  static Result<Ed25519PrivateKey> from_seed(const Ed25519Seed& seed);

  Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept;
  ~Ed25519PrivateKey();

  const Ed25519PublicKey& public_key() const { return public_key_; }
  Result<Ed25519Seed> seed() const;
  Result<Ed25519Signature> sign(ByteView message) const;

 private:
  struct Impl;
  explicit Ed25519PrivateKey(std::unique_ptr<Impl> impl, Ed25519PublicKey pub);
  std::unique_ptr<Impl> impl_;
  Ed25519PublicKey public_key_{};
};

// True only if `signature` is a valid Ed25519 signature of `message` by `public_key`.
bool ed25519_verify(const Ed25519PublicKey& public_key, ByteView message,
                    const Ed25519Signature& signature);

// Cryptographically secure random bytes (OpenSSL RAND_bytes).
Status random_bytes(std::span<std::uint8_t> out);

}  // namespace pw::core
