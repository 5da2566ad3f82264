// The importers against published data (../shared/testdata, see SOURCES.md there): the Open
// Ownership BODS 0.4 example packages and GLEIF golden-copy samples (LEI, relationship and
// reporting-exception records, XML and JSON). Every file must import in lenient mode without
// an error; a few facts each example is known to state are checked.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "domain/ownership.h"
#include "formats/import.h"
#include "formats/merge.h"
#include "support/test_support.h"

namespace pw::formats {
namespace {

using domain::EntityKind;
using domain::Interest;

class FormatsConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = pw::testing::testdata_dir();
    if (dir_.empty()) GTEST_SKIP() << "public conformance data not found (set PW_TESTDATA_DIR)";
    if (!std::filesystem::is_directory(dir_ / "bods") ||
        !std::filesystem::is_directory(dir_ / "gleif")) {
      GTEST_SKIP() << "no bods/ or gleif/ folder in " << dir_;
    }
  }

  ImportResult load(const std::string& relative, Format format) {
    auto r = import_file((dir_ / relative).string(), format, ImportOptions{});
    EXPECT_TRUE(r.has_value()) << relative << ": " << (r ? "" : r.error().to_string());
    return r ? std::move(*r) : ImportResult{};
  }

  std::vector<std::filesystem::path> files(const std::string& folder) {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / folder)) {
      if (entry.is_regular_file()) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::filesystem::path dir_;
};

const domain::Entity* entity(const domain::OwnershipDataset& d, const std::string& id) {
  for (const auto& e : d.entities) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::vector<const domain::Edge*> edges(const domain::OwnershipDataset& d, const std::string& owner,
                                       const std::string& owned) {
  std::vector<const domain::Edge*> out;
  for (const auto& e : d.edges) {
    if (e.owner == owner && e.owned == owned) out.push_back(&e);
  }
  return out;
}

std::string issues_of(const ImportResult& r) {
  std::string out;
  for (const auto& i : r.issues) out += "  " + i.to_string() + "\n";
  return out;
}

TEST_F(FormatsConformance, EveryBodsExampleImportsWithoutErrors) {
  const auto paths = files("bods");
  ASSERT_FALSE(paths.empty());
  for (const auto& path : paths) {
    auto r = load("bods/" + path.filename().string(), Format::kBods);
    EXPECT_EQ(r.summary.errors, 0u) << path.filename() << "\n" << issues_of(r);
    EXPECT_GT(r.summary.entities, 0u) << path.filename();
    // The examples only reference records they contain.
    EXPECT_EQ(r.summary.placeholders, 0u) << path.filename();
  }
}

TEST_F(FormatsConformance, EveryGleifSampleImportsWithoutErrors) {
  const auto paths = files("gleif");
  ASSERT_FALSE(paths.empty());
  for (const auto& path : paths) {
    auto r = load("gleif/" + path.filename().string(), Format::kGleif);
    EXPECT_EQ(r.summary.errors, 0u) << path.filename() << "\n" << issues_of(r);
    EXPECT_GT(r.summary.records_read, 0u) << path.filename();
  }
}

// bods-package-fi-soe.json: Gasgrid Finland Oy is 76.5% held by Suomen Kaasuverkko Oy, which
// the Ministry of Finance holds 100%, and 23.5% held by the ministry directly; the ministry is a
// body of the Finnish state, which the package also states as a 100% indirect owner.
TEST_F(FormatsConformance, FinnishStateOwnedEnterprise) {
  auto r = load("bods/bods-package-fi-soe.json", Format::kBods);
  const auto& d = r.dataset;
  const std::string gasgrid = "bods:19f1c5afe9d7", kaasuverkko = "bods:0199c515a699",
                    ministry = "bods:7ff95ba3682c", state = "bods:05ce06ec97b1";
  ASSERT_NE(entity(d, gasgrid), nullptr);
  EXPECT_EQ(entity(d, gasgrid)->name, "Gasgrid Finland Oy");
  EXPECT_EQ(entity(d, gasgrid)->identifiers.at(0), (domain::Identifier{"fi-pro", "3007894-1"}));
  ASSERT_NE(entity(d, ministry), nullptr);
  EXPECT_EQ(entity(d, ministry)->kind, EntityKind::kStateBody);
  EXPECT_EQ(entity(d, ministry)->country, "FI");
  ASSERT_NE(entity(d, state), nullptr);
  EXPECT_EQ(entity(d, state)->kind, EntityKind::kState);
  EXPECT_EQ(entity(d, state)->country, "FI");

  auto one = [&](const std::string& owner, const std::string& owned) {
    auto e = edges(d, owner, owned);
    EXPECT_EQ(e.size(), 1u) << owner << " -> " << owned;
    return e.empty() ? domain::Edge{} : *e[0];
  };
  const domain::Edge via = one(kaasuverkko, gasgrid);
  const domain::Edge parent = one(ministry, kaasuverkko);
  const domain::Edge direct = one(ministry, gasgrid);
  EXPECT_DOUBLE_EQ(via.share.min, 0.765);
  EXPECT_DOUBLE_EQ(parent.share.min, 1.0);
  EXPECT_DOUBLE_EQ(direct.share.min, 0.235);
  for (const auto& e : {via, parent, direct}) {
    EXPECT_TRUE(e.direct);
    EXPECT_EQ(e.interest, Interest::kShareholding);
    EXPECT_EQ(e.start, domain::parse_date("2020-01-01").value());
  }
  // The ministry's exposure through both paths is the whole company.
  EXPECT_DOUBLE_EQ(parent.share.min * via.share.min + direct.share.min, 1.0);

  const domain::Edge control = one(state, ministry);
  EXPECT_EQ(control.interest, Interest::kOtherInfluence);
  EXPECT_FALSE(control.share.known);
  const domain::Edge summary = one(state, gasgrid);
  EXPECT_FALSE(summary.direct);  // an indirect statement: explanation, never summed
  EXPECT_DOUBLE_EQ(summary.share.min, 1.0);
}

// fermcat.json: three rounds of updates; the latest statement of each record wins.
TEST_F(FormatsConformance, FermcatUpdatesOverTime) {
  auto r = load("bods/fermcat.json", Format::kBods);
  const auto& d = r.dataset;
  EXPECT_EQ(r.summary.records_superseded, 23u - 7u) << issues_of(r);
  const std::string company = "bods:ent-93c75c87ab28f889";
  // The remaining shareholder holds 100% since the 2022 update.
  auto kept = edges(d, "bods:per-41c0bb0cef246f7c", company);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0]->interest, Interest::kShareholding);
  EXPECT_DOUBLE_EQ(kept[0]->share.min, 1.0);
  EXPECT_FALSE(kept[0]->end.has_value());
  // The first co-owner left on 2021-04-03 (the interests' endDate).
  auto left = edges(d, "bods:per-5faa4103dee78621", company);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0]->end, domain::parse_date("2021-04-03").value());
  // The second co-owner's closing statement gives an endDate of 2022-01-21.
  auto second = edges(d, "bods:per-e334cc6258e56467", company);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]->end, domain::parse_date("2022-01-21").value());
  EXPECT_FALSE(second[0]->valid_on(domain::parse_date("2022-06-01").value()));
}

// tecido.json: a shareholding that falls from 100% to 40% to 30% before the record is closed.
TEST_F(FormatsConformance, TecidoClosedRelationshipEndsOnItsClosingDate) {
  auto r = load("bods/tecido.json", Format::kBods);
  auto closed = edges(r.dataset, "bods:018AF6B3EB", "bods:01B68D7633");
  ASSERT_EQ(closed.size(), 3u);
  for (const auto* e : closed) EXPECT_EQ(e->end, domain::parse_date("2023-03-03").value());
  auto trust = edges(r.dataset, "bods:033E84672B", "bods:01B68D7633");
  ASSERT_EQ(trust.size(), 2u);
  EXPECT_DOUBLE_EQ(trust[0]->share.min, 0.80);
  EXPECT_EQ(trust[0]->start, domain::parse_date("2023-03-01").value());
}

TEST_F(FormatsConformance, RangesAndUnspecifiedParties) {
  auto range = load("bods/bods-package-entity-owning-entity.json", Format::kBods);
  auto e = edges(range.dataset, "bods:e83cce729ada", "bods:12b7dd0770ce");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_DOUBLE_EQ(e[0]->share.min, 0.75);
  EXPECT_FALSE(e[0]->share.min_exclusive);
  EXPECT_DOUBLE_EQ(e[0]->share.max, 1.0);
  EXPECT_TRUE(e[0]->share.max_exclusive);

  auto exempt = load("bods/listed-company-exempt-from-disclosure.json", Format::kBods);
  const auto* unknown = entity(exempt.dataset, "bods:fa402c4818f9#unspecified");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->kind, EntityKind::kUnknown);
  EXPECT_EQ(edges(exempt.dataset, unknown->id, "bods:4c7ea3bfbe6c").size(), 1u);

  auto trust = load("bods/levent.json", Format::kBods);
  EXPECT_EQ(entity(trust.dataset, "bods:81337a6e")->kind, EntityKind::kUnknown);  // anonymous
}

TEST_F(FormatsConformance, GleifRelationshipsReadTheSameFromXmlAndJson) {
  auto xml = load("gleif/rr-data.xml", Format::kGleif);
  auto json = load("gleif/rr-data.json", Format::kGleif);
  ASSERT_EQ(xml.summary.records_read, 10u);
  ASSERT_EQ(xml.dataset.edges.size(), json.dataset.edges.size());
  for (std::size_t i = 0; i < xml.dataset.edges.size(); ++i) {
    const auto& a = xml.dataset.edges[i];
    const auto& b = json.dataset.edges[i];
    EXPECT_EQ(a.owner, b.owner);
    EXPECT_EQ(a.owned, b.owned);
    EXPECT_EQ(a.interest, b.interest);
    EXPECT_EQ(a.start, b.start);
    EXPECT_EQ(a.end, b.end);
  }
  const auto& d = xml.dataset;
  auto fund = edges(d, "gleif:5493001Z012YSB2A0K51", "gleif:001GPB6A9XPE8XJICC14");
  ASSERT_EQ(fund.size(), 1u);
  EXPECT_EQ(fund[0]->interest, Interest::kOtherInfluence);  // IS_FUND-MANAGED_BY
  auto direct = edges(d, "gleif:ZZG38T0MDR3QY1ETUA76", "gleif:010CMKZ3VON21WF2ZD45");
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct[0]->interest, Interest::kConsolidation);
  EXPECT_FALSE(direct[0]->share.known);
  EXPECT_EQ(direct[0]->start, domain::parse_date("2018-02-06").value());
  auto ultimate = edges(d, "gleif:3C7474T6CDKPR9K6YT90", "gleif:010CMKZ3VON21WF2ZD45");
  ASSERT_EQ(ultimate.size(), 1u);
  EXPECT_EQ(ultimate[0]->interest, Interest::kUltimateParent);
}

TEST_F(FormatsConformance, GleifLevelOneAndTwoJoin) {
  auto lei_xml = load("gleif/lei-data.xml", Format::kGleif);
  auto lei_json = load("gleif/lei-data.json", Format::kGleif);
  EXPECT_EQ(lei_xml.dataset.entities.size(), lei_json.dataset.entities.size());
  const auto* fund = entity(lei_xml.dataset, "gleif:001GPB6A9XPE8XJICC14");
  ASSERT_NE(fund, nullptr);
  EXPECT_EQ(fund->name, "Fidelity Advisor Leveraged Company Stock Fund");
  EXPECT_EQ(fund->country, "US");

  auto rr = load("gleif/rr-data.xml", Format::kGleif);
  auto repex = load("gleif/repex-data.xml", Format::kGleif);
  std::vector<domain::OwnershipDataset> in{lei_xml.dataset, rr.dataset, repex.dataset};
  MergeResult m = merge(in);
  const auto* joined = entity(m.dataset, "gleif:001GPB6A9XPE8XJICC14");
  ASSERT_NE(joined, nullptr);
  EXPECT_EQ(joined->name, "Fidelity Advisor Leveraged Company Stock Fund");
  EXPECT_EQ(m.dataset.edges.size(), rr.dataset.edges.size() + repex.dataset.edges.size());

  // Reporting exceptions: only NON_PUBLIC signals an undisclosed parent in the sample.
  EXPECT_EQ(repex.summary.records_read, 10u);
  ASSERT_EQ(repex.dataset.edges.size(), 1u);
  EXPECT_EQ(repex.dataset.edges[0].owner, "gleif:01370W6ZIY66KQ4J3570#direct-parent");
  EXPECT_EQ(repex.summary.records_ignored, 9u);
}

}  // namespace
}  // namespace pw::formats
