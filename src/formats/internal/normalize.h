#pragma once
// Normalisation shared by the importers, so that the same identifier or country written by two
// registers compares equal (the merge step joins entities on exact identifiers only).

#include <optional>
#include <string>
#include <string_view>

#include "domain/ownership.h"

namespace pw::formats::internal {

std::string_view trim(std::string_view s);
std::string lowercase(std::string_view s);
std::string uppercase(std::string_view s);

// An identifier scheme as the model stores it: lowercase, trimmed; the org-id.guide code for
// the LEI ("XI-LEI") becomes "lei" so BODS and GLEIF identifiers meet.
std::string normalize_scheme(std::string_view scheme);
// A value as the model stores it: trimmed; LEIs uppercased (they are case-insensitive).
std::string normalize_identifier_value(std::string_view scheme, std::string_view value);
// Both of the above; nullopt when either part is empty after trimming.
std::optional<domain::Identifier> make_identifier(std::string_view scheme, std::string_view value);

// An ISO 3166-1 alpha-2 code from "FI", "fi", "US-MA" (a subdivision) or "" when the text is not
// one (e.g. "XX-ABC", "suhh", "Finland").
std::string country_code(std::string_view text);

// A date from "YYYY-MM-DD" (or longer RFC 3339), "YYYY-MM" or "YYYY". A partial date names a
// period; `end_of_period` picks the day after it (an exclusive end) instead of its first day.
std::optional<domain::Date> parse_partial_date(std::string_view text, bool end_of_period);

// A number for messages: up to 10 significant digits, no trailing zeros ("76.5", "-5").
std::string format_number(double v);

}  // namespace pw::formats::internal
