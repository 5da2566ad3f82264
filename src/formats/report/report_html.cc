// render_report_html(): the supplier assessment report as polyglot HTML5 (see report.h).
//
// The page is written by hand into one string. Two rules keep it well-formed and safe: every
// model string goes through text() / append_escaped(), and every element opened here is closed
// here in the same function. Ids and class names are constants or chosen from fixed sets.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "formats/report.h"
#include "formats/report/html_text.h"

namespace pw::formats {
namespace {

using report::append_escaped;
using report::fold;

// Colours are chosen for at least 4.5:1 contrast on their backgrounds (WCAG AA); no meaning is
// carried by colour alone: levels, answers and banners are always written out as text.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem; color: #1a1a1a; background: #ffffff;
  font: 11pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
h1 { font-size: 1.7rem; margin: 0.4rem 0 0.2rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; border-bottom: 2px solid #1a1a1a;
  padding-bottom: 0.2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 0.9rem 0 0.3rem; }
p, ul, ol, dl, table, figure, pre, blockquote { margin-top: 0.4rem; margin-bottom: 0.6rem; }
code, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.9em; }
code { overflow-wrap: anywhere; word-break: break-all; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-all; padding: 0.6rem;
  border: 1px solid #595959; background: #f4f4f4; }
.meta { color: #3d3d3d; margin: 0; }
.banner { padding: 0.7rem 1rem; border: 3px solid; font-weight: bold; font-size: 1.15rem;
  margin: 0 0 1rem; }
.banner-draft { color: #5c3b00; background: #fff4d6; border-color: #5c3b00; border-style: dashed; }
.banner-stale { color: #7a0000; background: #fde8e8; border-color: #7a0000; border-style: double;
  border-width: 5px; }
.banner-other { color: #1a1a1a; background: #eeeeee; border-color: #1a1a1a; }
.summary { border: 2px solid #1a1a1a; padding: 0.8rem 1rem; background: #fafafa; }
main dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
main dt { font-weight: bold; }
main dd { margin: 0; }
nav ol { columns: 2; }
.text { white-space: pre-line; }
table { width: 100%; border-collapse: collapse; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #595959; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: break-word; }
thead th { background: #e6e6e6; }
td ul { margin: 0; padding-left: 1.1rem; }
.level, .answer { display: inline-block; padding: 0 0.45rem; border: 1px solid; border-radius: 3px;
  font-weight: bold; white-space: nowrap; }
.level-very-high, .level-critical { color: #ffffff; background: #7a0000; border-color: #7a0000; }
.level-high { color: #7a0000; background: #fde8e8; border-color: #7a0000; border-width: 2px; }
.level-medium { color: #5c3b00; background: #fff4d6; border-color: #5c3b00; }
.level-low, .level-very-low, .level-negligible { color: #0b4d1c; background: #e7f5ea;
  border-color: #0b4d1c; border-style: dotted; }
.level-unknown { color: #1a1a1a; background: #eeeeee; border-color: #1a1a1a; border-style: dashed; }
.answer-yes { color: #7a0000; background: #fde8e8; border-color: #7a0000; }
.answer-partly { color: #5c3b00; background: #fff4d6; border-color: #5c3b00; }
.answer-no { color: #0b4d1c; background: #e7f5ea; border-color: #0b4d1c; }
.answer-unknown { color: #1a1a1a; background: #eeeeee; border-color: #1a1a1a; border-style: dashed; }
.criterion { border-left: 4px solid #595959; padding-left: 0.9rem; margin-top: 1.2rem; }
blockquote { margin-left: 0; padding: 0.3rem 0.8rem; border-left: 3px solid #8c8c8c;
  background: #f7f7f7; }
blockquote p { margin: 0.2rem 0; }
.differs { font-style: italic; }
.evidence-kind { font-weight: bold; }
.source { color: #3d3d3d; }
.diagram { margin: 0; }
.diagram svg { display: block; max-width: 100%; height: auto; }
.diagram figcaption { color: #3d3d3d; font-size: 0.9rem; }
.empty { font-style: italic; color: #3d3d3d; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  main > section { break-before: page; }
  main > section.summary-section { break-before: auto; }
  h2, h3, h4, caption { break-after: avoid; }
  tr, li, dt, dd, .banner, .summary, blockquote { break-inside: avoid; }
  thead { display: table-header-group; }
  .criterion { break-inside: avoid; }
  .diagram { break-inside: avoid; }
  .diagram svg { width: 100%; max-height: 240mm; }
  pre { break-inside: auto; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

class Page {
 public:
  explicit Page(const ReportModel& m) : m_(m) { out_.reserve(64 * 1024 + m.ownership_svg.size()); }

  std::string render();

 private:
  void raw(std::string_view markup) { out_ += markup; }
  void text(std::string_view s) { append_escaped(out_, s); }
  // <tag class="cls">text</tag>, text escaped; the tag and class are constants of this file.
  void element(std::string_view tag, std::string_view s, std::string_view cls = {});
  // Text, or an italic placeholder if it is empty.
  void text_or(std::string_view s, std::string_view placeholder);
  void level(std::string_view name);
  void answer(std::string_view name);

  void head();
  void banner();
  void header();
  void contents();
  void summary();
  void ownership();
  void exposure();
  void criteria();
  void criterion(const ReportModel::Criterion& c, std::size_t index);
  void mitigations();
  void findings();
  void signoffs();
  void checkpoint();
  void footnotes();
  void column_headers(std::initializer_list<std::string_view> names);

  const ReportModel& m_;  // borrowed: a Page lives only inside render_report_html()
  std::string out_;
};

void Page::element(std::string_view tag, std::string_view s, std::string_view cls) {
  out_ += '<';
  out_ += tag;
  if (!cls.empty()) {
    out_ += " class=\"";
    out_ += cls;
    out_ += '"';
  }
  out_ += '>';
  text(s);
  out_ += "</";
  out_ += tag;
  out_ += '>';
}

void Page::text_or(std::string_view s, std::string_view placeholder) {
  if (fold(s).empty())
    element("span", placeholder, "empty");
  else
    text(s);
}

// A risk level as text in a badge whose style is picked from a fixed set.
void Page::level(std::string_view name) {
  const std::string f = fold(name);
  std::string_view cls = "level level-unknown";
  if (f == "very high") cls = "level level-very-high";
  if (f == "critical") cls = "level level-critical";
  if (f == "high") cls = "level level-high";
  if (f == "medium" || f == "moderate") cls = "level level-medium";
  if (f == "low") cls = "level level-low";
  if (f == "very low") cls = "level level-very-low";
  if (f == "negligible") cls = "level level-negligible";
  element("span", f.empty() ? std::string_view("not assessed") : name, cls);
}

void Page::answer(std::string_view name) {
  const std::string f = fold(name);
  std::string_view cls = "answer answer-unknown";
  if (f == "yes") cls = "answer answer-yes";
  if (f == "partly") cls = "answer answer-partly";
  if (f == "no") cls = "answer answer-no";
  element("span", f.empty() ? std::string_view("not answered") : name, cls);
}

void Page::column_headers(std::initializer_list<std::string_view> names) {
  raw("<thead><tr>");
  for (std::string_view n : names) {
    raw("<th scope=\"col\">");
    raw(n);
    raw("</th>");
  }
  raw("</tr></thead>");
}

void Page::head() {
  raw("<head>\n<meta charset=\"utf-8\"/>\n");
  raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
  raw("<meta name=\"generator\" content=\"portwarden\"/>\n<title>");
  text(m_.title.empty() ? "Supplier assessment" : std::string_view(m_.title));
  raw("</title>\n<style>");
  raw(kStyle);
  raw("</style>\n</head>\n");
}

void Page::banner() {
  const std::string s = fold(m_.status);
  if (s == "signed off") return;
  if (s == "draft") {
    raw("<p class=\"banner banner-draft\" role=\"note\">DRAFT — not signed off</p>\n");
  } else if (s == "stale") {
    raw("<p class=\"banner banner-stale\" role=\"note\">"
        "STALE — inputs changed since sign-off</p>\n");
  } else {
    raw("<p class=\"banner banner-other\" role=\"note\">NOT SIGNED OFF — status: ");
    text_or(m_.status, "none given");
    raw("</p>\n");
  }
}

void Page::header() {
  raw("<header>\n");
  banner();
  element("h1", m_.title.empty() ? "Supplier assessment: " + m_.supplier_name : m_.title);
  raw("\n<p class=\"meta\">Generated at ");
  text_or(m_.generated_at, "unknown time");
  raw(" by portwarden. Assessment ");
  text_or(m_.assessment_id, "without id");
  raw(".</p>\n</header>\n");
}

void Page::contents() {
  raw("<nav aria-labelledby=\"toc-heading\">\n<h2 id=\"toc-heading\">Contents</h2>\n<ol>");
  constexpr std::string_view kSections[][2] = {{"sec-summary", "Summary"},
                                               {"sec-ownership", "Ownership diagram"},
                                               {"sec-exposure", "State exposure"},
                                               {"sec-criteria", "Criteria"},
                                               {"sec-mitigations", "Mitigations"},
                                               {"sec-findings", "Findings"},
                                               {"sec-signoffs", "Sign-offs"},
                                               {"sec-checkpoint", "Journal checkpoint"},
                                               {"sec-notes", "Notes"}};
  for (const auto& s : kSections) {
    raw("<li><a href=\"#");
    raw(s[0]);
    raw("\">");
    raw(s[1]);
    raw("</a></li>");
  }
  raw("</ol>\n</nav>\n");
}

void Page::summary() {
  raw("<section id=\"sec-summary\" class=\"summary-section\" aria-labelledby=\"sec-summary-h\">\n"
      "<h2 id=\"sec-summary-h\">Summary</h2>\n<div class=\"summary\">\n<dl>\n");
  raw("<dt>Supplier</dt><dd>");
  text_or(m_.supplier_name, "unnamed");
  if (!m_.supplier_id.empty()) {
    raw(" (<code>");
    text(m_.supplier_id);
    raw("</code>)");
  }
  raw("</dd>\n<dt>Country</dt><dd>");
  text_or(m_.supplier_country, "unknown");
  raw("</dd>\n<dt>Status</dt><dd>");
  text_or(m_.status, "none given");
  raw("</dd>\n<dt>Assessment</dt><dd>");
  text_or(m_.assessment_id, "without id");
  raw(", by ");
  text_or(m_.author, "unknown author");
  raw("</dd>\n<dt>Inherent risk</dt><dd>");
  level(m_.inherent_risk);
  raw("</dd>\n<dt>Residual risk</dt><dd>");
  level(m_.residual_risk);
  raw("</dd>\n<dt>Journal checkpoint</dt><dd>");
  const auto& cp = m_.checkpoint;
  if (cp.size == 0 && cp.root_hex.empty()) {
    element("span", "none: the report was not made at a checkpoint", "empty");
  } else {
    raw("size ");
    text(std::to_string(cp.size));
    raw(", root <code>");
    text(cp.root_hex);
    raw("</code>");
  }
  raw("</dd>\n</dl>\n");
  if (!m_.risk_scale_note.empty()) element("p", m_.risk_scale_note, "text");
  raw("\n</div>\n</section>\n");
}

void Page::ownership() {
  raw("<section id=\"sec-ownership\" aria-labelledby=\"sec-ownership-h\">\n"
      "<h2 id=\"sec-ownership-h\">Ownership diagram</h2>\n");
  if (fold(m_.ownership_svg).empty()) {
    element("p", "No ownership data: there is no diagram for this supplier.", "empty");
    raw("\n</section>\n");
    return;
  }
  const std::string label = "Ownership and control of " + m_.supplier_name;
  auto svg = inline_svg(m_.ownership_svg, label);
  if (!svg) {
    raw("<p class=\"empty\">The ownership diagram is not shown: it did not pass the checks for "
        "embedding (");
    text(svg.error().message());
    raw("). The exposure table below states the same figures.</p>\n</section>\n");
    return;
  }
  raw("<figure class=\"diagram\">\n");
  raw(*svg);
  raw("\n<figcaption>");
  text(label);
  raw(". Edges carry the share held; the exposure table lists every path.</figcaption>\n"
      "</figure>\n</section>\n");
}

void Page::exposure() {
  raw("<section id=\"sec-exposure\" aria-labelledby=\"sec-exposure-h\">\n"
      "<h2 id=\"sec-exposure-h\">State exposure</h2>\n");
  if (m_.exposure.empty()) {
    element("p", "No state exposure found in the ownership data.", "empty");
    raw("\n</section>\n");
    return;
  }
  raw("<table>\n<caption>Integrated (indirect) ownership by states, with the paths that explain "
      "each figure</caption>\n");
  column_headers({"State", "Exposure", "Kind", "Control", "Explaining paths"});
  raw("\n<tbody>\n");
  for (const auto& row : m_.exposure) {
    raw("<tr><th scope=\"row\">");
    text(row.state);
    if (!row.state_name.empty()) {
      raw(" — ");
      text(row.state_name);
    }
    raw("</th><td>");
    const std::string kind = fold(row.kind);
    if (kind == "exact") {
      text_or(row.lower, "unknown");
    } else if (!row.lower.empty() || !row.upper.empty()) {
      text_or(row.lower, "?");
      raw(" to ");
      text_or(row.upper, "?");
    } else {
      element("span", "unknown", "empty");
    }
    raw("</td><td>");
    text_or(row.kind, "unknown");
    raw("</td><td class=\"text\">");
    text_or(row.control, "not stated");
    raw("</td><td>");
    if (row.paths.empty()) {
      element("span", "no path recorded", "empty");
    } else {
      raw("<ul>");
      for (const auto& p : row.paths) element("li", p);
      raw("</ul>");
    }
    raw("</td></tr>\n");
  }
  raw("</tbody>\n</table>\n</section>\n");
}

void Page::criterion(const ReportModel::Criterion& c, std::size_t index) {
  const std::string id = "criterion-" + std::to_string(index + 1);
  raw("<article class=\"criterion\" id=\"");
  raw(id);
  raw("\" aria-labelledby=\"");
  raw(id);
  raw("-h\">\n<h3 id=\"");
  raw(id);
  raw("-h\">Criterion ");
  text_or(c.code, "without code");
  raw("</h3>\n");
  if (!c.wording.empty()) {
    raw("<blockquote class=\"wording\"><p class=\"text\">");
    text(c.wording);
    raw("</p></blockquote>\n");
  }
  if (!c.wording_nl.empty()) {
    raw("<blockquote class=\"wording-nl\" lang=\"nl\" xml:lang=\"nl\"><p class=\"text\">");
    text(c.wording_nl);
    raw("</p><p><span lang=\"en\" xml:lang=\"en\">(Dutch original, as the cabinet worded it)"
        "</span></p></blockquote>\n");
  }
  raw("<dl>\n<dt>Answer</dt><dd>");
  answer(c.answer);
  const std::string given = fold(c.answer), suggested = fold(c.suggested_answer);
  if (!given.empty() && !suggested.empty() && given != suggested)
    element("span", " — differs from the suggested answer", "differs");
  raw("</dd>\n<dt>Suggested answer</dt><dd>");
  answer(c.suggested_answer);
  if (!c.suggested_rule.empty()) {
    raw(" — rule: ");
    text(c.suggested_rule);
  }
  raw("</dd>\n</dl>\n<h4>Evidence</h4>\n");
  if (c.evidence.empty()) {
    element("p", "No evidence recorded.", "empty");
  } else {
    raw("<ul class=\"evidence\">\n");
    for (const auto& e : c.evidence) {
      raw("<li>");
      if (!e.kind.empty()) {
        element("span", e.kind, "evidence-kind");
        raw(": ");
      }
      element("span", e.text, "text");
      if (!e.source.empty()) {
        raw(" <span class=\"source\">(source: ");
        text(e.source);
        raw(")</span>");
      }
      raw("</li>\n");
    }
    raw("</ul>\n");
  }
  raw("<h4>Judgement</h4>\n<p class=\"text\">");
  text_or(c.judgement, "No judgement yet.");
  raw("</p>\n<p class=\"meta\">Judged by ");
  text_or(c.judged_by, "nobody yet");
  raw(".</p>\n</article>\n");
}

void Page::criteria() {
  raw("<section id=\"sec-criteria\" aria-labelledby=\"sec-criteria-h\">\n"
      "<h2 id=\"sec-criteria-h\">Criteria</h2>\n"
      "<p>The cabinet's considerations for national-security risks of suppliers (answer to "
      "question 6), judged case by case.</p>\n");
  if (m_.criteria.empty()) element("p", "No criteria assessed.", "empty");
  for (std::size_t i = 0; i < m_.criteria.size(); ++i) criterion(m_.criteria[i], i);
  raw("</section>\n");
}

void Page::mitigations() {
  raw("<section id=\"sec-mitigations\" aria-labelledby=\"sec-mitigations-h\">\n"
      "<h2 id=\"sec-mitigations-h\">Mitigations</h2>\n");
  if (m_.mitigations.empty()) {
    element("p", "No mitigations recorded.", "empty");
  } else {
    raw("<table>\n<caption>Mitigations and their status</caption>\n");
    column_headers({"Id", "Mitigation", "Status", "Reduces", "Note"});
    raw("\n<tbody>\n");
    for (const auto& mi : m_.mitigations) {
      raw("<tr><th scope=\"row\"><code>");
      text(mi.id);
      raw("</code></th><td>");
      text(mi.title);
      raw("</td><td>");
      text_or(mi.status, "unknown");
      raw("</td><td>");
      text(mi.reduces);
      raw("</td><td class=\"text\">");
      text(mi.note);
      raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n");
  }
  raw("</section>\n");
}

void Page::findings() {
  raw("<section id=\"sec-findings\" aria-labelledby=\"sec-findings-h\">\n"
      "<h2 id=\"sec-findings-h\">Findings</h2>\n");
  if (m_.findings.empty()) {
    element("p", "No findings concern this supplier.", "empty");
  } else {
    raw("<table>\n<caption>Register findings that concern the supplier</caption>\n");
    column_headers({"Id", "Severity", "Finding", "Suggested mitigation", "State"});
    raw("\n<tbody>\n");
    for (const auto& f : m_.findings) {
      raw("<tr><th scope=\"row\"><code>");
      text(f.id);
      raw("</code></th><td>");
      level(f.severity);
      raw("</td><td>");
      element("strong", f.title);
      if (!f.detail.empty()) {
        raw("<br/>");
        element("span", f.detail, "text");
      }
      raw("</td><td class=\"text\">");
      text(f.mitigation);
      raw("</td><td>");
      text_or(f.state, "open");
      raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n");
  }
  raw("</section>\n");
}

void Page::signoffs() {
  raw("<section id=\"sec-signoffs\" aria-labelledby=\"sec-signoffs-h\">\n"
      "<h2 id=\"sec-signoffs-h\">Sign-offs</h2>\n");
  if (m_.signoffs.empty()) {
    element("p", "No sign-offs: the assessment has not been signed off by a second analyst.",
            "empty");
  } else {
    raw("<table>\n<caption>Sign-offs (four eyes: the author cannot sign)</caption>\n");
    column_headers({"Who", "Role", "When", "Note"});
    raw("\n<tbody>\n");
    for (const auto& s : m_.signoffs) {
      raw("<tr><th scope=\"row\">");
      text(s.who);
      raw("</th><td>");
      text(s.role);
      raw("</td><td>");
      text(s.when);
      raw("</td><td class=\"text\">");
      text(s.note);
      raw("</td></tr>\n");
    }
    raw("</tbody>\n</table>\n");
  }
  raw("</section>\n");
}

void Page::checkpoint() {
  const auto& cp = m_.checkpoint;
  raw("<section id=\"sec-checkpoint\" aria-labelledby=\"sec-checkpoint-h\">\n"
      "<h2 id=\"sec-checkpoint-h\">Journal checkpoint</h2>\n");
  if (cp.size == 0 && cp.root_hex.empty() && cp.note.empty()) {
    element("p", "The report was not made at a journal checkpoint.", "empty");
    raw("\n</section>\n");
    return;
  }
  raw("<p>The report was made at this checkpoint of the journal. An auditor can check that the "
      "journal holds it, and that later checkpoints extend it, with the signed note below.</p>\n"
      "<dl>\n<dt>Origin</dt><dd>");
  text_or(cp.origin, "unknown");
  raw("</dd>\n<dt>Size</dt><dd>");
  text(std::to_string(cp.size));
  raw(" entries</dd>\n<dt>Root hash</dt><dd><code>");
  text(cp.root_hex);
  raw("</code></dd>\n</dl>\n<h3>Signed note</h3>\n");
  if (cp.note.empty()) {
    element("p", "The signed note is missing.", "empty");
  } else {
    // HTML drops one newline right after <pre>; XML keeps it. A note never starts with one, and
    // one written here for a note that does would make the two readings differ.
    raw("<pre class=\"signed-note\">");
    text(cp.note);
    raw("</pre>\n");
  }
  raw("</section>\n");
}

void Page::footnotes() {
  raw("<section id=\"sec-notes\" aria-labelledby=\"sec-notes-h\">\n"
      "<h2 id=\"sec-notes-h\">Notes</h2>\n");
  if (m_.notes.empty()) {
    element("p", "No notes.", "empty");
  } else {
    raw("<ol>\n");
    for (const auto& n : m_.notes) {
      element("li", n, "text");
      raw("\n");
    }
    raw("</ol>\n");
  }
  raw("</section>\n");
}

std::string Page::render() {
  raw("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" "
      "xml:lang=\"en\">\n");
  head();
  raw("<body>\n");
  header();
  contents();
  raw("<main>\n");
  summary();
  ownership();
  exposure();
  criteria();
  mitigations();
  findings();
  signoffs();
  checkpoint();
  footnotes();
  raw("</main>\n<footer>\n<p class=\"meta\">Supplier ");
  text_or(m_.supplier_id, "without id");
  raw(", status ");
  text_or(m_.status, "none given");
  raw(", generated at ");
  text_or(m_.generated_at, "unknown time");
  raw(".</p>\n</footer>\n</body>\n</html>\n");
  return std::move(out_);
}

}  // namespace

std::string render_report_html(const ReportModel& model) {
  return Page(model).render();
}

}  // namespace pw::formats
