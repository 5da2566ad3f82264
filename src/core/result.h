#pragma once
// Result<T>: the one error channel across module boundaries. No exception crosses a module
// boundary; third-party exceptions are caught at the adapter and turned into an Error here.

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace pw::core {

// Canonical codes, after absl::StatusCode, reduced to the set portwarden needs.
enum class Code {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kUnavailable,
  kDataLoss,
  kInternal,
};

std::string_view code_name(Code code);

class [[nodiscard]] Error {
 public:
  Error(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: payload.amount: floats are not allowed"
  std::string to_string() const;

  // Returns a copy whose message is prefixed with `context: `, to say where an error arose.
  Error with_context(std::string_view context) const;

 private:
  Code code_;
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = Result<void>;

inline std::unexpected<Error> fail(Code code, std::string message) {
  return std::unexpected<Error>(Error(code, std::move(message)));
}
inline std::unexpected<Error> invalid_argument(std::string m) {
  return fail(Code::kInvalidArgument, std::move(m));
}
inline std::unexpected<Error> not_found(std::string m) { return fail(Code::kNotFound, std::move(m)); }
inline std::unexpected<Error> already_exists(std::string m) {
  return fail(Code::kAlreadyExists, std::move(m));
}
inline std::unexpected<Error> failed_precondition(std::string m) {
  return fail(Code::kFailedPrecondition, std::move(m));
}
inline std::unexpected<Error> permission_denied(std::string m) {
  return fail(Code::kPermissionDenied, std::move(m));
}
inline std::unexpected<Error> unauthenticated(std::string m) {
  return fail(Code::kUnauthenticated, std::move(m));
}
inline std::unexpected<Error> unavailable(std::string m) {
  return fail(Code::kUnavailable, std::move(m));
}
inline std::unexpected<Error> data_loss(std::string m) { return fail(Code::kDataLoss, std::move(m)); }
inline std::unexpected<Error> internal_error(std::string m) {
  return fail(Code::kInternal, std::move(m));
}

inline Status ok() { return {}; }

}  // namespace pw::core

#define PW_CONCAT_INNER_(a, b) a##b
#define PW_CONCAT_(a, b) PW_CONCAT_INNER_(a, b)

// PW_TRY(expr): evaluates a Status/Result expression, returns its error from the enclosing
// function if it failed.
#define PW_TRY(expr) PW_TRY_IMPL_(PW_CONCAT_(pw_try_, __COUNTER__), expr)
#define PW_TRY_IMPL_(tmp, expr)                        \
  do {                                                 \
    auto&& tmp = (expr);                               \
    if (!tmp) return std::unexpected(std::move(tmp).error()); \
  } while (0)

// PW_ASSIGN_OR_RETURN(lhs, expr): `lhs = *expr` or return the error. Expands to several
// statements: give it braces inside an if.
#define PW_ASSIGN_OR_RETURN(lhs, expr) \
  PW_ASSIGN_OR_RETURN_IMPL_(PW_CONCAT_(pw_result_, __COUNTER__), lhs, expr)
#define PW_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)        \
  auto tmp = (expr);                                     \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
