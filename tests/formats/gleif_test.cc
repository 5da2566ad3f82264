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

constexpr const char* kAlpha = "gleif:FIXTURE0000000ALPHA1";
constexpr const char* kBeta = "gleif:FIXTURE00000000BETA1";
constexpr const char* kMinFin = "gleif:FIXTURE000000MINFIN1";
constexpr const char* kFormer = "gleif:FIXTURE00000FORMERPA";

core::Result<ImportResult> gleif(std::string_view text, const ImportOptions& o = lenient()) {
  return import_string(text, "gleif.xml", Format::kGleif, o);
}

TEST(GleifImport, LeiRecordsBecomeEntities) {
  auto r = gleif(fixture("gleif-lei.xml"));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto& d = r->dataset;
  ASSERT_EQ(d.entities.size(), 3u) << issues_text(*r);
  const auto* alpha = find_entity(d, kAlpha);
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->name, "Alpha Holding AG");
  EXPECT_EQ(alpha->kind, EntityKind::kCompany);
  EXPECT_EQ(alpha->country, "DE");
  const std::vector<domain::Identifier> ids{{"lei", "FIXTURE0000000ALPHA1"},
                                            {"gleif-ra000242", "HRB 1234"}};
  EXPECT_EQ(alpha->identifiers, ids);
  EXPECT_EQ(alpha->source, "gleif.xml#1");
  const auto* beta = find_entity(d, kBeta);
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->name, "Beta & Co. GmbH");
  EXPECT_EQ(beta->country, "AT");  // from the subdivision code "AT-9"
  const auto* minfin = find_entity(d, kMinFin);
  ASSERT_NE(minfin, nullptr);
  EXPECT_EQ(minfin->kind, EntityKind::kStateBody);
  EXPECT_EQ(r->summary.records_ignored, 1u);
  EXPECT_TRUE(has_issue(*r,
                        "gleif.xml record 4: Registration.RegistrationStatus: registration of "
                        "FIXTURE00000ANNULLED is ANNULLED; ignored"))
      << issues_text(*r);
}

void expect_fixture_relationships(const ImportResult& r) {
  const auto& d = r.dataset;
  ASSERT_EQ(d.edges.size(), 3u) << issues_text(r);
  const auto* consolidation = edge(d, kAlpha, kBeta);
  ASSERT_NE(consolidation, nullptr);
  EXPECT_EQ(consolidation->interest, Interest::kConsolidation);
  EXPECT_TRUE(consolidation->share.is_exact());
  EXPECT_DOUBLE_EQ(consolidation->share.min, 0.60);     // from the PERCENTAGE quantifier
  EXPECT_EQ(consolidation->start, date("2019-05-01"));  // the relationship period, not accounting
  EXPECT_FALSE(consolidation->end.has_value());
  const auto* ultimate = edge(d, kMinFin, kBeta);
  ASSERT_NE(ultimate, nullptr);
  EXPECT_EQ(ultimate->interest, Interest::kUltimateParent);
  EXPECT_FALSE(ultimate->share.known);
  const auto* former = edge(d, kFormer, kAlpha);
  ASSERT_NE(former, nullptr);
  EXPECT_EQ(former->end, date("2018-06-30"));  // INACTIVE: ended by the last update
  // The LEIs have no LEI record in this input: placeholders carry the LEI for merge().
  EXPECT_EQ(r.summary.placeholders, 4u);
  const auto* beta = find_entity(d, kBeta);
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->kind, EntityKind::kCompany);
  ASSERT_EQ(beta->identifiers.size(), 1u);
  EXPECT_EQ(beta->identifiers[0].value, "FIXTURE00000000BETA1");
}

TEST(GleifImport, RelationshipRecordsFromXml) {
  auto r = gleif(fixture("gleif-rr.xml"), strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->issues.empty()) << issues_text(*r);
  expect_fixture_relationships(*r);
}

TEST(GleifImport, RelationshipRecordsFromJsonInEitherShape) {
  auto r = gleif(fixture("gleif-rr.json"), strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->issues.empty()) << issues_text(*r);
  expect_fixture_relationships(*r);
}

TEST(GleifImport, ReportingExceptionsSignalUndisclosedParents) {
  auto r = gleif(fixture("gleif-repex.xml"), strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto& d = r->dataset;
  const std::string direct = std::string(kAlpha) + "#direct-parent";
  const std::string ultimate = std::string(kAlpha) + "#ultimate-parent";
  const auto* parent = find_entity(d, direct);
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->kind, EntityKind::kUnknown);
  EXPECT_EQ(parent->name, "undisclosed direct parent (NON_PUBLIC)");
  const auto* e1 = edge(d, direct, kAlpha);
  ASSERT_NE(e1, nullptr);
  EXPECT_EQ(e1->interest, Interest::kConsolidation);
  EXPECT_FALSE(e1->share.known);
  const auto* e2 = edge(d, ultimate, kAlpha);
  ASSERT_NE(e2, nullptr);
  EXPECT_EQ(e2->interest, Interest::kUltimateParent);
  // NO_KNOWN_PERSON: there is no parent; nothing is invented.
  EXPECT_EQ(d.edges.size(), 2u);
  EXPECT_EQ(r->summary.records_ignored, 1u);

  const std::string json =
      R"([{"LEI": "FIXTURE0000000ALPHA1", "ExceptionCategory": "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT",)"
      R"( "ExceptionReason": "NO_LEI", "ContentDate": "2023-06-09T09:03:29Z"}])";
  auto j = gleif(json, strict());
  ASSERT_TRUE(j.has_value()) << j.error().to_string();
  EXPECT_EQ(j->dataset.edges.size(), 1u);
}

TEST(GleifImport, LeiRecordsInTheSameInputReplacePlaceholders) {
  const std::string text =
      R"({"LEI": "FIXTURE0000000ALPHA1", "Entity": {"LegalName": "Alpha Holding AG", "LegalJurisdiction": "DE"}})"
      "\n"
      R"({"Relationship": {"StartNode": {"NodeID": "FIXTURE00000000BETA1", "NodeIDType": "LEI"}, "EndNode": {"NodeID": "FIXTURE0000000ALPHA1", "NodeIDType": "LEI"}, "RelationshipType": "IS_DIRECTLY_CONSOLIDATED_BY", "RelationshipStatus": "ACTIVE"}})"
      "\n"
      R"({"LEI": "FIXTURE00000000BETA1", "Entity": {"LegalName": {"$": "Beta GmbH", "@xml:lang": "de"}, "LegalJurisdiction": "AT"}})"
      "\n";
  auto r = gleif(text, strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->summary.placeholders, 0u);
  EXPECT_EQ(find_entity(r->dataset, kBeta)->name, "Beta GmbH");
  EXPECT_NE(edge(r->dataset, kAlpha, kBeta), nullptr);
}

TEST(GleifImport, DoctypeAndEntitiesAreRejectedInBothModes) {
  const std::string laughs =
      R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>)"
      R"(<RelationshipData><RelationshipRecord>&lol2;</RelationshipRecord></RelationshipData>)";
  const std::string external =
      R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><LEIData>&e;</LEIData>)";
  for (const ImportOptions& o : {lenient(), strict()}) {
    for (const std::string* text : {&laughs, &external}) {
      auto r = gleif(*text, o);
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error().code(), core::Code::kInvalidArgument);
      EXPECT_NE(r.error().message().find("XML DOCTYPE declarations are not accepted"),
                std::string::npos)
          << r.error().message();
    }
  }
  auto undefined = gleif("<LEIData><LEIRecord><LEI>&foo;</LEI></LEIRecord></LEIData>");
  ASSERT_FALSE(undefined.has_value());
  EXPECT_NE(undefined.error().message().find("undefined entity"), std::string::npos)
      << undefined.error().message();
}

TEST(GleifImport, MalformedAndTruncatedXmlAreFileErrors) {
  auto bad = gleif("<LEIData>\n<LEIRecord><LEI>X</LEIRecord></LEIData>");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(),
            "gleif.xml: byte 29: XML is not well-formed at line 2, column 20: mismatched tag");
  const std::string full = fixture("gleif-rr.xml");
  auto cut = gleif(full.substr(0, full.size() / 2));
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().code(), core::Code::kDataLoss);
  EXPECT_NE(cut.error().message().find("the XML document is truncated"), std::string::npos)
      << cut.error().message();
  auto empty = gleif("  \n");
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(empty.error().message().find("the input is empty"), std::string::npos);
  auto utf8 = gleif("<LEIData><LEIRecord><LEI>\xC3\x28</LEI></LEIRecord></LEIData>");
  ASSERT_FALSE(utf8.has_value());
  EXPECT_NE(utf8.error().message().find("not well-formed (invalid token)"), std::string::npos)
      << utf8.error().message();
  auto other = gleif("<html><body/></html>");
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().message().find("root element <html> is not GLEIF"), std::string::npos);
}

TEST(GleifImport, DeepXmlIsRejected) {
  std::string deep = "<LEIData>";
  for (int i = 0; i < 1000; ++i) deep += "<a>";
  auto r = gleif(deep);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("XML nesting is deeper than 64 levels"), std::string::npos);
}

TEST(GleifImport, BadRecordsAreReportedWithTheirField) {
  const std::string text = R"(<RelationshipData>
<RelationshipRecord><Relationship>
  <StartNode><NodeID>FIXTURE00000000BETA1</NodeID><NodeIDType>BIC</NodeIDType></StartNode>
  <EndNode><NodeID>FIXTURE0000000ALPHA1</NodeID><NodeIDType>LEI</NodeIDType></EndNode>
  <RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</RelationshipType></Relationship></RelationshipRecord>
<RelationshipRecord><Relationship>
  <StartNode><NodeID>FIXTURE00000000BETA1</NodeID></StartNode>
  <EndNode><NodeID>FIXTURE0000000ALPHA1</NodeID></EndNode>
  <RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</RelationshipType>
  <RelationshipQuantifiers><RelationshipQuantifier><MeasurementMethod>ACCOUNTING_CONSOLIDATION</MeasurementMethod>
  <QuantifierAmount>150</QuantifierAmount><QuantifierUnits>PERCENTAGE</QuantifierUnits></RelationshipQuantifier>
  </RelationshipQuantifiers></Relationship></RelationshipRecord>
<RelationshipRecord><Relationship>
  <StartNode><NodeID>FIXTURE0000000ALPHA1</NodeID></StartNode>
  <EndNode><NodeID>FIXTURE0000000ALPHA1</NodeID></EndNode>
  <RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</RelationshipType></Relationship></RelationshipRecord>
<RelationshipRecord><Relationship>
  <StartNode><NodeID>not-an-lei</NodeID></StartNode>
  <EndNode><NodeID>FIXTURE0000000ALPHA1</NodeID></EndNode>
  <RelationshipType>IS_NEW_KIND_OF</RelationshipType></Relationship></RelationshipRecord>
</RelationshipData>)";
  auto r = gleif(text);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->dataset.edges.empty());
  EXPECT_TRUE(
      has_issue(*r, "gleif.xml record 1: Relationship.StartNode.NodeIDType: 'BIC' is not LEI"))
      << issues_text(*r);
  EXPECT_TRUE(has_issue(*r,
                        "record 2: Relationship.RelationshipQuantifiers.QuantifierAmount: 150 "
                        "is not a percentage in [0, 100]"));
  EXPECT_TRUE(has_issue(*r,
                        "record 3: Relationship: 'gleif:FIXTURE0000000ALPHA1' is recorded as "
                        "owning itself"));
  EXPECT_TRUE(has_issue(*r, "record 4: Relationship.StartNode.NodeID: 'NOT-AN-LEI' is not an LEI"));
  auto s = gleif(text, strict());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(),
            "gleif.xml record 1: Relationship.StartNode.NodeIDType: 'BIC' is not LEI");
}

TEST(GleifImport, ApiJsonIsNamedAsUnsupported) {
  auto r = gleif(R"({"data": [{"type": "relationship-records", "attributes": {}}]})");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(has_issue(*r, "GLEIF API JSON")) << issues_text(*r);
}

TEST(GleifImport, XmlAcrossChunkBoundaries) {
  std::string xml = "<?xml version=\"1.0\"?>\n<lei:LEIData xmlns:lei=\"urn:x\"><lei:LEIRecords>";
  for (int i = 0; i < 500; ++i) {
    char lei[21];
    std::snprintf(lei, sizeof lei, "FIXTURE%013d", i);
    xml += "<lei:LEIRecord><lei:LEI>" + std::string(lei) +
           "</lei:LEI><lei:Entity><lei:LegalName>Name &amp; " + std::to_string(i) +
           " \xC3\xA9</lei:LegalName><lei:LegalJurisdiction>FR</lei:LegalJurisdiction>"
           "</lei:Entity></lei:LEIRecord>\n";
  }
  xml += "</lei:LEIRecords></lei:LEIData>";
  ImportOptions o = strict();
  o.chunk_bytes = 4096;
  auto r = gleif(xml, o);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_EQ(r->dataset.entities.size(), 500u);
  EXPECT_EQ(r->dataset.entities[499].name, "Name & 499 \xC3\xA9");
  EXPECT_EQ(r->dataset.entities[499].source, "gleif.xml#500");
}

}  // namespace
}  // namespace pw::formats
