#include "http/json.h"

#include <algorithm>
#include <string>

namespace pw::http {
namespace {

std::string_view type_name(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "an integer";
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

core::Status wrong_type(const std::string& path, std::string_view expected,
                        const nlohmann::json& got) {
  return core::invalid_argument(path + ": expected " + std::string(expected) + ", got " +
                                std::string(type_name(got)));
}

bool is_identifier(std::string_view key) {
  if (key.empty()) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Converts one value; the overload set is what FieldReader's T may be.
core::Status convert(const nlohmann::json& j, const std::string& path, std::string& out) {
  if (!j.is_string()) return wrong_type(path, "a string", j);
  out = j.get_ref<const std::string&>();
  return core::ok();
}
core::Status convert(const nlohmann::json& j, const std::string& path, std::int64_t& out) {
  if (j.is_number_integer()) {
    out = j.get<std::int64_t>();
    return core::ok();
  }
  if (j.is_number_unsigned()) {
    if (j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      return core::invalid_argument(path + ": integer out of range");
    }
    out = static_cast<std::int64_t>(j.get<std::uint64_t>());
    return core::ok();
  }
  return wrong_type(path, "an integer", j);
}
core::Status convert(const nlohmann::json& j, const std::string& path, bool& out) {
  if (!j.is_boolean()) return wrong_type(path, "a boolean", j);
  out = j.get<bool>();
  return core::ok();
}
core::Status convert(const nlohmann::json& j, const std::string& path,
                     std::vector<std::string>& out) {
  if (!j.is_array()) return wrong_type(path, "an array of strings", j);
  std::vector<std::string> v;
  v.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) {
      return wrong_type(path + "[" + std::to_string(i) + "]", "a string", j[i]);
    }
    v.push_back(j[i].get<std::string>());
  }
  out = std::move(v);
  return core::ok();
}
core::Status convert(const nlohmann::json& j, const std::string&, nlohmann::json& out) {
  out = j;
  return core::ok();
}

}  // namespace

int http_status(core::Code code) {
  switch (code) {
    case core::Code::kOk:
      return 200;
    case core::Code::kInvalidArgument:
      return 400;
    case core::Code::kUnauthenticated:
      return 401;
    case core::Code::kPermissionDenied:
      return 403;
    case core::Code::kNotFound:
      return 404;
    case core::Code::kAlreadyExists:
      return 409;
    case core::Code::kFailedPrecondition:
      return 409;
    case core::Code::kUnavailable:
      return 503;
    case core::Code::kDataLoss:
      return 500;
    case core::Code::kInternal:
      return 500;
  }
  return 500;
}

Response json_response(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response error_response(const core::Error& error, std::string_view request_id) {
  const bool hidden =
      error.code() == core::Code::kInternal || error.code() == core::Code::kDataLoss;
  nlohmann::json e = {{"code", core::code_name(error.code())},
                      {"message", hidden ? std::string("internal error") : error.message()},
                      {"request_id", request_id}};
  Response r = json_response(http_status(error.code()), nlohmann::json{{"error", std::move(e)}});
  if (hidden) r.log_note = error.message();
  return r;
}

core::Result<nlohmann::json> parse_optional_json_body(const Request& request) {
  if (request.body.empty()) return nlohmann::json::object();
  return parse_json_body(request);
}

core::Result<nlohmann::json> parse_json_body(const Request& request,
                                             const core::JsonLimits& limits) {
  std::string_view type = request.headers.get("Content-Type").value_or("");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower != "application/json") {
    return core::invalid_argument("request body: Content-Type must be application/json");
  }
  auto parsed = core::parse_json_strict(request.body, limits);
  if (!parsed) return std::unexpected(parsed.error().with_context("request body"));
  return std::move(*parsed);
}

core::Result<FieldReader> FieldReader::of(const nlohmann::json& value, std::string path) {
  if (!value.is_object()) {
    return std::unexpected(wrong_type(path, "an object", value).error());
  }
  return FieldReader(value, std::move(path));
}

std::string FieldReader::member_path(std::string_view key) const {
  if (is_identifier(key)) return path_ + "." + std::string(key);
  return path_ + "[" +
         nlohmann::json(std::string(key))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
         "]";
}

const nlohmann::json* FieldReader::find(std::string_view key) {
  read_.emplace_back(key);
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

template <typename T>
core::Status FieldReader::required(std::string_view key, T& out) {
  const nlohmann::json* j = find(key);
  if (j == nullptr) return core::invalid_argument(member_path(key) + ": is required");
  return convert(*j, member_path(key), out);
}

template <typename T>
core::Status FieldReader::optional(std::string_view key, std::optional<T>& out) {
  const nlohmann::json* j = find(key);
  if (j == nullptr) {
    out.reset();
    return core::ok();
  }
  T value{};
  PW_TRY(convert(*j, member_path(key), value));
  out = std::move(value);
  return core::ok();
}

core::Result<FieldReader> FieldReader::object(std::string_view key) {
  const nlohmann::json* j = find(key);
  if (j == nullptr) return core::invalid_argument(member_path(key) + ": is required");
  return FieldReader::of(*j, member_path(key));
}

core::Status FieldReader::finish() const {
  for (const auto& [key, value] : value_->items()) {
    if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
      return core::invalid_argument(member_path(key) + ": unknown field");
    }
  }
  return core::ok();
}

template core::Status FieldReader::required(std::string_view, std::string&);
template core::Status FieldReader::required(std::string_view, std::int64_t&);
template core::Status FieldReader::required(std::string_view, bool&);
template core::Status FieldReader::required(std::string_view, std::vector<std::string>&);
template core::Status FieldReader::required(std::string_view, nlohmann::json&);
template core::Status FieldReader::optional(std::string_view, std::optional<std::string>&);
template core::Status FieldReader::optional(std::string_view, std::optional<std::int64_t>&);
template core::Status FieldReader::optional(std::string_view, std::optional<bool>&);
template core::Status FieldReader::optional(std::string_view,
                                            std::optional<std::vector<std::string>>&);
template core::Status FieldReader::optional(std::string_view, std::optional<nlohmann::json>&);

}  // namespace pw::http
