#pragma once
// Byte types and text encodings (hex, standard base64) used by hashes, keys and proofs.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pw::core {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// A SHA-256 digest.
using Hash = std::array<std::uint8_t, 32>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_hex(ByteView bytes);
Result<Bytes> from_hex(std::string_view hex);

// RFC 4648 section 4 (standard alphabet, with padding).
std::string to_base64(ByteView bytes);
// Strict: standard alphabet, canonical padding; whitespace is not allowed.
Result<Bytes> from_base64(std::string_view text);

// Parses a 32-byte hash given as 64 hex digits or as standard base64.
Result<Hash> parse_hash(std::string_view text);

}  // namespace pw::core
