#include <gtest/gtest.h>

#include <string>

#include "formats/import.h"
#include "formats_test_util.h"

namespace pw::formats {
namespace {

using domain::EntityKind;
using domain::Interest;
using testing::date;
using testing::edge;
using testing::find_entity;
using testing::fixture;
using testing::has_issue;
using testing::issues_text;
using testing::lenient;
using testing::strict;

std::string company(std::string_view id, std::string_view extra = "") {
  return R"({"id":")" + std::string(id) + R"(","schema":"Company","properties":{"name":["Co )" +
         std::string(id) + R"("])" + std::string(extra) + "}}\n";
}

std::string ownership(std::string_view id, std::string_view owner, std::string_view asset,
                      std::string_view extra = "") {
  return R"({"id":")" + std::string(id) + R"(","schema":"Ownership","properties":{"owner":[")" +
         std::string(owner) + R"("],"asset":[")" + std::string(asset) + R"("])" +
         std::string(extra) + "}}\n";
}

std::string pct(std::string_view text) {
  return R"(,"percentage":[")" + std::string(text) + R"("])";
}

ImportResult import_ok(const std::string& text, const ImportOptions& o = lenient()) {
  auto r = import_string(text, "ftm.jsonl", Format::kFtm, o);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().to_string());
  return r ? std::move(*r) : ImportResult{};
}

TEST(FtmImport, NuctechSeedChain) {
  auto r = import_string(fixture("nuctech-ftm.jsonl"), "nuctech-ftm.jsonl", Format::kFtm, strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto& d = r->dataset;
  EXPECT_TRUE(r->issues.empty()) << issues_text(*r);
  ASSERT_EQ(d.entities.size(), 4u);
  ASSERT_EQ(d.edges.size(), 3u);
  const auto* prc = find_entity(d, "ftm:pw-fixture-prc");
  ASSERT_NE(prc, nullptr);
  EXPECT_EQ(prc->kind, EntityKind::kStateBody);
  EXPECT_EQ(prc->country, "CN");
  const auto* cnnc = find_entity(d, "ftm:pw-fixture-cnnc");
  ASSERT_NE(cnnc, nullptr);
  ASSERT_EQ(cnnc->identifiers.size(), 1u);
  EXPECT_EQ(cnnc->identifiers[0], (domain::Identifier{"lei", "FIXTURE0000000CNNC01"}));

  const auto* state = edge(d, "ftm:pw-fixture-prc", "ftm:pw-fixture-cnnc");
  ASSERT_NE(state, nullptr);
  EXPECT_FALSE(state->share.known);
  const auto* e21 = edge(d, "ftm:pw-fixture-cnnc", "ftm:pw-fixture-tongfang");
  ASSERT_NE(e21, nullptr);
  EXPECT_EQ(e21->interest, Interest::kShareholding);
  EXPECT_TRUE(e21->share.is_exact());
  EXPECT_DOUBLE_EQ(e21->share.min, 0.21);
  EXPECT_EQ(e21->start, date("2021-01-01"));  // "2021": the first day of the year
  const auto* e76 = edge(d, "ftm:pw-fixture-tongfang", "ftm:pw-fixture-nuctech");
  ASSERT_NE(e76, nullptr);
  EXPECT_DOUBLE_EQ(e76->share.min, 0.76);
  EXPECT_EQ(e76->source, "nuctech-ftm.jsonl#7");
}

TEST(FtmImport, PercentagesBecomeExactOrRangeShares) {
  const std::string text = company("a") + company("b") + company("c") + company("d") +
                           ownership("o1", "b", "a", pct(">50%")) +
                           ownership("o2", "c", "a", pct("25–50%")) +
                           ownership("o3", "d", "a", pct("<25%"));
  auto r = import_ok(text, strict());
  const auto* o1 = edge(r.dataset, "ftm:b", "ftm:a");
  ASSERT_NE(o1, nullptr);
  EXPECT_DOUBLE_EQ(o1->share.min, 0.5);
  EXPECT_TRUE(o1->share.min_exclusive);
  EXPECT_DOUBLE_EQ(o1->share.max, 1.0);
  const auto* o2 = edge(r.dataset, "ftm:c", "ftm:a");
  ASSERT_NE(o2, nullptr);
  EXPECT_DOUBLE_EQ(o2->share.min, 0.25);
  EXPECT_DOUBLE_EQ(o2->share.max, 0.5);
  const auto* o3 = edge(r.dataset, "ftm:d", "ftm:a");
  ASSERT_NE(o3, nullptr);
  EXPECT_TRUE(o3->share.max_exclusive);
}

TEST(FtmImport, UnreadablePercentagesAreWarningsWithUnknownShare) {
  const std::string text = company("a") + company("b") + company("c") +
                           ownership("o1", "b", "a", pct("majority")) +
                           ownership("o2", "c", "a", pct("150%"));
  auto r = import_ok(text, strict());  // warnings never stop a strict import
  ASSERT_EQ(r.dataset.edges.size(), 2u);
  EXPECT_FALSE(r.dataset.edges[0].share.known);
  EXPECT_FALSE(r.dataset.edges[1].share.known);
  EXPECT_EQ(r.summary.warnings, 2u);
  EXPECT_EQ(r.summary.errors, 0u);
  EXPECT_TRUE(has_issue(r,
                        "ftm.jsonl record 4: properties.percentage: cannot read percentage "
                        "'majority': no number found; the share is recorded as unknown"))
      << issues_text(r);
  EXPECT_TRUE(has_issue(r,
                        "record 5: properties.percentage: cannot read percentage '150%': 150% "
                        "is outside 0-100%"));
  EXPECT_EQ(r.issues[0].severity, Severity::kWarning);
}

TEST(FtmImport, DatesArePartialOrWarned) {
  const std::string text =
      company("a") + company("b") +
      ownership("o", "b", "a", R"(,"startDate":["2019-03"],"endDate":["2022-05"])") + company("c") +
      ownership("p", "c", "a", R"(,"startDate":["sometime"])");
  auto r = import_ok(text, strict());
  const auto* o = edge(r.dataset, "ftm:b", "ftm:a");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->start, date("2019-03-01"));
  EXPECT_EQ(o->end, date("2022-06-01"));  // exclusive: the day after May 2022
  const auto* p = edge(r.dataset, "ftm:c", "ftm:a");
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(p->start.has_value());
  EXPECT_TRUE(has_issue(r, "properties.startDate: 'sometime' is not a date; ignored"));
}

TEST(FtmImport, KindsIdentifiersAndNames) {
  const std::string text =
      R"({"id":"ru1","schema":"Company","properties":{"name":["OOO Romashka"],"jurisdiction":["ru"],"registrationNumber":["1027700132195"],"innCode":["7707083893"],"ogrnCode":["1027700132195"]}})"
      "\n"
      R"({"id":"p1","schema":"Person","properties":{"firstName":["Ivan"],"lastName":["Petrov"],"country":["ru"]}})"
      "\n"
      R"({"id":"o1","schema":"Organization","properties":{"name":["Some NGO"],"uscCode":["91110000100000000X"]}})"
      "\n"
      R"({"id":"le1","schema":"LegalEntity","properties":{"name":["Unknown kind"],"registrationNumber":["42"]}})"
      "\n"
      R"({"id":"addr","schema":"Address","properties":{"full":["Somewhere"]}})"
      "\n"
      R"({"id":"s1","schema":"Sanction","properties":{"entity":["ru1"]}})"
      "\n";
  auto r = import_ok(text, strict());
  ASSERT_EQ(r.dataset.entities.size(), 4u);
  EXPECT_EQ(r.summary.records_ignored, 2u);
  const auto* ru = find_entity(r.dataset, "ftm:ru1");
  ASSERT_NE(ru, nullptr);
  EXPECT_EQ(ru->country, "RU");
  const std::vector<domain::Identifier> want{
      {"ru-inn", "7707083893"}, {"ru-ogrn", "1027700132195"}, {"registration-ru", "1027700132195"}};
  EXPECT_EQ(ru->identifiers, want);
  const auto* p = find_entity(r.dataset, "ftm:p1");
  EXPECT_EQ(p->kind, EntityKind::kPerson);
  EXPECT_EQ(p->name, "Ivan Petrov");
  EXPECT_EQ(find_entity(r.dataset, "ftm:o1")->identifiers[0].scheme, "cn-uscc");
  EXPECT_EQ(find_entity(r.dataset, "ftm:le1")->identifiers[0].scheme, "registration");
}

TEST(FtmImport, OwnershipOfNonLegalAssetsIsIgnored) {
  const std::string text = company("a") +
                           R"({"id":"v","schema":"Vessel","properties":{"name":["MV Example"]}})"
                           "\n" +
                           ownership("o", "a", "v", pct("100"));
  auto r = import_ok(text, strict());
  EXPECT_TRUE(r.dataset.edges.empty());
  EXPECT_TRUE(has_issue(r, "'v' is a Vessel, not a legal entity")) << issues_text(r);
}

TEST(FtmImport, DuplicateIdsDanglingReferencesAndLoopsAreErrors) {
  const std::string text = company("a") + company("a") + ownership("o1", "ghost", "a", pct("10")) +
                           ownership("o2", "a", "a", pct("10"));
  auto r = import_ok(text);
  EXPECT_TRUE(has_issue(r, "ftm.jsonl record 2: id: duplicate id 'a' (first in record 1); skipped"))
      << issues_text(r);
  EXPECT_TRUE(has_issue(r,
                        "record 3: properties.owner: 'ghost' is not a legal entity or person "
                        "in this file"));
  EXPECT_TRUE(has_issue(r, "record 4: properties: 'ftm:a' is recorded as owning itself"));
  EXPECT_EQ(find_entity(r.dataset, "ftm:ghost")->kind, EntityKind::kUnknown);
  ASSERT_EQ(r.dataset.edges.size(), 1u);
  auto s = import_string(text, "ftm.jsonl", Format::kFtm, strict());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(),
            "ftm.jsonl record 2: id: duplicate id 'a' (first in record 1); skipped");
}

TEST(FtmImport, JsonArrayFormWorksToo) {
  const std::string text =
      "[" + company("a") + "," + company("b") + "," + ownership("o", "b", "a", pct("76.5 %")) + "]";
  auto r = import_ok(text, strict());
  const auto* o = edge(r.dataset, "ftm:b", "ftm:a");
  ASSERT_NE(o, nullptr);
  EXPECT_DOUBLE_EQ(o->share.min, 0.765);
}

TEST(FtmImport, MissingOwnerOrSchemaSkipsTheRecord) {
  const std::string text = company("a") +
                           R"({"id":"o","schema":"Ownership","properties":{"asset":["a"]}})"
                           "\n" +
                           R"({"id":"x","properties":{}})"
                           "\n" +
                           R"({"schema":"Company"})"
                           "\n";
  auto r = import_ok(text);
  EXPECT_EQ(r.summary.records_skipped, 3u);
  EXPECT_TRUE(has_issue(r, "record 2: properties.owner: missing")) << issues_text(r);
  EXPECT_TRUE(has_issue(r, "record 3: schema: missing"));
  EXPECT_TRUE(has_issue(r, "record 4: id: missing"));
}

}  // namespace
}  // namespace pw::formats
