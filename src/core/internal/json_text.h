#pragma once
// Shared text-level pieces of the canonical JSON code (core/canonical_json.h): UTF-8 helpers,
// UTF-16 key order, RFC 8785 string escaping, error paths and messages, document limits, and the
// Scanner base of the strict parser (json_parse.cc) and the canonical-form checker
// (json_check.cc). Private to core.
//
// The helpers on the per-byte paths are inline here so that the parser, checker and serializer
// compile them into their loops as before; the cold (error-message) helpers live in
// json_text.cc.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/canonical_json.h"
#include "core/result.h"

namespace pw::core::internal {

inline constexpr const char* kFloatsNotAllowed = "floats are not allowed; send decimals as strings";
inline constexpr const char* kIntegerOutOfRange =
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

inline void append_utf8(std::string& out, std::uint32_t cp) {
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
inline constexpr std::array<bool, 256> kPlainStringByte = [] {
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
inline int compare_utf16(std::string_view a, std::string_view b) {
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

inline constexpr char kLowerHex[] = "0123456789abcdef";
inline constexpr char kUpperHex[] = "0123456789ABCDEF";

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
bool append_canonical_string(std::string& out, std::string_view s, std::size_t* bad_offset);

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

inline int hex_digit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes a string body that a parser has already accepted (escapes well formed, surrogates
// paired). Only used to write error messages.
std::string unescape_accepted(std::string_view raw);

// The normalized path ("$", ".name", ["name"], [n]; see core/canonical_json.h) of frames[0..n).
std::string render_path(const PathFrame* frames, std::size_t n);

// `decoded` as a quoted JSON string in single quotes, for naming a key in a message.
std::string quote_for_message(std::string_view decoded);

// "unexpected character 'x'" or "unexpected byte 0xNN".
std::string describe_byte(unsigned char c);

inline bool is_json_whitespace(unsigned char c) {
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
Status check_document_limits(std::string_view text, const JsonLimits& limits);

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

}  // namespace pw::core::internal
