// Strict parser: parse_json_strict (core/canonical_json.h).

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "core/canonical_json.h"
#include "core/internal/json_text.h"

namespace pw::core {
namespace {

using json = nlohmann::json;
using internal::append_utf8;
using internal::check_document_limits;
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
using internal::utf8_sequence_length;

// ---------------------------------------------------------------------------------------------
// Strict parser

class Parser : public Scanner {
 public:
  Parser(std::string_view text, const JsonLimits& limits, PathFrame* frames)
      : Scanner(text, limits, frames) {}

  Result<json> run() {
    json root;
    skip_ws();
    if (!value(root, 0)) return invalid_argument(std::move(error_));
    skip_ws();
    if (p_ != end_) {
      fail_at(p_, "trailing characters after the JSON value");
      return invalid_argument(std::move(error_));
    }
    return root;
  }

 private:
  void skip_ws() {
    while (p_ < end_ && is_json_whitespace(*p_)) ++p_;
  }

  bool value(json& out, int depth) {
    if (p_ >= end_) return fail_unexpected("expected a value");
    switch (*p_) {
      case '{':
        return object(out, depth);
      case '[':
        return array(out, depth);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't':
        out = true;
        return literal("true");
      case 'f':
        out = false;
        return literal("false");
      case 'n':
        out = nullptr;
        return literal("null");
      default:
        break;
    }
    if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) {
      std::int64_t v = 0;
      bool negative_zero = false;
      if (!integer(&v, &negative_zero)) return false;
      out = v;  // "-0" is the integer 0 (RFC 8785 writes it as 0)
      return true;
    }
    return fail_unexpected("expected a value");
  }

  bool object(json& out, int depth) {
    if (depth >= max_depth_) return fail_nesting(p_);
    ++p_;
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    skip_ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      if (p_ >= end_ || *p_ != '"') return fail_unexpected("expected a string key");
      const unsigned char* key_at = p_;
      std::string key;
      if (!string(key)) return false;
      auto [it, inserted] = members.emplace(std::move(key), nullptr);
      push_key(it->first, false);
      if (!inserted) return fail_at(key_at, "duplicate key " + quote_for_message(it->first));
      skip_ws();
      if (p_ >= end_ || *p_ != ':') return fail_unexpected("expected ':' after the key");
      ++p_;
      skip_ws();
      if (!value(it->second, depth + 1)) return false;
      pop();
      skip_ws();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        skip_ws();
        continue;
      }
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        return true;
      }
      return fail_unexpected("expected ',' or '}'");
    }
  }

  bool array(json& out, int depth) {
    if (depth >= max_depth_) return fail_nesting(p_);
    ++p_;
    out = json::array();
    auto& elements = out.get_ref<json::array_t&>();
    skip_ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (std::size_t index = 0;; ++index) {
      push_index(index);
      elements.emplace_back();
      if (!value(elements.back(), depth + 1)) return false;
      pop();
      skip_ws();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        skip_ws();
        continue;
      }
      if (p_ < end_ && *p_ == ']') {
        ++p_;
        return true;
      }
      return fail_unexpected("expected ',' or ']'");
    }
  }

  // Four hex digits at p_ (either case). -1 if they are not there.
  std::int32_t hex4() {
    if (end_ - p_ < 4) return -1;
    std::int32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const int d = hex_digit(p_[k]);
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    p_ += 4;
    return v;
  }

  // p_ at the opening quote; decodes into `out` and leaves p_ after the closing quote.
  bool string(std::string& out) {
    ++p_;
    for (;;) {
      const unsigned char* run = p_;
      while (end_ - p_ >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p_, 8);
        if (needs_attention(w)) break;
        p_ += 8;
      }
      while (p_ < end_ && kPlainStringByte[*p_]) ++p_;
      out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p_ - run));
      if (p_ >= end_) return fail_at(p_, "unterminated string");
      const unsigned char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) {
        char buf[6];
        return fail_at(p_, "control character U+00" + std::string(1, kUpperHex[c >> 4]) +
                               kUpperHex[c & 0xF] + " must be escaped (as " +
                               std::string(control_escape(c, buf)) + ")");
      }
      if (c >= 0x80) {
        const std::size_t len = utf8_sequence_length(p_, end_);
        if (len == 0) return fail_at(p_, "invalid UTF-8");
        out.append(reinterpret_cast<const char*>(p_), len);
        p_ += len;
        continue;
      }
      // A backslash escape.
      const unsigned char* esc = p_;
      if (end_ - p_ < 2) return fail_at(p_, "unterminated string");
      p_ += 2;
      switch (esc[1]) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
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
          const std::int32_t u = hex4();
          if (u < 0) return fail_at(esc, "invalid \\u escape (want 4 hex digits)");
          if (u >= 0xDC00 && u <= 0xDFFF) {
            return fail_at(esc,
                           "lone surrogate in \\u escape (a low surrogate without a high one)");
          }
          std::uint32_t cp = static_cast<std::uint32_t>(u);
          if (u >= 0xD800 && u <= 0xDBFF) {
            std::int32_t lo = -1;
            if (end_ - p_ >= 2 && p_[0] == '\\' && p_[1] == 'u') {
              p_ += 2;
              lo = hex4();
            }
            if (lo < 0xDC00 || lo > 0xDFFF) {
              return fail_at(esc,
                             "lone surrogate in \\u escape (a high surrogate must be followed by "
                             "a \\u escape of a low surrogate)");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(lo) - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return fail_at(esc, "invalid escape sequence");
      }
    }
  }
};

}  // namespace

Result<nlohmann::json> parse_json_strict(std::string_view text, const JsonLimits& limits) {
  PW_TRY(check_document_limits(text, limits));
  FrameStack frames(limits.max_depth, text.size());
  return Parser(text, limits, frames.data()).run();
}

}  // namespace pw::core
