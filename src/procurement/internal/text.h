#pragma once
// Formatting of amounts and ratios for the explanations of the procurement screens.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pw::procurement::internal {

// "EUR 1234.56": minor units shown with the currency's ISO 4217 exponent (2 unless listed).
std::string money(std::int64_t minor, std::string_view currency);
// A percentage with up to 4 decimals: 12.3456 -> "12.3456 %".
std::string percent(double value);
// A plain decimal with 4 decimals: 0.1234.
std::string fixed4(double value);

inline std::string str(std::string_view s) {
  return std::string(s);
}
inline std::string str(const std::string& s) {
  return s;
}
inline std::string str(const char* s) {
  return s;
}
template <typename T>
requires std::is_integral_v<T> std::string str(T v) {
  return std::to_string(v);
}
std::string str(double v);

std::string fmt_impl(std::string_view pattern, const std::vector<std::string>& args);

// fmt("a {} b {}", x, y): each "{}" replaced by the next argument (g++ 12 has no <format>).
template <typename... Args>
std::string fmt(std::string_view pattern, const Args&... args) {
  return fmt_impl(pattern, {str(args)...});
}

}  // namespace pw::procurement::internal
