#include "domain/register.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pw::domain {
namespace {

using nlohmann::json;

Date date(std::string_view iso) {
  return parse_date(iso).value();
}

// A small register with every table filled and every rule satisfied; the tests break one rule
// at a time.
Register valid_register() {
  Register r;
  r.organisations = {
      {"customs", "Douane", OrgKind::kCustoms, "NL", "", {}, "seed Q4"},
      {"vendor-a",
       "Vendor A",
       OrgKind::kVendor,
       "CN",
       "bods:vendor-a",
       {{"lei", "FICTIONAL00000000001"}},
       "fictional"},
      {"terminal-op", "Terminal Op", OrgKind::kTerminalOperator, "NL", "", {}, "fictional"},
  };
  r.sites = {{"port", "Port", SiteKind::kPort, "", "", "fictional"},
             {"terminal-1", "Terminal 1", SiteKind::kTerminal, "port", "terminal-op", "fictional"},
             {"office", "Customs office", SiteKind::kCustomsOffice, "port", "customs", "seed Q11"}};
  r.rooms = {{"server-room", "Server room", "office", RoomKind::kServerRoom, "seed Q11"}};
  r.zones = {{"closed", "Closed scan network", ZoneKind::kClosedScan, false, "seed Q9"},
             {"dmz", "Vendor DMZ", ZoneKind::kVendorDmz, true, "fictional"}};
  Asset scanner;
  scanner.id = "scanner-1";
  scanner.kind = AssetKind::kScanner;
  scanner.name = "Scanner 1";
  scanner.model = "X-1";
  scanner.vendor = "vendor-a";
  scanner.site = "terminal-1";
  scanner.zone = "closed";
  scanner.maintenance_endpoint = "10.0.0.1:8443";
  scanner.remote_capable = true;
  scanner.criticality = Criticality::kHigh;
  scanner.provenance = "seed Q4";
  Asset camera;
  camera.id = "camera-1";
  camera.kind = AssetKind::kCamera;
  camera.site = "terminal-1";
  camera.watches = "scanner-1";
  Asset gateway;
  gateway.id = "gateway";
  gateway.kind = AssetKind::kGateway;
  gateway.site = "office";
  gateway.room = "server-room";
  gateway.zone = "dmz";
  r.assets = {scanner, camera, gateway};
  r.zone_links = {{"dmz-closed", "dmz", "closed", "gateway", false, "fictional"}};
  r.people = {{"tech-1", "T. Echnician", "vendor-a", {Role::kTechnician}, "fictional"},
              {"officer-1",
               "S. Officer",
               "customs",
               {Role::kSecurityOfficer, Role::kAnalyst},
               "fictional"}};
  r.screenings = {{"vog-1", "tech-1", ScreeningKind::kVog, date("2026-01-01"), date("2027-01-01"),
                   "VOG-123", "fictional"}};
  r.remote_access_policies = {
      {"policy-a", "vendor-a", {"scanner-1"}, "gateway", true, true, 120, "fictional"}};
  r.maintenance_contracts = {{"contract-a",
                              "vendor-a",
                              {"scanner-1"},
                              date("2026-01-01"),
                              date("2027-01-01"),
                              "2026-01-05T08:00:00Z",
                              91,
                              8,
                              {"customs", "terminal-op"},
                              "seed Q13"}};
  r.faults = {{"fault-1", "scanner-1", "2026-02-01T10:00:00Z", "2026-02-01T12:30:00+01:00",
               FaultCategory::kSoftware, true, "fictional"},
              {"fault-2", "scanner-1", "2026-03-01T10:00:00Z", "", FaultCategory::kHardware, false,
               "fictional"}};
  return r;
}

std::string describe(const std::vector<RegisterProblem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    out +=
        std::string(table_name(p.table)) + " '" + p.id + "' " + p.field + ": " + p.message + "\n";
  }
  return out;
}

// Whether validation reports a problem at table/id/field whose message contains `needle`.
::testing::AssertionResult has_problem(const Register& reg, Table table, std::string_view id,
                                       std::string_view field, std::string_view needle) {
  auto problems = validate_register(reg);
  for (const auto& p : problems) {
    if (p.table == table && p.id == id && p.field == field &&
        p.message.find(needle) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no problem " << table_name(table) << " '" << id << "' "
                                       << field << " ~ '" << needle << "' in:\n"
                                       << describe(problems);
}

TEST(RegisterNames, TablesAndEnumsRoundTripThroughTheirNames) {
  for (int i = 0; i < kTableCount; ++i) {
    const auto t = static_cast<Table>(i);
    EXPECT_EQ(parse_table(table_name(t)).value(), t);
  }
  EXPECT_EQ(table_name(Table::kZoneLink), "zone_link");
  EXPECT_EQ(table_name(Table::kRemoteAccessPolicy), "remote_access_policy");
  EXPECT_EQ(org_kind_name(OrgKind::kTerminalOperator), "terminal_operator");
  EXPECT_EQ(parse_org_kind("terminal_operator").value(), OrgKind::kTerminalOperator);
  EXPECT_EQ(site_kind_name(SiteKind::kCustomsOffice), "customs_office");
  EXPECT_EQ(parse_room_kind("server_room").value(), RoomKind::kServerRoom);
  EXPECT_EQ(parse_zone_kind("closed_scan").value(), ZoneKind::kClosedScan);
  EXPECT_EQ(zone_kind_name(ZoneKind::kVendorDmz), "vendor_dmz");
  EXPECT_EQ(parse_asset_kind("gateway").value(), AssetKind::kGateway);
  EXPECT_EQ(criticality_name(Criticality::kHigh), "high");
  EXPECT_EQ(role_name(Role::kCustomsOperator), "customs_operator");
  EXPECT_EQ(parse_role("security_officer").value(), Role::kSecurityOfficer);
  EXPECT_EQ(parse_role("terminal_staff").value(), Role::kTerminalStaff);
  EXPECT_EQ(screening_kind_name(ScreeningKind::kVgb), "vgb");
  EXPECT_EQ(parse_screening_kind("vog").value(), ScreeningKind::kVog);
  EXPECT_EQ(fault_category_name(FaultCategory::kSoftware), "software");
}

TEST(RegisterNames, UnknownNameIsAnErrorListingTheChoices) {
  auto r = parse_zone_kind("dmz");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("'dmz'"), std::string::npos);
  EXPECT_NE(r.error().message().find("vendor_dmz"), std::string::npos);
  EXPECT_FALSE(parse_table("assets").has_value());
  EXPECT_FALSE(parse_role("Technician").has_value());  // names are case-sensitive
}

TEST(RegisterJson, RecordIsACompleteObjectWithDefaults) {
  auto j = record_to_json(Asset{});
  for (const char* key :
       {"id", "kind", "name", "model", "vendor", "site", "room", "zone", "maintenance_endpoint",
        "remote_capable", "watches", "criticality", "provenance"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["kind"], "other");
  EXPECT_EQ(j["criticality"], "medium");
  EXPECT_EQ(j["remote_capable"], false);
  auto p = record_to_json(RemoteAccessPolicy{});
  EXPECT_TRUE(p["max_session_minutes"].is_number_integer());
  EXPECT_EQ(p["max_session_minutes"], 240);
  EXPECT_TRUE(p["assets"].is_array());
}

TEST(RegisterJson, DatesIdentifiersAndRolesHaveTheirDocumentedShape) {
  auto reg = valid_register();
  auto s = record_to_json(reg.screenings[0]);
  EXPECT_EQ(s["issued"], "2026-01-01");
  EXPECT_EQ(s["kind"], "vog");
  auto o = record_to_json(reg.organisations[1]);
  EXPECT_EQ(o["identifiers"], json::parse(R"([{"scheme":"lei","value":"FICTIONAL00000000001"}])"));
  auto p = record_to_json(reg.people[1]);
  EXPECT_EQ(p["roles"], json::parse(R"(["security_officer","analyst"])"));
}

// record_to_json -> put_record_json gives back an equal record, for every table.
template <typename T>
void expect_round_trip(Table table, const std::vector<T>& records,
                       std::vector<T> Register::*member) {
  ASSERT_FALSE(records.empty()) << table_name(table);
  Register out;
  for (const auto& r : records) {
    auto s = put_record_json(out, table, record_to_json(r));
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
  }
  EXPECT_EQ(out.*member, records) << table_name(table);
  // Through text as well: the journal stores the payload as JSON text.
  Register text;
  for (const auto& r : records) {
    ASSERT_TRUE(put_record_json(text, table, json::parse(record_to_json(r).dump())));
  }
  EXPECT_EQ(text.*member, records) << table_name(table);
}

TEST(RegisterJson, EveryTableRoundTripsThroughJson) {
  const auto reg = valid_register();
  expect_round_trip(Table::kOrganisation, reg.organisations, &Register::organisations);
  expect_round_trip(Table::kSite, reg.sites, &Register::sites);
  expect_round_trip(Table::kRoom, reg.rooms, &Register::rooms);
  expect_round_trip(Table::kZone, reg.zones, &Register::zones);
  expect_round_trip(Table::kAsset, reg.assets, &Register::assets);
  expect_round_trip(Table::kZoneLink, reg.zone_links, &Register::zone_links);
  expect_round_trip(Table::kPerson, reg.people, &Register::people);
  expect_round_trip(Table::kScreening, reg.screenings, &Register::screenings);
  expect_round_trip(Table::kRemoteAccessPolicy, reg.remote_access_policies,
                    &Register::remote_access_policies);
  expect_round_trip(Table::kMaintenanceContract, reg.maintenance_contracts,
                    &Register::maintenance_contracts);
  expect_round_trip(Table::kFault, reg.faults, &Register::faults);
}

TEST(RegisterJson, RecordFieldsListExactlyTheKeysOfRecordToJson) {
  const auto reg = valid_register();
  const std::vector<std::pair<Table, json>> samples = {
      {Table::kOrganisation, record_to_json(reg.organisations[0])},
      {Table::kSite, record_to_json(reg.sites[0])},
      {Table::kRoom, record_to_json(reg.rooms[0])},
      {Table::kZone, record_to_json(reg.zones[0])},
      {Table::kAsset, record_to_json(reg.assets[0])},
      {Table::kZoneLink, record_to_json(reg.zone_links[0])},
      {Table::kPerson, record_to_json(reg.people[0])},
      {Table::kScreening, record_to_json(reg.screenings[0])},
      {Table::kRemoteAccessPolicy, record_to_json(reg.remote_access_policies[0])},
      {Table::kMaintenanceContract, record_to_json(reg.maintenance_contracts[0])},
      {Table::kFault, record_to_json(reg.faults[0])},
  };
  ASSERT_EQ(samples.size(), static_cast<std::size_t>(kTableCount));
  for (const auto& [table, j] : samples) {
    auto fields = record_fields(table);
    ASSERT_FALSE(fields.empty());
    EXPECT_EQ(fields[0].name, "id");
    EXPECT_EQ(fields.size(), j.size()) << table_name(table);
    for (const auto& f : fields) EXPECT_TRUE(j.contains(f.name)) << f.name;
  }
  auto screening = record_fields(Table::kScreening);
  EXPECT_EQ(screening[3].name, "issued");
  EXPECT_EQ(screening[3].type, FieldType::kDate);
  EXPECT_EQ(record_fields(Table::kFault)[2].type, FieldType::kTimestamp);
}

TEST(RegisterJson, PutReplacesTheRecordWithTheSameId) {
  auto reg = valid_register();
  auto j = record_to_json(reg.zones[1]);
  j["name"] = "Renamed DMZ";
  ASSERT_TRUE(put_record_json(reg, Table::kZone, j));
  ASSERT_EQ(reg.zones.size(), 2u);
  EXPECT_EQ(reg.zones[1].name, "Renamed DMZ");
}

TEST(RegisterJson, AbsentFieldsTakeTheirDefaults) {
  Register reg;
  ASSERT_TRUE(put_record_json(reg, Table::kRemoteAccessPolicy, {{"id", "p"}}));
  EXPECT_EQ(reg.remote_access_policies[0].max_session_minutes, 240);
  EXPECT_TRUE(reg.remote_access_policies[0].supervised);
}

// The error of put_record_json names the field; the message says what is wrong.
void expect_put_error(Table table, const json& record, std::string_view field,
                      std::string_view needle) {
  Register reg;
  auto detailed = put_record_json_detailed(reg, table, record);
  ASSERT_FALSE(detailed.has_value()) << record.dump();
  EXPECT_EQ(detailed.error().field, field) << record.dump();
  EXPECT_NE(detailed.error().message.find(needle), std::string::npos) << detailed.error().message;
  auto status = put_record_json(reg, table, record);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), core::Code::kInvalidArgument);
  if (!field.empty()) {
    EXPECT_NE(status.error().message().find(std::string(field) + ": "), std::string::npos)
        << status.error().message();
  }
  EXPECT_TRUE(reg.organisations.empty() && reg.assets.empty() && reg.people.empty());
}

TEST(RegisterJson, UnknownFieldIsAnErrorNamingIt) {
  expect_put_error(Table::kAsset, {{"id", "s"}, {"vendr", "x"}}, "vendr", "unknown field");
}

TEST(RegisterJson, WrongTypesAreErrorsNamingTheField) {
  expect_put_error(Table::kAsset, {{"id", "s"}, {"name", 5}}, "name", "expected a string");
  expect_put_error(Table::kAsset, {{"id", "s"}, {"remote_capable", "yes"}}, "remote_capable",
                   "expected a boolean");
  expect_put_error(Table::kRemoteAccessPolicy, {{"id", "p"}, {"max_session_minutes", 1.5}},
                   "max_session_minutes", "expected an integer, found a fraction");
  expect_put_error(Table::kRemoteAccessPolicy,
                   {{"id", "p"}, {"max_session_minutes", 18446744073709551615u}},
                   "max_session_minutes", "too large");
  expect_put_error(Table::kRemoteAccessPolicy, {{"id", "p"}, {"assets", "scanner-1"}}, "assets",
                   "expected an array");
  expect_put_error(Table::kRemoteAccessPolicy, {{"id", "p"}, {"assets", {"a", 3}}}, "assets[1]",
                   "expected a string");
  expect_put_error(Table::kScreening, {{"id", "s"}, {"issued", "2026-13-01"}}, "issued",
                   "not a date");
  expect_put_error(Table::kScreening, {{"id", "s"}, {"issued", "2026-01-01T00:00:00Z"}}, "issued",
                   "not a date");
  expect_put_error(Table::kZone, {{"id", 7}}, "id", "expected a string");
  expect_put_error(Table::kZone, json::array(), "", "expected a JSON object");
  expect_put_error(Table::kZone, {{"id", "z"}, {"name", nullptr}}, "name", "found null");
}

TEST(RegisterJson, BadEnumValuesAreErrorsNamingTheField) {
  expect_put_error(Table::kZone, {{"id", "z"}, {"kind", "dmz"}}, "kind", "unknown zone kind 'dmz'");
  expect_put_error(Table::kPerson, {{"id", "p"}, {"roles", {"technician", "boss"}}}, "roles[1]",
                   "unknown role 'boss'");
  expect_put_error(Table::kFault, {{"id", "f"}, {"category", "firmware"}}, "category",
                   "fault category");
}

TEST(RegisterJson, IdentifiersAreCheckedInside) {
  expect_put_error(Table::kOrganisation, {{"id", "o"}, {"identifiers", {{{"scheme", "lei"}}}}},
                   "identifiers[0].value", "missing");
  expect_put_error(Table::kOrganisation,
                   {{"id", "o"}, {"identifiers", {{{"scheme", "lei"}, {"value", "x"}, {"y", 1}}}}},
                   "identifiers[0].y", "unknown field");
  expect_put_error(Table::kOrganisation, {{"id", "o"}, {"identifiers", {"lei:x"}}},
                   "identifiers[0]", "expected an object");
}

TEST(RegisterJson, IdIsRequiredAndNotEmpty) {
  expect_put_error(Table::kZone, {{"name", "z"}}, "id", "missing");
  expect_put_error(Table::kZone, {{"id", ""}}, "id", "must not be empty");
}

// ---- validate_register ----------------------------------------------------------------------

TEST(RegisterValidate, ValidRegisterHasNoProblems) {
  auto problems = validate_register(valid_register());
  EXPECT_TRUE(problems.empty()) << describe(problems);
  EXPECT_TRUE(validate_register(Register{}).empty());
}

TEST(RegisterValidate, EmptyIdIsAProblem) {
  auto reg = valid_register();
  reg.zones.push_back(Zone{});
  EXPECT_TRUE(has_problem(reg, Table::kZone, "", "id", "must not be empty"));
}

TEST(RegisterValidate, DuplicateIdInATableIsAProblem) {
  auto reg = valid_register();
  reg.rooms.push_back(reg.rooms[0]);
  EXPECT_TRUE(has_problem(reg, Table::kRoom, "server-room", "id", "duplicate id"));
  // The same id in two different tables is fine.
  auto other = valid_register();
  other.zones[0].id = "server-room";
  other.assets[0].zone = "server-room";
  other.zone_links[0].to = "server-room";
  EXPECT_TRUE(validate_register(other).empty()) << describe(validate_register(other));
}

TEST(RegisterValidate, DanglingReferencesAreProblemsNamingTheField) {
  auto reg = valid_register();
  reg.sites[1].parent = "nowhere";
  reg.sites[1].operator_org = "nobody";
  reg.rooms[0].site = "nowhere";
  reg.assets[0].vendor = "nobody";
  reg.assets[0].zone = "nozone";
  reg.zone_links[0].via = "nodevice";
  reg.screenings[0].person = "ghost";
  reg.remote_access_policies[0].assets = {"scanner-1", "noscanner"};
  reg.maintenance_contracts[0].agreed_with = {"customs", "nobody"};
  reg.faults[0].asset = "noscanner";
  EXPECT_TRUE(has_problem(reg, Table::kSite, "terminal-1", "parent", "unknown site 'nowhere'"));
  EXPECT_TRUE(has_problem(reg, Table::kSite, "terminal-1", "operator_org", "unknown organisation"));
  EXPECT_TRUE(has_problem(reg, Table::kRoom, "server-room", "site", "unknown site"));
  EXPECT_TRUE(has_problem(reg, Table::kAsset, "scanner-1", "vendor", "unknown organisation"));
  EXPECT_TRUE(has_problem(reg, Table::kAsset, "scanner-1", "zone", "unknown zone 'nozone'"));
  EXPECT_TRUE(has_problem(reg, Table::kZoneLink, "dmz-closed", "via", "unknown asset"));
  EXPECT_TRUE(has_problem(reg, Table::kScreening, "vog-1", "person", "unknown person 'ghost'"));
  EXPECT_TRUE(has_problem(reg, Table::kRemoteAccessPolicy, "policy-a", "assets[1]",
                          "unknown asset 'noscanner'"));
  EXPECT_TRUE(has_problem(reg, Table::kMaintenanceContract, "contract-a", "agreed_with[1]",
                          "unknown organisation 'nobody'"));
  EXPECT_TRUE(has_problem(reg, Table::kFault, "fault-1", "asset", "unknown asset"));
}

TEST(RegisterValidate, ProblemsComeInTableOrder) {
  auto reg = valid_register();
  reg.faults[0].asset = "x";
  reg.sites[1].parent = "x";
  auto problems = validate_register(reg);
  ASSERT_EQ(problems.size(), 2u) << describe(problems);
  EXPECT_EQ(problems[0].table, Table::kSite);
  EXPECT_EQ(problems[1].table, Table::kFault);
}

TEST(RegisterValidate, RequiredReferencesMustBeSet) {
  auto reg = valid_register();
  reg.rooms[0].site.clear();
  reg.zone_links[0].from.clear();
  reg.people[0].organisation.clear();
  reg.maintenance_contracts[0].vendor.clear();
  reg.remote_access_policies[0].gateway.clear();
  EXPECT_TRUE(has_problem(reg, Table::kRoom, "server-room", "site", "missing"));
  EXPECT_TRUE(has_problem(reg, Table::kZoneLink, "dmz-closed", "from", "missing"));
  EXPECT_TRUE(has_problem(reg, Table::kPerson, "tech-1", "organisation", "missing"));
  EXPECT_TRUE(has_problem(reg, Table::kMaintenanceContract, "contract-a", "vendor", "missing"));
  EXPECT_TRUE(has_problem(reg, Table::kRemoteAccessPolicy, "policy-a", "gateway", "missing"));
}

TEST(RegisterValidate, ReferenceToARecordOfAnotherTableDoesNotResolve) {
  auto reg = valid_register();
  reg.assets[0].site = "server-room";  // a room, not a site
  EXPECT_TRUE(has_problem(reg, Table::kAsset, "scanner-1", "site", "unknown site 'server-room'"));
}

TEST(RegisterValidate, CameraMustWatchAScanner) {
  auto reg = valid_register();
  reg.assets[1].watches = "gateway";
  EXPECT_TRUE(has_problem(reg, Table::kAsset, "camera-1", "watches", "not a scanner"));
  reg.assets[1].watches = "nothing";
  EXPECT_TRUE(has_problem(reg, Table::kAsset, "camera-1", "watches", "unknown asset 'nothing'"));
}

TEST(RegisterValidate, OnlyACameraWatches) {
  auto reg = valid_register();
  reg.assets[2].watches = "scanner-1";
  EXPECT_TRUE(has_problem(reg, Table::kAsset, "gateway", "watches", "only a camera"));
}

TEST(RegisterValidate, PolicyGatewayMustBeAGatewayAsset) {
  auto reg = valid_register();
  reg.remote_access_policies[0].gateway = "scanner-1";
  EXPECT_TRUE(has_problem(reg, Table::kRemoteAccessPolicy, "policy-a", "gateway",
                          "which is a scanner, not a gateway"));
}

TEST(RegisterValidate, PolicyMustCoverSomething) {
  auto reg = valid_register();
  reg.remote_access_policies[0].vendor.clear();
  reg.remote_access_policies[0].assets.clear();
  EXPECT_TRUE(has_problem(reg, Table::kRemoteAccessPolicy, "policy-a", "assets", "covers nothing"));
}

TEST(RegisterValidate, PersonNeedsARole) {
  auto reg = valid_register();
  reg.people[1].roles.clear();
  EXPECT_TRUE(has_problem(reg, Table::kPerson, "officer-1", "roles", "at least one role"));
  reg.people[1].roles = {Role::kAnalyst, Role::kAnalyst};
  EXPECT_TRUE(has_problem(reg, Table::kPerson, "officer-1", "roles[1]", "listed twice"));
}

TEST(RegisterValidate, TechnicianMustWorkForAVendor) {
  auto reg = valid_register();
  reg.people[0].organisation = "customs";
  EXPECT_TRUE(has_problem(reg, Table::kPerson, "tech-1", "organisation",
                          "a technician works for a vendor; 'customs' is a customs"));
}

TEST(RegisterValidate, ScreeningMustExpireAfterItIsIssued) {
  auto reg = valid_register();
  reg.screenings[0].expires = reg.screenings[0].issued;
  EXPECT_TRUE(has_problem(reg, Table::kScreening, "vog-1", "expires", "is not after issued"));
}

TEST(RegisterValidate, ContractMustEndAfterItStarts) {
  auto reg = valid_register();
  reg.maintenance_contracts[0].end = date("2025-12-31");
  EXPECT_TRUE(
      has_problem(reg, Table::kMaintenanceContract, "contract-a", "end", "is not after start"));
}

TEST(RegisterValidate, TimestampsMustBeRfc3339) {
  auto reg = valid_register();
  reg.maintenance_contracts[0].first_window = "2026-01-05 08:00";
  reg.faults[0].reported = "yesterday";
  reg.faults[0].resolved = "2026-02-01T12:00:00";  // no offset
  reg.faults[1].reported.clear();
  EXPECT_TRUE(has_problem(reg, Table::kMaintenanceContract, "contract-a", "first_window",
                          "not an RFC 3339 timestamp"));
  EXPECT_TRUE(has_problem(reg, Table::kFault, "fault-1", "reported", "'yesterday'"));
  EXPECT_TRUE(has_problem(reg, Table::kFault, "fault-1", "resolved", "not an RFC 3339"));
  EXPECT_TRUE(has_problem(reg, Table::kFault, "fault-2", "reported", "missing"));
}

TEST(RegisterValidate, FaultCannotBeResolvedBeforeItIsReported) {
  auto reg = valid_register();
  reg.faults[0].resolved = "2026-01-31T10:00:00Z";
  EXPECT_TRUE(has_problem(reg, Table::kFault, "fault-1", "resolved", "before it was reported"));
}

TEST(RegisterValidate, CountsMustBePositive) {
  auto reg = valid_register();
  reg.remote_access_policies[0].max_session_minutes = 0;
  reg.maintenance_contracts[0].every_days = -91;
  reg.maintenance_contracts[0].window_hours = 0;
  EXPECT_TRUE(has_problem(reg, Table::kRemoteAccessPolicy, "policy-a", "max_session_minutes",
                          "must be positive"));
  EXPECT_TRUE(has_problem(reg, Table::kMaintenanceContract, "contract-a", "every_days",
                          "must be positive, is -91"));
  EXPECT_TRUE(
      has_problem(reg, Table::kMaintenanceContract, "contract-a", "window_hours", "positive"));
}

TEST(RegisterValidate, CountryIsTwoCapitals) {
  auto reg = valid_register();
  reg.organisations[0].country = "nl";
  EXPECT_TRUE(has_problem(reg, Table::kOrganisation, "customs", "country", "alpha-2"));
  reg.organisations[0].country = "NLD";
  EXPECT_TRUE(has_problem(reg, Table::kOrganisation, "customs", "country", "alpha-2"));
}

TEST(RegisterValidate, IdentifierNeedsSchemeAndValue) {
  auto reg = valid_register();
  reg.organisations[1].identifiers[0].value.clear();
  EXPECT_TRUE(has_problem(reg, Table::kOrganisation, "vendor-a", "identifiers[0]", "empty"));
}

TEST(RegisterValidate, SiteParentsMustNotCycle) {
  auto reg = valid_register();
  reg.sites[0].parent = "terminal-1";  // port inside terminal-1 inside port
  EXPECT_TRUE(has_problem(reg, Table::kSite, "port", "parent", "cycle"));
  reg.sites[0].parent = "port";
  EXPECT_TRUE(has_problem(reg, Table::kSite, "port", "parent", "cycle"));
}

TEST(RegisterValidate, AssetRoomMustBeAtTheAssetSite) {
  auto reg = valid_register();
  reg.assets[2].site = "terminal-1";
  EXPECT_TRUE(has_problem(reg, Table::kAsset, "gateway", "room", "is at site 'office'"));
}

TEST(RegisterValidate, LinkJoinsTwoDifferentZones) {
  auto reg = valid_register();
  reg.zone_links[0].to = "dmz";
  EXPECT_TRUE(has_problem(reg, Table::kZoneLink, "dmz-closed", "to", "two different zones"));
}

TEST(RegisterValidate, MaintenanceEndpointIsHostAndPort) {
  auto reg = valid_register();
  for (const char* bad : {"10.0.0.1", ":22", "host:", "host:0", "host:70000", "host:2x"}) {
    reg.assets[0].maintenance_endpoint = bad;
    EXPECT_TRUE(has_problem(reg, Table::kAsset, "scanner-1", "maintenance_endpoint", "host:port"))
        << bad;
  }
  reg.assets[0].maintenance_endpoint = "[fd00::1]:443";
  EXPECT_TRUE(validate_register(reg).empty());
}

}  // namespace
}  // namespace pw::domain
