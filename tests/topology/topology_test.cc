#include "topology/topology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace pw::topology {
namespace {

using domain::Asset;
using domain::AssetKind;
using domain::Date;
using domain::Register;
using domain::Role;
using domain::ScreeningKind;
using domain::ZoneKind;

Date day(const char* iso) {
  return domain::parse_date(iso).value();
}
Date plus(Date d, int days) {
  return Date{d.days + days};
}

const Date kToday = day("2026-03-01");

CheckOptions options() {
  CheckOptions o;
  o.today = kToday;
  return o;
}

Asset asset(std::string id, AssetKind kind, std::string vendor, std::string zone,
            std::string room = "") {
  Asset a;
  a.id = std::move(id);
  a.kind = kind;
  a.name = a.id;
  a.vendor = std::move(vendor);
  a.zone = std::move(zone);
  a.room = std::move(room);
  return a;
}

domain::Organisation org(std::string id, std::string name, domain::OrgKind kind) {
  domain::Organisation o;
  o.id = std::move(id);
  o.name = std::move(name);
  o.kind = kind;
  return o;
}

domain::Room room(std::string id, std::string name) {
  domain::Room r;
  r.id = std::move(id);
  r.name = std::move(name);
  r.site = "customs-office";
  r.kind = domain::RoomKind::kServerRoom;
  return r;
}

domain::Zone zone(std::string id, ZoneKind kind, bool vendor_reachable = false) {
  domain::Zone z;
  z.id = std::move(id);
  z.kind = kind;
  z.vendor_reachable = vendor_reachable;
  return z;
}

domain::ZoneLink link(std::string id, std::string from, std::string to, std::string via = "",
                      bool one_way = false) {
  domain::ZoneLink l;
  l.id = std::move(id);
  l.from = std::move(from);
  l.to = std::move(to);
  l.via = std::move(via);
  l.one_way = one_way;
  return l;
}

domain::Person person(std::string id, std::string organisation, std::vector<Role> roles,
                      std::string name = "") {
  domain::Person p;
  p.id = std::move(id);
  p.name = std::move(name);
  p.organisation = std::move(organisation);
  p.roles = std::move(roles);
  return p;
}

domain::Screening screening(std::string id, std::string person_id, ScreeningKind kind, Date issued,
                            Date expires) {
  domain::Screening s;
  s.id = std::move(id);
  s.person = std::move(person_id);
  s.kind = kind;
  s.issued = issued;
  s.expires = expires;
  return s;
}

domain::RemoteAccessPolicy policy(std::string id, std::string vendor,
                                  std::vector<std::string> assets, std::string gateway) {
  domain::RemoteAccessPolicy p;
  p.id = std::move(id);
  p.vendor = std::move(vendor);
  p.assets = std::move(assets);
  p.gateway = std::move(gateway);
  return p;
}

// A register without weak spots: vendors reach the closed scan network only through the
// gateway; one vendor's servers per room and zone; every scanner watched; remote access under a
// policy; every technician screened well beyond the horizon.
Register clean_register() {
  Register r;
  r.organisations = {
      org("customs", "Douane", domain::OrgKind::kCustoms),
      org("nuctech", "Nuctech", domain::OrgKind::kVendor),
      org("smiths", "Smiths Detection", domain::OrgKind::kVendor),
  };
  r.rooms = {room("server-room-a", "Server room A"), room("server-room-b", "Server room B")};
  r.zones = {
      zone("vendor-dmz", ZoneKind::kVendorDmz, true),
      zone("office", ZoneKind::kOffice),
      zone("closed-scan", ZoneKind::kClosedScan),
      zone("smiths-vlan", ZoneKind::kClosedScan),
  };
  r.assets = {
      asset("gw-1", AssetKind::kGateway, "", "vendor-dmz"),
      asset("fw-1", AssetKind::kFirewall, "", "office"),
      asset("scanner-1", AssetKind::kScanner, "nuctech", "closed-scan"),
      asset("scanner-2", AssetKind::kScanner, "smiths", "smiths-vlan"),
      asset("cam-1", AssetKind::kCamera, "", ""),
      asset("cam-2", AssetKind::kCamera, "", ""),
      asset("server-1", AssetKind::kServer, "nuctech", "closed-scan", "server-room-a"),
      asset("server-2", AssetKind::kServer, "nuctech", "closed-scan", "server-room-a"),
      asset("server-3", AssetKind::kServer, "smiths", "smiths-vlan", "server-room-b"),
  };
  r.assets[2].remote_capable = true;
  r.assets[4].watches = "scanner-1";
  r.assets[5].watches = "scanner-2";
  r.zone_links = {
      link("dmz-closed", "vendor-dmz", "closed-scan", "gw-1"),
      link("dmz-smiths", "vendor-dmz", "smiths-vlan", "gw-1"),
      link("dmz-office", "vendor-dmz", "office", "fw-1"),
  };
  r.people = {
      person("tech-1", "nuctech", {Role::kTechnician}, "T. One"),
      person("op-1", "customs", {Role::kCustomsOperator}, "O. Perator"),
  };
  r.screenings = {
      screening("scr-1", "tech-1", ScreeningKind::kVog, day("2025-06-01"), day("2028-06-01"))};
  r.remote_access_policies = {policy("pol-nuctech", "nuctech", {}, "gw-1")};
  return r;
}

std::vector<Finding> check(const Register& r) {
  return check_topology(r, options());
}

std::vector<std::string> ids(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.id);
  return out;
}

std::vector<std::string> ids_of_rule(const std::vector<Finding>& fs, const std::string& rule) {
  std::vector<std::string> out;
  for (const auto& f : fs) {
    if (f.rule == rule) out.push_back(f.id);
  }
  return out;
}

const Finding* find(const std::vector<Finding>& fs, const std::string& id) {
  auto it = std::find_if(fs.begin(), fs.end(), [&](const Finding& f) { return f.id == id; });
  return it == fs.end() ? nullptr : &*it;
}

Asset& asset_in(Register& r, const std::string& id) {
  return *std::find_if(r.assets.begin(), r.assets.end(),
                       [&](const Asset& a) { return a.id == id; });
}

using Strings = std::vector<std::string>;

TEST(Topology, CleanRegisterHasNoFindings) {
  EXPECT_EQ(ids(check(clean_register())), Strings{});
}

// --- Rule 1: mixed vendors (Q11) ---------------------------------------------------------------

TEST(MixedVendors, ServersOfTwoVendorsInOneRoomAreReported) {
  Register r = clean_register();
  asset_in(r, "server-3").room = "server-room-a";
  const auto fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"mixed-vendors-room:server-room-a"});
  const Finding& f = fs.at(0);
  EXPECT_EQ(f.rule, "mixed-vendors-room");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.seed, "Q11");
  EXPECT_EQ(f.assets, (Strings{"server-1", "server-2", "server-3"}));
  EXPECT_EQ(f.vendors, (Strings{"nuctech", "smiths"}));
  EXPECT_EQ(f.rooms, Strings{"server-room-a"});
  EXPECT_NE(f.detail.find("Nuctech (nuctech): server-1, server-2"), std::string::npos) << f.detail;
  EXPECT_NE(f.suggested_mitigation.find("escorted"), std::string::npos);
}

TEST(MixedVendors, SeparatedRoomIsNotReported) {
  Register r = clean_register();
  asset_in(r, "server-3").room = "server-room-a";
  ASSERT_FALSE(check(r).empty());
  asset_in(r, "server-3").room = "server-room-b";  // the correction
  EXPECT_EQ(ids(check(r)), Strings{});
}

TEST(MixedVendors, ServersOfTwoVendorsInOneZoneAreReported) {
  Register r = clean_register();
  asset_in(r, "server-3").zone = "closed-scan";
  const auto fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"mixed-vendors-zone:closed-scan"});
  EXPECT_EQ(fs.at(0).severity, Severity::kMedium);
  EXPECT_EQ(fs.at(0).zones, Strings{"closed-scan"});
  EXPECT_EQ(fs.at(0).vendors, (Strings{"nuctech", "smiths"}));
  asset_in(r, "server-3").zone = "smiths-vlan";
  EXPECT_EQ(ids(check(r)), Strings{});
}

TEST(MixedVendors, OnlyServersWithAKnownVendorCount) {
  Register r = clean_register();
  // A customs workstation and a server of unknown vendor in the Nuctech room: not "mixed".
  r.assets.push_back(
      asset("ws-1", AssetKind::kWorkstation, "smiths", "closed-scan", "server-room-a"));
  r.assets.push_back(asset("server-x", AssetKind::kServer, "", "closed-scan", "server-room-a"));
  EXPECT_EQ(ids(check(r)), Strings{});
}

// --- Rule 2: unmediated path (Q9, Q10) ----------------------------------------------------------

TEST(UnmediatedPath, BypassThroughFirewallIsReportedWithItsPath) {
  Register r = clean_register();
  r.zone_links.push_back(link("office-closed", "office", "closed-scan"));
  const auto fs = check(r);
  EXPECT_EQ(ids_of_rule(fs, "unmediated-path"), Strings{"unmediated-path:vendor-dmz>closed-scan"});
  const Finding* f = find(fs, "unmediated-path:vendor-dmz>closed-scan");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(f->seed, "Q9, Q10");
  EXPECT_EQ(f->zones, (Strings{"vendor-dmz", "office", "closed-scan"}));
  EXPECT_EQ(f->links, (Strings{"dmz-office", "office-closed"}));
  EXPECT_EQ(f->assets, Strings{"fw-1"});
  EXPECT_NE(f->detail.find("-[link dmz-office via firewall fw-1]-> office"), std::string::npos)
      << f->detail;
  EXPECT_NE(f->detail.find("-[link office-closed, direct]-> closed-scan"), std::string::npos);

  r.zone_links.pop_back();  // the correction: remove the bypass
  EXPECT_EQ(ids(check(r)), Strings{});
}

TEST(UnmediatedPath, PathThroughGatewayIsFineButParallelBypassIsFound) {
  Register r = clean_register();
  ASSERT_EQ(ids_of_rule(check(r), "unmediated-path"), Strings{});  // gateway link only
  r.zone_links.push_back(link("zz-bypass", "closed-scan", "vendor-dmz"));
  const auto fs = check(r);
  const Finding* f = find(fs, "unmediated-path:vendor-dmz>closed-scan");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->links, Strings{"zz-bypass"});  // the gateway link is not part of the path
  EXPECT_EQ(f->assets, Strings{});
  EXPECT_NE(f->suggested_mitigation.find("zz-bypass"), std::string::npos);
}

TEST(UnmediatedPath, OneWayLinksAreFollowedOnlyFromFromToTo) {
  Register r = clean_register();
  // A data diode out of the closed network toward the DMZ: vendors cannot come in through it.
  r.zone_links.push_back(link("diode", "closed-scan", "vendor-dmz", "", true));
  EXPECT_EQ(ids_of_rule(check(r), "unmediated-path"), Strings{});
  // The same link pointing inward is a way in.
  r.zone_links.back().from = "vendor-dmz";
  r.zone_links.back().to = "closed-scan";
  EXPECT_EQ(ids_of_rule(check(r), "unmediated-path"),
            Strings{"unmediated-path:vendor-dmz>closed-scan"});
}

TEST(UnmediatedPath, LinkViaANonGatewayOrUnknownAssetIsUnmediated) {
  Register r = clean_register();
  r.zone_links.push_back(link("rogue", "vendor-dmz", "smiths-vlan", "no-such-asset"));
  const auto fs = check(r);
  const Finding* f = find(fs, "unmediated-path:vendor-dmz>smiths-vlan");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->detail.find("via unknown asset no-such-asset"), std::string::npos) << f->detail;
  r.zone_links.back().via = "gw-1";  // through the gateway it is fine
  EXPECT_EQ(ids(check(r)), Strings{});
}

TEST(UnmediatedPath, ReportsTheShortestPathPerSourceAndClosedZone) {
  Register r = clean_register();
  r.zone_links.push_back(link("a-long-1", "office", "smiths-vlan"));
  r.zone_links.push_back(link("a-long-2", "smiths-vlan", "closed-scan"));
  r.zone_links.push_back(link("z-short", "vendor-dmz", "closed-scan"));
  const auto fs = check(r);
  EXPECT_EQ(ids_of_rule(fs, "unmediated-path"),
            (Strings{"unmediated-path:vendor-dmz>closed-scan",
                     "unmediated-path:vendor-dmz>smiths-vlan"}));
  EXPECT_EQ(find(fs, "unmediated-path:vendor-dmz>closed-scan")->links, Strings{"z-short"});
  EXPECT_EQ(find(fs, "unmediated-path:vendor-dmz>smiths-vlan")->links,
            (Strings{"dmz-office", "a-long-1"}));
}

TEST(UnmediatedPath, EveryVendorReachableSourceIsReportedSeparately) {
  Register r = clean_register();
  r.zones.push_back(zone("internet", ZoneKind::kInternet, true));
  r.zone_links.push_back(link("inet-dmz", "internet", "vendor-dmz"));
  EXPECT_EQ(ids_of_rule(check(r), "unmediated-path"), Strings{});  // still only via gw-1
  r.zone_links.push_back(link("inet-closed", "internet", "closed-scan"));
  EXPECT_EQ(
      ids_of_rule(check(r), "unmediated-path"),
      (Strings{"unmediated-path:internet>closed-scan", "unmediated-path:vendor-dmz>closed-scan"}));
}

TEST(UnmediatedPath, ClosedZoneThatIsItselfVendorReachableIsReported) {
  Register r = clean_register();
  r.zones[3].vendor_reachable = true;  // smiths-vlan
  const auto fs = check(r);
  const Finding* f = find(fs, "unmediated-path:smiths-vlan>smiths-vlan");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->links, Strings{});
  EXPECT_EQ(f->zones, Strings{"smiths-vlan"});
}

// --- Rule 3: unwatched scanner (Q12) ------------------------------------------------------------

TEST(UnwatchedScanner, ScannerNoCameraWatchesIsReported) {
  Register r = clean_register();
  asset_in(r, "cam-2").watches = "scanner-1";  // two cameras on scanner-1, none on scanner-2
  const auto fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"unwatched-scanner:scanner-2"});
  EXPECT_EQ(fs.at(0).severity, Severity::kMedium);
  EXPECT_EQ(fs.at(0).seed, "Q12");
  EXPECT_EQ(fs.at(0).assets, Strings{"scanner-2"});
  EXPECT_EQ(fs.at(0).vendors, Strings{"smiths"});
  asset_in(r, "cam-2").watches = "scanner-2";
  EXPECT_EQ(ids(check(r)), Strings{});
}

TEST(UnwatchedScanner, OnlyCamerasWatch) {
  Register r = clean_register();
  asset_in(r, "cam-2").kind = AssetKind::kOther;  // a "watches" on a non-camera means nothing
  EXPECT_EQ(ids(check(r)), Strings{"unwatched-scanner:scanner-2"});
}

// --- Rule 4: no remote policy (Q10) -------------------------------------------------------------

TEST(NoRemotePolicy, RemoteCapableAssetWithoutPolicyIsReported) {
  Register r = clean_register();
  r.remote_access_policies.clear();
  const auto fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"no-remote-policy:scanner-1"});
  EXPECT_EQ(fs.at(0).severity, Severity::kHigh);
  EXPECT_EQ(fs.at(0).vendors, Strings{"nuctech"});
}

TEST(NoRemotePolicy, PolicyCoversByAssetListOrByVendorWithEmptyList) {
  Register r = clean_register();
  asset_in(r, "scanner-2").remote_capable = true;
  EXPECT_EQ(ids(check(r)), Strings{"no-remote-policy:scanner-2"});  // the policy is Nuctech's
  // A vendor policy that lists assets covers only those.
  r.remote_access_policies.push_back(policy("pol-smiths", "smiths", {"scanner-9"}, "gw-1"));
  EXPECT_EQ(ids(check(r)), Strings{"no-remote-policy:scanner-2"});
  r.remote_access_policies.back().assets = {"scanner-2"};
  EXPECT_EQ(ids(check(r)), Strings{});
  r.remote_access_policies.back().assets.clear();  // vendor-wide
  EXPECT_EQ(ids(check(r)), Strings{});
  r.remote_access_policies.back().vendor.clear();  // neither vendor nor assets: covers nothing
  EXPECT_EQ(ids(check(r)), Strings{"no-remote-policy:scanner-2"});
}

// --- Rule 4b: no gateway route (Q10) ------------------------------------------------------------

TEST(NoGatewayRoute, RemoteCapableAssetOutsideAnyGatewayRouteIsReported) {
  Register r = clean_register();
  r.zones.push_back(zone("isolated", ZoneKind::kClosedScan));
  asset_in(r, "scanner-1").zone = "isolated";
  auto fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"no-gateway-route:scanner-1"});
  EXPECT_EQ(fs.at(0).severity, Severity::kMedium);
  EXPECT_NE(fs.at(0).detail.find("no vendor-reachable zone reaches"), std::string::npos);

  asset_in(r, "scanner-1").zone = "";
  fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"no-gateway-route:scanner-1"});
  EXPECT_NE(fs.at(0).detail.find("in no network zone"), std::string::npos);

  asset_in(r, "scanner-1").zone = "office";  // reached only through the firewall
  fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"no-gateway-route:scanner-1"});
  EXPECT_NE(fs.at(0).detail.find("only without passing a gateway"), std::string::npos);

  asset_in(r, "scanner-1").zone = "closed-scan";  // the correction
  EXPECT_EQ(ids(check(r)), Strings{});
}

TEST(NoGatewayRoute, RouteBeyondTheGatewayCounts) {
  Register r = clean_register();
  r.zones.push_back(zone("inner", ZoneKind::kClosedScan));
  r.zone_links.push_back(link("closed-inner", "closed-scan", "inner", "fw-1"));
  asset_in(r, "scanner-1").zone = "inner";
  EXPECT_EQ(ids(check(r)), Strings{});
}

// --- Rule 5: screenings (Q13) -------------------------------------------------------------------

Register with_screenings(std::vector<domain::Screening> screenings) {
  Register r = clean_register();
  r.screenings = std::move(screenings);
  return r;
}

TEST(Screening, ExpiredScreeningIsHigh) {
  const Register r = with_screenings(
      {screening("scr-1", "tech-1", ScreeningKind::kVog, day("2023-01-01"), kToday)});
  const auto fs = check(r);  // expires is exclusive: not valid today
  EXPECT_EQ(ids(fs), Strings{"screening-expired:tech-1:vog:scr-1"});
  EXPECT_EQ(fs.at(0).severity, Severity::kHigh);
  EXPECT_EQ(fs.at(0).people, Strings{"tech-1"});
  EXPECT_EQ(fs.at(0).vendors, Strings{"nuctech"});
  EXPECT_EQ(fs.at(0).seed, "Q13");
}

TEST(Screening, ExpiringWithinHorizonIsMediumAndBoundaryIsInclusive) {
  Register r = with_screenings(
      {screening("scr-1", "tech-1", ScreeningKind::kVog, day("2023-01-01"), plus(kToday, 30))});
  auto fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"screening-expiring:tech-1:vog:scr-1"});
  EXPECT_EQ(fs.at(0).severity, Severity::kMedium);
  EXPECT_NE(fs.at(0).title.find("expires on 2026-03-31 (30 days left)"), std::string::npos)
      << fs.at(0).title;
  r.screenings[0].expires = plus(kToday, 31);
  EXPECT_EQ(ids(check(r)), Strings{});
  CheckOptions wide = options();
  wide.screening_horizon_days = 60;
  EXPECT_EQ(ids(check_topology(r, wide)), Strings{"screening-expiring:tech-1:vog:scr-1"});
}

TEST(Screening, NoScreeningIsHighAndScreeningFromToday) {
  Register r = with_screenings({});
  EXPECT_EQ(ids(check(r)), Strings{"screening-missing:tech-1:vog"});
  // Only a screening that starts tomorrow: still not screened today.
  r.screenings = {
      screening("scr-2", "tech-1", ScreeningKind::kVog, plus(kToday, 1), day("2029-01-01"))};
  const auto fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"screening-missing:tech-1:vog"});
  EXPECT_NE(fs.at(0).detail.find("takes effect on 2026-03-02"), std::string::npos);
  r.screenings[0].issued = kToday;  // valid from its first day
  EXPECT_EQ(ids(check(r)), Strings{});
}

TEST(Screening, LatestScreeningCountsAndRegisteredRenewalIsNotReported) {
  // An old expired VOG and a current one: the current one counts.
  Register r = with_screenings(
      {screening("old", "tech-1", ScreeningKind::kVog, day("2020-01-01"), day("2023-01-01")),
       screening("cur", "tech-1", ScreeningKind::kVog, day("2023-01-01"), plus(kToday, 10))});
  EXPECT_EQ(ids(check(r)), Strings{"screening-expiring:tech-1:vog:cur"});
  // The renewal, issued before the current one ends, closes the gap.
  r.screenings.push_back(
      screening("next", "tech-1", ScreeningKind::kVog, plus(kToday, 5), day("2029-01-01")));
  EXPECT_EQ(ids(check(r)), Strings{});
  // A renewal that starts after a gap does not.
  r.screenings.back().issued = plus(kToday, 11);
  EXPECT_EQ(ids(check(r)), Strings{"screening-expiring:tech-1:vog:cur"});
}

TEST(Screening, VgbSatisfiesVogButNotTheOtherWayRound) {
  Register r = with_screenings(
      {screening("vgb-1", "tech-1", ScreeningKind::kVgb, day("2025-01-01"), day("2030-01-01"))});
  EXPECT_EQ(ids(check(r)), Strings{});
  r.people.push_back(person("sec-1", "customs", {Role::kSecurityOfficer}));
  r.screenings.push_back(
      screening("vog-s", "sec-1", ScreeningKind::kVog, day("2025-01-01"), day("2030-01-01")));
  const auto fs = check(r);
  EXPECT_EQ(ids(fs), Strings{"screening-missing:sec-1:vgb"});
  EXPECT_EQ(fs.at(0).vendors, Strings{});  // customs is not a vendor
}

TEST(Screening, RequirementsAreOptions) {
  Register r = with_screenings({});
  CheckOptions o = options();
  o.screening_requirements = {{Role::kCustomsOperator, ScreeningKind::kVgb}};
  EXPECT_EQ(ids(check_topology(r, o)), Strings{"screening-missing:op-1:vgb"});
}

TEST(Screening, OtherPeoplesScreeningsDoNotCount) {
  const Register r = with_screenings(
      {screening("scr-op", "op-1", ScreeningKind::kVog, day("2025-01-01"), day("2030-01-01"))});
  EXPECT_EQ(ids(check(r)), Strings{"screening-missing:tech-1:vog"});
}

// --- The whole result ---------------------------------------------------------------------------

// A register with a finding of every rule.
Register weak_register() {
  Register r = clean_register();
  asset_in(r, "server-3").room = "server-room-a";
  asset_in(r, "server-3").zone = "closed-scan";
  r.zone_links.push_back(link("office-closed", "office", "closed-scan"));
  asset_in(r, "cam-2").watches = "";
  asset_in(r, "scanner-2").remote_capable = true;
  std::erase_if(r.zone_links, [](const domain::ZoneLink& l) { return l.id == "dmz-smiths"; });
  r.screenings[0].expires = plus(kToday, 7);
  r.people.push_back(person("tech-2", "smiths", {Role::kTechnician}));
  return r;
}

TEST(Topology, FindingsAreSortedBySeverityThenId) {
  const auto fs = check(weak_register());
  EXPECT_EQ(ids(fs), (Strings{
                         "mixed-vendors-room:server-room-a",
                         "no-remote-policy:scanner-2",
                         "screening-missing:tech-2:vog",
                         "unmediated-path:vendor-dmz>closed-scan",
                         "mixed-vendors-zone:closed-scan",
                         "no-gateway-route:scanner-2",
                         "screening-expiring:tech-1:vog:scr-1",
                         "unwatched-scanner:scanner-2",
                     }));
}

TEST(Topology, ResultDoesNotDependOnRecordOrder) {
  const Register r = weak_register();
  Register reversed = r;
  auto rev = [](auto& v) { std::reverse(v.begin(), v.end()); };
  rev(reversed.organisations);
  rev(reversed.rooms);
  rev(reversed.zones);
  rev(reversed.assets);
  rev(reversed.zone_links);
  rev(reversed.people);
  rev(reversed.screenings);
  rev(reversed.remote_access_policies);
  EXPECT_EQ(check(r), check(reversed));  // ids and every other field
}

TEST(Topology, IdsDependOnlyOnRecordIds) {
  Register r = weak_register();
  const auto before = ids(check(r));
  for (auto& a : r.assets) a.name = "renamed " + a.id;
  for (auto& o : r.organisations) o.name += " B.V.";
  EXPECT_EQ(ids(check(r)), before);
}

TEST(Topology, SeparatorsInRecordIdsAreEncoded) {
  Register r = clean_register();
  r.assets.push_back(asset("scan:er>9%", AssetKind::kScanner, "", ""));
  EXPECT_EQ(ids(check(r)), Strings{"unwatched-scanner:scan%3Aer%3E9%25"});
}

TEST(Topology, DanglingReferencesDoNotCrash) {
  Register r = clean_register();
  r.zone_links.push_back(link("x", "nowhere", "closed-scan", "ghost"));
  r.zone_links.push_back(link("y", "vendor-dmz", "nowhere"));
  asset_in(r, "cam-1").watches = "ghost";
  r.screenings.push_back(screening("s", "ghost", ScreeningKind::kVog, kToday, kToday));
  r.people[0].organisation = "ghost";
  const auto fs = check(r);
  EXPECT_EQ(ids(fs),
            (Strings{"unmediated-path:vendor-dmz>closed-scan", "unwatched-scanner:scanner-1"}));
  EXPECT_EQ(fs.at(0).links, (Strings{"y", "x"}));
}

// --- JSON ---------------------------------------------------------------------------------------

TEST(FindingJson, HasEveryFieldWithSeverityAsName) {
  const auto fs = check(weak_register());
  const Finding* f = find(fs, "unmediated-path:vendor-dmz>closed-scan");
  ASSERT_NE(f, nullptr);
  const nlohmann::json j = finding_to_json(*f);
  EXPECT_EQ(j.at("id"), "unmediated-path:vendor-dmz>closed-scan");
  EXPECT_EQ(j.at("rule"), "unmediated-path");
  EXPECT_EQ(j.at("severity"), "high");
  EXPECT_EQ(j.at("zones"), nlohmann::json({"vendor-dmz", "office", "closed-scan"}));
  EXPECT_EQ(j.at("links"), nlohmann::json({"dmz-office", "office-closed"}));
  EXPECT_EQ(j.at("assets"), nlohmann::json({"fw-1"}));
  EXPECT_EQ(j.at("people"), nlohmann::json::array());
  EXPECT_EQ(j.at("seed"), "Q9, Q10");
  EXPECT_EQ(j.at("title"), f->title);
  EXPECT_EQ(j.at("detail"), f->detail);
  EXPECT_EQ(j.at("suggested_mitigation"), f->suggested_mitigation);
  for (const char* key : {"vendors", "rooms"}) EXPECT_TRUE(j.at(key).is_array()) << key;
  EXPECT_EQ(j.size(), 13u);

  const nlohmann::json all = findings_to_json(fs);
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), fs.size());
  EXPECT_EQ(all.at(0).at("id"), fs.at(0).id);
}

TEST(FindingJson, SeverityNamesRoundTrip) {
  for (Severity s : {Severity::kLow, Severity::kMedium, Severity::kHigh}) {
    auto parsed = parse_severity(severity_name(s));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(severity_name(Severity::kHigh), "high");
  auto bad = parse_severity("critical");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("critical"), std::string::npos);
}

}  // namespace
}  // namespace pw::topology
