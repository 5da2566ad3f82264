#include "formats/internal/json_fields.h"

#include "formats/internal/json_records.h"

namespace pw::formats::internal {

FieldError under(std::string_view parent, FieldError e) {
  if (e.field.empty()) {
    e.field = std::string(parent);
  } else if (e.field.front() == '[') {
    e.field = std::string(parent) + e.field;
  } else {
    e.field = std::string(parent) + "." + e.field;
  }
  return e;
}

FieldError under(std::string_view parent, std::size_t index, FieldError e) {
  return under(std::string(parent) + "[" + std::to_string(index) + "]", std::move(e));
}

std::string json_error_text(simdjson::error_code code) {
  return json_error_message(code);
}

std::string_view json_type_name(simdjson::ondemand::value& v) {
  simdjson::ondemand::json_type type;
  if (v.type().get(type)) return "invalid JSON";
  switch (type) {
    case simdjson::ondemand::json_type::array:
      return "array";
    case simdjson::ondemand::json_type::object:
      return "object";
    case simdjson::ondemand::json_type::number:
      return "number";
    case simdjson::ondemand::json_type::string:
      return "string";
    case simdjson::ondemand::json_type::boolean:
      return "boolean";
    case simdjson::ondemand::json_type::null:
      return "null";
  }
  return "unknown";
}

std::string_view raw_token(simdjson::ondemand::value& v) {
  std::string_view t = v.raw_json_token();
  while (!t.empty() &&
         (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t' ||
          t.back() == ',' || t.back() == '}' || t.back() == ']')) {
    t.remove_suffix(1);
  }
  constexpr std::size_t kMax = 40;  // keep messages short for hostile 10 MB numbers
  if (t.size() > kMax) t = t.substr(0, kMax);
  return t;
}

namespace {
std::unexpected<FieldError> wrong_type(simdjson::ondemand::value& v, std::string_view want,
                                       simdjson::error_code err) {
  if (err != simdjson::INCORRECT_TYPE) {
    return field_error("",
                       std::string("invalid ") + std::string(want) + ": " + json_error_text(err));
  }
  return field_error("",
                     "expected " + std::string(want) + ", found " + std::string(json_type_name(v)));
}
}  // namespace

FieldResult<std::string_view> get_string(simdjson::ondemand::value& v) {
  std::string_view s;
  if (auto err = v.get_string().get(s)) return wrong_type(v, "a string", err);
  return s;
}

FieldResult<double> get_number(simdjson::ondemand::value& v) {
  double d = 0;
  if (auto err = v.get_double().get(d)) {
    if (err == simdjson::NUMBER_ERROR) {
      return field_error("", std::string(raw_token(v)) + " is not a representable number");
    }
    return wrong_type(v, "a number", err);
  }
  return d;
}

FieldResult<bool> get_bool(simdjson::ondemand::value& v) {
  bool b = false;
  if (auto err = v.get_bool().get(b)) return wrong_type(v, "true or false", err);
  return b;
}

FieldResult<simdjson::ondemand::object> get_object(simdjson::ondemand::value& v) {
  simdjson::ondemand::object o;
  if (auto err = v.get_object().get(o)) return wrong_type(v, "an object", err);
  return o;
}

FieldResult<simdjson::ondemand::array> get_array(simdjson::ondemand::value& v) {
  simdjson::ondemand::array a;
  if (auto err = v.get_array().get(a)) return wrong_type(v, "an array", err);
  return a;
}

bool take_null(simdjson::ondemand::value& v) {
  bool null = false;
  if (v.is_null().get(null)) return false;
  return null;
}

}  // namespace pw::formats::internal
