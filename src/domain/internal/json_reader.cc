#include "domain/internal/json_reader.h"

#include <limits>

namespace pw::domain::internal {

core::Result<JsonObject> JsonObject::of(const nlohmann::json& j, std::string path) {
  if (!j.is_object()) return core::invalid_argument(path + ": expected an object");
  return JsonObject(j, std::move(path));
}

core::Status JsonObject::only(std::initializer_list<std::string_view> keys) const {
  for (const auto& [k, v] : j_->items()) {
    bool known = false;
    for (std::string_view want : keys) known = known || want == k;
    if (!known) return core::invalid_argument(path_ + "." + k + ": unknown key");
  }
  return core::ok();
}

core::Status JsonObject::string(const char* key, std::string& out, bool required) const {
  auto it = j_->find(key);
  if (it == j_->end()) {
    if (required) return core::invalid_argument(path_ + "." + key + ": is required");
    return core::ok();
  }
  if (!it->is_string()) return core::invalid_argument(path_ + "." + key + ": expected a string");
  const auto& s = it->get_ref<const std::string&>();
  if (required && s.empty()) {
    return core::invalid_argument(path_ + "." + key + ": must not be empty");
  }
  out = s;
  return core::ok();
}

core::Status JsonObject::integer(const char* key, std::int64_t& out, bool required) const {
  auto it = j_->find(key);
  if (it == j_->end()) {
    if (required) return core::invalid_argument(path_ + "." + key + ": is required");
    return core::ok();
  }
  if (it->is_number_unsigned()) {
    const auto u = it->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return core::invalid_argument(path_ + "." + key + ": integer out of range");
    }
    out = static_cast<std::int64_t>(u);
    return core::ok();
  }
  if (!it->is_number_integer()) {
    return core::invalid_argument(path_ + "." + key + ": expected an integer");
  }
  out = it->get<std::int64_t>();
  return core::ok();
}

core::Status JsonObject::boolean(const char* key, bool& out, bool required) const {
  auto it = j_->find(key);
  if (it == j_->end()) {
    if (required) return core::invalid_argument(path_ + "." + key + ": is required");
    return core::ok();
  }
  if (!it->is_boolean()) return core::invalid_argument(path_ + "." + key + ": expected a boolean");
  out = it->get<bool>();
  return core::ok();
}

}  // namespace pw::domain::internal
