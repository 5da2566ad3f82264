#pragma once
// Text for polyglot HTML (HTML5 that is also well-formed XML), private to the report renderer.

#include <string>
#include <string_view>

namespace pw::formats::report {

// Appends text as character data or a quoted attribute value: &, <, >, " and ' are escaped;
// a CR LF pair or a lone CR becomes LF (what both parsers would make of it); a byte sequence
// that is not valid UTF-8 and a code point that XML 1.0 forbids or HTML5 calls a parse error
// (C0 controls other than tab and LF, DEL and C1 controls, surrogates, noncharacters) becomes
// U+FFFD. The result is valid UTF-8 whatever the input.
void append_escaped(std::string& out, std::string_view text);

inline std::string escaped(std::string_view text) {
  std::string out;
  append_escaped(out, text);
  return out;
}

// ASCII lower case with leading and trailing blanks removed: for comparing status, level and
// answer names, never for display.
std::string fold(std::string_view text);

}  // namespace pw::formats::report
