#include "core/internal/json_text.h"

#include <algorithm>
#include <string>

namespace pw::core::internal {
namespace {

bool is_identifier(std::string_view k) {
  if (k.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(k[0])) return false;
  return std::all_of(k.begin() + 1, k.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

void append_key_quoted(std::string& out, std::string_view key) {
  std::size_t bad = 0;
  std::string lit;
  if (append_canonical_string(lit, key, &bad)) {
    out += lit;
  } else {
    out += "\"<invalid UTF-8>\"";
  }
}

}  // namespace

bool append_canonical_string(std::string& out, std::string_view s, std::size_t* bad_offset) {
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = begin + s.size();
  const auto* p = begin;
  out.push_back('"');
  while (p < end) {
    const auto* run = p;
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (needs_attention(w)) break;
      p += 8;
    }
    while (p < end && kPlainStringByte[*p]) ++p;
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    if (p == end) break;
    const unsigned char c = *p;
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++p;
    } else if (c < 0x20) {
      char buf[6];
      out += control_escape(c, buf);
      ++p;
    } else {
      const std::size_t len = utf8_sequence_length(p, end);
      if (len == 0) {
        *bad_offset = static_cast<std::size_t>(p - begin);
        return false;
      }
      out.append(reinterpret_cast<const char*>(p), len);
      p += len;
    }
  }
  out.push_back('"');
  return true;
}

std::string unescape_accepted(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 >= raw.size()) {
      out.push_back(raw[i]);
      continue;
    }
    const char e = raw[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        auto read4 = [&](std::size_t at) -> std::int32_t {
          if (at + 4 > raw.size()) return -1;
          std::int32_t v = 0;
          for (std::size_t k = at; k < at + 4; ++k) {
            const int d = hex_digit(static_cast<unsigned char>(raw[k]));
            if (d < 0) return -1;
            v = v * 16 + d;
          }
          return v;
        };
        std::int32_t u = read4(i + 1);
        if (u < 0) break;
        i += 4;
        std::uint32_t cp = static_cast<std::uint32_t>(u);
        if (u >= 0xD800 && u <= 0xDBFF && i + 2 < raw.size() && raw[i + 1] == '\\' &&
            raw[i + 2] == 'u') {
          const std::int32_t lo = read4(i + 3);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((static_cast<std::uint32_t>(u) - 0xD800) << 10) +
                 (static_cast<std::uint32_t>(lo) - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, cp);
        break;
      }
      default:
        out.push_back(e);
        break;  // '"', '\\', '/'
    }
  }
  return out;
}

std::string render_path(const PathFrame* frames, std::size_t n) {
  std::string out = "$";
  for (std::size_t i = 0; i < n; ++i) {
    const PathFrame& f = frames[i];
    if (f.is_index) {
      out += '[';
      out += std::to_string(f.index);
      out += ']';
      continue;
    }
    const std::string key = f.raw ? unescape_accepted(f.key) : std::string(f.key);
    if (is_identifier(key)) {
      out += '.';
      out += key;
    } else {
      out += '[';
      append_key_quoted(out, key);
      out += ']';
    }
  }
  return out;
}

std::string quote_for_message(std::string_view decoded) {
  std::string out;
  append_key_quoted(out, decoded);
  out.front() = '\'';
  out.back() = '\'';
  return out;
}

std::string describe_byte(unsigned char c) {
  if (c >= 0x20 && c < 0x7F) {
    return std::string("unexpected character '") + static_cast<char>(c) + "'";
  }
  char buf[8];
  buf[0] = '0';
  buf[1] = 'x';
  buf[2] = kLowerHex[c >> 4];
  buf[3] = kLowerHex[c & 0xF];
  return std::string("unexpected byte ") + std::string(buf, 4);
}

Status check_document_limits(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return invalid_argument("document is " + std::to_string(text.size()) + " bytes, limit " +
                            std::to_string(limits.max_bytes));
  }
  if (text.empty()) return invalid_argument("$ at byte 0: empty document");
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    return invalid_argument("$ at byte 0: a byte order mark (U+FEFF) is not allowed");
  }
  return ok();
}

}  // namespace pw::core::internal
