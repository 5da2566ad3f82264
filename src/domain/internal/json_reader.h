#pragma once
// Reading domain values back from their JSON form (journal payloads) without exceptions, with
// errors that name the field by its path ("assessment.criteria[2].rule: expected a string").
// Private to domain/.

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace pw::domain::internal {

// A view of one JSON object. Borrows the json value: it must outlive the JsonObject.
class JsonObject {
 public:
  static core::Result<JsonObject> of(const nlohmann::json& j, std::string path);

  const std::string& path() const { return path_; }

  // invalid_argument naming the first member whose key is not in `keys`.
  core::Status only(std::initializer_list<std::string_view> keys) const;

  // Each leaves `out` unchanged when the key is absent. `required`: the key must be present
  // (and, for strings, non-empty).
  core::Status string(const char* key, std::string& out, bool required = false) const;
  core::Status integer(const char* key, std::int64_t& out, bool required = false) const;
  core::Status boolean(const char* key, bool& out, bool required = false) const;

  // Calls fn(element, "path.key[i]") -> core::Status for each element of the array at `key`.
  template <typename Fn>
  core::Status array(const char* key, Fn&& fn, bool required = false) const {
    auto it = j_->find(key);
    if (it == j_->end()) {
      if (required) return core::invalid_argument(path_ + "." + key + ": is required");
      return core::ok();
    }
    if (!it->is_array()) return core::invalid_argument(path_ + "." + key + ": expected an array");
    std::size_t i = 0;
    for (const nlohmann::json& e : *it) {
      PW_TRY(fn(e, path_ + "." + key + "[" + std::to_string(i) + "]"));
      ++i;
    }
    return core::ok();
  }

 private:
  JsonObject(const nlohmann::json& j, std::string path) : j_(&j), path_(std::move(path)) {}
  const nlohmann::json* j_;  // borrowed, see the class comment
  std::string path_;
};

}  // namespace pw::domain::internal
