#include "core/crypto.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

namespace pw::core {
namespace {

// Fetched once; OpenSSL keeps the provider implementation alive for the process.
const EVP_MD* sha256_md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) std::abort();  // the default provider is missing: nothing can be hashed.
  return md;
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

}  // namespace

struct Sha256::Impl {
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx{EVP_MD_CTX_new()};
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx) std::abort();
  reset();
}
Sha256::~Sha256() = default;

void Sha256::reset() {
  if (EVP_DigestInit_ex2(impl_->ctx.get(), sha256_md(), nullptr) != 1) std::abort();
}

void Sha256::update(ByteView data) {
  if (EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) != 1) std::abort();
}

Hash Sha256::finish() {
  Hash out;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    std::abort();
  }
  reset();
  return out;
}

Hash Sha256::digest(ByteView data) {
  update(data);
  return finish();
}

Hash sha256(ByteView data) {
  thread_local Sha256 hasher;
  return hasher.digest(data);
}

struct Ed25519PrivateKey::Impl {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> pkey;
  // Reused for every signature; Ed25519 needs a fresh DigestSignInit per message.
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx{EVP_MD_CTX_new()};
};

Ed25519PrivateKey::Ed25519PrivateKey(std::unique_ptr<Impl> impl, Ed25519PublicKey pub)
    : impl_(std::move(impl)), public_key_(pub) {}
Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey& Ed25519PrivateKey::operator=(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey::~Ed25519PrivateKey() = default;

namespace {
Result<Ed25519PublicKey> raw_public(EVP_PKEY* pkey) {
  Ed25519PublicKey pub;
  std::size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(pkey, pub.data(), &len) != 1 || len != pub.size()) {
    return internal_error("cannot read Ed25519 public key");
  }
  return pub;
}
}  // namespace

Result<Ed25519PrivateKey> Ed25519PrivateKey::generate() {
  Ed25519Seed seed;
  PW_TRY(random_bytes(seed));
  auto key = from_seed(seed);
  OPENSSL_cleanse(seed.data(), seed.size());
  return key;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::from_seed(const Ed25519Seed& seed) {
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(
      EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, seed.data(), seed.size()));
  if (!impl->pkey || !impl->ctx) return internal_error("cannot create Ed25519 key");
  PW_ASSIGN_OR_RETURN(Ed25519PublicKey pub, raw_public(impl->pkey.get()));
  return Ed25519PrivateKey(std::move(impl), pub);
}

Result<Ed25519Seed> Ed25519PrivateKey::seed() const {
  Ed25519Seed seed;
  std::size_t len = seed.size();
  if (EVP_PKEY_get_raw_private_key(impl_->pkey.get(), seed.data(), &len) != 1 ||
      len != seed.size()) {
    return internal_error("cannot read Ed25519 private key");
  }
  return seed;
}

Result<Ed25519Signature> Ed25519PrivateKey::sign(ByteView message) const {
  Ed25519Signature sig;
  std::size_t len = sig.size();
  EVP_MD_CTX* ctx = impl_->ctx.get();
  if (EVP_MD_CTX_reset(ctx) != 1 ||
      EVP_DigestSignInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, impl_->pkey.get(),
                            nullptr) != 1 ||
      EVP_DigestSign(ctx, sig.data(), &len, message.data(), message.size()) != 1 ||
      len != sig.size()) {
    return internal_error("Ed25519 signing failed");
  }
  return sig;
}

bool ed25519_verify(const Ed25519PublicKey& public_key, ByteView message,
                    const Ed25519Signature& signature) {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> pkey(EVP_PKEY_new_raw_public_key_ex(
      nullptr, "ED25519", nullptr, public_key.data(), public_key.size()));
  if (!pkey) return false;
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_MD_CTX_reset(ctx.get()) != 1) return false;
  if (EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey.get(),
                              nullptr) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                          message.size()) == 1;
}

Status random_bytes(std::span<std::uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return unavailable("OpenSSL RAND_bytes failed");
  }
  return ok();
}

}  // namespace pw::core
