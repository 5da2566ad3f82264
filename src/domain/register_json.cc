// The register's records as JSON (record_to_json, put_record_json) and the names of its tables
// and enums. One `describe` per record lists its fields once; the visitors below turn that list
// into JSON, read JSON back (checking every type, never letting nlohmann::json throw) and
// publish it as record_fields() for the inventory reader and writer.

#include <concepts>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "domain/register.h"

namespace pw::domain {
namespace {

using nlohmann::json;
using FieldStatus = std::expected<void, RecordFieldError>;

std::unexpected<RecordFieldError> field_error(std::string field, std::string message) {
  return std::unexpected(RecordFieldError{std::move(field), std::move(message)});
}

// ---- names --------------------------------------------------------------------------------

template <typename E>
struct Named {
  E value;
  std::string_view name;
};

constexpr Named<Table> kTables[] = {
    {Table::kOrganisation, "organisation"},
    {Table::kSite, "site"},
    {Table::kRoom, "room"},
    {Table::kZone, "zone"},
    {Table::kAsset, "asset"},
    {Table::kZoneLink, "zone_link"},
    {Table::kPerson, "person"},
    {Table::kScreening, "screening"},
    {Table::kRemoteAccessPolicy, "remote_access_policy"},
    {Table::kMaintenanceContract, "maintenance_contract"},
    {Table::kFault, "fault"},
};
static_assert(std::size(kTables) == kTableCount);

constexpr Named<OrgKind> kOrgKinds[] = {{OrgKind::kCustoms, "customs"},
                                        {OrgKind::kTerminalOperator, "terminal_operator"},
                                        {OrgKind::kVendor, "vendor"},
                                        {OrgKind::kAuditor, "auditor"},
                                        {OrgKind::kOther, "other"}};
constexpr Named<SiteKind> kSiteKinds[] = {{SiteKind::kPort, "port"},
                                          {SiteKind::kTerminal, "terminal"},
                                          {SiteKind::kCustomsOffice, "customs_office"},
                                          {SiteKind::kOther, "other"}};
constexpr Named<RoomKind> kRoomKinds[] = {{RoomKind::kServerRoom, "server_room"},
                                          {RoomKind::kControlRoom, "control_room"},
                                          {RoomKind::kScanHall, "scan_hall"},
                                          {RoomKind::kOther, "other"}};
constexpr Named<ZoneKind> kZoneKinds[] = {{ZoneKind::kClosedScan, "closed_scan"},
                                          {ZoneKind::kOffice, "office"},
                                          {ZoneKind::kVendorDmz, "vendor_dmz"},
                                          {ZoneKind::kInternet, "internet"},
                                          {ZoneKind::kOther, "other"}};
constexpr Named<AssetKind> kAssetKinds[] = {
    {AssetKind::kScanner, "scanner"},         {AssetKind::kServer, "server"},
    {AssetKind::kCamera, "camera"},           {AssetKind::kGateway, "gateway"},
    {AssetKind::kFirewall, "firewall"},       {AssetKind::kRouter, "router"},
    {AssetKind::kWorkstation, "workstation"}, {AssetKind::kOther, "other"}};
constexpr Named<Criticality> kCriticalities[] = {
    {Criticality::kLow, "low"}, {Criticality::kMedium, "medium"}, {Criticality::kHigh, "high"}};
constexpr Named<Role> kRoles[] = {{Role::kTechnician, "technician"},
                                  {Role::kCustomsOperator, "customs_operator"},
                                  {Role::kSecurityOfficer, "security_officer"},
                                  {Role::kTerminalStaff, "terminal_staff"},
                                  {Role::kAnalyst, "analyst"},
                                  {Role::kAuditor, "auditor"}};
constexpr Named<ScreeningKind> kScreeningKinds[] = {{ScreeningKind::kVog, "vog"},
                                                    {ScreeningKind::kVgb, "vgb"}};
constexpr Named<FaultCategory> kFaultCategories[] = {{FaultCategory::kSoftware, "software"},
                                                     {FaultCategory::kHardware, "hardware"},
                                                     {FaultCategory::kOther, "other"}};

template <typename E, std::size_t N>
std::string_view name_in(const Named<E> (&names)[N], E value) {
  for (const auto& n : names) {
    if (n.value == value) return n.name;
  }
  return "unknown";  // only for a value cast from outside the enum
}

// "unknown zone kind 'dmz' (expected one of: closed_scan, office, vendor_dmz, ...)".
template <typename E, std::size_t N>
core::Result<E> parse_in(const Named<E> (&names)[N], std::string_view what, std::string_view text) {
  for (const auto& n : names) {
    if (n.name == text) return n.value;
  }
  std::string message =
      "unknown " + std::string(what) + " '" + std::string(text) + "' (expected one of: ";
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) message += ", ";
    message += names[i].name;
  }
  return core::invalid_argument(message + ")");
}

// ---- field visitors -----------------------------------------------------------------------

template <typename R, typename T>
concept Is = std::same_as<std::remove_const_t<R>, T>;

// An enum field's name and parse functions.
template <typename E>
struct EnumCodec {
  std::string_view (*name)(E);
  core::Result<E> (*parse)(std::string_view);
};

// Writes every field (record_to_json).
class ToJson {
 public:
  json out = json::object();

  void str(std::string_view k, const std::string& v) { out[std::string(k)] = v; }
  void timestamp(std::string_view k, const std::string& v) { out[std::string(k)] = v; }
  void boolean(std::string_view k, const bool& v) { out[std::string(k)] = v; }
  void integer(std::string_view k, const std::int64_t& v) { out[std::string(k)] = v; }
  void date(std::string_view k, const Date& v) { out[std::string(k)] = format_date(v); }
  template <typename E>
  void enumeration(std::string_view k, const E& v, EnumCodec<E> codec) {
    out[std::string(k)] = codec.name(v);
  }
  void str_list(std::string_view k, const std::vector<std::string>& v) { out[std::string(k)] = v; }
  template <typename E>
  void enum_list(std::string_view k, const std::vector<E>& v, EnumCodec<E> codec) {
    json a = json::array();
    for (const E& e : v) a.push_back(codec.name(e));
    out[std::string(k)] = std::move(a);
  }
  void identifiers(std::string_view k, const std::vector<Identifier>& v) {
    json a = json::array();
    for (const auto& i : v) a.push_back(json{{"scheme", i.scheme}, {"value", i.value}});
    out[std::string(k)] = std::move(a);
  }
};

// Collects the field list (record_fields).
class Info {
 public:
  std::vector<FieldInfo> fields;

  void str(std::string_view k, const std::string&) { add(k, FieldType::kString); }
  void timestamp(std::string_view k, const std::string&) { add(k, FieldType::kTimestamp); }
  void boolean(std::string_view k, const bool&) { add(k, FieldType::kBool); }
  void integer(std::string_view k, const std::int64_t&) { add(k, FieldType::kInteger); }
  void date(std::string_view k, const Date&) { add(k, FieldType::kDate); }
  template <typename E>
  void enumeration(std::string_view k, const E&, EnumCodec<E>) {
    add(k, FieldType::kString);
  }
  void str_list(std::string_view k, const std::vector<std::string>&) {
    add(k, FieldType::kStringList);
  }
  template <typename E>
  void enum_list(std::string_view k, const std::vector<E>&, EnumCodec<E>) {
    add(k, FieldType::kStringList);
  }
  void identifiers(std::string_view k, const std::vector<Identifier>&) {
    add(k, FieldType::kIdentifierList);
  }

 private:
  void add(std::string_view k, FieldType t) { fields.push_back(FieldInfo{k, t}); }
};

std::string type_of(const json& v) {
  if (v.is_number_float()) return "a fraction";
  if (v.is_number()) return "an integer";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  if (v.is_null()) return "null";
  return "a binary value";
}

FieldStatus expect(const json& v, bool ok, std::string_view what) {
  if (ok) return {};
  return field_error("", "expected " + std::string(what) + ", found " + type_of(v));
}

FieldStatus read_string(const json& v, std::string& out) {
  if (auto s = expect(v, v.is_string(), "a string"); !s) return s;
  out = v.get_ref<const std::string&>();
  return {};
}

template <typename E>
FieldStatus read_enum(const json& v, E& out, EnumCodec<E> codec) {
  if (auto s = expect(v, v.is_string(), "a string"); !s) return s;
  auto parsed = codec.parse(v.get_ref<const std::string&>());
  if (!parsed) return field_error("", parsed.error().message());
  out = *parsed;
  return {};
}

// Reads the fields present in a JSON object; absent fields keep their default. The first
// problem is kept and later fields are skipped.
class FromJson {
 public:
  explicit FromJson(const json& object) : object_(object) {}
  const std::optional<RecordFieldError>& error() const { return error_; }

  void str(std::string_view k, std::string& v) {
    field(k, [&](const json& j) { return read_string(j, v); });
  }
  void timestamp(std::string_view k, std::string& v) { str(k, v); }
  void boolean(std::string_view k, bool& v) {
    field(k, [&](const json& j) -> FieldStatus {
      if (auto s = expect(j, j.is_boolean(), "a boolean"); !s) return s;
      v = j.get<bool>();
      return {};
    });
  }
  void integer(std::string_view k, std::int64_t& v) {
    field(k, [&](const json& j) -> FieldStatus {
      if (auto s = expect(j, j.is_number_integer(), "an integer"); !s) return s;
      if (j.is_number_unsigned()) {
        const auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          return field_error("", std::to_string(u) + " is too large");
        }
        v = static_cast<std::int64_t>(u);
      } else {
        v = j.get<std::int64_t>();
      }
      return {};
    });
  }
  void date(std::string_view k, Date& v) {
    field(k, [&](const json& j) -> FieldStatus {
      if (auto s = expect(j, j.is_string(), "a date string \"YYYY-MM-DD\""); !s) return s;
      const auto& text = j.get_ref<const std::string&>();
      auto d = parse_date(text);
      if (text.size() != 10 || !d) {
        return field_error("", "'" + text + "' is not a date YYYY-MM-DD");
      }
      v = *d;
      return {};
    });
  }
  template <typename E>
  void enumeration(std::string_view k, E& v, EnumCodec<E> codec) {
    field(k, [&](const json& j) { return read_enum(j, v, codec); });
  }
  void str_list(std::string_view k, std::vector<std::string>& v) {
    list(k, v, [](const json& j, std::string& out) { return read_string(j, out); });
  }
  template <typename E>
  void enum_list(std::string_view k, std::vector<E>& v, EnumCodec<E> codec) {
    list(k, v, [codec](const json& j, E& out) { return read_enum(j, out, codec); });
  }
  void identifiers(std::string_view k, std::vector<Identifier>& v) {
    list(k, v, [](const json& j, Identifier& out) -> FieldStatus {
      if (auto s = expect(j, j.is_object(), "an object {scheme, value}"); !s) return s;
      for (const auto& [key, value] : j.items()) {
        if (key != "scheme" && key != "value") return field_error(key, "unknown field");
      }
      for (auto [key, dest] : {std::pair{"scheme", &out.scheme}, std::pair{"value", &out.value}}) {
        auto it = j.find(key);
        if (it == j.end()) return field_error(key, "missing");
        if (auto s = read_string(*it, *dest); !s) return field_error(key, s.error().message);
      }
      return {};
    });
  }

 private:
  template <typename Fn>
  void field(std::string_view k, Fn&& read) {
    if (error_) return;
    auto it = object_.find(k);
    if (it == object_.end()) return;
    if (auto s = read(*it); !s) {
      const std::string& sub = s.error().field;
      const char* sep = sub.empty() || sub.front() == '[' ? "" : ".";
      error_ = RecordFieldError{std::string(k) + sep + sub, s.error().message};
    }
  }
  template <typename T, typename Fn>
  void list(std::string_view k, std::vector<T>& v, Fn read_element) {
    field(k, [&](const json& j) -> FieldStatus {
      if (auto s = expect(j, j.is_array(), "an array"); !s) return s;
      std::vector<T> out(j.size());
      for (std::size_t i = 0; i < j.size(); ++i) {
        if (auto s = read_element(j[i], out[i]); !s) {
          // "[2]" or "[0].scheme", appended to the list's name by field().
          return std::unexpected(
              RecordFieldError{"[" + std::to_string(i) + "]" +
                                   (s.error().field.empty() ? "" : "." + s.error().field),
                               s.error().message});
        }
      }
      v = std::move(out);
      return {};
    });
  }

  const json& object_;
  std::optional<RecordFieldError> error_;
};

// ---- the records' fields, once --------------------------------------------------------------

constexpr EnumCodec<OrgKind> kOrgKind{org_kind_name, parse_org_kind};
constexpr EnumCodec<SiteKind> kSiteKind{site_kind_name, parse_site_kind};
constexpr EnumCodec<RoomKind> kRoomKind{room_kind_name, parse_room_kind};
constexpr EnumCodec<ZoneKind> kZoneKind{zone_kind_name, parse_zone_kind};
constexpr EnumCodec<AssetKind> kAssetKind{asset_kind_name, parse_asset_kind};
constexpr EnumCodec<Criticality> kCriticality{criticality_name, parse_criticality};
constexpr EnumCodec<Role> kRole{role_name, parse_role};
constexpr EnumCodec<ScreeningKind> kScreeningKind{screening_kind_name, parse_screening_kind};
constexpr EnumCodec<FaultCategory> kFaultCategory{fault_category_name, parse_fault_category};

template <typename V, Is<Organisation> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("name", r.name);
  v.enumeration("kind", r.kind, kOrgKind);
  v.str("country", r.country);
  v.str("ownership_entity", r.ownership_entity);
  v.identifiers("identifiers", r.identifiers);
  v.str("provenance", r.provenance);
}
template <typename V, Is<Site> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("name", r.name);
  v.enumeration("kind", r.kind, kSiteKind);
  v.str("parent", r.parent);
  v.str("operator_org", r.operator_org);
  v.str("provenance", r.provenance);
}
template <typename V, Is<Room> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("name", r.name);
  v.str("site", r.site);
  v.enumeration("kind", r.kind, kRoomKind);
  v.str("provenance", r.provenance);
}
template <typename V, Is<Zone> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("name", r.name);
  v.enumeration("kind", r.kind, kZoneKind);
  v.boolean("vendor_reachable", r.vendor_reachable);
  v.str("provenance", r.provenance);
}
template <typename V, Is<Asset> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.enumeration("kind", r.kind, kAssetKind);
  v.str("name", r.name);
  v.str("model", r.model);
  v.str("vendor", r.vendor);
  v.str("site", r.site);
  v.str("room", r.room);
  v.str("zone", r.zone);
  v.str("maintenance_endpoint", r.maintenance_endpoint);
  v.boolean("remote_capable", r.remote_capable);
  v.str("watches", r.watches);
  v.enumeration("criticality", r.criticality, kCriticality);
  v.str("provenance", r.provenance);
}
template <typename V, Is<ZoneLink> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("from", r.from);
  v.str("to", r.to);
  v.str("via", r.via);
  v.boolean("one_way", r.one_way);
  v.str("provenance", r.provenance);
}
template <typename V, Is<Person> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("name", r.name);
  v.str("organisation", r.organisation);
  v.enum_list("roles", r.roles, kRole);
  v.str("provenance", r.provenance);
}
template <typename V, Is<Screening> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("person", r.person);
  v.enumeration("kind", r.kind, kScreeningKind);
  v.date("issued", r.issued);
  v.date("expires", r.expires);
  v.str("reference", r.reference);
  v.str("provenance", r.provenance);
}
template <typename V, Is<RemoteAccessPolicy> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("vendor", r.vendor);
  v.str_list("assets", r.assets);
  v.str("gateway", r.gateway);
  v.boolean("supervised", r.supervised);
  v.boolean("recorded", r.recorded);
  v.integer("max_session_minutes", r.max_session_minutes);
  v.str("provenance", r.provenance);
}
template <typename V, Is<MaintenanceContract> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("vendor", r.vendor);
  v.str_list("assets", r.assets);
  v.date("start", r.start);
  v.date("end", r.end);
  v.timestamp("first_window", r.first_window);
  v.integer("every_days", r.every_days);
  v.integer("window_hours", r.window_hours);
  v.str_list("agreed_with", r.agreed_with);
  v.str("provenance", r.provenance);
}
template <typename V, Is<Fault> R>
void describe(V& v, R& r) {
  v.str("id", r.id);
  v.str("asset", r.asset);
  v.timestamp("reported", r.reported);
  v.timestamp("resolved", r.resolved);
  v.enumeration("category", r.category, kFaultCategory);
  v.boolean("fixed_remotely", r.fixed_remotely);
  v.str("provenance", r.provenance);
}

template <typename R>
json to_json(const R& r) {
  ToJson v;
  describe(v, r);
  return std::move(v.out);
}

template <typename R>
const std::vector<FieldInfo>& fields_of() {
  static const std::vector<FieldInfo> fields = [] {
    Info v;
    const R r{};
    describe(v, r);
    return std::move(v.fields);
  }();
  return fields;
}

// Calls fn(records) with the register's vector for `table` (a std::vector<Record>&).
template <typename Fn>
decltype(auto) with_table(Register& reg, Table table, Fn&& fn) {
  switch (table) {
    case Table::kOrganisation:
      return fn(reg.organisations);
    case Table::kSite:
      return fn(reg.sites);
    case Table::kRoom:
      return fn(reg.rooms);
    case Table::kZone:
      return fn(reg.zones);
    case Table::kAsset:
      return fn(reg.assets);
    case Table::kZoneLink:
      return fn(reg.zone_links);
    case Table::kPerson:
      return fn(reg.people);
    case Table::kScreening:
      return fn(reg.screenings);
    case Table::kRemoteAccessPolicy:
      return fn(reg.remote_access_policies);
    case Table::kMaintenanceContract:
      return fn(reg.maintenance_contracts);
    case Table::kFault:
      break;
  }
  return fn(reg.faults);
}

template <typename R>
FieldStatus put(std::vector<R>& records, const json& object) {
  if (!object.is_object()) {
    return field_error("", "expected a JSON object, found " + type_of(object));
  }
  // Unknown fields first: a misspelt key is the likeliest mistake and explains what follows.
  const auto& known = fields_of<R>();
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (const auto& f : known) found = found || f.name == key;
    if (!found) return field_error(key, "unknown field");
  }
  R record{};
  FromJson v(object);
  describe(v, record);
  if (v.error()) return std::unexpected(*v.error());
  if (!object.contains("id")) return field_error("id", "missing");
  if (record.id.empty()) return field_error("id", "must not be empty");
  for (auto& existing : records) {
    if (existing.id == record.id) {
      existing = std::move(record);
      return {};
    }
  }
  records.push_back(std::move(record));
  return {};
}

}  // namespace

std::string_view table_name(Table t) {
  return name_in(kTables, t);
}
core::Result<Table> parse_table(std::string_view name) {
  return parse_in(kTables, "register table", name);
}

std::string_view org_kind_name(OrgKind k) {
  return name_in(kOrgKinds, k);
}
core::Result<OrgKind> parse_org_kind(std::string_view s) {
  return parse_in(kOrgKinds, "organisation kind", s);
}
std::string_view site_kind_name(SiteKind k) {
  return name_in(kSiteKinds, k);
}
core::Result<SiteKind> parse_site_kind(std::string_view s) {
  return parse_in(kSiteKinds, "site kind", s);
}
std::string_view room_kind_name(RoomKind k) {
  return name_in(kRoomKinds, k);
}
core::Result<RoomKind> parse_room_kind(std::string_view s) {
  return parse_in(kRoomKinds, "room kind", s);
}
std::string_view zone_kind_name(ZoneKind k) {
  return name_in(kZoneKinds, k);
}
core::Result<ZoneKind> parse_zone_kind(std::string_view s) {
  return parse_in(kZoneKinds, "zone kind", s);
}
std::string_view asset_kind_name(AssetKind k) {
  return name_in(kAssetKinds, k);
}
core::Result<AssetKind> parse_asset_kind(std::string_view s) {
  return parse_in(kAssetKinds, "asset kind", s);
}
std::string_view criticality_name(Criticality c) {
  return name_in(kCriticalities, c);
}
core::Result<Criticality> parse_criticality(std::string_view s) {
  return parse_in(kCriticalities, "criticality", s);
}
std::string_view role_name(Role r) {
  return name_in(kRoles, r);
}
core::Result<Role> parse_role(std::string_view s) {
  return parse_in(kRoles, "role", s);
}
std::string_view screening_kind_name(ScreeningKind k) {
  return name_in(kScreeningKinds, k);
}
core::Result<ScreeningKind> parse_screening_kind(std::string_view s) {
  return parse_in(kScreeningKinds, "screening kind", s);
}
std::string_view fault_category_name(FaultCategory c) {
  return name_in(kFaultCategories, c);
}
core::Result<FaultCategory> parse_fault_category(std::string_view s) {
  return parse_in(kFaultCategories, "fault category", s);
}

nlohmann::json record_to_json(const Organisation& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const Site& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const Room& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const Zone& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const Asset& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const ZoneLink& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const Person& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const Screening& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const RemoteAccessPolicy& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const MaintenanceContract& r) {
  return to_json(r);
}
nlohmann::json record_to_json(const Fault& r) {
  return to_json(r);
}

std::span<const FieldInfo> record_fields(Table table) {
  switch (table) {
    case Table::kOrganisation:
      return fields_of<Organisation>();
    case Table::kSite:
      return fields_of<Site>();
    case Table::kRoom:
      return fields_of<Room>();
    case Table::kZone:
      return fields_of<Zone>();
    case Table::kAsset:
      return fields_of<Asset>();
    case Table::kZoneLink:
      return fields_of<ZoneLink>();
    case Table::kPerson:
      return fields_of<Person>();
    case Table::kScreening:
      return fields_of<Screening>();
    case Table::kRemoteAccessPolicy:
      return fields_of<RemoteAccessPolicy>();
    case Table::kMaintenanceContract:
      return fields_of<MaintenanceContract>();
    case Table::kFault:
      break;
  }
  return fields_of<Fault>();
}

std::expected<void, RecordFieldError> put_record_json_detailed(Register& reg, Table table,
                                                               const nlohmann::json& record) {
  return with_table(reg, table, [&](auto& records) { return put(records, record); });
}

core::Status put_record_json(Register& reg, Table table, const nlohmann::json& record) {
  auto r = put_record_json_detailed(reg, table, record);
  if (r) return core::ok();
  std::string where(table_name(table));
  if (record.is_object()) {
    auto it = record.find("id");
    if (it != record.end() && it->is_string()) {
      where += " '" + it->get_ref<const std::string&>() + "'";
    }
  }
  const auto& e = r.error();
  return core::invalid_argument(where + ": " + (e.field.empty() ? "" : e.field + ": ") + e.message);
}

}  // namespace pw::domain
