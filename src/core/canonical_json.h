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
// Errors name the JSON path of the offending value ("payload.items[3].price") and the byte
// offset in the input.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace pw::core {

inline constexpr std::int64_t kMaxSafeInteger = 9007199254740991;  // 2^53 - 1

struct JsonLimits {
  std::size_t max_bytes = 1 << 20;  // 1 MiB
  int max_depth = 64;
};

// Strict parse (RFC 8259 grammar, I-JSON restrictions above, no duplicate keys, no BOM,
// limits enforced). Never throws.
Result<nlohmann::json> parse_json_strict(std::string_view text, const JsonLimits& limits = {});

// RFC 8785 serialization of `value`. Fails on floats, integers outside the safe range, or
// strings that are not valid UTF-8. Never throws.
Result<std::string> canonical_dump(const nlohmann::json& value);

// parse_json_strict + canonical_dump.
Result<std::string> canonicalize(std::string_view text, const JsonLimits& limits = {});

// Succeeds iff `text` is byte-for-byte the canonical serialization of an allowed value.
// Fast path for verifying stored entries: one pass, no allocation per value.
Status check_canonical(std::string_view text, const JsonLimits& limits = {});

}  // namespace pw::core
