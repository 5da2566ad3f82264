#pragma once
// JSON for HTTP handlers: strict request bodies, JSON responses, and one error shape for the
// whole API:
//
//   {"error":{"code":"invalid_argument","message":"$.window.start: expected a string",
//             "request_id":"018f..."}}
//
// `code` is core::code_name() of the error; `message` names the field when a field is at
// fault (paths as in core/canonical_json.h: "$" is the body, "$.a.b[2]" a member inside it).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/canonical_json.h"
#include "core/result.h"
#include "http/server.h"

namespace pw::http {

// The HTTP status for an error code:
//   invalid_argument 400, unauthenticated 401, permission_denied 403, not_found 404,
//   already_exists 409, failed_precondition 409, unavailable 503, data_loss and internal 500.
// failed_precondition is 409, not 412: the API carries versions in the body and a stale
// version is a conflict with the resource's current state (issue 5: "409 on a stale version");
// 412 belongs to If-Match/If-Unmodified-Since, which a route that uses them sets itself.
int http_status(core::Code code);

// `body` serialized compactly as application/json. Never throws: invalid UTF-8 in a string is
// replaced (U+FFFD), never sent raw.
Response json_response(int status, const nlohmann::json& body);

// The error shape above, with http_status(error.code()). For internal and data_loss the client
// gets "internal error" and the real message goes to Response::log_note (the access log):
// it may name files, queries or keys the client has no business seeing. Every handler should
// pass its Request::request_id; the server uses the same function for its own 4xx and 5xx.
Response error_response(const core::Error& error, std::string_view request_id);

// The request body as JSON, parsed with core::parse_json_strict (I-JSON, no duplicate keys,
// no floats; limits applied). invalid_argument, naming the place ("request body: $.a at byte
// 7: ..."), if the Content-Type is not application/json (which also keeps cross-site HTML
// forms out) or the body is not acceptable.
core::Result<nlohmann::json> parse_json_body(const Request& request,
                                             const core::JsonLimits& limits = {});

// As parse_json_body, for routes whose fields are all optional: an empty body is `{}`.
core::Result<nlohmann::json> parse_optional_json_body(const Request& request);

// Reads the members of one JSON object with their types checked, then refuses any member it
// was not asked for. Usage:
//
//   PW_ASSIGN_OR_RETURN(FieldReader r, FieldReader::of(body));
//   std::string name;  std::optional<std::int64_t> version;
//   PW_TRY(r.required("name", name));
//   PW_TRY(r.optional("version", version));
//   PW_TRY(r.finish());  // "$.colour: unknown field"
//
// Errors are invalid_argument and name the member: "$.name: is required", "$.version: expected
// an integer, got a string". An explicit null counts as absent for optional() and as missing
// for required(). Borrows the json value: it must outlive the reader.
class FieldReader {
 public:
  static core::Result<FieldReader> of(const nlohmann::json& value, std::string path = "$");

  // T is one of std::string, std::int64_t, bool, std::vector<std::string>, nlohmann::json
  // (any value, taken as it is).
  template <typename T>
  core::Status required(std::string_view key, T& out);
  template <typename T>
  core::Status optional(std::string_view key, std::optional<T>& out);

  // A nested object as a reader of its own (which needs its own finish()).
  core::Result<FieldReader> object(std::string_view key);

  // invalid_argument naming the first member that no required/optional/object call asked for.
  core::Status finish() const;

  const std::string& path() const { return path_; }

 private:
  FieldReader(const nlohmann::json& value, std::string path)
      : value_(&value), path_(std::move(path)) {}
  // nullptr if absent or null; records the key as read either way.
  const nlohmann::json* find(std::string_view key);
  std::string member_path(std::string_view key) const;

  const nlohmann::json* value_;  // borrowed, see the class comment
  std::string path_;
  std::vector<std::string> read_;
};

}  // namespace pw::http
