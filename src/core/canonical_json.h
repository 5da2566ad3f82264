#pragma once
// Canonical JSON for the journal: RFC 8785 (JCS) for the subset the journal allows.
//
// Allowed values: objects (unique keys), arrays, strings (valid UTF-8), integers in the
// I-JSON safe range [-(2^53-1), 2^53-1], true, false, null. Floats, exponents and larger
// integers are rejected: decimals travel as strings ("12.50"). Output follows RFC 8785:
// no whitespace, object members sorted by the UTF-16 code units of their keys, strings
// escaped as ECMAScript JSON.stringify does (\" \\ \b \f \n \r \t, other controls as \u00xx
// with lowercase hex, everything else as literal UTF-8).
//
// Errors are invalid_argument and name where the problem is, as
//   "<path> at byte <offset>: <reason>"   (parse_json_strict, check_canonical)
//   "<path>: <reason>"                    (canonical_dump: a value built in code has no offsets)
// e.g. "$.payload.items[3].price at byte 57: floats are not allowed; send decimals as strings".
// <path> is a JSONPath-style normalized path: "$" is the document root, ".name" selects an
// object member whose name is an identifier ([A-Za-z_][A-Za-z0-9_]*), ["name"] (a JSON string,
// escaped as in the canonical form) selects any other member, [n] selects array element n
// (0-based). The path names the innermost value being read when the error was found (for a
// duplicate key, the member with that key). <offset> is the 0-based byte offset in the input.
// Limits: a document longer than max_bytes is rejected before it is read ("document is N
// bytes, limit M"); objects and arrays may nest at most max_depth deep (the outermost
// container is depth 1).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace pw::core {

inline constexpr std::int64_t kMaxSafeInteger = 9007199254740991;  // 2^53 - 1

struct JsonLimits {
  std::size_t max_bytes = 1 << 20;  // 1 MiB
  // The parser and checker recurse once per level, so this also bounds their stack use; keep
  // it in the hundreds at most.
  int max_depth = 64;
};

// Strict parse (RFC 8259 grammar, I-JSON restrictions above, no duplicate keys, no BOM,
// limits enforced). Never throws.
Result<nlohmann::json> parse_json_strict(std::string_view text, const JsonLimits& limits = {});

// RFC 8785 serialization of `value`. Fails on floats, integers outside the safe range
// (number_integer and number_unsigned alike), strings or keys that are not valid UTF-8, binary
// values, and nesting deeper than JsonLimits{}.max_depth (so that the output always passes
// check_canonical with default limits, apart from its size). Never throws (except
// std::bad_alloc).
Result<std::string> canonical_dump(const nlohmann::json& value);

// parse_json_strict + canonical_dump.
Result<std::string> canonicalize(std::string_view text, const JsonLimits& limits = {});

// Appends `s` as an RFC 8785 string literal (quotes included), for code that writes small
// canonical documents directly. Fails, leaving `out` unspecified, if `s` is not valid UTF-8.
Status append_canonical_string(std::string& out, std::string_view s);

// Succeeds iff `text` is byte-for-byte the canonical serialization of an allowed value, i.e.
// iff canonicalize(text) would succeed and return `text` unchanged. Fast path for verifying
// stored entries: one pass over the bytes, no DOM and no allocation per value (only on error).
Status check_canonical(std::string_view text, const JsonLimits& limits = {});

// One member of a JSON object as it appears in the text: the key's body between its quotes
// (escapes kept) and the value's text.
struct JsonMember {
  std::string_view key;
  std::string_view value;
  bool key_escaped = false;
};
// check_canonical that also reports, when `text` is an object, its top-level members in order:
// the first members.size() of them are written to `members`, and `count` is set to how many
// there are (0 for anything but an object). Lets a reader of a fixed-shape document take its
// fields without a second pass over the bytes.
Status check_canonical_members(std::string_view text, const JsonLimits& limits,
                               std::span<JsonMember> members, std::size_t& count);

}  // namespace pw::core
