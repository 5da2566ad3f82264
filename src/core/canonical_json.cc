#include "core/canonical_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

namespace pw::core {
namespace {

using json = nlohmann::json;

constexpr const char* kFloatsNotAllowed = "floats are not allowed; send decimals as strings";
constexpr const char* kIntegerOutOfRange =
    "integer outside [-(2^53-1), 2^53-1]; send larger numbers as strings";

// ---------------------------------------------------------------------------------------------
// UTF-8

// Length of the well-formed UTF-8 sequence that starts at `p` (RFC 3629: shortest form, no
// surrogates, at most U+10FFFF), or 0 if the bytes there are not one. Requires p < end and
// *p >= 0x80.
inline std::size_t utf8_sequence_length(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  const std::size_t avail = static_cast<std::size_t>(end - p);
  auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  if (c < 0xC2) return 0;  // a continuation byte, or the lead of an overlong 2-byte form
  if (c < 0xE0) return avail >= 2 && cont(p[1]) ? 2 : 0;
  if (c < 0xF0) {
    if (avail < 3) return 0;
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;  // E0 80..9F would be overlong
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;  // ED A0..BF would be a surrogate
    return p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
  }
  if (c < 0xF5) {
    if (avail < 4) return 0;
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;  // F0 80..8F would be overlong
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;  // F4 90.. would be above U+10FFFF
    return p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
  }
  return 0;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | cp >> 18));
    out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// True for the bytes a string body holds as they are in every form (ASCII, not a control
// character, not '"' or '\\'). Everything else needs a look: escapes, UTF-8, errors.
constexpr std::array<bool, 256> kPlainStringByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
  return t;
}();

// The same test for 8 bytes at once: true if any byte of `w` is not plain. Plain runs are
// copied or skipped eight bytes at a time. (Classic SWAR "has less than" / "has zero byte"
// tests; the overall answer is exact.)
inline bool needs_attention(std::uint64_t w) {
  constexpr std::uint64_t k01 = 0x0101010101010101ULL;
  constexpr std::uint64_t k80 = 0x8080808080808080ULL;
  auto has_zero = [&](std::uint64_t v) { return (v - k01) & ~v & k80; };
  const std::uint64_t below_space = (w - k01 * 0x20) & ~w & k80;
  const std::uint64_t quote = has_zero(w ^ (k01 * '"'));
  const std::uint64_t backslash = has_zero(w ^ (k01 * '\\'));
  return (below_space | quote | backslash | (w & k80)) != 0;
}

// ---------------------------------------------------------------------------------------------
// Ordering and escaping

// <0, 0, >0 as `a` sorts before, equal to or after `b` when both (valid UTF-8) strings are
// compared as sequences of UTF-16 code units (RFC 8785 section 3.2.3).
//
// UTF-8 byte order is code point order. UTF-16 order differs from it in one case only: a
// supplementary character (UTF-8 lead byte F0..F4, UTF-16 high surrogate D800..DBFF) sorts
// before U+E000..U+FFFF (lead byte EE or EF). The first differing byte is a lead byte on both
// sides or a continuation byte on both sides (the equal prefix decodes identically), so checking
// the differing bytes is enough.
int compare_utf16(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  const auto mm = std::mismatch(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin());
  const std::size_t i = static_cast<std::size_t>(mm.first - a.begin());
  if (i == n) return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
  const auto x = static_cast<unsigned char>(a[i]);
  const auto y = static_cast<unsigned char>(b[i]);
  if (x >= 0xF0 && (y == 0xEE || y == 0xEF)) return -1;
  if (y >= 0xF0 && (x == 0xEE || x == 0xEF)) return 1;
  return x < y ? -1 : 1;
}

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";

// The escape JSON.stringify writes for a byte below 0x20, as a pointer to 2 or 6 characters.
inline std::string_view control_escape(unsigned char c, char (&buf)[6]) {
  switch (c) {
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      buf[0] = '\\';
      buf[1] = 'u';
      buf[2] = '0';
      buf[3] = '0';
      buf[4] = kLowerHex[c >> 4];
      buf[5] = kLowerHex[c & 0xF];
      return {buf, 6};
  }
}

// Appends `s` as an RFC 8785 string literal (quotes included). If `s` is not valid UTF-8,
// returns false and sets *bad_offset to the offset of the first bad byte in `s`; `out` then
// holds a partial literal.
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

// ---------------------------------------------------------------------------------------------
// Paths in error messages

// One step of the path to the value being read. Borrowed views: `key` points into the input
// text (raw == true: still escaped as in the input, between the quotes) or into a live
// nlohmann object key (raw == false). Both outlive the frame, which is only read while the
// value it names is being processed.
//
// Trivially constructible on purpose: the checker keeps 64 of them on the stack per call and
// must not pay for initializing them (a frame is always written before it is read).
struct PathFrame {
  std::string_view key;
  std::size_t index;
  bool is_index;
  bool raw;
};

int hex_digit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes a string body that a parser has already accepted (escapes well formed, surrogates
// paired). Only used to write error messages.
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

bool is_json_whitespace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Frame storage for one call: inline for the default depth, on the heap only for larger limits.
// A path is at most as long as the nesting, which is bounded by the limit and by the input size
// (every level takes at least one byte), so a huge limit does not mean a huge allocation.
class FrameStack {
 public:
  FrameStack(int max_depth, std::size_t input_size) {
    const std::size_t need = std::min(static_cast<std::size_t>(std::max(max_depth, 0)), input_size);
    if (need > inline_.size()) heap_.resize(need);
  }
  PathFrame* data() { return heap_.empty() ? inline_.data() : heap_.data(); }

 private:
  std::array<PathFrame, 64> inline_;  // deliberately uninitialized, see PathFrame
  std::vector<PathFrame> heap_;
};

// Checks shared by the parser and the checker before any byte is read.
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

// ---------------------------------------------------------------------------------------------
// Shared scanner state: position, path frames and the first error.

class Scanner {
 protected:
  Scanner(std::string_view text, const JsonLimits& limits, PathFrame* frames)
      : begin_(reinterpret_cast<const unsigned char*>(text.data())),
        p_(begin_),
        end_(begin_ + text.size()),
        max_depth_(limits.max_depth),
        frames_(frames) {}

  // Records the error (message built now, while the path frames are intact) and returns false
  // so that callers can `return fail(...)` all the way up.
  bool fail_at(const unsigned char* where, std::string_view reason) {
    error_ = render_path(frames_, path_len_);
    error_ += " at byte ";
    error_ += std::to_string(where - begin_);
    error_ += ": ";
    error_ += reason;
    return false;
  }
  bool fail_unexpected(const char* context) {
    if (p_ >= end_) return fail_at(p_, std::string("unexpected end of input, ") + context);
    return fail_at(p_, describe_byte(*p_) + ", " + context);
  }
  bool fail_nesting(const unsigned char* where) {
    return fail_at(where, "nesting deeper than " + std::to_string(max_depth_));
  }

  void push_key(std::string_view key, bool raw) {
    frames_[path_len_++] = PathFrame{key, 0, false, raw};
  }
  void push_index(std::size_t index) { frames_[path_len_++] = PathFrame{{}, index, true, false}; }
  void pop() { --path_len_; }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return fail_at(p_, "invalid literal (expected '" + std::string(word) + "')");
    }
    p_ += word.size();
    return true;
  }

  // Integer grammar shared by both: '-'? ('0' | [1-9][0-9]*), no fraction, no exponent, in the
  // safe range. On success *value holds the number and *negative_zero says it was "-0".
  bool integer(std::int64_t* value, bool* negative_zero) {
    const unsigned char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ >= end_ || *p_ < '0' || *p_ > '9') {
      return fail_at(start, "invalid number (a digit must follow '-')");
    }
    const unsigned char* digits = p_;
    if (*p_ == '0') {
      ++p_;
      if (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
        return fail_at(start, "leading zeros are not allowed in numbers");
      }
    } else {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) {
      return fail_at(start, kFloatsNotAllowed);
    }
    const std::size_t ndigits = static_cast<std::size_t>(p_ - digits);
    if (ndigits > 16) return fail_at(start, kIntegerOutOfRange);  // 2^53-1 has 16 digits
    std::int64_t v = 0;
    for (const unsigned char* d = digits; d < p_; ++d) v = v * 10 + (*d - '0');
    if (v > kMaxSafeInteger) return fail_at(start, kIntegerOutOfRange);
    *negative_zero = negative && v == 0;
    *value = negative ? -v : v;
    return true;
  }

  const unsigned char* begin_;
  const unsigned char* p_;
  const unsigned char* end_;
  int max_depth_;
  PathFrame* frames_;  // capacity max_depth_; owned by the caller, outlives the scanner
  std::size_t path_len_ = 0;
  std::string error_;
};

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
      if (!value(depth + 1)) return false;
      pop();
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
};

// ---------------------------------------------------------------------------------------------
// Serializer

class Dumper {
 public:
  Dumper() : max_depth_(JsonLimits{}.max_depth), frames_(max_depth_, SIZE_MAX) {}

  Result<std::string> run(const json& v) {
    if (!dump(v, 0)) return invalid_argument(std::move(error_));
    return std::move(out_);
  }

 private:
  bool fail(std::string_view reason) {
    error_ = render_path(frames_.data(), path_len_);
    error_ += ": ";
    error_ += reason;
    return false;
  }

  bool dump(const json& v, int depth) {
    switch (v.type()) {
      case json::value_t::null:
        out_ += "null";
        return true;
      case json::value_t::boolean:
        out_ += v.get_ref<const json::boolean_t&>() ? "true" : "false";
        return true;
      case json::value_t::number_integer: {
        const std::int64_t n = v.get_ref<const json::number_integer_t&>();
        if (n > kMaxSafeInteger || n < -kMaxSafeInteger) return fail(kIntegerOutOfRange);
        append_integer(n);
        return true;
      }
      case json::value_t::number_unsigned: {
        const std::uint64_t n = v.get_ref<const json::number_unsigned_t&>();
        if (n > static_cast<std::uint64_t>(kMaxSafeInteger)) return fail(kIntegerOutOfRange);
        append_integer(static_cast<std::int64_t>(n));
        return true;
      }
      case json::value_t::number_float:
        return fail(kFloatsNotAllowed);
      case json::value_t::string: {
        std::size_t bad = 0;
        if (!append_canonical_string(out_, v.get_ref<const json::string_t&>(), &bad)) {
          return fail("invalid UTF-8 in string at byte " + std::to_string(bad) + " of the string");
        }
        return true;
      }
      case json::value_t::array: {
        if (depth >= max_depth_) return fail("nesting deeper than " + std::to_string(max_depth_));
        out_ += '[';
        std::size_t index = 0;
        for (const json& e : v.get_ref<const json::array_t&>()) {
          if (index != 0) out_ += ',';
          frames_.data()[path_len_++] = PathFrame{{}, index, true, false};
          if (!dump(e, depth + 1)) return false;
          --path_len_;
          ++index;
        }
        out_ += ']';
        return true;
      }
      case json::value_t::object:
        return object(v.get_ref<const json::object_t&>(), depth);
      case json::value_t::binary:
        return fail("binary values are not allowed");
      case json::value_t::discarded:
        return fail("discarded values are not allowed");
    }
    return fail("unknown value type");
  }

  bool object(const json::object_t& members, int depth) {
    if (depth >= max_depth_) return fail("nesting deeper than " + std::to_string(max_depth_));
    // nlohmann keeps members in UTF-8 byte order; that is UTF-16 order unless some key holds a
    // byte >= 0xEE (U+E000..U+FFFF or a supplementary character). Sort only in that case.
    bool needs_sort = false;
    for (const auto& [key, _] : members) {
      if (std::any_of(key.begin(), key.end(),
                      [](char c) { return static_cast<unsigned char>(c) >= 0xEE; })) {
        needs_sort = true;
        break;
      }
    }
    std::vector<const json::object_t::value_type*> order;
    order.reserve(members.size());
    for (const auto& m : members) order.push_back(&m);
    if (needs_sort) {
      std::sort(order.begin(), order.end(),
                [](const auto* a, const auto* b) { return compare_utf16(a->first, b->first) < 0; });
    }
    out_ += '{';
    bool first = true;
    for (const auto* m : order) {
      if (!first) out_ += ',';
      first = false;
      std::size_t bad = 0;
      if (!append_canonical_string(out_, m->first, &bad)) {
        return fail("object key is not valid UTF-8 (bad byte at " + std::to_string(bad) +
                    " of the key)");
      }
      out_ += ':';
      frames_.data()[path_len_++] = PathFrame{m->first, 0, false, false};
      if (!dump(m->second, depth + 1)) return false;
      --path_len_;
    }
    out_ += '}';
    return true;
  }

  void append_integer(std::int64_t n) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, n);
    out_.append(buf, r.ptr);
  }

  int max_depth_;
  FrameStack frames_;
  std::size_t path_len_ = 0;
  std::string out_;
  std::string error_;
};

}  // namespace

Result<nlohmann::json> parse_json_strict(std::string_view text, const JsonLimits& limits) {
  PW_TRY(check_document_limits(text, limits));
  FrameStack frames(limits.max_depth, text.size());
  return Parser(text, limits, frames.data()).run();
}

Result<std::string> canonical_dump(const nlohmann::json& value) {
  return Dumper().run(value);
}

Result<std::string> canonicalize(std::string_view text, const JsonLimits& limits) {
  PW_ASSIGN_OR_RETURN(nlohmann::json value, parse_json_strict(text, limits));
  return canonical_dump(value);
}

Status check_canonical(std::string_view text, const JsonLimits& limits) {
  PW_TRY(check_document_limits(text, limits));
  FrameStack frames(limits.max_depth, text.size());
  return Checker(text, limits, frames.data()).run();
}

}  // namespace pw::core
