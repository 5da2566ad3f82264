#include <algorithm>
#include <string>
#include <string_view>

#include "http/server.h"

namespace pw::http {
namespace {

// "/" has no segments; "/a/b" has "a", "b"; "/a/" has "a", "" (a trailing slash is a
// different path, as in most servers, so "/v1/assets/" does not silently alias "/v1/assets").
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.size() <= 1) return out;
  std::size_t start = 1;
  while (true) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(path.substr(start));
      return out;
    }
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

bool is_param_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

core::Status Router::add(Method method, std::string_view pattern, Handler handler) {
  if (!handler) {
    return core::invalid_argument("route pattern \"" + std::string(pattern) +
                                  "\": handler is empty");
  }
  return add_route(method, pattern, Route{std::move(handler), nullptr});
}

core::Status Router::add_async(Method method, std::string_view pattern, AsyncHandler handler) {
  if (!handler) {
    return core::invalid_argument("route pattern \"" + std::string(pattern) +
                                  "\": handler is empty");
  }
  return add_route(method, pattern, Route{nullptr, std::move(handler)});
}

core::Status Router::add_route(Method method, std::string_view pattern, Route route) {
  const std::string where = "route pattern \"" + std::string(pattern) + "\"";
  if (pattern.empty() || pattern[0] != '/') {
    return core::invalid_argument(where + ": must start with '/'");
  }
  std::vector<Segment> segments;
  for (std::string_view s : split_path(pattern)) {
    if (s.empty()) return core::invalid_argument(where + ": empty segment");
    if (s.front() == '{') {
      if (s.back() != '}' || !is_param_name(s.substr(1, s.size() - 2))) {
        return core::invalid_argument(where + ": parameter \"" + std::string(s) +
                                      "\" must be {name} with name [A-Za-z_][A-Za-z0-9_]*");
      }
      std::string name(s.substr(1, s.size() - 2));
      for (const Segment& seen : segments) {
        if (seen.param && seen.text == name) {
          return core::invalid_argument(where + ": parameter {" + name + "} used twice");
        }
      }
      segments.push_back({true, std::move(name)});
    } else {
      if (s.find_first_of("{}") != std::string_view::npos) {
        return core::invalid_argument(where + ": '{' or '}' inside a literal segment");
      }
      segments.push_back({false, std::string(s)});
    }
  }

  auto same_shape = [&](const Entry& e) {
    if (e.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (e.segments[i].param != segments[i].param) return false;
      if (!segments[i].param && e.segments[i].text != segments[i].text) return false;
    }
    return true;
  };
  auto it = std::find_if(entries_.begin(), entries_.end(), same_shape);
  if (it == entries_.end()) {
    entries_.push_back(Entry{std::move(segments), std::string(pattern), {}});
    it = entries_.end() - 1;
  } else if (it->pattern != pattern) {
    // One shape, two spellings: a handler would find its parameters under the other names.
    return core::invalid_argument(where + ": differs from \"" + it->pattern +
                                  "\" only in parameter names; use the same names");
  }
  for (const auto& [m, index] : it->methods) {
    if (m == method) {
      return core::fail(core::Code::kAlreadyExists,
                        where + ": " + std::string(method_name(method)) + " already registered");
    }
  }
  it->methods.emplace_back(method, handlers_.size());
  handlers_.push_back(std::move(route));
  infos_.push_back(RouteInfo{std::string(pattern), method});
  return core::ok();
}

Router::Match Router::match(Method method, std::string_view path) const {
  const std::vector<std::string_view> parts = split_path(path);
  Match result;
  const Entry* best = nullptr;
  std::size_t best_index = 0;
  std::vector<bool> best_key;
  std::vector<Method> allow;

  for (const Entry& e : entries_) {
    if (e.segments.size() != parts.size()) continue;
    std::vector<bool> key(parts.size());  // true = literal; compared from the left
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const Segment& s = e.segments[i];
      if (s.param) {
        ok = !parts[i].empty();
      } else {
        ok = s.text == parts[i];
        key[i] = true;
      }
    }
    if (!ok) continue;

    std::optional<std::size_t> index;
    std::optional<std::size_t> get_index;
    for (const auto& [m, i] : e.methods) {
      allow.push_back(m);
      if (m == Method::kGet) {
        allow.push_back(Method::kHead);
        get_index = i;
      }
      if (m == method) index = i;
    }
    if (!index && method == Method::kHead) index = get_index;
    if (!index) continue;
    if (best == nullptr || key > best_key) {
      best = &e;
      best_index = *index;
      best_key = std::move(key);
    }
  }

  if (best == nullptr) {
    if (allow.empty()) return result;  // kNotFound
    std::sort(allow.begin(), allow.end());
    allow.erase(std::unique(allow.begin(), allow.end()), allow.end());
    result.kind = Match::Kind::kMethodNotAllowed;
    result.allow = std::move(allow);
    return result;
  }
  result.kind = Match::Kind::kFound;
  const Route& route = handlers_[best_index];
  if (route.handler) {
    result.handler = &route.handler;
  } else {
    result.async_handler = &route.async;
  }
  result.pattern = best->pattern;
  result.route_index = best_index;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (best->segments[i].param) result.params.add(best->segments[i].text, std::string(parts[i]));
  }
  return result;
}

}  // namespace pw::http
