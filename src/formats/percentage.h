#pragma once
// Free-text percentages as registers and OpenSanctions publish them ("25–50%", "76.5 %", ">50%",
// "more than 25% but not more than 50%", "100") turned into a domain::Share (fractions of 1).
//
// Contract: the text is always read as percent ("0.5" is half a percent, never a fraction).
// Bounds are exclusive only where the text says so: ">", "<", "more than", "over", "above",
// "less than", "under", "below" are exclusive; ">=", "≥", "at least", "<=", "≤", "up to",
// "at most", "not more than", a trailing "+" and both ends of "a-b" / "a to b" /
// "between a and b" are inclusive. A missing bound is 0% or 100% (inclusive).
// Decimal commas ("76,5") are accepted. Values must lie in [0, 100].

#include <string_view>

#include "core/result.h"
#include "domain/ownership.h"

namespace pw::formats {

// Fails with invalid_argument saying what could not be read or which value is out of range.
core::Result<domain::Share> parse_percentage_text(std::string_view text);

}  // namespace pw::formats
