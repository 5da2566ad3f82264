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

// Minimal BODS 0.4 statements, one per line (JSON lines).
std::string entity(std::string_view id, std::string_view name,
                   std::string_view type = "registeredEntity", std::string_view date = "2021-01-01",
                   std::string_view status = "new") {
  return R"({"statementId":"st-)" + std::string(id) + "-" + std::string(date) + "-" +
         std::string(status) + R"(","statementDate":")" + std::string(date) + R"(","recordId":")" +
         std::string(id) + R"(","recordStatus":")" + std::string(status) +
         R"(","recordType":"entity","recordDetails":{"entityType":{"type":")" + std::string(type) +
         R"("},"name":")" + std::string(name) + R"(","jurisdiction":{"code":"FI"}}})" + "\n";
}

std::string person(std::string_view id, std::string_view name) {
  return R"({"statementId":"st-)" + std::string(id) +
         R"(","statementDate":"2021-01-01","recordId":")" + std::string(id) +
         R"(","recordStatus":"new","recordType":"person","recordDetails":{"personType":"knownPerson","names":[{"type":"alternative","fullName":"Alt Name"},{"type":"legal","fullName":")" +
         std::string(name) + R"("}],"nationalities":[{"code":"GB"}]}})" + "\n";
}

// A relationship statement; `interests` is the JSON array text, `party` a JSON value.
std::string relationship(std::string_view id, std::string_view subject, std::string_view party,
                         std::string_view interests, std::string_view date = "2021-01-01",
                         std::string_view status = "new") {
  return R"({"statementId":"st-)" + std::string(id) + "-" + std::string(date) + "-" +
         std::string(status) + R"(","statementDate":")" + std::string(date) + R"(","recordId":")" +
         std::string(id) + R"(","recordStatus":")" + std::string(status) +
         R"(","recordType":"relationship","recordDetails":{"subject":")" + std::string(subject) +
         R"(","interestedParty":)" + std::string(party) + R"(,"interests":)" +
         std::string(interests) + "}}\n";
}

std::string shareholding(std::string_view share_json, std::string_view extra = "") {
  return R"([{"type":"shareholding","directOrIndirect":"direct","share":)" +
         std::string(share_json) + std::string(extra) + "}]";
}

ImportResult import_ok(const std::string& text, const ImportOptions& options = lenient()) {
  auto r = import_string(text, "bods.jsonl", Format::kBods, options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().to_string());
  return r ? std::move(*r) : ImportResult{};
}

TEST(BodsImport, NuctechSeedChainInBods04) {
  auto r = import_string(fixture("nuctech-bods-0.4.json"), "nuctech-bods-0.4.json", Format::kBods,
                         strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto& d = r->dataset;
  EXPECT_TRUE(r->issues.empty()) << issues_text(*r);
  EXPECT_EQ(r->summary.records_read, 8u);
  EXPECT_EQ(r->summary.entities, 4u);
  EXPECT_EQ(r->summary.edges, 4u);

  const auto* prc = find_entity(d, "bods:prc");
  ASSERT_NE(prc, nullptr);
  EXPECT_EQ(prc->kind, EntityKind::kState);
  EXPECT_EQ(prc->country, "CN");
  const auto* cnnc = find_entity(d, "bods:cnnc");
  ASSERT_NE(cnnc, nullptr);
  EXPECT_EQ(cnnc->kind, EntityKind::kCompany);
  EXPECT_EQ(cnnc->name, "China National Nuclear Corporation");
  ASSERT_EQ(cnnc->identifiers.size(), 1u);  // XI-LEI is stored as "lei"
  EXPECT_EQ(cnnc->identifiers[0], (domain::Identifier{"lei", "FIXTURE0000000CNNC01"}));
  EXPECT_EQ(cnnc->source, "nuctech-bods-0.4.json#2");

  const auto* state = edge(d, "bods:prc", "bods:cnnc");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->interest, Interest::kOtherInfluence);
  EXPECT_FALSE(state->share.known);

  const auto* cnnc_tongfang = edge(d, "bods:cnnc", "bods:tongfang");
  ASSERT_NE(cnnc_tongfang, nullptr);
  EXPECT_EQ(cnnc_tongfang->interest, Interest::kShareholding);
  EXPECT_TRUE(cnnc_tongfang->share.is_exact());
  EXPECT_DOUBLE_EQ(cnnc_tongfang->share.min, 0.21);
  EXPECT_TRUE(cnnc_tongfang->direct);

  const auto* tongfang_nuctech = edge(d, "bods:tongfang", "bods:nuctech");
  ASSERT_NE(tongfang_nuctech, nullptr);
  EXPECT_DOUBLE_EQ(tongfang_nuctech->share.min, 0.76);

  // The summary statement of the indirect stake (21% x 76%) is kept but marked indirect.
  const auto* indirect = edge(d, "bods:cnnc", "bods:nuctech");
  ASSERT_NE(indirect, nullptr);
  EXPECT_FALSE(indirect->direct);
  EXPECT_DOUBLE_EQ(indirect->share.min, 0.1596);
}

TEST(BodsImport, NuctechSeedChainInBods02) {
  auto r = import_string(fixture("nuctech-bods-0.2.json"), "nuctech-bods-0.2.json", Format::kBods,
                         strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto& d = r->dataset;
  EXPECT_TRUE(r->issues.empty()) << issues_text(*r);
  ASSERT_EQ(d.entities.size(), 4u);
  ASSERT_EQ(d.edges.size(), 3u);
  EXPECT_EQ(find_entity(d, "bods:pw-fixture-0.2-prc")->kind, EntityKind::kState);
  EXPECT_EQ(find_entity(d, "bods:pw-fixture-0.2-cnnc")->country, "CN");
  const auto* e1 = edge(d, "bods:pw-fixture-0.2-cnnc", "bods:pw-fixture-0.2-tongfang");
  ASSERT_NE(e1, nullptr);
  EXPECT_DOUBLE_EQ(e1->share.min, 0.21);
  const auto* e2 = edge(d, "bods:pw-fixture-0.2-tongfang", "bods:pw-fixture-0.2-nuctech");
  ASSERT_NE(e2, nullptr);
  EXPECT_DOUBLE_EQ(e2->share.max, 0.76);
  const auto* e3 = edge(d, "bods:pw-fixture-0.2-prc", "bods:pw-fixture-0.2-cnnc");
  ASSERT_NE(e3, nullptr);
  EXPECT_EQ(e3->interest, Interest::kOtherInfluence);  // "other-influence-or-control"
}

TEST(BodsImport, JsonLinesAndPackageGiveTheSameDataset) {
  const std::string lines = entity("a", "Alpha") + person("p", "Pat Doe") +
                            relationship("r", "a", "\"p\"", shareholding(R"({"exact":50})"));
  std::string package = "[";
  std::size_t start = 0;
  while (start < lines.size()) {
    const std::size_t nl = lines.find('\n', start);
    package += (start == 0 ? "" : ",\n") + lines.substr(start, nl - start);
    start = nl + 1;
  }
  package += "]";
  auto a = import_ok(lines, strict());
  auto b = import_ok(package, strict());
  ASSERT_EQ(a.dataset.edges.size(), 1u);
  ASSERT_EQ(b.dataset.edges.size(), 1u);
  EXPECT_EQ(a.dataset.entities.size(), b.dataset.entities.size());
  EXPECT_DOUBLE_EQ(a.dataset.edges[0].share.min, b.dataset.edges[0].share.min);
  const auto* p = find_entity(a.dataset, "bods:p");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, EntityKind::kPerson);
  EXPECT_EQ(p->name, "Pat Doe");  // the legal name is preferred over an alternative one
  EXPECT_EQ(p->country, "GB");
}

TEST(BodsImport, LaterStatementsReplaceEarlierOnesAndClosedRecordsEnd) {
  const std::string text =
      entity("a", "Alpha Oy") + person("p", "Pat Doe") +
      relationship("r", "a", "\"p\"",
                   shareholding(R"({"exact":100})", R"(,"startDate":"2019-01-01")"), "2020-01-01",
                   "new") +
      relationship("r", "a", "\"p\"",
                   shareholding(R"({"exact":40})", R"(,"startDate":"2021-05-01")"), "2021-06-01",
                   "updated") +
      entity("a", "Alpha Oyj", "registeredEntity", "2021-06-01", "updated") +
      relationship("r", "a", "\"p\"",
                   shareholding(R"({"exact":40})", R"(,"startDate":"2021-05-01")"), "2022-03-01",
                   "closed");
  auto r = import_ok(text, strict());
  EXPECT_EQ(r.summary.records_superseded, 3u);
  EXPECT_EQ(find_entity(r.dataset, "bods:a")->name, "Alpha Oyj");
  const auto* e = edge(r.dataset, "bods:p", "bods:a");
  ASSERT_NE(e, nullptr);
  EXPECT_DOUBLE_EQ(e->share.min, 0.40);
  EXPECT_EQ(e->start, date("2021-05-01"));
  EXPECT_EQ(e->end, date("2022-03-01"));  // closed: ends on the closing statement's date
  EXPECT_TRUE(e->valid_on(date("2021-12-31")));
  EXPECT_FALSE(e->valid_on(date("2022-03-01")));
}

TEST(BodsImport, TheLatestStatementWinsWhateverTheFileOrder) {
  const std::string text =
      entity("a", "Alpha") + person("p", "Pat") +
      relationship("r", "a", "\"p\"", shareholding(R"({"exact":30})"), "2022-01-01", "updated") +
      relationship("r", "a", "\"p\"", shareholding(R"({"exact":10})"), "2020-01-01", "new");
  auto r = import_ok(text, strict());
  const auto* e = edge(r.dataset, "bods:p", "bods:a");
  ASSERT_NE(e, nullptr);
  EXPECT_DOUBLE_EQ(e->share.min, 0.30);
}

TEST(BodsImport, Bods02ReplacesStatementsChains) {
  const std::string text = R"([
    {"statementID": "e1", "statementType": "entityStatement", "statementDate": "2019-01-01",
     "entityType": "registeredEntity", "name": "Old Name Ltd"},
    {"statementID": "p1", "statementType": "personStatement", "statementDate": "2019-01-01",
     "personType": "knownPerson", "names": [{"fullName": "Pat Doe"}]},
    {"statementID": "o1", "statementType": "ownershipOrControlStatement", "statementDate": "2019-01-01",
     "subject": {"describedByEntityStatement": "e1"},
     "interestedParty": {"describedByPersonStatement": "p1"},
     "interests": [{"type": "shareholding", "share": {"exact": 60}}]},
    {"statementID": "e2", "statementType": "entityStatement", "statementDate": "2020-01-01",
     "entityType": "registeredEntity", "name": "New Name Ltd", "replacesStatements": ["e1"]},
    {"statementID": "o2", "statementType": "ownershipOrControlStatement", "statementDate": "2020-01-01",
     "subject": {"describedByEntityStatement": "e2"},
     "interestedParty": {"describedByPersonStatement": "p1"},
     "interests": [{"type": "shareholding", "share": {"minimum": 50, "maximum": 75}}],
     "replacesStatements": ["o1"]}
  ])";
  auto r = import_ok(text, strict());
  ASSERT_EQ(r.dataset.entities.size(), 2u) << issues_text(r);
  // The record keeps the id of its first statement; the content is the latest.
  const auto* e = find_entity(r.dataset, "bods:e1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name, "New Name Ltd");
  const auto* o = edge(r.dataset, "bods:p1", "bods:e1");
  ASSERT_NE(o, nullptr);
  EXPECT_DOUBLE_EQ(o->share.min, 0.50);
  EXPECT_DOUBLE_EQ(o->share.max, 0.75);
  EXPECT_EQ(r.summary.records_superseded, 2u);
}

TEST(BodsImport, StateBodiesAndStatesKeepTheirCountry) {
  const std::string text = entity("fin", "Suomen tasavalta", "state") +
                           entity("vm", "Valtiovarainministerio", "stateBody") +
                           entity("x", "Anon", "anonymousEntity");
  auto r = import_ok(text, strict());
  EXPECT_EQ(find_entity(r.dataset, "bods:fin")->kind, EntityKind::kState);
  EXPECT_EQ(find_entity(r.dataset, "bods:vm")->kind, EntityKind::kStateBody);
  EXPECT_EQ(find_entity(r.dataset, "bods:vm")->country, "FI");
  EXPECT_EQ(find_entity(r.dataset, "bods:x")->kind, EntityKind::kUnknown);
}

TEST(BodsImport, UnspecifiedInterestedPartyBecomesAnUnknownEntityPerRelationship) {
  const std::string text =
      entity("a", "Listed plc") + entity("b", "Other plc") +
      relationship("r1", "a", R"({"reason":"subjectExemptFromDisclosure","description":"listed"})",
                   shareholding(R"({"minimum":25})")) +
      R"({"statementId":"st-r2","statementDate":"2021-01-01","recordId":"r2","recordStatus":"new","recordType":"relationship","recordDetails":{"subject":"b","interestedParty":{"reason":"informationUnknownToPublisher"}}})"
      "\n";
  auto r = import_ok(text, strict());
  const auto* u1 = find_entity(r.dataset, "bods:r1#unspecified");
  ASSERT_NE(u1, nullptr);
  EXPECT_EQ(u1->kind, EntityKind::kUnknown);
  EXPECT_NE(u1->name.find("subjectExemptFromDisclosure"), std::string::npos);
  const auto* e1 = edge(r.dataset, "bods:r1#unspecified", "bods:a");
  ASSERT_NE(e1, nullptr);
  EXPECT_DOUBLE_EQ(e1->share.min, 0.25);
  EXPECT_DOUBLE_EQ(e1->share.max, 1.0);
  // No interests at all: the relationship is still a declared controller of unknown share.
  const auto* e2 = edge(r.dataset, "bods:r2#unspecified", "bods:b");
  ASSERT_NE(e2, nullptr);
  EXPECT_EQ(e2->interest, Interest::kDeclaredController);
  EXPECT_FALSE(e2->share.known);
}

TEST(BodsImport, RangesKeepTheirExclusiveBounds) {
  const std::string text =
      entity("a", "A") + person("p", "P") + person("q", "Q") + person("s", "S") +
      relationship("r1", "a", "\"p\"", shareholding(R"({"minimum":25,"exclusiveMaximum":50})")) +
      relationship("r2", "a", "\"q\"",
                   shareholding(R"({"exclusiveMinimum":25,"exclusiveMaximum":50})")) +
      relationship("r3", "a", "\"s\"", shareholding(R"({"exclusiveMinimum":75,"maximum":100})"));
  auto r = import_ok(text, strict());
  const auto* p = edge(r.dataset, "bods:p", "bods:a");
  ASSERT_NE(p, nullptr);
  EXPECT_DOUBLE_EQ(p->share.min, 0.25);
  EXPECT_FALSE(p->share.min_exclusive);
  EXPECT_DOUBLE_EQ(p->share.max, 0.50);
  EXPECT_TRUE(p->share.max_exclusive);
  const auto* q = edge(r.dataset, "bods:q", "bods:a");
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(q->share.min_exclusive);
  EXPECT_TRUE(q->share.max_exclusive);
  const auto* s = edge(r.dataset, "bods:s", "bods:a");
  ASSERT_NE(s, nullptr);
  EXPECT_DOUBLE_EQ(s->share.min, 0.75);
  EXPECT_TRUE(s->share.min_exclusive);
  EXPECT_FALSE(s->share.max_exclusive);
}

TEST(BodsImport, InterestTypesMapToTheModel) {
  const std::string text =
      entity("a", "A") + person("p", "P") +
      relationship("r", "a", "\"p\"",
                   R"([{"type":"votingRights","share":{"exact":30}},)"
                   R"({"type":"appointmentOfBoard"},{"type":"seniorManagingOfficial"},)"
                   R"({"type":"unknownInterest","beneficialOwnershipOrControl":true},)"
                   R"({"type":"shareholding","directOrIndirect":"unknown"}])");
  auto r = import_ok(text, strict());
  auto edges = testing::find_edges(r.dataset, "bods:p", "bods:a");
  ASSERT_EQ(edges.size(), 5u);
  EXPECT_EQ(edges[0]->interest, Interest::kVotingRights);
  EXPECT_DOUBLE_EQ(edges[0]->share.min, 0.30);
  EXPECT_EQ(edges[1]->interest, Interest::kBoardAppointment);
  EXPECT_EQ(edges[2]->interest, Interest::kOtherInfluence);
  EXPECT_EQ(edges[3]->interest, Interest::kDeclaredController);
  EXPECT_EQ(edges[4]->interest, Interest::kShareholding);
  EXPECT_TRUE(edges[4]->direct);  // "unknown" stays in the graph
}

TEST(BodsImport, NegativeShareIsReportedWithFileRecordAndField) {
  const std::string text = entity("a", "A") + person("p", "P") +
                           relationship("r", "a", "\"p\"", shareholding(R"({"exact":-5})"));
  auto lenient_result = import_ok(text);
  EXPECT_TRUE(lenient_result.dataset.edges.empty());
  ASSERT_EQ(lenient_result.issues.size(), 1u);
  const auto& issue = lenient_result.issues[0];
  EXPECT_EQ(issue.severity, Severity::kError);
  EXPECT_EQ(issue.record, 3u);
  EXPECT_EQ(issue.field, "recordDetails.interests[0].share.exact");
  EXPECT_EQ(issue.to_string(),
            "bods.jsonl record 3: recordDetails.interests[0].share.exact: -5 is not a percentage "
            "in [0, 100]");

  auto strict_result = import_string(text, "bods.jsonl", Format::kBods, strict());
  ASSERT_FALSE(strict_result.has_value());  // no half dataset
  EXPECT_EQ(strict_result.error().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(strict_result.error().message(), issue.to_string());
}

TEST(BodsImport, SharesAboveOneHundredAndHugeNumbersAreRejected) {
  const std::string text =
      entity("a", "A") + person("p", "P") + person("q", "Q") + person("s", "S") +
      relationship("r1", "a", "\"p\"", shareholding(R"({"exact":150})")) +
      relationship("r2", "a", "\"q\"", shareholding(R"({"maximum":1e999})")) +
      relationship("r3", "a", "\"s\"", shareholding(R"({"minimum":60,"maximum":50})"));
  auto r = import_ok(text);
  EXPECT_TRUE(r.dataset.edges.empty());
  EXPECT_TRUE(has_issue(r,
                        "record 5: recordDetails.interests[0].share.exact: 150 is not a "
                        "percentage in [0, 100]"))
      << issues_text(r);
  EXPECT_TRUE(has_issue(r,
                        "record 6: recordDetails.interests[0].share.maximum: 1e999 is not a "
                        "representable number"))
      << issues_text(r);
  EXPECT_TRUE(has_issue(r,
                        "record 7: recordDetails.interests[0].share: empty range: minimum 60, "
                        "maximum 50"))
      << issues_text(r);
  EXPECT_EQ(r.summary.errors, 3u);
}

TEST(BodsImport, ABadInterestDropsOnlyThatInterest) {
  const std::string text = entity("a", "A") + person("p", "P") +
                           relationship("r", "a", "\"p\"",
                                        R"([{"type":"shareholding","share":{"exact":"lots"}},)"
                                        R"({"type":"votingRights","share":{"exact":50}}])");
  auto r = import_ok(text);
  ASSERT_EQ(r.dataset.edges.size(), 1u);
  EXPECT_EQ(r.dataset.edges[0].interest, Interest::kVotingRights);
  EXPECT_TRUE(
      has_issue(r, "recordDetails.interests[0].share.exact: expected a number, found string"))
      << issues_text(r);
}

TEST(BodsImport, DuplicateStatementIdsAreReported) {
  const std::string line = entity("a", "A");
  auto r = import_ok(line + line);
  EXPECT_EQ(r.dataset.entities.size(), 1u);
  EXPECT_EQ(r.summary.records_skipped, 1u);
  EXPECT_TRUE(has_issue(r,
                        "record 2: statementId: duplicate statement id 'st-a-2021-01-01-new' "
                        "(first in record 1); skipped"))
      << issues_text(r);
}

TEST(BodsImport, ReferenceLoopIsReported) {
  const std::string text =
      entity("a", "A") + relationship("r", "a", "\"a\"", shareholding(R"({"exact":10})"));
  auto r = import_ok(text);
  EXPECT_TRUE(r.dataset.edges.empty());
  EXPECT_TRUE(has_issue(r,
                        "record 2: recordDetails.interests[0]: 'bods:a' is recorded as owning "
                        "itself (a reference loop)"))
      << issues_text(r);
  EXPECT_FALSE(import_string(text, "bods.jsonl", Format::kBods, strict()).has_value());
}

TEST(BodsImport, DanglingReferencesGetAPlaceholderInLenientModeOnly) {
  const std::string text =
      entity("a", "A") + relationship("r", "a", "\"ghost\"", shareholding(R"({"exact":10})"));
  auto r = import_ok(text);
  const auto* ghost = find_entity(r.dataset, "bods:ghost");
  ASSERT_NE(ghost, nullptr);
  EXPECT_EQ(ghost->kind, EntityKind::kUnknown);
  EXPECT_EQ(r.summary.placeholders, 1u);
  EXPECT_EQ(r.dataset.edges.size(), 1u);
  EXPECT_TRUE(has_issue(r,
                        "record 2: recordDetails.interestedParty: 'ghost' refers to no "
                        "statement in this file"))
      << issues_text(r);
  auto s = import_string(text, "bods.jsonl", Format::kBods, strict());
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("'ghost' refers to no statement"), std::string::npos);
}

TEST(BodsImport, EveryReferenceToAMissingRecordIsReportedButGetsOnePlaceholder) {
  const std::string text = entity("a", "A") + entity("b", "B") +
                           relationship("r1", "a", "\"ghost\"", shareholding(R"({"exact":10})")) +
                           relationship("r2", "b", "\"ghost\"", shareholding(R"({"exact":20})"));
  auto r = import_ok(text);
  EXPECT_EQ(r.summary.placeholders, 1u);
  EXPECT_EQ(r.dataset.entities.size(), 3u);
  EXPECT_NE(edge(r.dataset, "bods:ghost", "bods:a"), nullptr);
  EXPECT_NE(edge(r.dataset, "bods:ghost", "bods:b"), nullptr);
  EXPECT_TRUE(has_issue(r, "record 3: recordDetails.interestedParty: 'ghost' refers to no"));
  EXPECT_TRUE(has_issue(r, "record 4: recordDetails.interestedParty: 'ghost' refers to no"));
}

TEST(BodsImport, ReferenceToARelationshipIsReportedAndTheRelationshipSkipped) {
  const std::string text = entity("a", "A") +
                           relationship("r1", "a", "\"a\"", shareholding(R"({"exact":10})")) +
                           relationship("r2", "a", "\"r1\"", shareholding(R"({"exact":20})"));
  auto r = import_ok(text);
  EXPECT_TRUE(r.dataset.edges.empty());
  EXPECT_TRUE(has_issue(r,
                        "record 3: recordDetails.interestedParty: 'r1' is a relationship, not an "
                        "entity or person; skipped"))
      << issues_text(r);
}

TEST(BodsImport, A04RecordAndA02StatementWithOneIdShareTheFirstEntity) {
  // Both become "bods:x": the first entity added keeps the id, and references from either
  // version reach it.
  const std::string text =
      entity("x", "From 0.4") + entity("a", "A") +
      R"({"statementID":"x","statementType":"entityStatement","entityType":"registeredEntity","name":"From 0.2"})"
      "\n"
      R"({"statementID":"b","statementType":"entityStatement","entityType":"registeredEntity","name":"B"})"
      "\n"
      R"({"statementID":"o","statementType":"ownershipOrControlStatement","subject":{"describedByEntityStatement":"b"},"interestedParty":{"describedByEntityStatement":"x"},"interests":[{"type":"shareholding","share":{"exact":30}}]})"
      "\n" +
      relationship("r", "a", "\"x\"", shareholding(R"({"exact":40})"));
  auto r = import_ok(text, strict());
  ASSERT_EQ(r.dataset.entities.size(), 3u) << issues_text(r);
  const auto* x = find_entity(r.dataset, "bods:x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->name, "From 0.4");
  ASSERT_NE(edge(r.dataset, "bods:x", "bods:b"), nullptr);
  ASSERT_NE(edge(r.dataset, "bods:x", "bods:a"), nullptr);
  EXPECT_DOUBLE_EQ(edge(r.dataset, "bods:x", "bods:b")->share.min, 0.30);
  EXPECT_DOUBLE_EQ(edge(r.dataset, "bods:x", "bods:a")->share.min, 0.40);
}

TEST(BodsImport, ARecordCannotChangeItsType) {
  const std::string text =
      entity("a", "A") +
      R"({"statementId":"st-a-person","statementDate":"2022-01-01","recordId":"a","recordStatus":"updated","recordType":"person","recordDetails":{"personType":"knownPerson"}})"
      "\n";
  auto r = import_ok(text);
  EXPECT_EQ(r.summary.records_skipped, 1u);
  ASSERT_EQ(r.dataset.entities.size(), 1u);
  EXPECT_EQ(r.dataset.entities[0].kind, EntityKind::kCompany);
  EXPECT_TRUE(has_issue(r,
                        "record 2: recordType: record 'a' is an entity (record 1) and cannot "
                        "become a person; skipped"))
      << issues_text(r);
}

TEST(BodsImport, MalformedStatementsAreSkippedAndTheRestImported) {
  const std::string text =
      entity("a", "A") +
      R"({"statementId":"x1","recordType":"entity","recordDetails":{"name":"no id"}})"
      "\n"
      R"({"statementId":"x2","recordId":"b","recordType":"annotation","recordDetails":{}})"
      "\n"
      R"({"hello":"world"})"
      "\n"
      R"({"statementId":"x3","recordId":"a","recordType":"person","recordDetails":{}})"
      "\n"
      R"({"statementId":"x4","statementDate":"yesterday","recordId":"c","recordType":"entity","recordDetails":{}})"
      "\n" +
      entity("d", "D");
  auto r = import_ok(text);
  EXPECT_EQ(r.dataset.entities.size(), 2u);
  EXPECT_EQ(r.summary.records_read, 7u);
  EXPECT_EQ(r.summary.records_skipped, 5u);
  EXPECT_TRUE(has_issue(r, "record 2: recordId: missing")) << issues_text(r);
  EXPECT_TRUE(has_issue(r,
                        "record 3: recordType: 'annotation' is not an entity, person or "
                        "relationship"));
  EXPECT_TRUE(has_issue(r, "record 4: not a BODS statement"));
  EXPECT_TRUE(has_issue(r,
                        "record 5: recordType: record 'a' is an entity (record 1) and cannot "
                        "become a person"));
  EXPECT_TRUE(has_issue(r, "record 6: statementDate: 'yesterday' is not a date"));
}

TEST(BodsImport, IssueListIsBoundedButEveryIssueIsCounted) {
  std::string text;
  for (int i = 0; i < 50; ++i)
    text += R"({"recordType":"entity"})"
            "\n";
  ImportOptions options;
  options.max_issues = 3;
  auto r = import_string(text, "bods.jsonl", Format::kBods, options);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->issues.size(), 3u);
  EXPECT_EQ(r->summary.errors, 50u);
  EXPECT_EQ(r->summary.records_skipped, 50u);
}

}  // namespace
}  // namespace pw::formats
