#pragma once
// Test inputs for the assessment: the seed's ownership chain (Q7: CNNC 21% of Tongfang, Tongfang
// 76% of Nuctech), a small site register around it (Q4: Nuctech scanners on the closed network;
// Q11: a server room shared by vendors; Q12: cameras, a server room the operator opens), and
// country profiles for CN, NL and US. Everything beyond the seed's facts is fictional.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "assessment/evaluate.h"
#include "assessment/fingerprint.h"
#include "assessment/state_bodies.h"
#include "domain/country.h"
#include "domain/ownership.h"
#include "domain/register.h"
#include "ownership/graph.h"

namespace pw::assessment::testing {

inline domain::Date day(const char* iso) {
  return *domain::parse_date(iso);
}
inline const domain::Date kAsOf = day("2021-04-19");

// As the seed's BODS fixture has it: the People's Republic a state, CNNC an ordinary company
// with only an influence link to it, so the country profile must group CNNC with the state.
inline domain::OwnershipDataset seed_dataset() {
  domain::OwnershipDataset ds;
  auto entity = [&](std::string id, domain::EntityKind kind, std::string name) {
    domain::Entity e;
    e.id = std::move(id);
    e.kind = kind;
    e.name = std::move(name);
    e.country = "CN";
    ds.entities.push_back(std::move(e));
  };
  auto edge = [&](std::string owner, std::string owned, domain::Share share,
                  domain::Interest interest = domain::Interest::kShareholding) {
    domain::Edge e;
    e.owner = std::move(owner);
    e.owned = std::move(owned);
    e.share = share;
    e.interest = interest;
    ds.edges.push_back(std::move(e));
  };
  entity("prc", domain::EntityKind::kState, "People's Republic of China");
  entity("cnnc", domain::EntityKind::kCompany, "China National Nuclear Corporation");
  entity("tongfang", domain::EntityKind::kCompany, "Tongfang Co., Ltd.");
  entity("nuctech", domain::EntityKind::kCompany, "Nuctech Company Limited");
  edge("prc", "cnnc", domain::Share::unknown(), domain::Interest::kOtherInfluence);
  edge("cnnc", "tongfang", domain::Share::exact(0.21));
  edge("tongfang", "nuctech", domain::Share::exact(0.76));
  return ds;
}

inline domain::StatementBasis basis(const char* summary, const char* title, const char* as_of,
                                    domain::Confidence c = domain::Confidence::kHigh) {
  return {summary, c, {{title, "", day(as_of)}}};
}

inline domain::CountryProfiles profiles() {
  domain::CountryProfiles p;
  domain::CountryProfile cn;
  cn.code = "CN";
  cn.name = "People's Republic of China";
  cn.cooperation_law = {domain::CooperationLaw::kGeneral,
                        "National Intelligence Law of the People's Republic of China (2017)",
                        "art. 7",
                        basis("Organisations and citizens shall support, assist and cooperate "
                              "with national intelligence work.",
                              "National Intelligence Law", "2017-06-28")};
  cn.offensive_programme = {domain::ThreatFinding::kNamed,
                            basis("Named among the largest threats.", "DBSA 2021", "2021-02-03")};
  cn.relations = {domain::Relations::kNormal, basis("Diplomatic relations.", "Test", "2021-04-19")};
  domain::StateBodyPattern cnnc;
  cnnc.name = "China National Nuclear Corporation";
  cnnc.names = {"China National Nuclear Corporation"};
  cnnc.basis =
      basis("A state-owned company (Q7: 'het staatsbedrijf').", "Kamervragen", "2021-04-19");
  cn.state_bodies.push_back(cnnc);
  p.countries.push_back(cn);

  for (const char* code : {"NL", "US"}) {
    domain::CountryProfile c;
    c.code = code;
    c.name = code;
    c.cooperation_law = {domain::CooperationLaw::kSectoral, "Lawful interception law", "",
                         basis("Communication providers only.", "Test", "2021-01-01")};
    c.offensive_programme = {domain::ThreatFinding::kNotNamed,
                             basis("Not named.", "DBSA 2021", "2021-02-03")};
    c.relations = {domain::Relations::kAllied, basis("Allies.", "Test", "2021-01-01")};
    p.countries.push_back(c);
  }
  return p;
}

inline domain::Register site() {
  using domain::AssetKind;
  domain::Register r;
  r.organisations = {
      {"customs", "Douane Nederland", domain::OrgKind::kCustoms, "NL", "", {}, "seed Q4"},
      {"nuctech",
       "Nuctech Company Limited",
       domain::OrgKind::kVendor,
       "CN",
       "nuctech",
       {},
       "seed Q4"},
      {"acme", "Acme Scan Inc.", domain::OrgKind::kVendor, "US", "", {}, "fictional"},
  };
  r.sites = {{"mv", "Maasvlakte customs office", domain::SiteKind::kCustomsOffice, "", "customs",
              "seed Q12"}};
  r.rooms = {{"srv", "Server room", "mv", domain::RoomKind::kServerRoom, "seed Q11"}};
  r.zones = {{"closed", "Closed scan network", domain::ZoneKind::kClosedScan, false, "seed Q9"},
             {"dmz", "Vendor DMZ", domain::ZoneKind::kVendorDmz, true, "fictional"}};
  auto asset = [&](std::string id, AssetKind kind, std::string vendor, std::string room,
                   std::string zone, bool remote, domain::Criticality c, std::string watches = "") {
    domain::Asset a;
    a.id = std::move(id);
    a.kind = kind;
    a.name = a.id;
    a.vendor = std::move(vendor);
    a.site = "mv";
    a.room = std::move(room);
    a.zone = std::move(zone);
    a.remote_capable = remote;
    a.criticality = c;
    a.watches = std::move(watches);
    r.assets.push_back(std::move(a));
  };
  const auto high = domain::Criticality::kHigh;
  for (const char* s : {"scan-1", "scan-2", "scan-3", "scan-4"}) {
    asset(s, AssetKind::kScanner, "nuctech", "", "closed", true, high);
  }
  asset("nt-server", AssetKind::kServer, "nuctech", "srv", "closed", false, high);
  asset("acme-server", AssetKind::kServer, "acme", "srv", "closed", false,
        domain::Criticality::kMedium);
  asset("gw", AssetKind::kGateway, "", "srv", "closed", false, high);
  for (const char* s : {"scan-1", "scan-2", "scan-3"}) {
    asset(std::string("cam-") + s, AssetKind::kCamera, "", "", "", false, domain::Criticality::kLow,
          s);
  }
  domain::RemoteAccessPolicy pol;
  pol.id = "pol-nuctech";
  pol.vendor = "nuctech";
  pol.gateway = "gw";
  pol.supervised = true;
  pol.recorded = true;
  pol.max_session_minutes = 240;
  r.remote_access_policies.push_back(pol);
  r.people = {
      {"ana", "Ana Analyst", "customs", {domain::Role::kAnalyst}, "fictional"},
      {"bob", "Bob Reviewer", "customs", {domain::Role::kAnalyst}, "fictional"},
      {"cas", "Cas Coauthor", "customs", {domain::Role::kAnalyst}, "fictional"},
      {"tom", "Tom Technician", "nuctech", {domain::Role::kTechnician}, "fictional"},
      {"ola", "Ola Operator", "customs", {domain::Role::kCustomsOperator}, "fictional"},
      {"nia", "Nia Insider", "nuctech", {domain::Role::kAnalyst}, "fictional"},
  };
  r.screenings = {{"vog-tom", "tom", domain::ScreeningKind::kVog, day("2020-06-01"),
                   day("2022-06-01"), "VOG-1", "fictional"}};
  return r;
}

// A graph of the seed built the way the app should: group state bodies, then build.
struct Built {
  ownership::Graph graph;
  std::vector<StateBodyMatch> matches;
};
inline Built build(domain::OwnershipDataset ds, const domain::CountryProfiles& p) {
  std::vector<StateBodyMatch> matches = group_state_bodies(ds, p);
  auto g = ownership::Graph::build(std::move(ds), kAsOf);
  if (!g) {
    ADD_FAILURE() << g.error().to_string();
    std::abort();
  }
  return {std::move(*g), std::move(matches)};
}

inline Inputs inputs_for(const domain::Register& reg, std::string_view supplier, const Built* built,
                         std::vector<domain::MitigationState> mitigations = {}) {
  auto in = gather_inputs(reg, supplier, built ? &built->graph : nullptr,
                          built ? built->matches : std::vector<StateBodyMatch>{},
                          std::move(mitigations), kAsOf);
  if (!in) {
    ADD_FAILURE() << in.error().to_string();
    std::abort();
  }
  return std::move(*in);
}

inline std::string fingerprint(const Inputs& in, const domain::CountryProfiles& p) {
  auto f = inputs_fingerprint(in, p);
  if (!f) {
    ADD_FAILURE() << f.error().to_string();
    std::abort();
  }
  return *f;
}

inline domain::MitigationState mitigation(std::string id, domain::MitigationStatus s) {
  domain::MitigationState m;
  m.id = std::move(id);
  m.status = s;
  return m;
}

inline bool mentions(const domain::CriterionResult& r, std::string_view text) {
  for (const domain::Evidence& e : r.evidence) {
    if (e.text.find(text) != std::string::npos) return true;
    for (const auto& p : e.paths) {
      if (p.text.find(text) != std::string::npos) return true;
    }
  }
  return false;
}

}  // namespace pw::assessment::testing
