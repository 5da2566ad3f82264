// validate_register: the whole-register rules of register.h (ids, references and their kinds,
// date order, timestamps, counts). Pure; reports every problem rather than the first, so that an
// import can show the user all of them at once.

#include <cctype>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "domain/register.h"

namespace pw::domain {
namespace {

template <typename T>
using Index = std::unordered_map<std::string_view, const T*>;

// The first record of each id (duplicates are reported separately).
template <typename T>
Index<T> index_of(const std::vector<T>& records) {
  Index<T> index;
  for (const auto& r : records) index.emplace(r.id, &r);
  return index;
}

template <typename T>
const T* lookup(const Index<T>& index, std::string_view id) {
  auto it = index.find(id);
  return it == index.end() ? nullptr : it->second;
}

std::string list_field(std::string_view name, std::size_t i) {
  return std::string(name) + "[" + std::to_string(i) + "]";
}

// "host:port" with a non-empty host and a port in 1..65535 (an IPv6 host is bracketed).
bool valid_endpoint(std::string_view s) {
  const auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  std::int64_t port = 0;
  for (char c : s.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return false;
    port = port * 10 + (c - '0');
  }
  return port >= 1 && port <= 65535;
}

class Checker {
 public:
  explicit Checker(const Register& reg)
      : reg_(reg),
        orgs_(index_of(reg.organisations)),
        sites_(index_of(reg.sites)),
        rooms_(index_of(reg.rooms)),
        zones_(index_of(reg.zones)),
        assets_(index_of(reg.assets)),
        people_(index_of(reg.people)) {}

  std::vector<RegisterProblem> run() {
    organisations();
    sites();
    rooms();
    zones();
    assets();
    zone_links();
    people();
    screenings();
    policies();
    contracts();
    faults();
    return std::move(problems_);
  }

 private:
  void add(Table t, const std::string& id, std::string field, std::string message) {
    problems_.push_back(RegisterProblem{t, id, std::move(field), std::move(message)});
  }

  // Non-empty, unique ids: the second and later records with an id are the duplicates.
  template <typename T>
  void ids(Table t, const std::vector<T>& records) {
    std::unordered_map<std::string_view, std::size_t> first;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& id = records[i].id;
      if (id.empty()) {
        add(t, id, "id", "must not be empty (record #" + std::to_string(i + 1) + ")");
        continue;
      }
      auto [it, inserted] = first.emplace(id, i);
      if (!inserted) {
        add(t, id, "id",
            "duplicate id (records #" + std::to_string(it->second + 1) + " and #" +
                std::to_string(i + 1) + ")");
      }
    }
  }

  // A reference to a record of `target`; empty is a problem only when `required`.
  template <typename T>
  const T* ref(Table t, const std::string& id, std::string field, const std::string& value,
               const Index<T>& target, Table target_table, bool required) {
    if (value.empty()) {
      if (required) {
        add(t, id, std::move(field),
            "missing (the id of a " + std::string(table_name(target_table)) + ")");
      }
      return nullptr;
    }
    const T* found = lookup(target, value);
    if (!found) {
      add(t, id, std::move(field),
          "refers to unknown " + std::string(table_name(target_table)) + " '" + value + "'");
    }
    return found;
  }

  const Organisation* org_ref(Table t, const std::string& id, std::string field,
                              const std::string& value, bool required) {
    return ref(t, id, std::move(field), value, orgs_, Table::kOrganisation, required);
  }
  const Asset* asset_ref(Table t, const std::string& id, std::string field,
                         const std::string& value, bool required) {
    return ref(t, id, std::move(field), value, assets_, Table::kAsset, required);
  }

  void timestamp(Table t, const std::string& id, std::string field, const std::string& value,
                 bool required) {
    if (value.empty()) {
      if (required) add(t, id, std::move(field), "missing (an RFC 3339 timestamp)");
      return;
    }
    if (auto parsed = core::parse_rfc3339(value); !parsed) {
      add(t, id, std::move(field), "'" + value + "' is not an RFC 3339 timestamp");
    }
  }

  void positive(Table t, const std::string& id, std::string field, std::int64_t value) {
    if (value <= 0) add(t, id, std::move(field), "must be positive, is " + std::to_string(value));
  }

  void organisations() {
    constexpr Table t = Table::kOrganisation;
    ids(t, reg_.organisations);
    for (const auto& o : reg_.organisations) {
      const auto& c = o.country;
      if (!c.empty() && (c.size() != 2 || !std::isupper(static_cast<unsigned char>(c[0])) ||
                         !std::isupper(static_cast<unsigned char>(c[1])))) {
        add(t, o.id, "country", "'" + c + "' is not an ISO 3166-1 alpha-2 code (two capitals)");
      }
      for (std::size_t i = 0; i < o.identifiers.size(); ++i) {
        if (o.identifiers[i].scheme.empty() || o.identifiers[i].value.empty()) {
          add(t, o.id, list_field("identifiers", i), "scheme and value must not be empty");
        }
      }
    }
  }

  void sites() {
    constexpr Table t = Table::kSite;
    ids(t, reg_.sites);
    for (const auto& s : reg_.sites) {
      org_ref(t, s.id, "operator_org", s.operator_org, false);
      if (!ref(t, s.id, "parent", s.parent, sites_, Table::kSite, false)) continue;
      // The parent chain must end: no site (indirectly) contains itself.
      const Site* p = &s;
      for (std::size_t steps = 0; p && !p->parent.empty(); ++steps) {
        p = lookup(sites_, p->parent);
        if (p == &s || steps > reg_.sites.size()) {
          add(t, s.id, "parent", "the chain of parents is a cycle");
          break;
        }
      }
    }
  }

  void rooms() {
    constexpr Table t = Table::kRoom;
    ids(t, reg_.rooms);
    for (const auto& r : reg_.rooms) ref(t, r.id, "site", r.site, sites_, Table::kSite, true);
  }

  void zones() { ids(Table::kZone, reg_.zones); }

  void assets() {
    constexpr Table t = Table::kAsset;
    ids(t, reg_.assets);
    for (const auto& a : reg_.assets) {
      org_ref(t, a.id, "vendor", a.vendor, false);
      ref(t, a.id, "site", a.site, sites_, Table::kSite, false);
      const Room* room = ref(t, a.id, "room", a.room, rooms_, Table::kRoom, false);
      if (room && !a.site.empty() && room->site != a.site) {
        add(t, a.id, "room",
            "room '" + a.room + "' is at site '" + room->site + "', not at '" + a.site + "'");
      }
      ref(t, a.id, "zone", a.zone, zones_, Table::kZone, false);
      if (!a.maintenance_endpoint.empty() && !valid_endpoint(a.maintenance_endpoint)) {
        add(t, a.id, "maintenance_endpoint",
            "'" + a.maintenance_endpoint + "' is not host:port (port 1-65535)");
      }
      if (a.watches.empty()) continue;
      if (a.kind != AssetKind::kCamera) {
        add(t, a.id, "watches",
            "only a camera watches a scanner; this asset is a " +
                std::string(asset_kind_name(a.kind)));
        continue;
      }
      const Asset* watched = asset_ref(t, a.id, "watches", a.watches, true);
      if (watched && watched->kind != AssetKind::kScanner) {
        add(t, a.id, "watches",
            "refers to asset '" + a.watches + "', which is a " +
                std::string(asset_kind_name(watched->kind)) + ", not a scanner");
      }
    }
  }

  void zone_links() {
    constexpr Table t = Table::kZoneLink;
    ids(t, reg_.zone_links);
    for (const auto& l : reg_.zone_links) {
      ref(t, l.id, "from", l.from, zones_, Table::kZone, true);
      ref(t, l.id, "to", l.to, zones_, Table::kZone, true);
      if (!l.from.empty() && l.from == l.to) add(t, l.id, "to", "a link joins two different zones");
      asset_ref(t, l.id, "via", l.via, false);
    }
  }

  void people() {
    constexpr Table t = Table::kPerson;
    ids(t, reg_.people);
    for (const auto& p : reg_.people) {
      const Organisation* employer = org_ref(t, p.id, "organisation", p.organisation, true);
      if (p.roles.empty()) add(t, p.id, "roles", "a person has at least one role");
      for (std::size_t i = 0; i < p.roles.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (p.roles[j] == p.roles[i]) {
            add(t, p.id, list_field("roles", i),
                "role '" + std::string(role_name(p.roles[i])) + "' is listed twice");
          }
        }
        if (p.roles[i] == Role::kTechnician && employer && employer->kind != OrgKind::kVendor) {
          add(t, p.id, "organisation",
              "a technician works for a vendor; '" + p.organisation + "' is a " +
                  std::string(org_kind_name(employer->kind)));
        }
      }
    }
  }

  void screenings() {
    constexpr Table t = Table::kScreening;
    ids(t, reg_.screenings);
    for (const auto& s : reg_.screenings) {
      ref(t, s.id, "person", s.person, people_, Table::kPerson, true);
      if (!(s.issued < s.expires)) {
        add(t, s.id, "expires",
            "expires " + format_date(s.expires) + " is not after issued " + format_date(s.issued));
      }
    }
  }

  void policies() {
    constexpr Table t = Table::kRemoteAccessPolicy;
    ids(t, reg_.remote_access_policies);
    for (const auto& p : reg_.remote_access_policies) {
      org_ref(t, p.id, "vendor", p.vendor, false);
      if (p.vendor.empty() && p.assets.empty()) {
        add(t, p.id, "assets", "the policy covers nothing: set vendor or assets");
      }
      for (std::size_t i = 0; i < p.assets.size(); ++i) {
        asset_ref(t, p.id, list_field("assets", i), p.assets[i], true);
      }
      const Asset* gateway = asset_ref(t, p.id, "gateway", p.gateway, true);
      if (gateway && gateway->kind != AssetKind::kGateway) {
        add(t, p.id, "gateway",
            "refers to asset '" + p.gateway + "', which is a " +
                std::string(asset_kind_name(gateway->kind)) + ", not a gateway");
      }
      positive(t, p.id, "max_session_minutes", p.max_session_minutes);
    }
  }

  void contracts() {
    constexpr Table t = Table::kMaintenanceContract;
    ids(t, reg_.maintenance_contracts);
    for (const auto& c : reg_.maintenance_contracts) {
      org_ref(t, c.id, "vendor", c.vendor, true);
      for (std::size_t i = 0; i < c.assets.size(); ++i) {
        asset_ref(t, c.id, list_field("assets", i), c.assets[i], true);
      }
      for (std::size_t i = 0; i < c.agreed_with.size(); ++i) {
        org_ref(t, c.id, list_field("agreed_with", i), c.agreed_with[i], true);
      }
      if (!(c.start < c.end)) {
        add(t, c.id, "end",
            "end " + format_date(c.end) + " is not after start " + format_date(c.start));
      }
      timestamp(t, c.id, "first_window", c.first_window, true);
      positive(t, c.id, "every_days", c.every_days);
      positive(t, c.id, "window_hours", c.window_hours);
    }
  }

  void faults() {
    constexpr Table t = Table::kFault;
    ids(t, reg_.faults);
    for (const auto& f : reg_.faults) {
      asset_ref(t, f.id, "asset", f.asset, true);
      timestamp(t, f.id, "reported", f.reported, true);
      timestamp(t, f.id, "resolved", f.resolved, false);
      auto reported = core::parse_rfc3339(f.reported);
      auto resolved = core::parse_rfc3339(f.resolved);
      if (reported && resolved && *resolved < *reported) {
        add(t, f.id, "resolved", "resolved before it was reported");
      }
    }
  }

  const Register& reg_;
  Index<Organisation> orgs_;
  Index<Site> sites_;
  Index<Room> rooms_;
  Index<Zone> zones_;
  Index<Asset> assets_;
  Index<Person> people_;
  std::vector<RegisterProblem> problems_;
};

}  // namespace

std::vector<RegisterProblem> validate_register(const Register& reg) {
  return Checker(reg).run();
}

}  // namespace pw::domain
