#include "formats/internal/json_records.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pw::formats::internal {
namespace {

constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;

// Bytes that end a fast skip inside a string: the closing quote, an escape, a raw newline
// (which ends a JSON-lines record even inside a broken string).
constexpr std::array<bool, 256> make_string_stops() {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>('"')] = true;
  t[static_cast<unsigned char>('\\')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  return t;
}
// Bytes that matter to framing outside strings.
constexpr std::array<bool, 256> make_structural_stops() {
  std::array<bool, 256> t{};
  for (char c : {'"', '{', '}', '[', ']', ',', '\n'}) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr auto kStringStops = make_string_stops();
constexpr auto kStructuralStops = make_structural_stops();

// The first index in [i, n) holding a string stop, or n. Strings are most of a JSON record's
// bytes, so they are skipped 16 bytes at a time where SSE2 is available (all x86-64).
std::size_t skip_string(const char* buf, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i newline = _mm_set1_epi8('\n');
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + i));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_cmpeq_epi8(v, newline));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  while (i < n && !kStringStops[static_cast<unsigned char>(buf[i])]) ++i;
  return i;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string describe_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15];
}

class Reader {
 public:
  Reader(ByteSource& source, IssueCollector& issues, const JsonRecordFn& visit)
      : source_(source),
        issues_(issues),
        visit_(visit),
        opts_(issues.options()),
        chunk_(std::max<std::size_t>(opts_.chunk_bytes, 4096)) {}

  core::Status run();

 private:
  enum class Mode { kUnknown, kLines, kArray };
  // Array framing: what the scanner expects next between records.
  enum class Phase { kOpen, kFirstValue, kValue, kAfterValue, kDone };

  core::Status scan();
  core::Status between_records(char c, std::size_t& i);
  void start_record(std::size_t i);
  core::Status finish_record(std::size_t end);
  core::Status parse_record(std::size_t begin, std::size_t end);
  core::Result<std::size_t> refill();
  core::Status at_end_of_input();

  ByteSource& source_;
  IssueCollector& issues_;
  const JsonRecordFn& visit_;
  const ImportOptions& opts_;
  const std::size_t chunk_;

  std::unique_ptr<char[]> buf_;
  std::size_t cap_ = 0;     // usable bytes; kPadding more are allocated after them
  std::size_t len_ = 0;     // valid bytes in buf_
  std::size_t pos_ = 0;     // next byte to scan
  std::uint64_t base_ = 0;  // input offset of buf_[0]
  bool bom_checked_ = false;

  Mode mode_ = Mode::kUnknown;
  Phase phase_ = Phase::kOpen;

  // The record being scanned.
  bool in_record_ = false;
  std::size_t rec_start_ = 0;  // index in buf_ (meaningless while skipping_)
  RecordRef ref_;
  bool in_string_ = false;
  bool escape_pending_ = false;  // a backslash was the last byte of the previous chunk
  std::size_t depth_ = 0;
  std::size_t max_depth_ = 0;
  bool closed_ = false;      // depth returned to 0 after a closing bracket
  bool trailing_ = false;    // non-space bytes after the close
  bool unbalanced_ = false;  // a closing bracket with nothing open
  bool skipping_ = false;    // larger than max_record_bytes: bytes are discarded, not parsed

  std::uint64_t records_ = 0;
  simdjson::ondemand::parser parser_;
};

core::Status Reader::run() {
  while (true) {
    PW_ASSIGN_OR_RETURN(std::size_t n, refill());
    if (n == 0) return at_end_of_input();
    // After the array closes the loop keeps reading: only whitespace may follow it.
    PW_TRY(scan());
  }
}

core::Result<std::size_t> Reader::refill() {
  // Keep the unfinished record (unless it is being skipped); drop everything scanned before it.
  std::size_t keep_from = len_;
  if (in_record_ && !skipping_) {
    if (len_ - rec_start_ > opts_.max_record_bytes) {
      PW_TRY(issues_.error(
          ref_, "",
          "record is larger than " + std::to_string(opts_.max_record_bytes) + " bytes; skipped"));
      ++issues_.summary().records_skipped;
      skipping_ = true;
    } else {
      keep_from = rec_start_;
    }
  }
  if (keep_from > 0) {
    std::memmove(buf_.get(), buf_.get() + keep_from, len_ - keep_from);
    len_ -= keep_from;
    base_ += keep_from;
    if (in_record_ && !skipping_) rec_start_ -= keep_from;
  }
  pos_ = len_;
  if (cap_ < len_ + chunk_) {
    const std::size_t new_cap = std::max(len_ + chunk_, cap_ * 2);
    auto bigger = std::make_unique<char[]>(new_cap + kPadding);
    if (len_ > 0) std::memcpy(bigger.get(), buf_.get(), len_);
    buf_ = std::move(bigger);
    cap_ = new_cap;
  }
  PW_ASSIGN_OR_RETURN(std::size_t n, source_.read(buf_.get() + len_, chunk_));
  len_ += n;
  // simdjson reads up to kPadding bytes past a record; their content does not matter but
  // they must be initialised memory for the sanitizers.
  std::memset(buf_.get() + len_, ' ', kPadding);
  return n;
}

void Reader::start_record(std::size_t i) {
  in_record_ = true;
  rec_start_ = i;
  ref_ = RecordRef{++records_, base_ + i};
  ++issues_.summary().records_read;
  in_string_ = escape_pending_ = closed_ = trailing_ = unbalanced_ = skipping_ = false;
  depth_ = max_depth_ = 0;
}

// Handles one non-space byte seen between records. Advances i past what it consumed.
core::Status Reader::between_records(char c, std::size_t& i) {
  const std::uint64_t offset = base_ + i;
  if (mode_ == Mode::kUnknown) {
    if (c == '[') {
      mode_ = Mode::kArray;
      phase_ = Phase::kFirstValue;
      ++i;
      return core::ok();
    }
    if (c == '{') {
      mode_ = Mode::kLines;
      start_record(i);
      return core::ok();
    }
    return std::unexpected(issues_.fatal(
        core::Code::kInvalidArgument, offset,
        "expected a JSON array ('[') or JSON lines ('{'), found " + describe_byte(c)));
  }
  if (mode_ == Mode::kLines) {
    start_record(i);
    return core::ok();
  }
  switch (phase_) {
    case Phase::kDone:
      return std::unexpected(issues_.fatal(
          core::Code::kInvalidArgument, offset,
          "unexpected " + describe_byte(c) + " after the end of the top-level JSON array"));
    case Phase::kAfterValue:
      if (c == ',') {
        phase_ = Phase::kValue;
      } else if (c == ']') {
        phase_ = Phase::kDone;
      } else {
        return std::unexpected(
            issues_.fatal(core::Code::kInvalidArgument, offset,
                          "expected ',' or ']' between records, found " + describe_byte(c)));
      }
      ++i;
      return core::ok();
    case Phase::kFirstValue:
    case Phase::kValue:
      if (c == ']') {
        if (phase_ == Phase::kValue) {
          PW_TRY(issues_.error(RecordRef{0, offset}, "", "trailing comma before ']'"));
        }
        phase_ = Phase::kDone;
        ++i;
        return core::ok();
      }
      if (c == ',') {
        PW_TRY(issues_.error(RecordRef{0, offset}, "", "empty array element"));
        ++i;
        return core::ok();
      }
      start_record(i);
      return core::ok();
    case Phase::kOpen:
      break;
  }
  return core::ok();
}

core::Status Reader::scan() {
  const char* const buf = buf_.get();
  std::size_t i = pos_;
  if (!bom_checked_ && base_ == 0 && len_ >= 3) {
    bom_checked_ = true;
    if (std::memcmp(buf, "\xEF\xBB\xBF", 3) == 0) i = 3;
  }
  const std::size_t n = len_;
  while (i < n) {
    if (!in_record_) {
      const char c = buf[i];
      if (is_space(c)) {
        ++i;
        continue;
      }
      PW_TRY(between_records(c, i));
      continue;
    }
    if (in_string_) {
      // An escaped character is skipped, except a raw newline, which still ends a JSON-lines
      // record (so a broken line never swallows the next one).
      if (escape_pending_) {
        escape_pending_ = false;
        if (!(mode_ == Mode::kLines && buf[i] == '\n')) ++i;
        continue;
      }
      i = skip_string(buf, i, n);
      if (i == n) break;
      const char c = buf[i];
      if (c == '"') {
        in_string_ = false;
        ++i;
      } else if (c == '\\') {
        if (i + 1 < n) {
          i += (mode_ == Mode::kLines && buf[i + 1] == '\n') ? 1 : 2;
        } else {
          escape_pending_ = true;
          ++i;
        }
      } else if (mode_ == Mode::kLines) {  // a raw newline ends a JSON-lines record
        PW_TRY(finish_record(i));
        ++i;
      } else {
        ++i;  // invalid inside a string; simdjson reports it
      }
      continue;
    }
    if (closed_ && !trailing_) {
      // After the record's closing bracket only spaces may come before its terminator.
      while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
                       (buf[i] == '\n' && mode_ == Mode::kArray))) {
        ++i;
      }
      if (i == n) break;
      const char c = buf[i];
      const bool terminator = mode_ == Mode::kLines ? c == '\n' : (c == ',' || c == ']');
      if (!terminator) trailing_ = true;
    }
    while (i < n && !kStructuralStops[static_cast<unsigned char>(buf[i])]) ++i;
    if (i == n) break;
    switch (buf[i]) {
      case '"':
        in_string_ = true;
        ++i;
        break;
      case '{':
      case '[':
        max_depth_ = std::max(max_depth_, ++depth_);
        ++i;
        break;
      case '}':
      case ']':
        if (depth_ > 0) {
          if (--depth_ == 0) closed_ = true;
          ++i;
        } else if (mode_ == Mode::kArray && buf[i] == ']') {
          PW_TRY(finish_record(i));
          phase_ = Phase::kDone;
          ++i;
        } else {
          unbalanced_ = true;
          ++i;
        }
        break;
      case ',':
        if (mode_ == Mode::kArray && depth_ == 0) {
          PW_TRY(finish_record(i));
          phase_ = Phase::kValue;
        }
        ++i;
        break;
      case '\n':
        if (mode_ == Mode::kLines) PW_TRY(finish_record(i));
        ++i;
        break;
      default:
        ++i;
    }
  }
  pos_ = i;
  return core::ok();
}

core::Status Reader::finish_record(std::size_t end) {
  in_record_ = false;
  if (mode_ == Mode::kArray) phase_ = Phase::kAfterValue;
  if (skipping_) return core::ok();  // already reported
  auto& summary = issues_.summary();
  auto reject = [&](std::string message) -> core::Status {
    ++summary.records_skipped;
    return issues_.error(ref_, "", std::move(message));
  };
  if (max_depth_ > opts_.max_depth) {
    return reject("JSON nesting is deeper than " + std::to_string(opts_.max_depth) + " levels");
  }
  if (in_string_ || depth_ > 0) {
    return reject("truncated JSON: the record ends (at byte " + std::to_string(base_ + end) +
                  ") inside " + (in_string_ ? std::string("a string") : "an object or array"));
  }
  if (unbalanced_) return reject("malformed JSON: a closing bracket has no opening bracket");
  if (trailing_) return reject("malformed JSON: unexpected content after the record");
  std::size_t stop = end;
  while (stop > rec_start_ && is_space(buf_[stop - 1])) --stop;
  return parse_record(rec_start_, stop);
}

core::Status Reader::parse_record(std::size_t begin, std::size_t end) {
  auto& summary = issues_.summary();
  simdjson::ondemand::document doc;
  auto err = parser_.iterate(buf_.get() + begin, end - begin, cap_ + kPadding - begin).get(doc);
  simdjson::ondemand::object object;
  if (!err) err = doc.get_object().get(object);
  if (err) {
    ++summary.records_skipped;
    if (err == simdjson::INCORRECT_TYPE) {
      return issues_.error(ref_, "", "record is not a JSON object");
    }
    return issues_.error(ref_, "", "malformed JSON: " + json_error_message(err));
  }
  return visit_(object, ref_);
}

core::Status Reader::at_end_of_input() {
  const std::uint64_t end = base_ + len_;
  if (mode_ == Mode::kUnknown) {
    return std::unexpected(
        issues_.fatal(core::Code::kInvalidArgument, end, "the input is empty (no JSON records)"));
  }
  if (mode_ == Mode::kLines) {
    if (in_record_) PW_TRY(finish_record(len_));
    return core::ok();
  }
  if (phase_ == Phase::kDone && !in_record_) return core::ok();
  if (in_record_ && !(closed_ && depth_ == 0 && !in_string_)) {
    return std::unexpected(issues_.fatal(
        core::Code::kDataLoss, end,
        "unexpected end of input inside record " + std::to_string(ref_.number) +
            " (which starts at byte " + std::to_string(ref_.offset) + "): the file is truncated"));
  }
  return std::unexpected(
      issues_.fatal(core::Code::kDataLoss, end,
                    "unexpected end of input: the top-level JSON array is not closed "
                    "(the file is truncated)"));
}

}  // namespace

std::string json_error_message(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    case simdjson::UNCLOSED_STRING:
      return "unclosed string";
    case simdjson::NUMBER_ERROR:
      return "not a valid JSON number (or out of range)";
    case simdjson::INCORRECT_TYPE:
      return "wrong JSON type";
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "malformed JSON structure";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "invalid literal (expected true, false or null)";
    case simdjson::STRING_ERROR:
      return "invalid string escape";
    case simdjson::DEPTH_ERROR:
      return "nesting too deep";
    default:
      return simdjson::error_message(code);
  }
}

core::Status read_json_records(ByteSource& source, IssueCollector& issues,
                               const JsonRecordFn& visit) {
  Reader reader(source, issues, visit);
  return reader.run();
}

}  // namespace pw::formats::internal
