#include "formats/ocds/internal/amount.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace pw::formats::ocds::internal {
namespace {

// Sorted by code for binary search; see currency_exponent() for the source.
constexpr std::array<std::pair<std::string_view, int>, 170> kCurrencies = {{
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
    {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2},
    {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
    {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2},
    {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HRK", 2}, {"HTG", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3},
    {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3},
    {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3},
    {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2},
    {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2},
    {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2},
    {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2},
    {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2}, {"SLE", 2}, {"SLL", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2},
    {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0},
    {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2},
    {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2},
    {"ZWG", 2}, {"ZWL", 2},
}};

constexpr bool sorted() {
  for (std::size_t i = 1; i < kCurrencies.size(); ++i)
    if (!(kCurrencies[i - 1].first < kCurrencies[i].first)) return false;
  return true;
}
static_assert(sorted(), "kCurrencies must be sorted by code");

__extension__ typedef unsigned __int128 u128;  // exact products below 2^128

bool digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<int> currency_exponent(std::string_view code) {
  const auto it = std::lower_bound(kCurrencies.begin(), kCurrencies.end(), code,
                                   [](const auto& e, std::string_view c) { return e.first < c; });
  if (it == kCurrencies.end() || it->first != code) return std::nullopt;
  return it->second;
}

core::Result<std::int64_t> to_minor_units(std::string_view text, int exponent,
                                          std::string_view currency) {
  const std::string shown(text.substr(0, 40));
  auto bad = [&] { return core::invalid_argument("'" + shown + "' is not a JSON number"); };
  std::size_t i = 0;
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  // The significant digits (leading zeros dropped) and how many of them are decimals.
  std::string digits;
  long long decimals = 0;
  const std::size_t int_start = i;
  while (i < text.size() && digit(text[i])) {
    if (!(digits.empty() && text[i] == '0')) digits += text[i];
    ++i;
  }
  if (i == int_start) return bad();
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t frac_start = i;
    while (i < text.size() && digit(text[i])) {
      if (!(digits.empty() && text[i] == '0')) digits += text[i];
      ++decimals;
      ++i;
    }
    if (i == frac_start) return bad();
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    const std::size_t exp_start = i;
    long long e = 0;
    while (i < text.size() && digit(text[i])) {
      if (e < 100000) e = e * 10 + (text[i] - '0');
      ++i;
    }
    if (i == exp_start) return bad();
    decimals += exp_negative ? e : -e;
  }
  if (i != text.size()) return bad();
  if (digits.empty()) return std::int64_t{0};  // 0, -0, 0.00, 0e5
  if (negative) return core::invalid_argument(shown + " is negative");
  // Trailing zeros of the decimals carry no value: 12.50 EUR has 1 decimal.
  while (decimals > 0 && digits.back() == '0') {
    digits.pop_back();
    --decimals;
  }
  if (decimals > exponent) {
    return core::invalid_argument(shown + " has " + std::to_string(decimals) + " decimals; " +
                                  std::string(currency) + " has " + std::to_string(exponent) +
                                  " (amounts are not rounded)");
  }
  const long long zeros = exponent - decimals;  // >= 0
  auto too_large = [&] {
    return core::invalid_argument(shown + " " + std::string(currency) +
                                  " is too large (more than 2^63 - 1 minor units)");
  };
  if (zeros > 19 || static_cast<long long>(digits.size()) + zeros > 19) return too_large();
  constexpr auto kMax = static_cast<u128>(std::numeric_limits<std::int64_t>::max());
  u128 v = 0;
  for (char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
  for (long long z = 0; z < zeros; ++z) v *= 10;
  if (v > kMax) return too_large();
  return static_cast<std::int64_t>(v);
}

}  // namespace pw::formats::ocds::internal
