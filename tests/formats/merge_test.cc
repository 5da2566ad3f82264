#include "formats/merge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/import.h"
#include "formats_test_util.h"

namespace pw::formats {
namespace {

using domain::EntityKind;
using domain::Interest;
using testing::edge;
using testing::find_entity;
using testing::fixture;
using testing::strict;

domain::OwnershipDataset load(const std::string& name, Format format) {
  auto r = import_string(fixture(name), name, format, strict());
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().to_string());
  return r ? std::move(r->dataset) : domain::OwnershipDataset{};
}

domain::Entity entity(std::string id, EntityKind kind, std::vector<domain::Identifier> ids = {},
                      std::string name = "", std::string country = "") {
  domain::Entity e;
  e.id = std::move(id);
  e.kind = kind;
  e.identifiers = std::move(ids);
  e.name = std::move(name);
  e.country = std::move(country);
  return e;
}

domain::Edge stake(std::string owner, std::string owned, double share) {
  domain::Edge e;
  e.owner = std::move(owner);
  e.owned = std::move(owned);
  e.share = domain::Share::exact(share);
  return e;
}

TEST(Merge, BodsAndFtmNuctechChainsJoinOnLei) {
  std::vector<domain::OwnershipDataset> in{load("nuctech-bods-0.4.json", Format::kBods),
                                           load("nuctech-ftm.jsonl", Format::kFtm)};
  MergeResult m = merge(in);
  // CNNC, Tongfang and Nuctech carry the same LEIs in both sources; the two state entities
  // have no identifier in common and stay apart.
  EXPECT_EQ(m.entities_unified, 3u);
  EXPECT_EQ(m.dataset.entities.size(), 5u);
  const auto* cnnc = find_entity(m.dataset, "bods:cnnc");
  ASSERT_NE(cnnc, nullptr);
  EXPECT_EQ(cnnc->identifiers.size(), 1u);
  EXPECT_EQ(cnnc->source, "nuctech-bods-0.4.json#2; nuctech-ftm.jsonl#2");
  EXPECT_EQ(find_entity(m.dataset, "ftm:pw-fixture-cnnc"), nullptr);
  // 21% and 76% are stated by both: kept once, not summed.
  EXPECT_EQ(m.duplicate_edges_dropped, 2u);
  const auto* e21 = edge(m.dataset, "bods:cnnc", "bods:tongfang");
  ASSERT_NE(e21, nullptr);
  EXPECT_DOUBLE_EQ(e21->share.min, 0.21);
  const auto* e76 = edge(m.dataset, "bods:tongfang", "bods:nuctech");
  ASSERT_NE(e76, nullptr);
  EXPECT_TRUE(m.conflicts.empty());
  // The FtM state's edge now points at the unified CNNC.
  EXPECT_NE(edge(m.dataset, "ftm:pw-fixture-prc", "bods:cnnc"), nullptr);
}

TEST(Merge, GleifPlaceholdersJoinTheirLeiRecordsById) {
  std::vector<domain::OwnershipDataset> in{load("gleif-rr.xml", Format::kGleif),
                                           load("gleif-lei.xml", Format::kGleif)};
  MergeResult m = merge(in);
  const auto* beta = find_entity(m.dataset, "gleif:FIXTURE00000000BETA1");
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->name, "Beta & Co. GmbH");  // the placeholder had no name
  const auto* minfin = find_entity(m.dataset, "gleif:FIXTURE000000MINFIN1");
  ASSERT_NE(minfin, nullptr);
  // The placeholder said company, the LEI record a government entity: the state-like kind wins.
  EXPECT_EQ(minfin->kind, EntityKind::kStateBody);
  ASSERT_EQ(m.conflicts.size(), 1u);
  EXPECT_TRUE(m.conflicts[0].resolved);
  EXPECT_EQ(m.conflicts[0].message,
            "kinds company, state_body for one entity; unified as state_body");
  EXPECT_EQ(m.dataset.edges.size(), 3u);
}

TEST(Merge, APersonAndACompanyAreNeverUnified) {
  domain::OwnershipDataset a, b;
  a.entities.push_back(entity("x:1", EntityKind::kPerson, {{"gb-coh", "123"}}));
  b.entities.push_back(entity("y:1", EntityKind::kCompany, {{"GB-COH", " 123 "}}));
  b.entities.push_back(entity("y:2", EntityKind::kCompany));
  b.edges.push_back(stake("y:2", "y:1", 0.5));
  std::vector<domain::OwnershipDataset> in{a, b};
  MergeResult m = merge(in);
  EXPECT_EQ(m.dataset.entities.size(), 3u);
  ASSERT_EQ(m.conflicts.size(), 1u);
  EXPECT_FALSE(m.conflicts[0].resolved);
  EXPECT_EQ(m.conflicts[0].key, "gb-coh:123");
  EXPECT_NE(edge(m.dataset, "y:2", "y:1"), nullptr);
}

TEST(Merge, ConflictingStakesKeepTheEarlierDatasetAndSayWhy) {
  domain::OwnershipDataset a, b;
  for (auto* d : {&a, &b}) {
    d->entities.push_back(entity("o", EntityKind::kCompany));
    d->entities.push_back(entity("t", EntityKind::kCompany));
  }
  a.edges.push_back(stake("o", "t", 0.21));
  b.edges.push_back(stake("o", "t", 0.20));
  // A stake in another period is a different fact and is kept.
  domain::Edge older = stake("o", "t", 0.10);
  older.end = domain::parse_date("2000-01-01").value();
  a.edges.back().start = domain::parse_date("2005-01-01").value();
  b.edges.push_back(older);
  std::vector<domain::OwnershipDataset> in{a, b};
  MergeResult m = merge(in);
  EXPECT_EQ(m.entities_unified, 2u);
  ASSERT_EQ(m.dataset.edges.size(), 2u);
  EXPECT_DOUBLE_EQ(m.dataset.edges[0].share.min, 0.21);
  EXPECT_DOUBLE_EQ(m.dataset.edges[1].share.min, 0.10);
  ASSERT_EQ(m.conflicts.size(), 1u);
  EXPECT_EQ(m.conflicts[0].message,
            "shareholding stated as 21% by dataset 0 and as 20% by dataset 1; kept dataset 0's");
}

TEST(Merge, UnifyingTwoEndsOfAnEdgeDropsTheLoop) {
  domain::OwnershipDataset a;
  a.entities.push_back(entity("a", EntityKind::kCompany, {{"lei", "AAAAAAAAAAAAAAAAAAAA"}}));
  a.entities.push_back(entity("b", EntityKind::kCompany, {{"lei", "aaaaaaaaaaaaaaaaaaaa"}}));
  a.edges.push_back(stake("a", "b", 1.0));
  std::vector<domain::OwnershipDataset> in{a};
  MergeResult m = merge(in);
  EXPECT_EQ(m.dataset.entities.size(), 1u);  // LEIs are case-insensitive
  EXPECT_TRUE(m.dataset.edges.empty());
  ASSERT_EQ(m.conflicts.size(), 1u);
  EXPECT_NE(m.conflicts[0].message.find("own itself"), std::string::npos);
}

TEST(Merge, UnknownKindAndMissingFieldsYieldToKnownOnes) {
  domain::OwnershipDataset a, b;
  a.entities.push_back(entity("a", EntityKind::kUnknown, {{"lei", "L1"}}));
  b.entities.push_back(entity("b", EntityKind::kPerson, {{"lei", "L1"}}, "Pat", "GB"));
  b.entities.push_back(entity("c", EntityKind::kPerson, {{"lei", "L1"}}, "Pat D.", "IE"));
  std::vector<domain::OwnershipDataset> in{a, b};
  MergeResult m = merge(in);
  ASSERT_EQ(m.dataset.entities.size(), 1u);
  const auto& e = m.dataset.entities[0];
  EXPECT_EQ(e.id, "a");
  EXPECT_EQ(e.kind, EntityKind::kPerson);
  EXPECT_EQ(e.name, "Pat");
  EXPECT_EQ(e.country, "GB");
  ASSERT_EQ(m.conflicts.size(), 1u);
  EXPECT_EQ(m.conflicts[0].message, "countries GB and IE for one entity; kept GB");
}

}  // namespace
}  // namespace pw::formats
