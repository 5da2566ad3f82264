#pragma once
// The site register (DESIGN.md: Fleet and site register, seed Q4, Q9, Q11-Q13): who and what is
// where, and how the networks connect. Values only; no I/O. The inventory TOML files
// (formats/inventory) are read into a Register; the topology checks (topology/) and the supplier
// assessment (assessment/) compute over it; the app journals every change to it as an event
// (one `register.put` per record that changed, see event_types.h).
//
// Every record has a stable `id`, unique within its table, that other records refer to. A
// record's `provenance` says where its facts come from: a question of the source document
// ("seed Q4") or "fictional" for demo data the document does not state.

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"  // Date, Identifier

namespace pw::domain {

// The tables of the register, in dependency order (a record refers only to tables before it,
// except assets, which may refer to other assets: a camera watches a scanner).
enum class Table {
  kOrganisation,
  kSite,
  kRoom,
  kZone,
  kAsset,
  kZoneLink,
  kPerson,
  kScreening,
  kRemoteAccessPolicy,
  kMaintenanceContract,
  kFault,
};
inline constexpr int kTableCount = 11;
// The TOML table / journal name: "organisation", "site", "room", "zone", "asset", "zone_link",
// "person", "screening", "remote_access_policy", "maintenance_contract", "fault".
std::string_view table_name(Table t);
core::Result<Table> parse_table(std::string_view name);

enum class OrgKind { kCustoms, kTerminalOperator, kVendor, kAuditor, kOther };
struct Organisation {
  std::string id;
  std::string name;
  OrgKind kind = OrgKind::kOther;
  std::string country;  // ISO 3166-1 alpha-2, uppercase; empty when unknown
  // The organisation in the ownership data (an Entity::id such as "bods:nuctech"), and/or
  // register identifiers (e.g. lei) that find it there. Used by the assessment (criterion 1).
  std::string ownership_entity;
  std::vector<Identifier> identifiers;
  std::string provenance;
  friend bool operator==(const Organisation&, const Organisation&) = default;
};

enum class SiteKind { kPort, kTerminal, kCustomsOffice, kOther };
struct Site {
  std::string id;
  std::string name;
  SiteKind kind = SiteKind::kOther;
  std::string parent;        // a Site::id (a terminal inside a port); empty for none
  std::string operator_org;  // an Organisation::id; empty for none
  std::string provenance;
  friend bool operator==(const Site&, const Site&) = default;
};

enum class RoomKind { kServerRoom, kControlRoom, kScanHall, kOther };
struct Room {
  std::string id;
  std::string name;
  std::string site;  // Site::id
  RoomKind kind = RoomKind::kOther;
  std::string provenance;
  friend bool operator==(const Room&, const Room&) = default;
};

enum class ZoneKind {
  kClosedScan,  // the closed network the scanners and their servers live on (Q9)
  kOffice,      // an office network
  kVendorDmz,   // where vendor connections terminate
  kInternet,    // outside
  kOther,
};
struct Zone {
  std::string id;
  std::string name;
  ZoneKind kind = ZoneKind::kOther;
  // A vendor (outside party) can reach this zone without passing a gateway (a vendor DMZ, the
  // internet, a zone with vendor VPN endpoints).
  bool vendor_reachable = false;
  std::string provenance;
  friend bool operator==(const Zone&, const Zone&) = default;
};

enum class AssetKind {
  kScanner,
  kServer,
  kCamera,
  kGateway,  // the remote-maintenance gateway (portwarden's own, or another jump host)
  kFirewall,
  kRouter,
  kWorkstation,
  kOther,
};
enum class Criticality { kLow, kMedium, kHigh };
struct Asset {
  std::string id;
  AssetKind kind = AssetKind::kOther;
  std::string name;
  std::string model;
  std::string vendor;  // Organisation::id of the supplier; empty for none
  std::string site;    // Site::id; empty when unknown
  std::string room;    // Room::id; empty when not in a room (a scanner on a terminal)
  std::string zone;    // Zone::id; empty when not networked
  // host:port the vendor maintains it through (remote or on-site laptop); empty for none.
  std::string maintenance_endpoint;
  bool remote_capable = false;  // the vendor can maintain it remotely
  std::string watches;          // camera only: the Asset::id of the scanner it watches
  Criticality criticality = Criticality::kMedium;
  std::string provenance;
  friend bool operator==(const Asset&, const Asset&) = default;
};

// A network link between two zones, and the asset that mediates it (a firewall, a router, the
// remote-maintenance gateway). Links carry traffic both ways unless `one_way` (a data diode:
// only from -> to).
struct ZoneLink {
  std::string id;
  std::string from;  // Zone::id
  std::string to;    // Zone::id
  std::string via;   // Asset::id of the mediating device; empty = a direct, unmediated link
  bool one_way = false;
  std::string provenance;
  friend bool operator==(const ZoneLink&, const ZoneLink&) = default;
};

enum class Role {
  kTechnician,       // a vendor's maintenance technician
  kCustomsOperator,  // customs system operator (lets technicians into the server room, Q12)
  kSecurityOfficer,  // customs security officer
  kTerminalStaff,    // issues work permits (Q13)
  kAnalyst,          // assesses suppliers
  kAuditor,          // external auditor (Q4, Q9)
};
struct Person {
  std::string id;
  std::string name;
  std::string organisation;  // Organisation::id of the employer
  std::vector<Role> roles;   // at least one
  std::string provenance;
  friend bool operator==(const Person&, const Person&) = default;
};

enum class ScreeningKind {
  kVog,  // Verklaring Omtrent het Gedrag (certificate of conduct)
  kVgb,  // Verklaring van Geen Bezwaar (security clearance after an AIVD/MIVD investigation)
};
struct Screening {
  std::string id;
  std::string person;  // Person::id
  ScreeningKind kind = ScreeningKind::kVog;
  Date issued;
  Date expires;  // exclusive: valid on days issued <= d < expires
  std::string reference;
  std::string provenance;
  friend bool operator==(const Screening&, const Screening&) = default;
};

// How remote maintenance of some assets is allowed: only through `gateway`, supervised or not,
// at most `max_session_minutes`, recorded. An asset is covered when it is listed in `assets` or
// its vendor is `vendor` (with `assets` empty).
struct RemoteAccessPolicy {
  std::string id;
  std::string vendor;               // Organisation::id; empty = by asset list only
  std::vector<std::string> assets;  // Asset::ids
  std::string gateway;              // Asset::id of kind kGateway
  bool supervised = true;
  bool recorded = true;
  std::int64_t max_session_minutes = 240;
  std::string provenance;
  friend bool operator==(const RemoteAccessPolicy&, const RemoteAccessPolicy&) = default;
};

// A maintenance contract (Q13): recurring preventive windows for some assets, agreed with customs
// and the terminal. Windows start at `first_window` (RFC 3339, UTC) and repeat every
// `every_days` days, each lasting `window_hours`, while the contract runs [start, end).
struct MaintenanceContract {
  std::string id;
  std::string vendor;               // Organisation::id
  std::vector<std::string> assets;  // Asset::ids
  Date start;
  Date end;
  std::string first_window;  // RFC 3339 timestamp, e.g. "2026-01-05T08:00:00Z"
  std::int64_t every_days = 91;
  std::int64_t window_hours = 8;
  std::vector<std::string> agreed_with;  // Organisation::ids (customs, the terminal operator)
  std::string provenance;
  friend bool operator==(const MaintenanceContract&, const MaintenanceContract&) = default;
};

// A fault in the history of an asset (Q10: about a third are software faults fixed remotely).
enum class FaultCategory { kSoftware, kHardware, kOther };
struct Fault {
  std::string id;
  std::string asset;     // Asset::id
  std::string reported;  // RFC 3339
  std::string resolved;  // RFC 3339; empty while open
  FaultCategory category = FaultCategory::kOther;
  bool fixed_remotely = false;
  std::string provenance;
  friend bool operator==(const Fault&, const Fault&) = default;
};

struct Register {
  std::vector<Organisation> organisations;
  std::vector<Site> sites;
  std::vector<Room> rooms;
  std::vector<Zone> zones;
  std::vector<Asset> assets;
  std::vector<ZoneLink> zone_links;
  std::vector<Person> people;
  std::vector<Screening> screenings;
  std::vector<RemoteAccessPolicy> remote_access_policies;
  std::vector<MaintenanceContract> maintenance_contracts;
  std::vector<Fault> faults;

  // Lookups by id (linear; registers are small). nullptr when absent; the pointer lives as long
  // as the Register is not modified.
  const Organisation* organisation(std::string_view id) const;
  const Site* site(std::string_view id) const;
  const Room* room(std::string_view id) const;
  const Zone* zone(std::string_view id) const;
  const Asset* asset(std::string_view id) const;
  const Person* person(std::string_view id) const;

  // Equal tables in equal order (added for the inventory round trip and re-import checks).
  friend bool operator==(const Register&, const Register&) = default;
};

// Names of the enums as the inventory files and events spell them (snake_case, e.g.
// "terminal_operator", "closed_scan", "customs_operator", "vog"), and their parsers.
std::string_view org_kind_name(OrgKind k);
core::Result<OrgKind> parse_org_kind(std::string_view s);
std::string_view site_kind_name(SiteKind k);
core::Result<SiteKind> parse_site_kind(std::string_view s);
std::string_view room_kind_name(RoomKind k);
core::Result<RoomKind> parse_room_kind(std::string_view s);
std::string_view zone_kind_name(ZoneKind k);
core::Result<ZoneKind> parse_zone_kind(std::string_view s);
std::string_view asset_kind_name(AssetKind k);
core::Result<AssetKind> parse_asset_kind(std::string_view s);
std::string_view criticality_name(Criticality c);
core::Result<Criticality> parse_criticality(std::string_view s);
std::string_view role_name(Role r);
core::Result<Role> parse_role(std::string_view s);
std::string_view screening_kind_name(ScreeningKind k);
core::Result<ScreeningKind> parse_screening_kind(std::string_view s);
std::string_view fault_category_name(FaultCategory c);
core::Result<FaultCategory> parse_fault_category(std::string_view s);

// A record as one JSON object with the inventory's field names (the journal payload of
// `register.put` and the register views). Fields at their default are still written, so the
// object is complete. Integers only (canonical JSON has no floats).
nlohmann::json record_to_json(const Organisation& r);
nlohmann::json record_to_json(const Site& r);
nlohmann::json record_to_json(const Room& r);
nlohmann::json record_to_json(const Zone& r);
nlohmann::json record_to_json(const Asset& r);
nlohmann::json record_to_json(const ZoneLink& r);
nlohmann::json record_to_json(const Person& r);
nlohmann::json record_to_json(const Screening& r);
nlohmann::json record_to_json(const RemoteAccessPolicy& r);
nlohmann::json record_to_json(const MaintenanceContract& r);
nlohmann::json record_to_json(const Fault& r);

// Adds one record, given as JSON of `table` (as record_to_json writes it), to `reg`, replacing a
// record with the same id. Unknown fields, wrong types and bad enum values are errors that name
// the field. References are not checked here (see validate_register).
core::Status put_record_json(Register& reg, Table table, const nlohmann::json& record);

// put_record_json's error with the field kept apart (e.g. "kind", "identifiers[0].scheme"; empty
// for the record as a whole) and a message that does not repeat it, so that a reader of another
// format (the inventory TOML) can point at the field's source position. Added for
// formats/inventory; put_record_json is this plus a message "table 'id': field: message".
struct RecordFieldError {
  std::string field;
  std::string message;
};
std::expected<void, RecordFieldError> put_record_json_detailed(Register& reg, Table table,
                                                               const nlohmann::json& record);

// The fields of a table's records as record_to_json writes them, in declaration order (`id`
// first), with the JSON shape each takes. Readers and writers of other formats use it to agree
// with record_to_json: the known keys, which fields are dates (a TOML date) or RFC 3339
// timestamps (a TOML date-time), and a stable field order.
enum class FieldType {
  kString,  // also enums, spelled by their *_name function
  kBool,
  kInteger,         // int64
  kDate,            // "YYYY-MM-DD"
  kTimestamp,       // RFC 3339 text, may be empty where the record allows it
  kStringList,      // also lists of enums (roles)
  kIdentifierList,  // [{"scheme": ..., "value": ...}]
};
struct FieldInfo {
  std::string_view name;
  FieldType type;
};
std::span<const FieldInfo> record_fields(Table table);

// One problem found by validate_register: the table, the record's id, the field, and what is
// wrong ("refers to unknown site 'x'", "duplicate id", ...).
struct RegisterProblem {
  Table table = Table::kOrganisation;
  std::string id;
  std::string field;
  std::string message;
};
// Checks the whole register: non-empty unique ids per table; every reference resolves to a
// record of the right table (and kind: a camera watches a scanner, a policy's gateway is a
// gateway, a person's roles are not empty, a technician works for a vendor); dates ordered
// (screening issued < expires, contract start < end); RFC 3339 timestamps parse; counts
// positive. Returns every problem found, in table order; empty means valid.
std::vector<RegisterProblem> validate_register(const Register& reg);

}  // namespace pw::domain
