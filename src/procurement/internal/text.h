#pragma once
// Formatting of amounts and ratios for the explanations of the procurement screens. Messages are
// assembled with the fmt library (DESIGN.md: g++ 12 has no <format>); these helpers fix how
// amounts and ratios read, so that every message shows the same numbers the same way.

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace pw::procurement::internal {

// "EUR 1234.56": minor units shown with the currency's ISO 4217 exponent (2 unless listed).
std::string money(std::int64_t minor, std::string_view currency);
// A percentage with up to 4 decimals, trailing zeros dropped: 12.3456 -> "12.3456 %".
std::string percent(double value);
// A plain decimal with 4 decimals: 0.1234.
std::string fixed4(double value);

}  // namespace pw::procurement::internal
