#include <algorithm>
#include <string>
#include <string_view>

#include "http/internal/message_check.h"
#include "http/server.h"

namespace pw::http {
namespace {

// ASCII case-insensitive equality; header names are ASCII tokens, so no locale is involved.
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string_view method_name(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
  }
  return "GET";
}

std::optional<Method> parse_method(std::string_view token) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    if (method_name(m) == token) return m;
  }
  return std::nullopt;
}

bool is_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return is_tchar(static_cast<unsigned char>(c));
  });
}

bool is_header_value(std::string_view value) {
  // RFC 9110 section 5.5: field-value = *field-content; VCHAR, obs-text, SP and HTAB.
  return std::all_of(value.begin(), value.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c == '\t' || (c >= 0x20 && c != 0x7f);
  });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

void Headers::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
}

std::optional<std::string_view> Params::get(std::string_view name) const {
  for (const auto& [n, v] : entries_) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> Params::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : entries_) {
    if (n == name) out.emplace_back(v);
  }
  return out;
}

Response Response::text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace pw::http

namespace pw::http::internal {

std::optional<std::string> check_response(const Response& response) {
  if (response.status < 200 || response.status > 599) {
    return "status " + std::to_string(response.status) + " is outside 200-599";
  }
  if ((response.status == 204 || response.status == 304) && !response.body.empty()) {
    return "status " + std::to_string(response.status) + " must not have a body";
  }
  if (!is_header_value(response.content_type)) return "content type has a control character";
  static constexpr std::string_view kOwned[] = {"content-length", "transfer-encoding", "connection",
                                                "keep-alive",     "upgrade",           "trailer",
                                                "x-request-id",   "content-type"};
  for (const auto& [name, value] : response.headers.fields()) {
    if (!is_header_name(name)) return "a header name is not a token";
    for (std::string_view owned : kOwned) {
      if (iequals(name, owned)) return "header " + name + " is set by the server";
    }
    if (!is_header_value(value)) return "header " + name + " has a control character (CR/LF?)";
  }
  return std::nullopt;
}

}  // namespace pw::http::internal
