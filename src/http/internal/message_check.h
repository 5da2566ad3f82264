#pragma once
// Checks on what handlers give the server. Private to http/.

#include <optional>
#include <string>

#include "http/server.h"

namespace pw::http::internal {

// Why `response` must not be sent, or nullopt if it may. Refused: a status outside 200-599, a
// body on 204 or 304, a header name that is not a token, a header value or content type with
// CR, LF, NUL or another control character (header injection), and the fields the server owns
// (Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, Trailer, X-Request-Id, Date;
// Content-Type goes in Response::content_type). The reason names the header, never its value.
std::optional<std::string> check_response(const Response& response);

}  // namespace pw::http::internal
