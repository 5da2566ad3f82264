#include "formats/internal/normalize.h"

#include <cstdio>

namespace pw::formats::internal {

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string uppercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string normalize_scheme(std::string_view scheme) {
  std::string s = lowercase(trim(scheme));
  if (s == "xi-lei") return "lei";
  return s;
}

std::string normalize_identifier_value(std::string_view scheme, std::string_view value) {
  std::string_view v = trim(value);
  if (scheme == "lei") return uppercase(v);
  return std::string(v);
}

std::optional<domain::Identifier> make_identifier(std::string_view scheme, std::string_view value) {
  std::string s = normalize_scheme(scheme);
  if (s.empty()) return std::nullopt;
  std::string v = normalize_identifier_value(s, value);
  if (v.empty()) return std::nullopt;
  return domain::Identifier{std::move(s), std::move(v)};
}

std::string country_code(std::string_view text) {
  std::string_view t = trim(text);
  if (t.size() > 2 && t[2] == '-') t = t.substr(0, 2);
  if (t.size() != 2) return "";
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(t[0]) || !alpha(t[1])) return "";
  return uppercase(t);
}

std::optional<domain::Date> parse_partial_date(std::string_view text, bool end_of_period) {
  std::string_view t = trim(text);
  auto digits = [&](std::size_t from, std::size_t n) {
    if (t.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
    }
    return true;
  };
  if (t.size() >= 10) {
    auto d = domain::parse_date(t);
    if (!d) return std::nullopt;
    return *d;
  }
  if (t.size() == 7 && digits(0, 4) && t[4] == '-' && digits(5, 2)) {
    int y = std::stoi(std::string(t.substr(0, 4)));
    int m = std::stoi(std::string(t.substr(5, 2)));
    if (m < 1 || m > 12) return std::nullopt;
    if (end_of_period && ++m == 13) {
      m = 1;
      ++y;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
    auto d = domain::parse_date(buf);
    if (!d) return std::nullopt;
    return *d;
  }
  if (t.size() == 4 && digits(0, 4)) {
    int y = std::stoi(std::string(t));
    if (end_of_period) ++y;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-01-01", y);
    auto d = domain::parse_date(buf);
    if (!d) return std::nullopt;
    return *d;
  }
  return std::nullopt;
}

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace pw::formats::internal
