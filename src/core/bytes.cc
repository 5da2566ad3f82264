#include "core/bytes.h"

#include <algorithm>

namespace pw::core {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string to_hex(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0xF]);
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return invalid_argument("hex string has an odd number of digits");
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return invalid_argument("not a hex digit at position " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    }
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string to_base64(ByteView bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    out.push_back(kB64[v >> 18 & 63]);
    out.push_back(kB64[v >> 12 & 63]);
    out.push_back(kB64[v >> 6 & 63]);
    out.push_back(kB64[v & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t v = bytes[i] << 16;
    out.push_back(kB64[v >> 18 & 63]);
    out.push_back(kB64[v >> 12 & 63]);
    out += "==";
  } else if (rest == 2) {
    std::uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8;
    out.push_back(kB64[v >> 18 & 63]);
    out.push_back(kB64[v >> 12 & 63]);
    out.push_back(kB64[v >> 6 & 63]);
    out.push_back('=');
  }
  return out;
}

Result<Bytes> from_base64(std::string_view text) {
  if (text.size() % 4 != 0) return invalid_argument("base64 length is not a multiple of 4");
  Bytes out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    if (last) {
      if (text[i + 3] == '=') pad = 1;
      if (text[i + 2] == '=') {
        if (pad != 1) return invalid_argument("bad base64 padding");
        pad = 2;
      }
    }
    int v[4];
    for (int k = 0; k < 4 - pad; ++k) {
      v[k] = b64_value(text[i + k]);
      if (v[k] < 0) return invalid_argument("not a base64 character at position " + std::to_string(i + k));
    }
    for (int k = 4 - pad; k < 4; ++k) v[k] = 0;
    std::uint32_t w = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
    out.push_back(static_cast<std::uint8_t>(w >> 16));
    if (pad < 2) out.push_back(static_cast<std::uint8_t>(w >> 8));
    if (pad < 1) out.push_back(static_cast<std::uint8_t>(w));
    // Canonical encoding: the bits dropped by padding must be zero.
    if ((pad == 1 && (v[2] & 3) != 0) || (pad == 2 && (v[1] & 15) != 0)) {
      return invalid_argument("non-canonical base64 padding bits");
    }
  }
  return out;
}

Result<Hash> parse_hash(std::string_view text) {
  Result<Bytes> bytes = text.size() == 64 ? from_hex(text) : from_base64(text);
  if (!bytes) return std::unexpected(bytes.error().with_context("hash '" + std::string(text) + "'"));
  if (bytes->size() != 32) {
    return invalid_argument("hash '" + std::string(text) + "' is " + std::to_string(bytes->size()) +
                            " bytes, want 32 (64 hex digits or 44 base64 characters)");
  }
  Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

}  // namespace pw::core
