#pragma once
// OCDS amounts (JSON numbers in major units, e.g. 1234.5 EUR) to integer minor units (123450
// cents), exactly: the number's decimal text is converted, never a double, so 0.1 + 0.2 cannot
// creep in. An amount with more decimals than the currency has (12.345 EUR) is refused, not
// rounded.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace pw::formats::ocds::internal {

// The ISO 4217 minor-unit exponent of an active (or recently withdrawn) currency code, or
// nullopt for a code that is not in the table. Source: ISO 4217 "list one" (current currency
// and funds code list) as published by SIX Financial Information on behalf of ISO, amendment
// 178 (2024); HRK (withdrawn 2023) is kept for older procurement data.
std::optional<int> currency_exponent(std::string_view code);

// Converts the text of a JSON number (`-?digits[.digits][e[+-]digits]`) in major units of a
// currency with `exponent` decimals into minor units. Errors (invalid_argument, message only,
// no field): not a number, negative, more decimals than the currency has, out of range.
core::Result<std::int64_t> to_minor_units(std::string_view number, int exponent,
                                          std::string_view currency);

}  // namespace pw::formats::ocds::internal
