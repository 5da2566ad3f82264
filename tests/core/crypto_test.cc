#include "core/crypto.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace pw::core {
namespace {

template <std::size_t N>
std::array<std::uint8_t, N> hex_array(std::string_view hex) {
  auto bytes = from_hex(hex);
  EXPECT_TRUE(bytes.has_value() && bytes->size() == N) << hex;
  std::array<std::uint8_t, N> out{};
  if (bytes && bytes->size() == N) std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// FIPS 180-2 appendix B / NIST CSHS example vectors for SHA-256.
constexpr std::string_view kAbc = "abc";
constexpr std::string_view kAbcDigest =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view kEmptyDigest =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view k448Bits = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr std::string_view k448BitsDigest =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr std::string_view kMillionADigest =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(to_hex(sha256(kAbc)), kAbcDigest);
  EXPECT_EQ(to_hex(sha256(std::string_view{})), kEmptyDigest);
  EXPECT_EQ(to_hex(sha256(k448Bits)), k448BitsDigest);
  EXPECT_EQ(to_hex(sha256(std::string(1000000, 'a'))), kMillionADigest);
}

TEST(Sha256, IncrementalEqualsOneShot) {
  const std::string msg(1000, 'q');
  Sha256 one_shot;
  const Hash want = one_shot.digest(as_bytes(msg));
  for (std::size_t chunk : {1u, 3u, 63u, 64u, 65u, 999u}) {
    Sha256 h;
    for (std::size_t i = 0; i < msg.size(); i += chunk) {
      h.update(std::string_view(msg).substr(i, chunk));
    }
    EXPECT_EQ(h.finish(), want) << "chunk " << chunk;
  }
  Sha256 pieces;
  pieces.update("abcdbcdecdefdefgefgh");
  pieces.update("");
  pieces.update("fghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(to_hex(pieces.finish()), k448BitsDigest);
}

TEST(Sha256, HasherIsReusableAfterFinishAndReset) {
  Sha256 h;
  h.update("abc");
  EXPECT_EQ(to_hex(h.finish()), kAbcDigest);
  h.update("abc");  // finish() reset the state
  EXPECT_EQ(to_hex(h.finish()), kAbcDigest);
  h.update("garbage");
  h.reset();
  EXPECT_EQ(to_hex(h.finish()), kEmptyDigest);
  EXPECT_EQ(to_hex(h.digest(as_bytes(kAbc))), kAbcDigest);
  EXPECT_EQ(to_hex(h.digest(as_bytes(kAbc))), kAbcDigest);
}

struct Ed25519Vector {
  std::string_view seed;
  std::string_view public_key;
  std::string_view message;
  std::string_view signature;
};

// RFC 8032 section 7.1, TEST 1 and TEST 2.
constexpr Ed25519Vector kRfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
     "701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f36"
     "13d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
};

TEST(Ed25519, MatchesRfc8032Vectors) {
  for (const Ed25519Vector& v : kRfc8032) {
    auto key = Ed25519PrivateKey::from_seed(hex_array<32>(v.seed));
    ASSERT_TRUE(key.has_value()) << key.error().to_string();
    EXPECT_EQ(to_hex(key->public_key()), v.public_key);
    auto seed = key->seed();
    ASSERT_TRUE(seed.has_value());
    EXPECT_EQ(to_hex(*seed), v.seed);
    const Bytes message = *from_hex(v.message);
    auto sig = key->sign(message);
    ASSERT_TRUE(sig.has_value()) << sig.error().to_string();
    EXPECT_EQ(to_hex(*sig), v.signature);
    EXPECT_TRUE(ed25519_verify(hex_array<32>(v.public_key), message, hex_array<64>(v.signature)));
  }
}

TEST(Ed25519, VerifyRejectsAnyFlippedBit) {
  const Ed25519Vector& v = kRfc8032[1];
  const Ed25519PublicKey pub = hex_array<32>(v.public_key);
  const Bytes message = *from_hex(v.message);
  const Ed25519Signature sig = hex_array<64>(v.signature);
  for (std::size_t bit = 0; bit < sig.size() * 8; bit += 13) {
    Ed25519Signature bad = sig;
    bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(ed25519_verify(pub, message, bad)) << "signature bit " << bit;
  }
  Bytes bad_message = message;
  bad_message[0] ^= 0x01;
  EXPECT_FALSE(ed25519_verify(pub, bad_message, sig));
  EXPECT_FALSE(ed25519_verify(pub, Bytes{}, sig));
  Ed25519PublicKey bad_pub = pub;
  bad_pub[5] ^= 0x40;
  EXPECT_FALSE(ed25519_verify(bad_pub, message, sig));
  EXPECT_FALSE(ed25519_verify(hex_array<32>(kRfc8032[0].public_key), message, sig));
}

TEST(Ed25519, GeneratedKeysSignAndVerify) {
  auto a = Ed25519PrivateKey::generate();
  auto b = Ed25519PrivateKey::generate();
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_NE(a->public_key(), b->public_key());
  const std::string msg = "portwarden checkpoint\n";
  auto sig = a->sign(as_bytes(msg));
  ASSERT_TRUE(sig.has_value());
  EXPECT_TRUE(ed25519_verify(a->public_key(), as_bytes(msg), *sig));
  EXPECT_FALSE(ed25519_verify(b->public_key(), as_bytes(msg), *sig));
  // A key rebuilt from its seed is the same key.
  auto seed = a->seed();
  ASSERT_TRUE(seed.has_value());
  auto again = Ed25519PrivateKey::from_seed(*seed);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->public_key(), a->public_key());
  // Moving a key keeps it usable.
  Ed25519PrivateKey moved = std::move(*again);
  auto sig2 = moved.sign(as_bytes(msg));
  ASSERT_TRUE(sig2.has_value());
  EXPECT_EQ(*sig2, *sig);  // Ed25519 is deterministic
}

TEST(RandomBytes, FillsTheBuffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    std::array<std::uint8_t, 32> buf{};
    ASSERT_TRUE(random_bytes(buf).has_value());
    seen.insert(to_hex(buf));
  }
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_TRUE(random_bytes(std::span<std::uint8_t>{}).has_value());
}

}  // namespace
}  // namespace pw::core
