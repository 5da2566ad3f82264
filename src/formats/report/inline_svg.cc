// inline_svg(): an SVG from Graphviz, parsed and written out again with only what the rules of
// report.h let through. Re-serialising (instead of cutting the prologue off the text and pasting
// the rest) makes the embedded markup well-formed by construction, drops comments (which carry
// register names) and judges attribute values after character references are decoded, so
// "&#106;avascript:" is caught like "javascript:".

#include <expat.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/report.h"
#include "formats/report/html_text.h"

namespace pw::formats {
namespace {

using report::append_escaped;
using report::fold;

constexpr std::string_view kSvgNamespace = "http://www.w3.org/2000/svg";
constexpr std::string_view kXlinkNamespace = "http://www.w3.org/1999/xlink";
constexpr std::size_t kMaxDepth = 256;

// The elements Graphviz's SVG renderer writes, and nothing that runs, styles, loads or animates.
constexpr std::array<std::string_view, 18> kAllowedElements = {
    "svg",      "g",     "a",       "title",          "desc",           "polygon",
    "polyline", "path",  "ellipse", "circle",         "line",           "rect",
    "text",     "tspan", "defs",    "linearGradient", "radialGradient", "stop"};

bool allowed_element(std::string_view name) {
  return std::find(kAllowedElements.begin(), kAllowedElements.end(), name) !=
         kAllowedElements.end();
}

// At most 40 bytes of a name from the input, for an error message (escaped where it is shown).
std::string quote_name(std::string_view name) {
  return std::string(name.substr(0, 40)) + (name.size() > 40 ? "..." : "");
}

// The value as a browser reads a URL: ASCII blanks and controls dropped anywhere (browsers strip
// them at the ends and drop tab and newline inside), ASCII lower case.
std::string url_view(std::string_view value) {
  std::string out;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20) continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// A link may have no scheme (a fragment or relative reference) or http, https, mailto.
bool safe_link(std::string_view value) {
  const std::string url = url_view(value);
  const auto stop = url.find_first_of(":/?#");
  if (stop == std::string::npos || url[stop] != ':') return true;
  const std::string_view scheme = std::string_view(url).substr(0, stop);
  return scheme == "http" || scheme == "https" || scheme == "mailto";
}

// Every url(...) in the value refers to a fragment of this document.
bool only_local_urls(std::string_view value) {
  const std::string v = url_view(value);
  for (auto pos = v.find("url("); pos != std::string::npos; pos = v.find("url(", pos + 4)) {
    std::size_t k = pos + 4;
    if (k < v.size() && (v[k] == '"' || v[k] == '\'')) ++k;
    if (k >= v.size() || v[k] != '#') return false;
  }
  return true;
}

std::string_view local_part(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

struct ParserDeleter {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

class SvgRewriter {
 public:
  explicit SvgRewriter(std::string_view aria_label) : aria_label_(aria_label) {}

  core::Result<std::string> run(std::string_view svg);

 private:
  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<SvgRewriter*>(self)->start(name, attrs);
  }
  static void XMLCALL on_end(void* self, const XML_Char* name) {
    static_cast<SvgRewriter*>(self)->end(name);
  }
  static void XMLCALL on_text(void* self, const XML_Char* s, int len) {
    static_cast<SvgRewriter*>(self)->text(std::string_view(s, static_cast<std::size_t>(len)));
  }
  static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                 int has_internal_subset) {
    if (has_internal_subset)
      static_cast<SvgRewriter*>(self)->fail("a DOCTYPE with an internal subset is not accepted");
  }
  static void XMLCALL on_entity_decl(void* self, const XML_Char*, int, const XML_Char*, int,
                                     const XML_Char*, const XML_Char*, const XML_Char*,
                                     const XML_Char*) {
    static_cast<SvgRewriter*>(self)->fail("entity declarations are not accepted");
  }
  static void XMLCALL on_skipped_entity(void* self, const XML_Char* name, int) {
    static_cast<SvgRewriter*>(self)->fail("undeclared entity &" + quote_name(name) + ";");
  }

  void start(std::string_view name, const XML_Char** attrs);
  void end(std::string_view name);
  void text(std::string_view s);
  void close_pending_tag();
  // The reason the SVG is refused; stops the parser. The first reason wins.
  void fail(std::string why);
  // Checks one attribute; on success appends it to out_ (unless the root rewrites it).
  bool attribute(std::string_view name, std::string_view value, bool root);

  std::string_view aria_label_;
  XML_Parser parser_ = nullptr;  // owned by run() for the duration of the parse
  std::optional<std::string> error_;
  std::string out_;
  std::size_t depth_ = 0;
  bool seen_root_ = false;
  bool tag_open_ = false;  // "<name attrs" written, ">" or "/>" still to come
};

void SvgRewriter::fail(std::string why) {
  if (error_) return;
  error_ = "line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + ": " + std::move(why);
  XML_StopParser(parser_, XML_FALSE);
}

void SvgRewriter::close_pending_tag() {
  if (tag_open_) out_ += '>';
  tag_open_ = false;
}

bool SvgRewriter::attribute(std::string_view name, std::string_view value, bool root) {
  const std::string lower = fold(name);
  const std::string_view local = local_part(lower);
  if (local.starts_with("on")) {
    fail("event handler attribute " + quote_name(name) + " is not accepted");
    return false;
  }
  if (const auto colon = name.find(':'); colon != std::string_view::npos) {
    const std::string_view prefix = name.substr(0, colon);
    if (prefix != "xlink" && prefix != "xml" && prefix != "xmlns") {
      fail("attribute " + quote_name(name) + " in an unknown namespace is not accepted");
      return false;
    }
  }
  if (name == "xmlns" && value != kSvgNamespace) {
    fail("a namespace other than SVG's is not accepted");
    return false;
  }
  if (name == "xmlns:xlink" && value != kXlinkNamespace) {
    fail("the xlink prefix is bound to another namespace");
    return false;
  }
  if (name.starts_with("xmlns:") && name != "xmlns:xlink") {
    fail("namespace declaration " + quote_name(name) + " is not accepted");
    return false;
  }
  if ((local == "href" || local == "src" || local == "base") && !safe_link(value)) {
    fail("attribute " + quote_name(name) + " links to a scheme other than http, https, mailto");
    return false;
  }
  if (!only_local_urls(value)) {
    fail("attribute " + quote_name(name) + " refers to a url() outside the diagram");
    return false;
  }
  // The root's namespace declarations, role and label are written by start().
  if (root &&
      (name == "xmlns" || name == "xmlns:xlink" || (name == "aria-label" && !aria_label_.empty())))
    return true;
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  append_escaped(out_, value);
  out_ += '"';
  return true;
}

void SvgRewriter::start(std::string_view name, const XML_Char** attrs) {
  if (error_) return;
  const bool root = !seen_root_;
  if (root && name != "svg")
    return fail("the root element is <" + quote_name(name) + ">, not <svg>");
  if (!allowed_element(name)) return fail("element <" + quote_name(name) + "> is not accepted");
  if (++depth_ > kMaxDepth) return fail("elements nested deeper than 256");
  seen_root_ = true;
  close_pending_tag();
  out_ += '<';
  out_ += name;
  bool has_role = false;
  if (root) {
    // Always declared on the root, so the markup is namespace-well-formed in an XML reading.
    out_ += " xmlns=\"";
    out_ += kSvgNamespace;
    out_ += "\" xmlns:xlink=\"";
    out_ += kXlinkNamespace;
    out_ += '"';
  }
  for (const XML_Char** a = attrs; a[0] != nullptr; a += 2) {
    if (!attribute(a[0], a[1], root)) return;
    if (std::string_view(a[0]) == "role") has_role = true;
  }
  if (root && !aria_label_.empty()) {
    if (!has_role) out_ += " role=\"img\"";
    out_ += " aria-label=\"";
    append_escaped(out_, aria_label_);
    out_ += '"';
  }
  tag_open_ = true;
}

void SvgRewriter::end(std::string_view name) {
  if (error_) return;
  --depth_;
  if (tag_open_) {
    out_ += "/>";
    tag_open_ = false;
    return;
  }
  out_ += "</";
  out_ += name;
  out_ += '>';
}

void SvgRewriter::text(std::string_view s) {
  if (error_ || depth_ == 0) return;
  close_pending_tag();
  append_escaped(out_, s);
}

core::Result<std::string> SvgRewriter::run(std::string_view svg) {
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate(nullptr));
  if (!parser) return core::internal_error("cannot create an XML parser");
  parser_ = parser.get();
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &SvgRewriter::on_start, &SvgRewriter::on_end);
  XML_SetCharacterDataHandler(parser_, &SvgRewriter::on_text);
  XML_SetStartDoctypeDeclHandler(parser_, &SvgRewriter::on_doctype);
  XML_SetEntityDeclHandler(parser_, &SvgRewriter::on_entity_decl);
  XML_SetSkippedEntityHandler(parser_, &SvgRewriter::on_skipped_entity);
  // External DTDs and parameter entities are never read (the default, stated for the reader).
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);

  const auto status = XML_Parse(parser_, svg.data(), static_cast<int>(svg.size()), XML_TRUE);
  if (error_) return core::invalid_argument(*error_);
  if (status != XML_STATUS_OK) {
    return core::invalid_argument(
        "line " + std::to_string(XML_GetCurrentLineNumber(parser_)) +
        ": not well-formed XML: " + XML_ErrorString(XML_GetErrorCode(parser_)));
  }
  return std::move(out_);
}

}  // namespace

core::Result<std::string> inline_svg(std::string_view svg, std::string_view aria_label,
                                     std::size_t max_bytes) {
  // XML_Parse takes an int length; the cap keeps every accepted size representable.
  max_bytes = std::min<std::size_t>(max_bytes, kMaxInlineSvgBytes);
  if (svg.size() > max_bytes)
    return core::invalid_argument("the SVG has " + std::to_string(svg.size()) +
                                  " bytes, more than the " + std::to_string(max_bytes) +
                                  " accepted");
  SvgRewriter rewriter(aria_label);
  return rewriter.run(svg);
}

}  // namespace pw::formats
