#pragma once
// Typed access to simdjson On-Demand values with errors that name the field, so that a bad
// record is reported as "interests[0].share.exact: expected a number, found string".
// Errors are built only on failure; the success path does no string work.

#include <simdjson.h>

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace pw::formats::internal {

// A problem inside a record: the dotted field path (relative to where it was found) and what
// is wrong. Callers prefix the path as the error travels up ("exact" -> "share.exact").
struct FieldError {
  std::string field;
  std::string message;
};

template <typename T>
using FieldResult = std::expected<T, FieldError>;
using FieldStatus = FieldResult<void>;

inline std::unexpected<FieldError> field_error(std::string field, std::string message) {
  return std::unexpected(FieldError{std::move(field), std::move(message)});
}

// "parent" + "." + e.field (or just "parent" when e.field is empty).
FieldError under(std::string_view parent, FieldError e);
// "parent[index]" + "." + e.field.
FieldError under(std::string_view parent, std::size_t index, FieldError e);

// "string", "number", "object", ... for messages.
std::string_view json_type_name(simdjson::ondemand::value& v);

// The literal text of a scalar (trimmed), for messages such as "-5 is not a percentage".
std::string_view raw_token(simdjson::ondemand::value& v);

// Each returns the value or a FieldError whose field is empty (the caller names it).
FieldResult<std::string_view> get_string(simdjson::ondemand::value& v);
FieldResult<double> get_number(simdjson::ondemand::value& v);
FieldResult<bool> get_bool(simdjson::ondemand::value& v);
FieldResult<simdjson::ondemand::object> get_object(simdjson::ondemand::value& v);
FieldResult<simdjson::ondemand::array> get_array(simdjson::ondemand::value& v);
// True for a JSON null (consumes it); false otherwise (leaves the value unread).
bool take_null(simdjson::ondemand::value& v);

// Calls fn(key, value) -> FieldStatus for every field of `object`, in document order.
// Iteration errors (malformed JSON met while skipping) are reported with an empty field.
template <typename Fn>
FieldStatus for_each_field(simdjson::ondemand::object& object, Fn&& fn);

// Calls fn(index, value) -> FieldStatus for every element of `array`; errors from fn are
// returned with "[index]" prefixed to their field path by the caller's `under`.
template <typename Fn>
FieldStatus for_each_element(simdjson::ondemand::array& array, Fn&& fn);

std::string json_error_text(simdjson::error_code code);

// ---- implementation of the templates ----

template <typename Fn>
FieldStatus for_each_field(simdjson::ondemand::object& object, Fn&& fn) {
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    if (auto err = std::move(field_result).get(field)) {
      return field_error("", "malformed JSON: " + json_error_text(err));
    }
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) {
      return field_error("", "malformed JSON key: " + json_error_text(err));
    }
    simdjson::ondemand::value value = field.value();
    if (auto r = fn(key, value); !r) return r;
  }
  return {};
}

template <typename Fn>
FieldStatus for_each_element(simdjson::ondemand::array& array, Fn&& fn) {
  std::size_t index = 0;
  for (auto element_result : array) {
    simdjson::ondemand::value value;
    if (auto err = std::move(element_result).get(value)) {
      return field_error("[" + std::to_string(index) + "]",
                         "malformed JSON: " + json_error_text(err));
    }
    if (auto r = fn(index, value); !r) return r;
    ++index;
  }
  return {};
}

}  // namespace pw::formats::internal
