#include "assessment/evidence.h"

#include <gtest/gtest.h>

#include "assessment/fixtures.h"

namespace pw::assessment {
namespace {

using namespace testing;

// Q7: "Het CNCC heeft daarmee dus indirect 15,96% aan aandelen in Nuctech."
TEST(OwnershipEvidence, NuctechShowsTheChineseStateAt1596PercentThroughCnnc) {
  const Built b = build(seed_dataset(), profiles());
  ASSERT_EQ(b.matches.size(), 1u);
  EXPECT_EQ(b.matches[0].entity, "cnnc");
  EXPECT_EQ(b.matches[0].country, "CN");

  auto e = ownership_evidence(b.graph, *b.graph.find_by_id("nuctech"));
  ASSERT_TRUE(e) << e.error().to_string();
  ASSERT_EQ(e->states.size(), 1u);
  const StateFinding& cn = e->states[0];
  EXPECT_EQ(cn.country, "CN");
  EXPECT_EQ(cn.exposure.label, "CN state");
  EXPECT_EQ(cn.exposure.text, "15.96% (exact)");
  EXPECT_EQ(cn.exposure.unit, "bp");
  EXPECT_EQ(cn.exposure.min, 1596);
  EXPECT_EQ(cn.exposure.max, 1596);
  EXPECT_TRUE(cn.exact);
  EXPECT_FALSE(cn.supplier_is_member);

  ASSERT_EQ(cn.paths.size(), 1u);
  const domain::OwnershipPath& p = cn.paths[0];
  ASSERT_EQ(p.links.size(), 2u);
  EXPECT_EQ(p.links[0].owner, "cnnc");
  EXPECT_EQ(p.links[0].owned, "tongfang");
  EXPECT_EQ(p.links[0].min_bp, 2100);
  EXPECT_EQ(p.links[1].owned, "nuctech");
  EXPECT_EQ(p.links[1].share, "76%");
  EXPECT_EQ(p.product_min_bp, 1596);
  EXPECT_EQ(p.text,
            "China National Nuclear Corporation -21%-> Tongfang Co., Ltd. -76%-> Nuctech Company "
            "Limited = 15.96%");

  ASSERT_TRUE(cn.control);
  EXPECT_EQ(cn.control->controller, "cnnc");
  EXPECT_EQ(cn.control->controls, "no");
  EXPECT_EQ(cn.control->weakest_link.text, "21% (exact)");
  EXPECT_EQ(cn.control->weakest_link.min, 2100);
  EXPECT_EQ(cn.control->majority[0], "majority chain (>50%): no");
  EXPECT_EQ(cn.control->majority[2], "majority chain (>20%): yes");
  EXPECT_EQ(cn.control->declared, "no");
  EXPECT_EQ(cn.control->summary,
            "economic 15.96%, weakest link 21%, no majority chain (>50%), no declared control");

  // Tongfang (CN) holds a majority of Nuctech: a controller from China.
  ASSERT_EQ(e->controllers.size(), 1u);
  EXPECT_EQ(e->controllers[0].controller, "tongfang");
  EXPECT_EQ(e->controllers[0].country, "CN");
  EXPECT_EQ(e->controllers[0].controls, "yes");

  // 24% of Nuctech and 79% of Tongfang have owners the data does not name.
  bool nuctech_gap = false;
  for (const std::string& g : e->gaps) {
    nuctech_gap = nuctech_gap || g == "undisclosed owners: 24% of Nuctech Company Limited";
  }
  EXPECT_TRUE(nuctech_gap);
}

// The brief's variant: CNNC already a state body of CN in the data; same figure, no grouping.
TEST(OwnershipEvidence, AStateBodyInTheDataNeedsNoProfile) {
  domain::OwnershipDataset ds = seed_dataset();
  ds.entities[1].kind = domain::EntityKind::kStateBody;
  const Built b = build(ds, domain::CountryProfiles{});
  EXPECT_TRUE(b.matches.empty());
  auto e = ownership_evidence(b.graph, *b.graph.find_by_id("nuctech"));
  ASSERT_TRUE(e);
  ASSERT_EQ(e->states.size(), 1u);
  EXPECT_EQ(e->states[0].exposure.min, 1596);
}

TEST(OwnershipEvidence, WithoutGroupingCnncIsNotTheState) {
  auto g = ownership::Graph::build(seed_dataset(), kAsOf);
  ASSERT_TRUE(g);
  auto e = ownership_evidence(*g, *g->find_by_id("nuctech"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->states.empty());  // PRC -> CNNC is influence, not equity
}

TEST(OwnershipEvidence, RangesAndUnknownSharesAreShownAsSuch) {
  domain::OwnershipDataset ds = seed_dataset();
  ds.edges[1].share = domain::Share::range(0.2, 0.3);
  const Built b = build(ds, profiles());
  auto e = ownership_evidence(b.graph, *b.graph.find_by_id("nuctech"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->states[0].exposure.text, "15.2%-22.8% (range)");
  EXPECT_EQ(e->states[0].exposure.min, 1520);
  EXPECT_EQ(e->states[0].exposure.max, 2280);
  EXPECT_FALSE(e->states[0].exact);

  ds.edges[1].share = domain::Share::unknown();
  const Built u = build(ds, profiles());
  auto eu = ownership_evidence(u.graph, *u.graph.find_by_id("nuctech"));
  ASSERT_TRUE(eu);
  EXPECT_FALSE(eu->states[0].known);
  EXPECT_EQ(eu->states[0].exposure.text.rfind("unknown (", 0), 0u) << eu->states[0].exposure.text;
}

TEST(StateBodies, MatchByIdentifierAndRespectCountry) {
  domain::CountryProfiles p = profiles();
  p.countries[0].state_bodies[0].names.clear();
  p.countries[0].state_bodies[0].identifiers = {{"lei", "CNNC-LEI"}};
  domain::OwnershipDataset ds = seed_dataset();
  ds.entities[1].identifiers = {{"lei", "CNNC-LEI"}};
  auto m = group_state_bodies(ds, p);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].matched, "identifier lei:CNNC-LEI");
  EXPECT_EQ(ds.entities[1].kind, domain::EntityKind::kStateBody);

  domain::OwnershipDataset other = seed_dataset();
  other.entities[1].country = "FR";  // same name, another country: not the Chinese body
  EXPECT_TRUE(group_state_bodies(other, profiles()).empty());
}

TEST(AccessEvidence, ReadsReachServerRoomsCamerasAndScreenings) {
  const domain::Register reg = site();
  const AccessEvidence a = access_evidence(reg, "nuctech", kAsOf);
  EXPECT_TRUE(a.in_register);
  EXPECT_EQ(a.assets.size(), 5u);
  EXPECT_EQ(a.high, 5);
  EXPECT_EQ(a.scanners.size(), 4u);
  EXPECT_EQ(a.remote_into_closed.size(), 4u);
  EXPECT_TRUE(a.remote_without_policy.empty());
  ASSERT_EQ(a.policies.size(), 1u);
  EXPECT_EQ(a.policies[0].max_session_minutes, 240);
  EXPECT_EQ(a.server_room_assets, std::vector<std::string>{"nt-server"});
  EXPECT_EQ(a.shared_server_rooms, std::vector<std::string>{"srv"});  // Q11
  EXPECT_EQ(a.unwatched_scanners, std::vector<std::string>{"scan-4"});
  EXPECT_EQ(a.technicians, 1);
  EXPECT_EQ(a.technicians_screened, 1);
  EXPECT_EQ(access_evidence(reg, "nuctech", day("2022-06-01")).technicians_screened, 0);
  EXPECT_EQ(a.channels, (std::vector<domain::AccessChannel>{
                            domain::AccessChannel::kRemote, domain::AccessChannel::kServerRoom,
                            domain::AccessChannel::kOnSite, domain::AccessChannel::kSoftware,
                            domain::AccessChannel::kPersonnel}));
  EXPECT_FALSE(access_evidence(reg, "nobody", kAsOf).in_register);
}

}  // namespace
}  // namespace pw::assessment
