#include "procurement/internal/text.h"

#include <array>

namespace pw::procurement::internal {
namespace {

// ISO 4217 minor-unit exponents other than 2 (the ISO 4217 list one, as maintained by SIX on
// behalf of ISO); the OCDS reader holds the full table and refuses unknown codes before they
// get here.
int exponent(std::string_view currency) {
  static constexpr std::array<std::string_view, 16> kZero = {
      "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
      "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF"};
  static constexpr std::array<std::string_view, 7> kThree = {"BHD", "IQD", "JOD", "KWD",
                                                             "LYD", "OMR", "TND"};
  for (auto c : kZero)
    if (c == currency) return 0;
  for (auto c : kThree)
    if (c == currency) return 3;
  if (currency == "CLF" || currency == "UYW") return 4;
  return 2;
}

std::string trim_zeros(std::string s) {
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string money(std::int64_t minor, std::string_view currency) {
  const int e = exponent(currency);
  if (e == 0) return fmt::format("{} {}", currency, minor);
  std::uint64_t scale = 1;
  for (int i = 0; i < e; ++i) scale *= 10;
  const std::uint64_t m =
      minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  return fmt::format("{} {}{}.{:0{}}", currency, minor < 0 ? "-" : "", m / scale, m % scale, e);
}

std::string fixed4(double value) {
  return fmt::format("{:.4f}", value);
}

std::string percent(double value) {
  return trim_zeros(fixed4(value)) + " %";
}

}  // namespace pw::procurement::internal
