#include "http/internal/target.h"

#include <string>
#include <string_view>

namespace pw::http::internal {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

}  // namespace

core::Result<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      const bool complete = i + 2 < in.size();
      int hi = complete ? hex_value(in[i + 1]) : -1;
      int lo = complete ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return core::invalid_argument("malformed percent escape");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

core::Result<ParsedTarget> parse_target(std::string_view target) {
  if (target.empty() || target[0] != '/') {
    return core::invalid_argument("request target must be an absolute path (origin-form)");
  }
  for (char c : target) {
    auto u = static_cast<unsigned char>(c);
    if (is_control(u) || c == ' ') {
      return core::invalid_argument("request target contains a control character or space");
    }
    if (c == '#') return core::invalid_argument("request target must not contain a fragment");
  }
  const std::size_t q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);

  ParsedTarget out;
  out.path.reserve(raw_path.size());
  // Segment by segment, so that "." and ".." are judged after decoding ("%2e%2e" is "..") and
  // an encoded '/' can be told from a separator.
  std::size_t start = 1;
  while (true) {
    std::size_t slash = raw_path.find('/', start);
    std::string_view raw_segment = raw_path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    auto segment = percent_decode(raw_segment, /*plus_is_space=*/false);
    if (!segment) return core::invalid_argument("request path: malformed percent escape");
    if (*segment == "." || *segment == "..") {
      return core::invalid_argument("request path: \".\" and \"..\" segments are not allowed");
    }
    for (char c : *segment) {
      auto u = static_cast<unsigned char>(c);
      if (is_control(u)) {
        return core::invalid_argument("request path: control characters are not allowed");
      }
      if (c == '/') return core::invalid_argument("request path: encoded '/' is not allowed");
      if (c == '\\') return core::invalid_argument("request path: '\\' is not allowed");
    }
    out.path.push_back('/');
    out.path += *segment;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }

  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      std::size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      if (pair.empty()) continue;
      std::size_t eq = pair.find('=');
      auto name = percent_decode(pair.substr(0, eq), /*plus_is_space=*/true);
      auto value = percent_decode(
          eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
      if (!name || !value) return core::invalid_argument("request query: malformed percent escape");
      for (const std::string* s : {&*name, &*value}) {
        for (char c : *s) {
          if (is_control(static_cast<unsigned char>(c))) {
            return core::invalid_argument("request query: control characters are not allowed");
          }
        }
      }
      out.query.add(std::move(*name), std::move(*value));
    }
  }
  return out;
}

}  // namespace pw::http::internal
