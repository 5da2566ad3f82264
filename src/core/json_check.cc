// Canonical-form checker: check_canonical (core/canonical_json.h).

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "core/canonical_json.h"
#include "core/internal/json_text.h"

namespace pw::core {
namespace {

using internal::check_document_limits;
using internal::compare_utf16;
using internal::control_escape;
using internal::FrameStack;
using internal::hex_digit;
using internal::is_json_whitespace;
using internal::kPlainStringByte;
using internal::kUpperHex;
using internal::needs_attention;
using internal::PathFrame;
using internal::quote_for_message;
using internal::Scanner;
using internal::unescape_accepted;
using internal::utf8_sequence_length;

// ---------------------------------------------------------------------------------------------
// Canonical-form checker

// Next byte of the decoded key text. `p` walks a raw key body that check_canonical has already
// accepted; canonical escapes all decode to one ASCII byte.
inline unsigned char next_decoded(const unsigned char*& p) {
  const unsigned char c = *p++;
  if (c != '\\') return c;
  const unsigned char e = *p++;
  switch (e) {
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'u': {
      const unsigned char v =
          static_cast<unsigned char>(hex_digit(p[2]) * 16 + hex_digit(p[3]));  // \u00XX
      p += 4;
      return v;
    }
    default:
      return e;  // '"' or '\\'
  }
}

// compare_utf16 for two accepted raw key bodies, decoding escapes on the fly.
int compare_raw_keys(std::string_view a, bool a_escaped, std::string_view b, bool b_escaped) {
  if (!a_escaped && !b_escaped) return compare_utf16(a, b);
  const auto* pa = reinterpret_cast<const unsigned char*>(a.data());
  const auto* ea = pa + a.size();
  const auto* pb = reinterpret_cast<const unsigned char*>(b.data());
  const auto* eb = pb + b.size();
  while (pa < ea && pb < eb) {
    const unsigned char x = next_decoded(pa);
    const unsigned char y = next_decoded(pb);
    if (x == y) continue;
    // Escaped bytes are ASCII, so the UTF-16 special case only involves literal lead bytes.
    if (x >= 0xF0 && (y == 0xEE || y == 0xEF)) return -1;
    if (y >= 0xF0 && (x == 0xEE || x == 0xEF)) return 1;
    return x < y ? -1 : 1;
  }
  if (pa < ea) return 1;
  if (pb < eb) return -1;
  return 0;
}

class Checker : public Scanner {
 public:
  Checker(std::string_view text, const JsonLimits& limits, PathFrame* frames)
      : Scanner(text, limits, frames) {}

  // Top-level members are reported into `members` (up to its size) and counted in `count`.
  void report_members(std::span<JsonMember> members, std::size_t* count) {
    members_ = members;
    count_ = count;
    *count_ = 0;
  }

  Status run() {
    if (!value(0)) return invalid_argument(std::move(error_));
    if (p_ != end_) {
      if (is_json_whitespace(*p_)) {
        fail_at(p_, "whitespace is not allowed in canonical JSON");
      } else {
        fail_at(p_, "trailing characters after the JSON value");
      }
      return invalid_argument(std::move(error_));
    }
    return ok();
  }

 private:
  bool fail_token(const char* context) {
    if (p_ < end_ && is_json_whitespace(*p_)) {
      return fail_at(p_, "whitespace is not allowed in canonical JSON");
    }
    return fail_unexpected(context);
  }

  bool value(int depth) {
    if (p_ >= end_) return fail_token("expected a value");
    switch (*p_) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"': {
        bool escaped = false;
        return string(&escaped);
      }
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        break;
    }
    if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) {
      const unsigned char* start = p_;
      std::int64_t v = 0;
      bool negative_zero = false;
      if (!integer(&v, &negative_zero)) return false;
      if (negative_zero) return fail_at(start, "-0 is not canonical (write 0)");
      return true;
    }
    return fail_token("expected a value");
  }

  bool object(int depth) {
    if (depth >= max_depth_) return fail_nesting(p_);
    ++p_;
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    std::string_view prev;
    bool prev_escaped = false;
    bool first = true;
    for (;;) {
      if (p_ >= end_ || *p_ != '"') return fail_token("expected a string key");
      const unsigned char* key_at = p_;
      bool escaped = false;
      if (!string(&escaped)) return false;
      const std::string_view key(reinterpret_cast<const char*>(key_at + 1),
                                 static_cast<std::size_t>(p_ - key_at - 2));
      push_key(key, true);
      if (!first) {
        const int order = compare_raw_keys(prev, prev_escaped, key, escaped);
        if (order == 0) {
          return fail_at(key_at, "duplicate key " + quote_for_message(unescape_accepted(key)));
        }
        if (order > 0) {
          return fail_at(key_at, "key " + quote_for_message(unescape_accepted(key)) +
                                     " is out of order: it must come before " +
                                     quote_for_message(unescape_accepted(prev)) +
                                     " (keys sort by UTF-16 code units)");
        }
      }
      first = false;
      prev = key;
      prev_escaped = escaped;
      if (p_ >= end_ || *p_ != ':') return fail_token("expected ':' after the key");
      ++p_;
      const unsigned char* value_at = p_;
      if (!value(depth + 1)) return false;
      pop();
      if (depth == 0 && count_ != nullptr) {
        if (*count_ < members_.size()) {
          members_[*count_] = {key,
                               std::string_view(reinterpret_cast<const char*>(value_at),
                                                static_cast<std::size_t>(p_ - value_at)),
                               escaped};
        }
        ++*count_;
      }
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        return true;
      }
      return fail_token("expected ',' or '}'");
    }
  }

  bool array(int depth) {
    if (depth >= max_depth_) return fail_nesting(p_);
    ++p_;
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (std::size_t index = 0;; ++index) {
      push_index(index);
      if (!value(depth + 1)) return false;
      pop();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      if (p_ < end_ && *p_ == ']') {
        ++p_;
        return true;
      }
      return fail_token("expected ',' or ']'");
    }
  }

  // p_ at the opening quote; leaves p_ after the closing quote. *escaped tells whether the body
  // holds any escape (key comparison takes a fast path when neither key does).
  bool string(bool* escaped) {
    ++p_;
    for (;;) {
      while (end_ - p_ >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p_, 8);
        if (needs_attention(w)) break;
        p_ += 8;
      }
      while (p_ < end_ && kPlainStringByte[*p_]) ++p_;
      if (p_ >= end_) return fail_at(p_, "unterminated string");
      const unsigned char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c >= 0x80) {
        const std::size_t len = utf8_sequence_length(p_, end_);
        if (len == 0) return fail_at(p_, "invalid UTF-8");
        p_ += len;
        continue;
      }
      if (c < 0x20) {
        char buf[6];
        return fail_at(p_, "control character U+00" + std::string(1, kUpperHex[c >> 4]) +
                               kUpperHex[c & 0xF] + " must be escaped (as " +
                               std::string(control_escape(c, buf)) + ")");
      }
      // A backslash: only the escapes JSON.stringify writes are canonical.
      *escaped = true;
      if (end_ - p_ < 2) return fail_at(p_, "unterminated string");
      switch (p_[1]) {
        case '"':
        case '\\':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          p_ += 2;
          continue;
        case 'u': {
          if (end_ - p_ >= 6 && p_[2] == '0' && p_[3] == '0' && (p_[4] == '0' || p_[4] == '1') &&
              ((p_[5] >= '0' && p_[5] <= '9') || (p_[5] >= 'a' && p_[5] <= 'f'))) {
            const unsigned char v =
                static_cast<unsigned char>((p_[4] - '0') * 16 + hex_digit(p_[5]));
            if (v != '\b' && v != '\f' && v != '\n' && v != '\r' && v != '\t') {
              p_ += 6;
              continue;
            }
            char buf[6];
            return fail_at(p_, "non-canonical escape: write this control character as " +
                                   std::string(control_escape(v, buf)));
          }
          return fail_at(p_,
                         "non-canonical \\u escape: only U+0000..U+001F are escaped, as \\u00xx "
                         "with lowercase hex (other characters are written as UTF-8)");
        }
        case '/':
          return fail_at(p_, "non-canonical escape \\/ (write '/')");
        default:
          return fail_at(p_, "invalid escape sequence");
      }
    }
  }

  std::span<JsonMember> members_;
  std::size_t* count_ = nullptr;
};

}  // namespace

Status check_canonical(std::string_view text, const JsonLimits& limits) {
  PW_TRY(check_document_limits(text, limits));
  FrameStack frames(limits.max_depth, text.size());
  return Checker(text, limits, frames.data()).run();
}

Status check_canonical_members(std::string_view text, const JsonLimits& limits,
                               std::span<JsonMember> members, std::size_t& count) {
  count = 0;
  PW_TRY(check_document_limits(text, limits));
  FrameStack frames(limits.max_depth, text.size());
  Checker checker(text, limits, frames.data());
  checker.report_members(members, &count);
  return checker.run();
}

}  // namespace pw::core
