#include "formats/report.h"

#include <expat.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats_test_util.h"

namespace pw::formats {
namespace {

// The page read back with Expat: an element list in document order (parents before children),
// so tests can ask about structure instead of matching markup text.
struct Element {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::string text;  // all character data inside the element, descendants included
  std::size_t depth = 0;
};

struct ParsedPage {
  std::string error;  // empty: well-formed
  std::vector<Element> elements;
  std::vector<std::string> comments;

  std::vector<const Element*> all(std::string_view name) const {
    std::vector<const Element*> out;
    for (const auto& e : elements)
      if (e.name == name) out.push_back(&e);
    return out;
  }
  const Element* by_id(std::string_view id) const {
    for (const auto& e : elements)
      if (auto it = e.attrs.find("id"); it != e.attrs.end() && it->second == id) return &e;
    return nullptr;
  }
};

struct ParserState {
  ParsedPage page;
  std::vector<std::size_t> open;  // indices into page.elements
  XML_Parser parser = nullptr;
};

void XMLCALL on_start(void* p, const XML_Char* name, const XML_Char** attrs) {
  auto& s = *static_cast<ParserState*>(p);
  Element e;
  e.name = name;
  e.depth = s.open.size();
  for (const XML_Char** a = attrs; a[0] != nullptr; a += 2) e.attrs[a[0]] = a[1];
  s.open.push_back(s.page.elements.size());
  s.page.elements.push_back(std::move(e));
}
void XMLCALL on_end(void* p, const XML_Char*) {
  static_cast<ParserState*>(p)->open.pop_back();
}
void XMLCALL on_text(void* p, const XML_Char* t, int len) {
  auto& s = *static_cast<ParserState*>(p);
  for (std::size_t i : s.open) s.page.elements[i].text.append(t, static_cast<std::size_t>(len));
}
void XMLCALL on_comment(void* p, const XML_Char* c) {
  static_cast<ParserState*>(p)->page.comments.emplace_back(c);
}
void XMLCALL on_skipped(void* p, const XML_Char* name, int) {
  auto& s = *static_cast<ParserState*>(p);
  s.page.error = std::string("undeclared entity ") + name;
  XML_StopParser(s.parser, XML_FALSE);
}

ParsedPage parse(const std::string& html) {
  ParserState s;
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"),
                                                                 &XML_ParserFree);
  s.parser = parser.get();
  XML_SetUserData(s.parser, &s);
  XML_SetElementHandler(s.parser, &on_start, &on_end);
  XML_SetCharacterDataHandler(s.parser, &on_text);
  XML_SetCommentHandler(s.parser, &on_comment);
  XML_SetSkippedEntityHandler(s.parser, &on_skipped);
  if (XML_Parse(s.parser, html.data(), static_cast<int>(html.size()), XML_TRUE) != XML_STATUS_OK &&
      s.page.error.empty()) {
    s.page.error = "line " + std::to_string(XML_GetCurrentLineNumber(s.parser)) + ": " +
                   XML_ErrorString(XML_GetErrorCode(s.parser));
  }
  return std::move(s.page);
}

constexpr std::string_view kChain = "CNNC -21%-> Tongfang -76%-> Nuctech = 15.96%";
constexpr std::string_view kRoot =
    "5f1c2a9e0b7d4c3f8a6e2d1b0c9f8e7d6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d";
constexpr std::string_view kNote =
    "portwarden.example/rotterdam-customs\n"
    "1742\n"
    "Xxwqng4bfSqKN4AStqG7Kx6G0ZPzbbbQmgv5Ngt0B0E=\n"
    "\n"
    "— portwarden.example/rotterdam-customs Az3grlmh1pQF0+3oF0HBR0NfsHBG5IFJoWEnEKWPW3mrG8bP\n";

// Shaped like the real case: facts from the source document (Q6 criteria, the 76% / 21% chain,
// Q11's shared server room); the rest is fictional test data.
ReportModel nuctech(std::string status = "draft") {
  ReportModel m;
  m.title = "Supplier assessment: Nuctech Company Limited";
  m.supplier_id = "org:nuctech";
  m.supplier_name = "Nuctech Company Limited";
  m.supplier_country = "CN";
  m.generated_at = "2025-03-14T09:30:00Z";
  m.status = std::move(status);
  m.assessment_id = "asmt-0007";
  m.author = "analyst.a";
  m.inherent_risk = "high";
  m.residual_risk = "medium";
  m.risk_scale_note =
      "Ordinal scale: low < medium < high < very high. Levels are ranks, not quantities.";
  m.ownership_svg = testing::fixture("nuctech-ownership.svg");
  m.exposure.push_back({"CN",
                        "People's Republic of China",
                        "15.96%",
                        "15.96%",
                        "exact",
                        "weakest link 21%; no majority chain",
                        {std::string(kChain)}});
  auto crit = [](std::string code, std::string answer, std::string suggested) {
    ReportModel::Criterion c;
    c.code = std::move(code);
    c.answer = std::move(answer);
    c.suggested_answer = std::move(suggested);
    c.suggested_rule = "rule " + c.code;
    c.judgement = "Judgement on criterion " + c.code + ".";
    c.judged_by = "analyst.a";
    return c;
  };
  m.criteria.push_back(crit("1", "yes", "yes"));
  m.criteria[0].wording =
      "Does the supplier originate from, or is it controlled by a party from, a country with "
      "legislation obliging commercial or private parties to cooperate with its government, in "
      "particular state bodies with an intelligence or military task, or is it a state company?";
  m.criteria[0].wording_nl =
      "Is de partij die de dienst of product levert afkomstig, of staat hij onder controle van "
      "een partij, uit een land met wetgeving die commerciële of particuliere partijen verplicht "
      "samen te werken met de overheid van dat land (...) of is de partij een staatsbedrijf?";
  m.criteria[0].evidence = {
      {"ownership", "CN state exposure 15.96% (exact) via " + std::string(kChain), "BODS 0.4"},
      {"country", "National Intelligence Law 2017, art. 7", "data/countries.toml"}};
  m.criteria.push_back(crit("2", "yes", "yes"));
  m.criteria.push_back(crit("3a", "yes", "yes"));
  m.criteria.push_back(crit("3b", "partly", "yes"));
  m.mitigations = {
      {"mit-supervised-remote", "Supervised and recorded remote sessions", "implemented", "3a", ""},
      {"mit-escorted-server-room", "Escorted server-room entry", "planned", "3a", "From Q2."}};
  m.findings = {{"mixed-vendors-room:customs-server-room", "medium",
                 "Servers of several vendors share one room",
                 "customs-server-room holds servers of Nuctech and two other vendors (Q11)",
                 "Separate vendor servers or escort every entry", "open"}};
  if (m.status == "signed off")
    m.signoffs = {{"analyst.b", "2025-03-14T10:00:00Z", "reviewer", ""}};
  m.checkpoint = {"portwarden.example/rotterdam-customs", 1742, std::string(kRoot),
                  std::string(kNote)};
  m.notes = {"Facts from the source document (kamervragen 2021); other records fictional."};
  return m;
}

bool has_banner(const ParsedPage& page, std::string_view text) {
  for (const auto* p : page.all("p"))
    if (p->attrs.count("class") && p->attrs.at("class").starts_with("banner") &&
        p->text.find(text) != std::string::npos)
      return true;
  return false;
}

TEST(ReportHtml, NuctechReportIsWellFormedXml) {
  const std::string html = render_report_html(nuctech());
  ASSERT_TRUE(html.starts_with("<!DOCTYPE html>\n"));
  const ParsedPage page = parse(html);
  ASSERT_EQ(page.error, "") << html;
  ASSERT_FALSE(page.elements.empty());
  const Element& root = page.elements.front();
  EXPECT_EQ(root.name, "html");
  EXPECT_EQ(root.attrs.at("lang"), "en");
  EXPECT_EQ(root.attrs.at("xmlns"), "http://www.w3.org/1999/xhtml");
}

TEST(ReportHtml, ShowsTheOwnershipChainInTheExposureTable) {
  const ParsedPage page = parse(render_report_html(nuctech()));
  const Element* section = page.by_id("sec-exposure");
  ASSERT_NE(section, nullptr);
  EXPECT_NE(section->text.find(kChain), std::string::npos) << section->text;
  EXPECT_NE(section->text.find("15.96%"), std::string::npos);
  EXPECT_NE(section->text.find("weakest link 21%"), std::string::npos);
}

TEST(ReportHtml, ShowsEveryCriterionWithAnswerSuggestionAndJudgement) {
  const ParsedPage page = parse(render_report_html(nuctech()));
  std::vector<std::string> headings;
  for (const auto* h : page.all("h3")) headings.push_back(h->text);
  for (std::string code : {"1", "2", "3a", "3b"}) {
    EXPECT_NE(std::find(headings.begin(), headings.end(), "Criterion " + code), headings.end())
        << code;
  }
  const Element* c4 = page.by_id("criterion-4");
  ASSERT_NE(c4, nullptr);
  EXPECT_NE(c4->text.find("partly"), std::string::npos);
  EXPECT_NE(c4->text.find("differs from the suggested answer"), std::string::npos);
  EXPECT_NE(c4->text.find("rule 3b"), std::string::npos);
  EXPECT_NE(c4->text.find("Judgement on criterion 3b."), std::string::npos);
  const Element* c1 = page.by_id("criterion-1");
  ASSERT_NE(c1, nullptr);
  EXPECT_EQ(c1->text.find("differs"), std::string::npos);
  EXPECT_NE(c1->text.find("National Intelligence Law 2017, art. 7"), std::string::npos);
  EXPECT_NE(c1->text.find("commerciële"), std::string::npos);
  bool dutch = false;
  for (const auto* q : page.all("blockquote"))
    dutch = dutch || (q->attrs.count("lang") && q->attrs.at("lang") == "nl");
  EXPECT_TRUE(dutch);
}

TEST(ReportHtml, ShowsTheCheckpointInTheSummaryAndItsSignedNoteVerbatim) {
  const ParsedPage page = parse(render_report_html(nuctech()));
  const Element* summary = page.by_id("sec-summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_NE(summary->text.find(kRoot), std::string::npos);
  EXPECT_NE(summary->text.find("size 1742"), std::string::npos);
  EXPECT_NE(summary->text.find("high"), std::string::npos);
  EXPECT_NE(summary->text.find("medium"), std::string::npos);
  const auto pres = page.all("pre");
  ASSERT_EQ(pres.size(), 1u);
  EXPECT_EQ(pres[0]->text, kNote);
}

TEST(ReportHtml, ShowsTheFindingMitigationsAndNotes) {
  const ParsedPage page = parse(render_report_html(nuctech()));
  const Element* findings = page.by_id("sec-findings");
  ASSERT_NE(findings, nullptr);
  EXPECT_NE(findings->text.find("mixed-vendors-room:customs-server-room"), std::string::npos);
  EXPECT_NE(page.by_id("sec-mitigations")->text.find("Escorted server-room entry"),
            std::string::npos);
  EXPECT_NE(page.by_id("sec-notes")->text.find("other records fictional"), std::string::npos);
}

TEST(ReportHtml, DraftShowsTheDraftBannerAndSignedOffShowsNone) {
  const ParsedPage draft = parse(render_report_html(nuctech("draft")));
  EXPECT_TRUE(has_banner(draft, "DRAFT — not signed off"));
  const ParsedPage signed_off = parse(render_report_html(nuctech("signed off")));
  ASSERT_EQ(signed_off.error, "");
  EXPECT_FALSE(has_banner(signed_off, "DRAFT"));
  EXPECT_FALSE(has_banner(signed_off, ""));
  EXPECT_NE(signed_off.by_id("sec-signoffs")->text.find("analyst.b"), std::string::npos);
}

TEST(ReportHtml, StaleAndUnknownStatusesShowABanner) {
  EXPECT_TRUE(has_banner(parse(render_report_html(nuctech("stale"))),
                         "STALE — inputs changed since sign-off"));
  EXPECT_FALSE(has_banner(parse(render_report_html(nuctech("  Signed Off "))), ""));
  EXPECT_TRUE(has_banner(parse(render_report_html(nuctech("signed-off"))), "NOT SIGNED OFF"));
  EXPECT_TRUE(has_banner(parse(render_report_html(nuctech(""))), "NOT SIGNED OFF"));
}

TEST(ReportHtml, EscapesHostileTextEverywhere) {
  const std::string hostile = "Evil <script>alert(\"x\")</script> & 'co' <img src=x onerror=y>";
  ReportModel m = nuctech();
  m.title = m.supplier_name = m.supplier_id = m.status = m.author = hostile;
  m.inherent_risk = m.risk_scale_note = m.generated_at = hostile;
  m.exposure[0].state = m.exposure[0].control = hostile;
  m.exposure[0].paths.push_back(hostile);
  m.criteria[0].code = m.criteria[0].judgement = m.criteria[0].wording_nl = hostile;
  m.criteria[0].evidence.push_back({hostile, hostile, hostile});
  m.mitigations[0].note = m.findings[0].title = m.findings[0].severity = hostile;
  m.signoffs = {{hostile, hostile, hostile, hostile}};
  m.checkpoint.note = m.checkpoint.root_hex = hostile;
  m.notes.push_back(hostile);
  const std::string html = render_report_html(m);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"),
            std::string::npos);
  const ParsedPage page = parse(html);
  ASSERT_EQ(page.error, "");
  for (const auto& e : page.elements) {
    EXPECT_NE(e.name, "script");
    EXPECT_NE(e.name, "img");
    for (const auto& [name, value] : e.attrs) EXPECT_FALSE(name.starts_with("on")) << name;
  }
  EXPECT_EQ(page.all("h1").at(0)->text, hostile);  // shown as text, exactly
}

TEST(ReportHtml, RepairsInvalidUtf8AndForbiddenControlCharacters) {
  ReportModel m = nuctech();
  m.supplier_name = std::string("Nuc\xFF\xC0tech\x01\x1B\r\n\x7F") + "\xED\xA0\x80" + "end";
  m.checkpoint.note = std::string("line\0one", 8);
  const ParsedPage page = parse(render_report_html(m));
  ASSERT_EQ(page.error, "");
  EXPECT_NE(page.by_id("sec-summary")->text.find("Nuc\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(page.all("pre").at(0)->text, "line\xEF\xBF\xBDone");
}

TEST(ReportHtml, EmbedsTheGraphvizDiagramWithoutItsPrologueOrComments) {
  const std::string html = render_report_html(nuctech());
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_EQ(html.find("<!DOCTYPE svg"), std::string::npos);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  const ParsedPage page = parse(html);
  ASSERT_EQ(page.error, "");
  const auto svgs = page.all("svg");
  ASSERT_EQ(svgs.size(), 1u);
  EXPECT_EQ(svgs[0]->attrs.at("xmlns"), "http://www.w3.org/2000/svg");
  EXPECT_EQ(svgs[0]->attrs.at("role"), "img");
  EXPECT_EQ(svgs[0]->attrs.at("aria-label"), "Ownership and control of Nuctech Company Limited");
  EXPECT_TRUE(svgs[0]->attrs.at("viewBox").starts_with("0.00 0.00 "));
  EXPECT_NE(svgs[0]->text.find("Tsinghua Tongfang Co., Ltd. <Tongfang>"), std::string::npos);
  EXPECT_NE(svgs[0]->text.find("21%"), std::string::npos);
  ASSERT_EQ(page.all("figcaption").size(), 1u);
  EXPECT_NE(page.all("figcaption")[0]->text.find("Nuctech Company Limited"), std::string::npos);
}

TEST(ReportHtml, EmptySvgSaysThereIsNoOwnershipData) {
  ReportModel m = nuctech();
  m.ownership_svg = " \n";
  const ParsedPage page = parse(render_report_html(m));
  ASSERT_EQ(page.error, "");
  EXPECT_TRUE(page.all("svg").empty());
  EXPECT_NE(page.by_id("sec-ownership")->text.find("No ownership data"), std::string::npos);
}

const std::string kSvgOpen =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\">";

struct HostileCase {
  std::string svg;
  std::string why;  // part of the reason inline_svg() gives
};

class HostileSvg : public ::testing::TestWithParam<HostileCase> {};

TEST_P(HostileSvg, IsRefusedForItsReasonAndNotEmbedded) {
  const HostileCase& c = GetParam();
  auto refused = inline_svg(c.svg);
  ASSERT_FALSE(refused.has_value()) << c.svg;
  EXPECT_NE(refused.error().message().find(c.why), std::string::npos) << refused.error().message();
  ReportModel m = nuctech();
  m.ownership_svg = c.svg;
  const std::string html = render_report_html(m);
  const ParsedPage page = parse(html);
  ASSERT_EQ(page.error, "");
  EXPECT_TRUE(page.all("svg").empty()) << html;
  EXPECT_TRUE(page.all("script").empty());
  EXPECT_NE(page.by_id("sec-ownership")->text.find("did not pass the checks"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Rejected, HostileSvg,
    ::testing::Values(
        HostileCase{kSvgOpen + "<script>alert(1)</script></svg>", "element <script>"},
        HostileCase{kSvgOpen + "<g><SCRIPT>alert(1)</SCRIPT></g></svg>", "element <SCRIPT>"},
        HostileCase{"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>",
                    "event handler attribute onload"},
        HostileCase{kSvgOpen + "<g ONclick=\"alert(1)\"/></svg>", "event handler"},
        HostileCase{kSvgOpen + "<a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
                    "scheme"},
        // Blanks and case do not hide a scheme; nor does a character reference.
        HostileCase{kSvgOpen + "<a href=\" JaVa&#x09;Script:alert(1)\"><text>x</text></a></svg>",
                    "scheme"},
        HostileCase{
            kSvgOpen + "<a xlink:href=\"&#106;avascript:alert(1)\"><text>x</text></a></svg>",
            "scheme"},
        HostileCase{
            kSvgOpen + "<a xlink:href=\"data:text/html,&lt;script&gt;\"><text>x</text></a></svg>",
            "scheme"},
        HostileCase{kSvgOpen + "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x"
                               "</div></foreignObject></svg>",
                    "element <foreignObject>"},
        HostileCase{kSvgOpen + "<style>@import url(http://evil.example/x.css);</style></svg>",
                    "element <style>"},
        HostileCase{kSvgOpen + "<image xlink:href=\"http://evil.example/track.png\"/></svg>",
                    "element <image>"},
        HostileCase{kSvgOpen + "<rect fill=\"url(http://evil.example/x.svg#p)\"/></svg>", "url()"},
        HostileCase{kSvgOpen + "<set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>",
                    "element <set>"},
        HostileCase{kSvgOpen + "<g xmlns=\"http://www.w3.org/1999/xhtml\"/></svg>",
                    "namespace other than SVG"},
        // Entity expansion ("billion laughs") is never attempted: the internal subset is refused.
        HostileCase{"<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
                    "\"&a;&a;&a;&a;&a;&a;&a;&a;\">]>" +
                        kSvgOpen + "<text>&b;</text></svg>",
                    "internal subset"},
        HostileCase{"<!DOCTYPE svg SYSTEM \"http://evil.example/x.dtd\">" + kSvgOpen +
                        "<text>&x;</text></svg>",
                    "undeclared entity"},
        HostileCase{kSvgOpen + "<g><text>unclosed</g></svg>", "not well-formed"},
        HostileCase{"<html><script>alert(1)</script></html>", "root element is <html>"},
        HostileCase{"not xml at all <script>alert(1)</script>", "not well-formed"}));

TEST(InlineSvg, KeepsLocalReferencesAndPlainLinks) {
  auto svg = inline_svg(kSvgOpen +
                        "<defs><linearGradient id=\"l\"/></defs><rect fill=\"url(#l)\"/>"
                        "<a xlink:href=\"https://example.org/x\"><text>a &amp; b</text></a>"
                        "<a xlink:href=\"#supplier\"><text/></a></svg>");
  ASSERT_TRUE(svg.has_value()) << svg.error().to_string();
  EXPECT_NE(svg->find("fill=\"url(#l)\""), std::string::npos);
  EXPECT_NE(svg->find("xlink:href=\"https://example.org/x\""), std::string::npos);
  EXPECT_NE(svg->find("<text>a &amp; b</text>"), std::string::npos);
  EXPECT_NE(svg->find("<text/>"), std::string::npos);
}

TEST(InlineSvg, AddsTheSvgNamespaceWhenMissingAndRefusesOversizedInput) {
  auto svg = inline_svg("<svg><g/></svg>");
  ASSERT_TRUE(svg.has_value());
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_FALSE(inline_svg(kSvgOpen + "</svg>", "", 10).has_value());
}

TEST(ReportHtml, IsSelfContainedAndAccessible) {
  const ParsedPage page = parse(render_report_html(nuctech()));
  ASSERT_EQ(page.error, "");
  EXPECT_EQ(page.all("h1").size(), 1u);
  EXPECT_TRUE(page.all("script").empty());
  EXPECT_TRUE(page.all("link").empty());
  EXPECT_TRUE(page.all("img").empty());
  int previous = 1;
  for (const auto& e : page.elements) {
    EXPECT_EQ(e.attrs.count("src"), 0u) << e.name;
    for (const char* href : {"href", "xlink:href"}) {
      if (auto it = e.attrs.find(href); it != e.attrs.end()) {
        EXPECT_TRUE(it->second.starts_with("#")) << it->second;
      }
    }
    if (e.name.size() == 2 && e.name[0] == 'h' && e.name[1] >= '1' && e.name[1] <= '6') {
      const int level = e.name[1] - '0';
      EXPECT_LE(level, previous + 1) << "heading " << e.name << " skips a level: " << e.text;
      previous = level;
    }
    if (e.name == "th") {
      EXPECT_EQ(e.attrs.count("scope"), 1u) << e.text;
    }
  }
  // Risk levels are written out as text, not only coloured.
  bool level_text = false;
  for (const auto* span : page.all("span"))
    if (span->attrs.count("class") && span->attrs.at("class") == "level level-high")
      level_text = level_text || span->text == "high";
  EXPECT_TRUE(level_text);
  // The print stylesheet: A4 pages, a break before each section, the diagram at page width.
  const std::string& css = page.all("style").at(0)->text;
  EXPECT_NE(css.find("size: A4"), std::string::npos);
  EXPECT_NE(css.find("break-before: page"), std::string::npos);
  EXPECT_NE(css.find(".diagram svg { width: 100%"), std::string::npos);
}

TEST(ReportHtml, EmptyModelStillRendersAWellFormedPage) {
  const ParsedPage page = parse(render_report_html(ReportModel{}));
  ASSERT_EQ(page.error, "");
  EXPECT_TRUE(has_banner(page, "NOT SIGNED OFF"));
  EXPECT_NE(page.by_id("sec-checkpoint")->text.find("not made at a journal checkpoint"),
            std::string::npos);
  EXPECT_NE(page.by_id("sec-ownership")->text.find("No ownership data"), std::string::npos);
}

}  // namespace
}  // namespace pw::formats
