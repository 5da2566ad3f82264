#pragma once
// The supplier assessment report (issue 4 item 5) as one self-contained, printable HTML page.
//
// The renderer is pure: the app layer gathers the figures, wording and journal state into a
// ReportModel of plain strings and lists, and render_report_html() turns that into the page.
// Nothing here reads a store, a clock or another engine, so the page is a function of the model.
//
// Contract of the page:
// - Polyglot HTML5: <!DOCTYPE html>, every element closed, attributes quoted, void elements as
//   <br/>; the document is well-formed XML, so an XML parser (Expat) reads it without error.
// - Self-contained: inline CSS, no scripts, no external fonts, images or links to load; a print
//   stylesheet for A4 (a page break before each major section, tables that wrap instead of
//   clipping, the diagram scaled to the page width).
// - Every model string is text: &, <, >, " and ' are escaped, bytes that are not valid UTF-8 and
//   control characters that XML forbids become U+FFFD. No model string reaches an attribute or
//   a class name unescaped; level and answer names only select a style from a fixed set, and the
//   level is always written out as text (never conveyed by colour alone).
// - ownership_svg is the only markup accepted from the model; see inline_svg() for the rules.
//   An SVG that breaks them is not embedded; the page says why instead.
// - status "signed off" shows no banner. "draft" shows "DRAFT — not signed off", "stale" shows
//   "STALE — inputs changed since sign-off", and any other value (including an empty one) shows
//   a "NOT SIGNED OFF" banner naming the status: the banner fails safe. Status names are compared
//   ASCII case-insensitively, ignoring surrounding blanks.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pw::formats {

struct ReportModel {
  std::string title;  // "Supplier assessment: Nuctech Company Limited"
  std::string supplier_id, supplier_name, supplier_country;
  std::string generated_at;  // RFC 3339, shown as given
  std::string status;        // "draft", "signed off", "stale" (see the banner rule above)
  std::string assessment_id, author;
  std::string inherent_risk, residual_risk;  // level names, e.g. "high"
  std::string risk_scale_note;               // one paragraph explaining the ordinal scale
  // An <svg>...</svg> document from Graphviz; may start with an XML declaration, a DOCTYPE and
  // comments (dropped). Empty: the page says "no ownership data".
  std::string ownership_svg;

  struct ExposureRow {
    std::string state;         // "CN"
    std::string state_name;    // "People's Republic of China"
    std::string lower, upper;  // formatted figures, e.g. "15.96%"; kind "exact" shows lower only
    std::string kind;          // "exact", "range", "unknown"
    std::string control;       // e.g. "weakest link 21%; no majority chain"
    std::vector<std::string> paths;  // "CNNC -21%-> Tongfang -76%-> Nuctech = 15.96%"
  };
  std::vector<ExposureRow> exposure;

  struct Evidence {
    std::string kind, text, source;
  };
  struct Criterion {
    std::string code;                              // "1", "2", "3a", "3b"
    std::string wording;                           // the cabinet's wording, English
    std::string wording_nl;                        // the Dutch original
    std::string suggested_answer, suggested_rule;  // what the rules suggest, and which rule
    std::string answer;                            // the analyst's: "yes", "no", "partly", ...
    std::string judgement, judged_by;
    std::vector<Evidence> evidence;
  };
  std::vector<Criterion> criteria;

  struct Mitigation {
    std::string id, title, status, reduces, note;
  };
  std::vector<Mitigation> mitigations;

  struct SignOff {
    std::string who, when, role, note;
  };
  std::vector<SignOff> signoffs;

  struct Finding {
    std::string id, severity, title, detail, mitigation, state;
  };
  std::vector<Finding> findings;

  // The journal checkpoint the report was made at; note is the full signed note, shown verbatim.
  // size 0 with an empty root means "no checkpoint" and is said so on the page.
  struct Checkpoint {
    std::string origin;
    std::uint64_t size = 0;
    std::string root_hex, note;
  } checkpoint;

  std::vector<std::string> notes;  // footnotes, e.g. "Facts from the source document ..."
};

// The page. Never fails: a missing part is stated on the page, a refused SVG is replaced by a note.
std::string render_report_html(const ReportModel& model);

// An SVG document made safe to embed inline in the page, or invalid_argument saying why not.
// The SVG is parsed (Expat) and written out again, so what is embedded is well-formed by
// construction and only what the rules let through survives:
// - the root element is <svg> (in the SVG namespace, or none, which is then added); an XML
//   declaration, an external DOCTYPE, comments and processing instructions are dropped;
// - refused outright: a DOCTYPE with an internal subset, any entity declaration or undeclared
//   entity, XML that is not well-formed, more than max_bytes of input, an element outside the
//   set Graphviz writes (svg, g, a, title, desc, polygon, polyline, path, ellipse, circle, line,
//   rect, text, tspan, defs, linearGradient, radialGradient, stop) — so no script, style,
//   foreignObject, image, use or animation element — any attribute named on*, a link attribute
//   (href, xlink:href, src, ...) with a scheme other than http, https or mailto (javascript:,
//   data:, vbscript:, ... after decoding character references and dropping blanks), and a
//   url(...) reference in any attribute value other than url(#fragment).
// aria_label, if not empty, becomes the root's aria-label with role="img" (unless the SVG has
// its own role).
inline constexpr std::size_t kMaxInlineSvgBytes = std::size_t{16} << 20;
core::Result<std::string> inline_svg(std::string_view svg, std::string_view aria_label = {},
                                     std::size_t max_bytes = kMaxInlineSvgBytes);

}  // namespace pw::formats
