// The demo scenario examples/rotterdam/ (issue 4, item 6): it loads, it says what the source
// document says, and it holds the deliberate weak spots the topology checks are to find.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "core/clock.h"
#include "domain/register.h"
#include "formats/import.h"
#include "formats/inventory.h"
#include "formats_test_util.h"
#include "support/test_support.h"

namespace pw::formats {
namespace {

namespace fs = std::filesystem;
using domain::AssetKind;
using domain::Register;

fs::path scenario_dir() {
  return pw::testing::tests_dir().parent_path() / "examples" / "rotterdam";
}

class RotterdamScenario : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = read_inventory(scenario_dir());
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    reg_ = new Register(std::move(*r));
  }
  static void TearDownTestSuite() {
    delete reg_;
    reg_ = nullptr;
  }
  static const Register& reg() { return *reg_; }

  static std::vector<const domain::Asset*> of_kind(AssetKind kind) {
    std::vector<const domain::Asset*> out;
    for (const auto& a : reg().assets) {
      if (a.kind == kind) out.push_back(&a);
    }
    return out;
  }

 private:
  static inline Register* reg_ = nullptr;
};

TEST_F(RotterdamScenario, LoadsAndValidatesClean) {
  auto problems = domain::validate_register(reg());
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: "
                                << (problems.empty() ? "" : problems[0].message);
}

TEST_F(RotterdamScenario, SevenScannersFourOfThemNuctech) {
  auto scanners = of_kind(AssetKind::kScanner);
  ASSERT_EQ(scanners.size(), 7u);  // seed Q4
  int nuctech = 0;
  for (const auto* s : scanners) {
    nuctech += s->vendor == "nuctech";
    EXPECT_EQ(s->zone, "closed-scan") << s->id;
    EXPECT_EQ(s->criticality, domain::Criticality::kHigh) << s->id;
    const auto* site = reg().site(s->site);
    ASSERT_NE(site, nullptr) << s->id;
    EXPECT_EQ(site->kind, domain::SiteKind::kTerminal) << s->id;
    EXPECT_EQ(site->parent, "port-rotterdam") << s->id;
  }
  EXPECT_EQ(nuctech, 4);
  const auto* nuc = reg().organisation("nuctech");
  ASSERT_NE(nuc, nullptr);
  EXPECT_EQ(nuc->country, "CN");
  EXPECT_EQ(nuc->kind, domain::OrgKind::kVendor);
}

TEST_F(RotterdamScenario, ServersOfSeveralVendorsShareOneRoom) {
  std::map<std::string, std::set<std::string>> vendors_by_room;  // seed Q11
  for (const auto* s : of_kind(AssetKind::kServer)) {
    if (!s->room.empty() && !s->vendor.empty()) vendors_by_room[s->room].insert(s->vendor);
  }
  bool shared = false;
  for (const auto& [room, vendors] : vendors_by_room) shared = shared || vendors.size() >= 2;
  EXPECT_TRUE(shared);
  EXPECT_GE(vendors_by_room["server-room-maasvlakte"].size(), 2u);
}

TEST_F(RotterdamScenario, EveryScannerHasACamera) {
  std::set<std::string> watched;  // seed Q12
  for (const auto* c : of_kind(AssetKind::kCamera)) watched.insert(c->watches);
  for (const auto* s : of_kind(AssetKind::kScanner)) EXPECT_TRUE(watched.contains(s->id)) << s->id;
}

TEST_F(RotterdamScenario, OneLinkIntoTheClosedNetworkBypassesTheGateway) {
  std::vector<std::string> bypasses;
  for (const auto& l : reg().zone_links) {
    const auto* from = reg().zone(l.from);
    const auto* to = reg().zone(l.to);
    ASSERT_TRUE(from && to);
    const auto* via = reg().asset(l.via);
    const bool into_closed =
        (to->kind == domain::ZoneKind::kClosedScan && from->vendor_reachable) ||
        (!l.one_way && from->kind == domain::ZoneKind::kClosedScan && to->vendor_reachable);
    if (into_closed && !(via && via->kind == AssetKind::kGateway)) bypasses.push_back(l.id);
  }
  EXPECT_EQ(bypasses, std::vector<std::string>{"internet-closed-kestrel-vpn"});
}

TEST_F(RotterdamScenario, OnlyScanner07LacksARemoteAccessPolicy) {
  std::vector<std::string> uncovered;
  for (const auto& a : reg().assets) {
    if (!a.remote_capable) continue;
    bool covered = false;
    for (const auto& p : reg().remote_access_policies) {
      const bool listed = std::find(p.assets.begin(), p.assets.end(), a.id) != p.assets.end();
      covered = covered || listed || (p.assets.empty() && p.vendor == a.vendor);
    }
    if (!covered) uncovered.push_back(a.id);
  }
  EXPECT_EQ(uncovered, std::vector<std::string>{"scanner-07"});
}

TEST_F(RotterdamScenario, ScreeningsExpireAroundTheReferenceDate) {
  const auto reference = testing::date("2026-12-01");
  const auto horizon = testing::date("2026-12-31");
  int expired = 0, soon = 0;
  for (const auto& s : reg().screenings) {
    if (s.expires <= reference) {
      ++expired;
    } else if (s.expires <= horizon) {
      ++soon;
    }
  }
  EXPECT_EQ(expired, 1);
  EXPECT_GE(soon, 2);
  // Every technician has a VOG; the security officer a VGB (seed Q13).
  for (const auto& p : reg().people) {
    const bool technician =
        std::find(p.roles.begin(), p.roles.end(), domain::Role::kTechnician) != p.roles.end();
    const bool officer =
        std::find(p.roles.begin(), p.roles.end(), domain::Role::kSecurityOfficer) != p.roles.end();
    if (!technician && !officer) continue;
    const auto want = technician ? domain::ScreeningKind::kVog : domain::ScreeningKind::kVgb;
    bool has = false;
    for (const auto& s : reg().screenings) has = has || (s.person == p.id && s.kind == want);
    EXPECT_TRUE(has) << p.id;
  }
}

TEST_F(RotterdamScenario, PeopleForEveryRoleAndTwoAnalysts) {
  std::map<domain::Role, int> count;
  for (const auto& p : reg().people) {
    for (auto r : p.roles) ++count[r];
  }
  EXPECT_GE(count[domain::Role::kTechnician], 3);
  EXPECT_GE(count[domain::Role::kCustomsOperator], 1);
  EXPECT_GE(count[domain::Role::kSecurityOfficer], 1);
  EXPECT_GE(count[domain::Role::kAnalyst], 2);  // four eyes
  EXPECT_GE(count[domain::Role::kTerminalStaff], 1);
  EXPECT_GE(count[domain::Role::kAuditor], 1);
  int nuctech_technicians = 0;
  for (const auto& p : reg().people) nuctech_technicians += p.organisation == "nuctech";
  EXPECT_GE(nuctech_technicians, 1);
}

TEST_F(RotterdamScenario, EachVendorHasAContractAgreedWithCustomsAndATerminal) {
  for (const char* vendor : {"nuctech", "borealis", "kestrel"}) {
    bool found = false;
    for (const auto& c : reg().maintenance_contracts) {
      if (c.vendor != vendor) continue;
      found = true;
      EXPECT_EQ(c.every_days, 91) << c.id;  // quarterly
      const auto& with = c.agreed_with;
      EXPECT_NE(std::find(with.begin(), with.end(), "douane"), with.end()) << c.id;
      bool terminal = false;
      for (const auto& o : with) {
        const auto* org = reg().organisation(o);
        terminal = terminal || (org && org->kind == domain::OrgKind::kTerminalOperator);
      }
      EXPECT_TRUE(terminal) << c.id;
    }
    EXPECT_TRUE(found) << vendor;
  }
}

TEST_F(RotterdamScenario, AYearOfFaultsAboutAThirdFixedRemotely) {
  const auto from = core::parse_rfc3339("2025-12-01T00:00:00Z").value();
  const auto to = core::parse_rfc3339("2026-12-01T00:00:00Z").value();
  std::map<std::string, int> per_scanner;
  int remote = 0;
  for (const auto& f : reg().faults) {
    const auto reported = core::parse_rfc3339(f.reported).value();
    EXPECT_TRUE(from <= reported && reported < to) << f.id;
    ++per_scanner[f.asset];
    if (f.fixed_remotely) {
      ++remote;
      EXPECT_EQ(f.category, domain::FaultCategory::kSoftware) << f.id;
      EXPECT_TRUE(reg().asset(f.asset)->remote_capable) << f.id;
    }
  }
  EXPECT_EQ(per_scanner.size(), 7u);
  for (const auto& [scanner, n] : per_scanner) EXPECT_GE(n, 3) << scanner;
  const double share = static_cast<double>(remote) / static_cast<double>(reg().faults.size());
  EXPECT_GT(share, 0.28);  // seed Q10: "ongeveer een derde"
  EXPECT_LT(share, 0.40);
}

TEST_F(RotterdamScenario, EveryRecordSaysWhereItComesFrom) {
  auto check = [](const auto& records) {
    for (const auto& r : records) {
      const bool seed = r.provenance.rfind("seed Q", 0) == 0;
      const bool fictional = r.provenance.rfind("fictional", 0) == 0;
      EXPECT_TRUE(seed || fictional) << r.id << ": '" << r.provenance << "'";
    }
  };
  check(reg().organisations);
  check(reg().sites);
  check(reg().rooms);
  check(reg().zones);
  check(reg().assets);
  check(reg().zone_links);
  check(reg().people);
  check(reg().screenings);
  check(reg().remote_access_policies);
  check(reg().maintenance_contracts);
  check(reg().faults);
  for (const auto& p : reg().people) EXPECT_NE(p.name.find("(fictional)"), std::string::npos);
  for (const auto& o : reg().organisations) {
    if (o.provenance.rfind("fictional", 0) == 0) {
      EXPECT_NE(o.name.find("(fictional)"), std::string::npos) << o.id;
    }
  }
}

TEST_F(RotterdamScenario, NuctechOwnershipEntityIsInTheBodsFile) {
  const auto bods = scenario_dir() / "ownership" / "nuctech-bods-0.4.json";
  auto r = import_file(bods.string(), Format::kBods, testing::strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->issues.empty()) << testing::issues_text(*r);
  const auto* nuctech = reg().organisation("nuctech");
  ASSERT_NE(nuctech, nullptr);
  EXPECT_EQ(nuctech->ownership_entity, "bods:nuctech");
  const auto* entity = testing::find_entity(r->dataset, nuctech->ownership_entity);
  ASSERT_NE(entity, nullptr);
  EXPECT_EQ(entity->country, "CN");
  const auto* prc = testing::find_entity(r->dataset, "bods:prc");
  ASSERT_NE(prc, nullptr);
  EXPECT_EQ(prc->kind, domain::EntityKind::kState);
  // seed Q7: Tongfang 76% of Nuctech, CNNC 21% of Tongfang.
  const auto* tongfang = testing::edge(r->dataset, "bods:tongfang", "bods:nuctech");
  ASSERT_NE(tongfang, nullptr);
  EXPECT_DOUBLE_EQ(tongfang->share.min, 0.76);
  const auto* cnnc = testing::edge(r->dataset, "bods:cnnc", "bods:tongfang");
  ASSERT_NE(cnnc, nullptr);
  EXPECT_DOUBLE_EQ(cnnc->share.min, 0.21);
  ASSERT_NE(testing::edge(r->dataset, "bods:prc", "bods:cnnc"), nullptr);
}

TEST_F(RotterdamScenario, ExportAndReimportGiveTheSameRegister) {
  pw::testing::TempDir dir;
  ASSERT_TRUE(write_inventory(reg(), dir.path()));
  auto back = read_inventory(dir.path());
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_TRUE(*back == reg());
}

}  // namespace
}  // namespace pw::formats
