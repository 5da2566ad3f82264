#pragma once
// Request-target parsing: the one place where a path from the network becomes the decoded path
// routes and handlers see. Private to http/.

#include <string>
#include <string_view>

#include "core/result.h"
#include "http/server.h"

namespace pw::http::internal {

struct ParsedTarget {
  std::string path;  // percent-decoded, with the guarantees documented at Request::path
  QueryParams query;
};

// Parses an origin-form target ("/a/b?x=1"). invalid_argument (the server answers 400) for:
// any other form, a fragment, a malformed percent escape, a control character or NUL (raw or
// encoded), a "." or ".." segment (raw or encoded, e.g. "%2e%2e"), an encoded '/' (it would
// change how the path splits into segments) and a backslash (raw or encoded; some systems read
// it as a separator). Query names and values are decoded with '+' as space.
core::Result<ParsedTarget> parse_target(std::string_view target);

// Percent-decodes `in`; `plus_is_space` for query components. invalid_argument on a malformed
// escape.
core::Result<std::string> percent_decode(std::string_view in, bool plus_is_space);

}  // namespace pw::http::internal
