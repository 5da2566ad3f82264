#include "procurement/internal/text.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace pw::procurement::internal {
namespace {

int exponent(std::string_view currency) {
  static constexpr std::array<std::string_view, 14> kZero = {"BIF", "CLP", "DJF", "GNF", "ISK",
                                                             "JPY", "KMF", "KRW", "PYG", "RWF",
                                                             "UGX", "VND", "XAF", "XOF"};
  static constexpr std::array<std::string_view, 7> kThree = {"BHD", "IQD", "JOD", "KWD",
                                                             "LYD", "OMR", "TND"};
  for (auto c : kZero)
    if (c == currency) return 0;
  for (auto c : kThree)
    if (c == currency) return 3;
  return 2;
}

}  // namespace

std::string money(std::int64_t minor, std::string_view currency) {
  const int e = exponent(currency);
  if (e == 0) return std::string(currency) + " " + std::to_string(minor);
  const std::int64_t scale = e == 3 ? 1000 : 100;
  const char* sign = minor < 0 ? "-" : "";
  const std::uint64_t m =
      minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  std::string frac = std::to_string(m % scale);
  while (static_cast<int>(frac.size()) < e) frac.insert(frac.begin(), '0');
  return std::string(currency) + " " + sign + std::to_string(m / scale) + "." + frac;
}

std::string fixed4(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", value);
  return buf;
}

std::string str(double v) {
  std::string s = fixed4(v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string fmt_impl(std::string_view pattern, const std::vector<std::string>& args) {
  std::string out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}' &&
        next < args.size()) {
      out += args[next++];
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string percent(double value) {
  std::string s = fixed4(value);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + " %";
}

}  // namespace pw::procurement::internal
