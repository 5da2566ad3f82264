#include "formats/inventory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/test_support.h"

namespace pw::formats {
namespace {

namespace fs = std::filesystem;
using domain::Table;
using pw::testing::read_file;
using pw::testing::TempDir;
using pw::testing::write_file;

// One small inventory using every table, dates and timestamps in both spellings.
constexpr std::string_view kInventory = R"(# test inventory
[[organisation]]
id = "customs"
name = "Douane"
kind = "customs"
country = "NL"
provenance = "seed Q4"

[[organisation]]
id = "vendor-a"
name = "Vendor \"A\""
kind = "vendor"
country = "CN"
ownership_entity = "bods:vendor-a"
identifiers = [{ scheme = "lei", value = "FICTIONAL00000000001" }]
provenance = "fictional"

[[site]]
id = "port"
name = "Port"
kind = "port"

[[site]]
id = "office"
name = "Customs office"
kind = "customs_office"
parent = "port"
operator_org = "customs"

[[room]]
id = "server-room"
site = "office"
kind = "server_room"

[[zone]]
id = "closed"
kind = "closed_scan"

[[zone]]
id = "dmz"
kind = "vendor_dmz"
vendor_reachable = true

[[asset]]
id = "scanner-1"
kind = "scanner"
vendor = "vendor-a"
site = "port"
zone = "closed"
maintenance_endpoint = "10.0.0.1:8443"
remote_capable = true
criticality = "high"

[[asset]]
id = "gateway"
kind = "gateway"
site = "office"
room = "server-room"
zone = "dmz"

[[zone_link]]
id = "dmz-closed"
from = "dmz"
to = "closed"
via = "gateway"

[[person]]
id = "tech-1"
name = "T. Echnician"
organisation = "vendor-a"
roles = ["technician"]

[[screening]]
id = "vog-1"
person = "tech-1"
kind = "vog"
issued = 2026-01-01
expires = "2026-12-15"

[[remote_access_policy]]
id = "policy-a"
vendor = "vendor-a"
gateway = "gateway"
max_session_minutes = 120

[[maintenance_contract]]
id = "contract-a"
vendor = "vendor-a"
assets = ["scanner-1"]
start = 2026-01-01
end = 2027-01-01
first_window = 2026-01-05T08:00:00Z
agreed_with = ["customs"]

[[fault]]
id = "fault-1"
asset = "scanner-1"
reported = 2026-02-01T10:00:00.25+01:00
resolved = "2026-02-01T12:00:00Z"
category = "software"
fixed_remotely = true
)";

domain::Register read_ok(std::string_view text, std::string_view name = "inv.toml") {
  auto r = read_inventory_string(text, name);
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  return r ? std::move(*r) : domain::Register{};
}

// The error of reading `text`, which must fail.
std::string read_error(std::string_view text, std::string_view name = "inv.toml") {
  auto r = read_inventory_string(text, name);
  EXPECT_FALSE(r.has_value()) << text;
  return r ? std::string() : r.error().message();
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// kInventory with `from` (which must occur) replaced by `to`.
std::string edited(std::string_view from, std::string_view to) {
  std::string s(kInventory);
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(InventoryRead, ReadsEveryTableAndBothDateSpellings) {
  auto reg = read_ok(kInventory);
  ASSERT_EQ(reg.organisations.size(), 2u);
  EXPECT_EQ(reg.organisations[1].name, "Vendor \"A\"");
  EXPECT_EQ(reg.organisations[1].identifiers.at(0).value, "FICTIONAL00000000001");
  EXPECT_EQ(reg.sites.size(), 2u);
  EXPECT_EQ(reg.rooms.at(0).kind, domain::RoomKind::kServerRoom);
  EXPECT_TRUE(reg.zones.at(1).vendor_reachable);
  EXPECT_EQ(reg.assets.at(1).id, "scanner-1");  // sorted by id: gateway, scanner-1
  EXPECT_EQ(reg.assets.at(1).criticality, domain::Criticality::kHigh);
  EXPECT_EQ(reg.zone_links.at(0).via, "gateway");
  EXPECT_EQ(reg.people.at(0).roles, std::vector<domain::Role>{domain::Role::kTechnician});
  EXPECT_EQ(domain::format_date(reg.screenings.at(0).issued), "2026-01-01");
  EXPECT_EQ(domain::format_date(reg.screenings.at(0).expires), "2026-12-15");
  EXPECT_EQ(reg.remote_access_policies.at(0).max_session_minutes, 120);
  EXPECT_TRUE(reg.remote_access_policies.at(0).supervised);  // default
  EXPECT_EQ(reg.maintenance_contracts.at(0).first_window, "2026-01-05T08:00:00Z");
  EXPECT_EQ(reg.maintenance_contracts.at(0).every_days, 91);
  EXPECT_EQ(reg.faults.at(0).reported, "2026-02-01T10:00:00.25+01:00");
  EXPECT_EQ(reg.faults.at(0).resolved, "2026-02-01T12:00:00Z");
  EXPECT_TRUE(reg.faults.at(0).fixed_remotely);
}

TEST(InventoryRead, TablesAreSortedByIdWhateverTheFileOrder) {
  auto reg = read_ok(R"([[zone]]
id = "b"
[[zone]]
id = "a"
[[zone]]
id = "c"
)");
  ASSERT_EQ(reg.zones.size(), 3u);
  EXPECT_EQ(reg.zones[0].id, "a");
  EXPECT_EQ(reg.zones[2].id, "c");
}

TEST(InventoryRead, SyntaxErrorNamesFileLineAndColumn) {
  auto e = read_error("[[zone]]\nid = \"a\"\nname = \"unterminated\n", "zones.toml");
  EXPECT_CONTAINS(e, "zones.toml:3:");
}

TEST(InventoryRead, UnknownTopLevelTableIsRejected) {
  auto e = read_error("[[scanner]]\nid = \"s\"\n", "x.toml");
  EXPECT_CONTAINS(e, "x.toml:1:");
  EXPECT_CONTAINS(e, "unknown table [[scanner]]");
  EXPECT_CONTAINS(e, "asset");  // the choices are listed
}

TEST(InventoryRead, TopLevelTableMustBeAnArrayOfTables) {
  EXPECT_CONTAINS(read_error("[zone]\nid = \"z\"\n"), "must be an array of tables ([[zone]])");
  EXPECT_CONTAINS(read_error("zone = 5\n"), "must be an array of tables");
  EXPECT_CONTAINS(read_error("zone = [1]\n"), "[[zone]] #1: expected a table, found an integer");
}

TEST(InventoryRead, UnknownKeyNamesFileLineTableAndRecord) {
  auto e = read_error(edited("maintenance_endpoint = ", "vendr = \"x\"\nmaintenance_endpoint = "),
                      "examples/x/assets.toml");
  EXPECT_CONTAINS(e, "examples/x/assets.toml:50:1: [[asset]] 'scanner-1': unknown key 'vendr'");
}

TEST(InventoryRead, WrongTypeNamesTheField) {
  EXPECT_CONTAINS(read_error(edited("remote_capable = true", "remote_capable = \"yes\"")),
                  "inv.toml:51:18: [[asset]] 'scanner-1': remote_capable: expected a boolean, "
                  "found a string");
  EXPECT_CONTAINS(read_error(edited("max_session_minutes = 120", "max_session_minutes = 1.5")),
                  "[[remote_access_policy]] 'policy-a': max_session_minutes: expected an integer, "
                  "found a float");
  EXPECT_CONTAINS(read_error(edited("assets = [\"scanner-1\"]", "assets = [\"scanner-1\", 3]")),
                  "[[maintenance_contract]] 'contract-a': assets[1]: expected a string");
  EXPECT_CONTAINS(read_error(edited("issued = 2026-01-01", "issued = 2026-01-01T00:00:00Z")),
                  "issued: expected a date");
  EXPECT_CONTAINS(read_error(edited("name = \"Port\"", "name = 2026-01-01")),
                  "[[site]] 'port': name: expected a string, found a date");
  EXPECT_CONTAINS(read_error(edited("identifiers = [{ scheme = \"lei\", value = "
                                    "\"FICTIONAL00000000001\" }]",
                                    "identifiers = [{ scheme = \"lei\", value = 5 }]")),
                  "[[organisation]] 'vendor-a': identifiers[0].value: expected a string");
}

TEST(InventoryRead, TimestampNeedsAnOffset) {
  EXPECT_CONTAINS(read_error(edited("first_window = 2026-01-05T08:00:00Z",
                                    "first_window = 2026-01-05T08:00:00")),
                  "first_window: a date-time needs an offset");
}

TEST(InventoryRead, BadEnumValueNamesTheFieldAndItsLine) {
  auto e = read_error(edited("kind = \"closed_scan\"", "kind = \"closed\""));
  EXPECT_CONTAINS(e, "inv.toml:37:8: [[zone]] 'closed': kind: unknown zone kind 'closed'");
  EXPECT_CONTAINS(read_error(edited("roles = [\"technician\"]", "roles = [\"technician\", \"x\"]")),
                  "[[person]] 'tech-1': roles[1]: unknown role 'x'");
  EXPECT_CONTAINS(read_error(edited("expires = \"2026-12-15\"", "expires = \"15-12-2026\"")),
                  "[[screening]] 'vog-1': expires: '15-12-2026' is not a date");
}

TEST(InventoryRead, RecordWithoutIdIsNamedByItsIndex) {
  auto e = read_error("[[zone]]\nid = \"a\"\n\n[[zone]]\nname = \"no id\"\n");
  EXPECT_CONTAINS(e, "inv.toml:4:1: [[zone]] #2: missing key 'id'");
  EXPECT_CONTAINS(read_error("[[zone]]\nid = \"\"\n"), "[[zone]] #1: id: must not be empty");
  EXPECT_CONTAINS(read_error("[[zone]]\nid = 3\n"), "[[zone]] #1: id: expected a string");
}

TEST(InventoryRead, DuplicateIdNamesBothPlaces) {
  auto e = read_error("[[zone]]\nid = \"a\"\n\n[[zone]]\nid = \"a\"\n");
  EXPECT_CONTAINS(e, "inv.toml:4:1: [[zone]] 'a': duplicate id (first at inv.toml:1:1)");
  // The same id in two tables is not a duplicate.
  read_ok("[[zone]]\nid = \"a\"\n[[organisation]]\nid = \"a\"\n");
}

TEST(InventoryRead, DanglingReferenceIsReportedAtTheField) {
  auto e = read_error(
      edited("vendor = \"vendor-a\"\nsite = \"port\"", "vendor = \"vendor-b\"\nsite = \"port\""));
  EXPECT_CONTAINS(e,
                  "inv.toml:47:10: [[asset]] 'scanner-1': vendor: refers to unknown organisation "
                  "'vendor-b'");
  EXPECT_CONTAINS(read_error(edited("assets = [\"scanner-1\"]", "assets = [\"scanner-9\"]")),
                  "[[maintenance_contract]] 'contract-a': assets[0]: refers to unknown asset "
                  "'scanner-9'");
}

TEST(InventoryRead, EveryValidationProblemIsReported) {
  auto e = read_error(edited("expires = \"2026-12-15\"", "expires = \"2025-12-15\"") +
                      "\n[[person]]\nid = \"nobody\"\norganisation = \"customs\"\n");
  EXPECT_CONTAINS(e, "[[person]] 'nobody': roles: a person has at least one role");
  EXPECT_CONTAINS(e, "[[screening]] 'vog-1': expires: expires 2025-12-15 is not after issued");
  EXPECT_CONTAINS(read_error(edited("gateway = \"gateway\"", "gateway = \"scanner-1\"")),
                  "[[remote_access_policy]] 'policy-a': gateway: refers to asset 'scanner-1', "
                  "which is a scanner, not a gateway");
  EXPECT_CONTAINS(read_error(edited("resolved = \"2026-02-01T12:00:00Z\"", "resolved = \"noon\"")),
                  "[[fault]] 'fault-1': resolved: 'noon' is not an RFC 3339 timestamp");
}

TEST(InventoryRead, AllProblemsOfAFileAreListed) {
  auto e = read_error("[[zone]]\nid = \"a\"\nx = 1\n[[zone]]\nid = \"b\"\ny = 2\n");
  EXPECT_CONTAINS(e, "unknown key 'x'");
  EXPECT_CONTAINS(e, "unknown key 'y'");
}

TEST(InventoryRead, HostileInputIsAnErrorNotACrash) {
  EXPECT_FALSE(read_inventory_string(std::string(5000, '['), "deep.toml").has_value());
  EXPECT_FALSE(read_inventory_string("\xff\xfe[[zone]]", "bad-utf8.toml").has_value());
  EXPECT_FALSE(
      read_inventory_string(std::string("[[zone]]\nid = \"a\0b\"\n", 18), "nul.toml").has_value());
  EXPECT_FALSE(
      read_inventory_string("[[zone]]\nid = \"a\"\nname = [[[[1]]]]\n", "x.toml").has_value());
}

TEST(InventoryFiles, ReadsADirectoryOfFilesInNameOrder) {
  TempDir dir;
  write_file(dir / "b-zones.toml", "[[zone]]\nid = \"closed\"\nkind = \"closed_scan\"\n");
  write_file(dir / "a-assets.toml",
             "[[asset]]\nid = \"s\"\nkind = \"scanner\"\nzone = \"closed\"\n");  // refers ahead
  write_file(dir / "notes.txt", "not an inventory");
  write_file(dir / ".hidden.toml", "this is not TOML");
  fs::create_directory(dir / "sub");
  write_file(dir / "sub" / "x.toml", "this is not TOML either");
  auto reg = read_inventory(dir.path());
  ASSERT_TRUE(reg.has_value()) << reg.error().to_string();
  EXPECT_EQ(reg->zones.size(), 1u);
  EXPECT_EQ(reg->assets.size(), 1u);
}

TEST(InventoryFiles, ErrorsNameTheFileInTheDirectory) {
  TempDir dir;
  write_file(dir / "zones.toml", "[[zone]]\nid = \"closed\"\n");
  write_file(dir / "assets.toml", "[[asset]]\nid = \"s\"\nzone = \"closd\"\n");
  auto reg = read_inventory(dir.path());
  ASSERT_FALSE(reg.has_value());
  EXPECT_CONTAINS(reg.error().message(), (dir / "assets.toml").string() +
                                             ":3:8: [[asset]] 's': zone: refers to unknown zone "
                                             "'closd'");
}

TEST(InventoryFiles, DuplicateIdAcrossFilesNamesBothFiles) {
  TempDir dir;
  write_file(dir / "a.toml", "[[zone]]\nid = \"closed\"\n");
  write_file(dir / "b.toml", "# another\n[[zone]]\nid = \"closed\"\n");
  auto reg = read_inventory(dir.path());
  ASSERT_FALSE(reg.has_value());
  EXPECT_CONTAINS(reg.error().message(), (dir / "b.toml").string() +
                                             ":2:1: [[zone]] 'closed': duplicate id (first at " +
                                             (dir / "a.toml").string() + ":1:1)");
}

TEST(InventoryFiles, OneBadFileRejectsTheWholeInventory) {
  TempDir dir;
  write_file(dir / "a.toml", "[[zone]]\nid = \"closed\"\n");
  write_file(dir / "b.toml", "[[zone]\n");
  auto reg = read_inventory(dir.path());
  ASSERT_FALSE(reg.has_value());
  EXPECT_CONTAINS(reg.error().message(), (dir / "b.toml").string() + ":1:");
}

TEST(InventoryFiles, ReadsASingleFile) {
  TempDir dir;
  write_file(dir / "all.toml", std::string(kInventory));
  auto reg = read_inventory(dir / "all.toml");
  ASSERT_TRUE(reg.has_value()) << reg.error().to_string();
  EXPECT_EQ(reg->faults.size(), 1u);
}

TEST(InventoryFiles, MissingPathAndEmptyDirectoryAreErrors) {
  TempDir dir;
  auto missing = read_inventory(dir / "nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), core::Code::kNotFound);
  auto empty = read_inventory(dir.path());
  ASSERT_FALSE(empty.has_value());
  EXPECT_CONTAINS(empty.error().message(), "no *.toml files");
}

TEST(InventoryWrite, RoundTripGivesAnEqualRegister) {
  const auto original = read_ok(kInventory);
  TempDir dir;
  ASSERT_TRUE(write_inventory(original, dir / "out"));
  auto back = read_inventory(dir / "out");
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_TRUE(*back == original);
  EXPECT_EQ(back->faults, original.faults);
  EXPECT_EQ(back->organisations, original.organisations);
  EXPECT_TRUE(fs::exists(dir / "out" / "organisations.toml"));
  EXPECT_TRUE(fs::exists(dir / "out" / "remote_access_policies.toml"));
}

TEST(InventoryWrite, AwkwardStringsRoundTrip) {
  domain::Register reg;
  domain::Organisation o;
  o.id = "o";
  o.name = "Quote \" backslash \\ newline \n tab \t bell \x07 del \x7f ümlaut 中文 😀";
  o.provenance = "'single' \"\"\" triple";
  reg.organisations.push_back(o);
  TempDir dir;
  ASSERT_TRUE(write_inventory(reg, dir.path()));
  auto back = read_inventory(dir.path());
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(back->organisations, reg.organisations);
}

TEST(InventoryWrite, OutputIsDeterministicSortedAndMarkedAsExported) {
  auto reg = read_ok(kInventory);
  std::swap(reg.assets[0], reg.assets[1]);  // order in memory does not matter
  TempDir a, b;
  ASSERT_TRUE(write_inventory(reg, a.path()));
  ASSERT_TRUE(write_inventory(read_ok(kInventory), b.path()));
  for (const auto* name : {"organisations.toml", "assets.toml", "faults.toml"}) {
    EXPECT_EQ(read_file(a / name), read_file(b / name)) << name;
  }
  const auto assets = read_file(a / "assets.toml");
  EXPECT_EQ(assets.rfind("# Exported by portwarden", 0), 0u);
  EXPECT_LT(assets.find("id = \"gateway\""), assets.find("id = \"scanner-1\""));
  // id first, then the fields in record order; dates bare, timestamps quoted.
  EXPECT_CONTAINS(assets, "[[asset]]\nid = \"gateway\"\nkind = \"gateway\"\n");
  EXPECT_CONTAINS(read_file(a / "screenings.toml"), "issued = 2026-01-01\n");
  EXPECT_CONTAINS(read_file(a / "faults.toml"), "resolved = \"2026-02-01T12:00:00Z\"\n");
  // No temporary files left behind.
  for (const auto& entry : fs::directory_iterator(a.path())) {
    EXPECT_EQ(entry.path().extension(), ".toml") << entry.path();
  }
}

TEST(InventoryWrite, EmptyTablesHaveNoFileAndAnEmptiedTableLosesIt) {
  auto reg = read_ok(kInventory);
  TempDir dir;
  ASSERT_TRUE(write_inventory(reg, dir.path()));
  EXPECT_TRUE(fs::exists(dir / "faults.toml"));
  reg.faults.clear();
  ASSERT_TRUE(write_inventory(reg, dir.path()));
  EXPECT_FALSE(fs::exists(dir / "faults.toml"));
  auto back = read_inventory(dir.path());
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_TRUE(back->faults.empty());
}

TEST(InventoryWrite, RefusesADirectoryWithOtherTomlFiles) {
  TempDir dir;
  write_file(dir / "mine.toml", "# hand-written\n");
  auto s = write_inventory(read_ok(kInventory), dir.path());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), core::Code::kFailedPrecondition);
  EXPECT_CONTAINS(s.error().message(), "mine.toml");
  EXPECT_FALSE(fs::exists(dir / "assets.toml"));
}

TEST(InventoryWrite, InvalidUtf8IsAnErrorNamingTheRecord) {
  domain::Register reg;
  domain::Zone z;
  z.id = "z";
  z.name = "bad \xc3";
  reg.zones.push_back(z);
  TempDir dir;
  auto s = write_inventory(reg, dir.path());
  ASSERT_FALSE(s.has_value());
  EXPECT_CONTAINS(s.error().message(), "zone 'z': name is not valid UTF-8");
  EXPECT_FALSE(fs::exists(dir / "zones.toml"));
}

}  // namespace
}  // namespace pw::formats
