#include "topology/topology.h"

#include <algorithm>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

namespace pw::topology {
namespace {

using domain::Asset;
using domain::AssetKind;
using domain::Date;
using domain::Register;
using domain::Role;
using domain::Screening;
using domain::ScreeningKind;

// Local names for the enums that appear in finding texts. The register's own name functions
// (domain/register.h) are not relied on here so that the engine stays independent of the
// inventory format; the spellings are the same.
std::string_view asset_kind_word(AssetKind k) {
  switch (k) {
    case AssetKind::kScanner:
      return "scanner";
    case AssetKind::kServer:
      return "server";
    case AssetKind::kCamera:
      return "camera";
    case AssetKind::kGateway:
      return "gateway";
    case AssetKind::kFirewall:
      return "firewall";
    case AssetKind::kRouter:
      return "router";
    case AssetKind::kWorkstation:
      return "workstation";
    case AssetKind::kOther:
      break;
  }
  return "asset";
}

std::string_view role_word(Role r) {
  switch (r) {
    case Role::kTechnician:
      return "technician";
    case Role::kCustomsOperator:
      return "customs operator";
    case Role::kSecurityOfficer:
      return "security officer";
    case Role::kTerminalStaff:
      return "terminal staff member";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAuditor:
      return "auditor";
  }
  return "person";
}

// The id spelling ("vog", "vgb") and the display spelling ("VOG", "VGB").
std::string_view screening_kind_id(ScreeningKind k) {
  return k == ScreeningKind::kVgb ? "vgb" : "vog";
}
std::string_view screening_kind_word(ScreeningKind k) {
  return k == ScreeningKind::kVgb ? "VGB" : "VOG";
}

// A record id as a part of a finding id: '%', ':', '>', spaces and control characters are
// percent-encoded, so that the separators of the id scheme stay unambiguous.
std::string id_part(std::string_view id) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(id.size());
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '%' || c == ':' || c == '>' || u <= 0x20 || u == 0x7f) {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::string in_quotes(std::string_view s) {
  return "'" + std::string(s) + "'";
}

// "Name (id)" when the record has a name that differs from its id, else "id".
std::string label(std::string_view name, std::string_view id) {
  if (name.empty() || name == id) return std::string(id);
  return std::string(name) + " (" + std::string(id) + ")";
}
std::string asset_label(const Register& reg, std::string_view id) {
  const Asset* a = reg.asset(id);
  return a ? label(a->name, id) : std::string(id);
}
std::string org_label(const Register& reg, std::string_view id) {
  const auto* o = reg.organisation(id);
  return o ? label(o->name, id) : std::string(id);
}
std::string zone_label(const Register& reg, std::string_view id) {
  const auto* z = reg.zone(id);
  return z ? label(z->name, id) : std::string(id);
}
std::string room_label(const Register& reg, std::string_view id) {
  const auto* r = reg.room(id);
  return r ? label(r->name, id) : std::string(id);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// A link's `via` mediates the link when it names a known asset of kind gateway. Anything else
// (empty, a firewall, a router, an id the register does not hold) is read as unmediated: the
// check cannot show that vendor traffic passes the remote-maintenance gateway.
bool is_gateway(const Register& reg, std::string_view asset_id) {
  if (asset_id.empty()) return false;
  const Asset* a = reg.asset(asset_id);
  return a != nullptr && a->kind == AssetKind::kGateway;
}

// ---------------------------------------------------------------------------------------------
// Rule 1: mixed-vendors-room / mixed-vendors-zone (Q11).
// The seed: the servers of several scanner vendors stand in one room of the customs office; the
// cabinet calls it a possible vulnerability and is rebuilding the room. A vendor's technician let
// into that room for his own server is within reach of the others' (physical access: consoles,
// USB ports, cables); on one network zone, a compromised vendor server can reach the others'.
// Only servers with a known vendor count; a room or zone with servers of two or more distinct
// vendors is one finding, listing every server and vendor there. The room finding is high (the
// situation the seed describes, with technicians of several vendors entering it); the zone finding
// is medium (vendors on a shared closed network are common and mitigated by filtering).
void check_mixed_vendors(const Register& reg, std::vector<Finding>& out) {
  // place id -> vendor id -> server ids; ordered maps make the output independent of input order.
  using ByVendor = std::map<std::string, std::vector<std::string>>;
  std::map<std::string, ByVendor> by_room;
  std::map<std::string, ByVendor> by_zone;
  for (const Asset& a : reg.assets) {
    if (a.kind != AssetKind::kServer || a.vendor.empty()) continue;
    if (!a.room.empty()) by_room[a.room][a.vendor].push_back(a.id);
    if (!a.zone.empty()) by_zone[a.zone][a.vendor].push_back(a.id);
  }
  auto emit = [&](bool room, const std::string& place, ByVendor& vendors) {
    if (vendors.size() < 2) return;
    Finding f;
    f.rule = room ? "mixed-vendors-room" : "mixed-vendors-zone";
    f.id = f.rule + ":" + id_part(place);
    f.severity = room ? Severity::kHigh : Severity::kMedium;
    f.seed = "Q11";
    const std::string where =
        room ? "room " + room_label(reg, place) : "zone " + zone_label(reg, place);
    f.title = "Servers of " + std::to_string(vendors.size()) + " vendors share " + where;
    std::vector<std::string> groups;
    for (auto& [vendor, servers] : vendors) {
      sort_unique(servers);
      std::vector<std::string> labels;
      for (const auto& s : servers) {
        labels.push_back(asset_label(reg, s));
        f.assets.push_back(s);
      }
      groups.push_back(org_label(reg, vendor) + ": " + join(labels, ", "));
      f.vendors.push_back(vendor);
    }
    sort_unique(f.assets);
    (room ? f.rooms : f.zones).push_back(place);
    f.detail = "The " + where + " holds servers of different vendors (" + join(groups, "; ") +
               "). " +
               (room ? "A technician let in for one vendor's server is within reach of the "
                       "others' servers."
                     : "A compromised or misused server of one vendor can reach the others' "
                       "servers over the network.");
    f.suggested_mitigation =
        room ? "Separate the vendors' servers into per-vendor locked racks or rooms, and admit "
               "technicians only escorted by the customs system operator, who logs each entry."
             : "Separate the vendors' servers into per-vendor VLANs or zones with filtering "
               "between them, so that one vendor's server cannot reach another vendor's.";
    out.push_back(std::move(f));
  };
  for (auto& [room, vendors] : by_room) emit(true, room, vendors);
  for (auto& [zone, vendors] : by_zone) emit(false, zone, vendors);
}

// ---------------------------------------------------------------------------------------------
// The zone graph. An arc is one direction of a link: both directions unless the link is one_way
// (a data diode: only from -> to).
struct Arc {
  std::string to;
  std::string link;
  std::string via;
  bool mediated = false;  // `via` is a gateway
};
using ZoneGraph = std::map<std::string, std::vector<Arc>>;

ZoneGraph build_zone_graph(const Register& reg) {
  ZoneGraph g;
  for (const auto& l : reg.zone_links) {
    const bool mediated = is_gateway(reg, l.via);
    g[l.from].push_back(Arc{l.to, l.id, l.via, mediated});
    if (!l.one_way) g[l.to].push_back(Arc{l.from, l.id, l.via, mediated});
  }
  // Arcs by link id (then target): breadth-first search then picks the same shortest path among
  // equals whatever the order of the links in the register.
  for (auto& [zone, arcs] : g)
    std::sort(arcs.begin(), arcs.end(), [](const Arc& a, const Arc& b) {
      return std::tie(a.link, a.to, a.via, a.mediated) < std::tie(b.link, b.to, b.via, b.mediated);
    });
  return g;
}

std::set<std::string> vendor_reachable_zones(const Register& reg) {
  std::set<std::string> out;
  for (const auto& z : reg.zones) {
    if (z.vendor_reachable) out.insert(z.id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rule 2: unmediated-path (Q9, Q10).
// The seed: the scans run on a closed network (Q9), and for about a third of the faults the
// vendor connects remotely over a "secured connection" (Q10). The closed network is only as
// closed as its least-guarded link: every route from a zone a vendor (or anyone outside) can
// reach into a closed scan zone must pass the remote-maintenance gateway, where sessions are
// approved, time-boxed and recorded. A firewall or router is not enough: it passes whatever its
// rules allow, without a person approving the session.
// Search: breadth-first from each vendor-reachable zone over the arcs whose link is not mediated
// by a gateway (gateway links are where a path is mediated; paths through them are fine). Each
// closed scan zone reached is one finding per (source, closed zone), with the shortest offending
// path (fewest links; among equals the one with the smallest link ids first). A closed zone that
// is itself vendor-reachable is a finding with an empty path.
void check_unmediated_paths(const Register& reg, const ZoneGraph& g, std::vector<Finding>& out) {
  std::set<std::string> closed;
  for (const auto& z : reg.zones) {
    if (z.kind == domain::ZoneKind::kClosedScan) closed.insert(z.id);
  }
  if (closed.empty()) return;
  for (const std::string& source : vendor_reachable_zones(reg)) {
    // zone -> (previous zone, arc used); the source maps to itself.
    std::map<std::string, std::pair<std::string, const Arc*>> parent;
    parent[source] = {source, nullptr};
    std::deque<std::string> queue{source};
    while (!queue.empty()) {
      const std::string zone = queue.front();
      queue.pop_front();
      auto it = g.find(zone);
      if (it == g.end()) continue;
      for (const Arc& arc : it->second) {
        if (arc.mediated || parent.contains(arc.to)) continue;
        parent[arc.to] = {zone, &arc};
        queue.push_back(arc.to);
      }
    }
    for (const std::string& target : closed) {
      if (!parent.contains(target)) continue;
      std::vector<const Arc*> arcs;
      std::vector<std::string> zones{target};
      for (std::string z = target; z != source;) {
        const auto& [prev, arc] = parent.at(z);
        arcs.push_back(arc);
        zones.push_back(prev);
        z = prev;
      }
      std::reverse(arcs.begin(), arcs.end());
      std::reverse(zones.begin(), zones.end());

      Finding f;
      f.rule = "unmediated-path";
      f.id = f.rule + ":" + id_part(source) + ">" + id_part(target);
      f.severity = Severity::kHigh;
      f.seed = "Q9, Q10";
      f.zones = zones;
      std::string route = zone_label(reg, source);
      for (std::size_t i = 0; i < arcs.size(); ++i) {
        const Arc& arc = *arcs[i];
        f.links.push_back(arc.link);
        std::string hop = "link " + arc.link;
        if (arc.via.empty()) {
          hop += ", direct";
        } else {
          const Asset* a = reg.asset(arc.via);
          hop += a ? " via " + std::string(asset_kind_word(a->kind)) + " " + label(a->name, a->id)
                   : " via unknown asset " + arc.via;
          f.assets.push_back(arc.via);
        }
        route += " -[" + hop + "]-> " + zone_label(reg, zones[i + 1]);
      }
      sort_unique(f.assets);
      if (arcs.empty()) {
        f.title = "Closed scan zone " + zone_label(reg, target) + " is itself vendor-reachable";
        f.detail = "Zone " + zone_label(reg, target) +
                   " is a closed scan zone and is marked vendor-reachable: vendors reach the "
                   "scan network without passing the remote-maintenance gateway.";
        f.suggested_mitigation =
            "Move the vendor endpoints out of the closed scan network into a vendor DMZ, and let "
            "vendors in only through the remote-maintenance gateway.";
      } else {
        f.title = "Vendor-reachable zone " + zone_label(reg, source) + " reaches closed zone " +
                  zone_label(reg, target) + " without the gateway";
        f.detail = "Path without the remote-maintenance gateway: " + route +
                   ". A vendor (or anyone who reaches " + in_quotes(source) +
                   ") can reach the closed scan network without an approved, time-boxed and "
                   "recorded session.";
        f.suggested_mitigation =
            "Route vendor access into the closed network only through the remote-maintenance "
            "gateway and break this path at one of its links (" +
            join(f.links, ", ") +
            "), usually the one that enters the closed network; where data only has to leave the "
            "closed network, make that link one-way (a data diode).";
      }
      out.push_back(std::move(f));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rule 3: unwatched-scanner (Q12).
// The seed: cameras are installed at all scans on the terminals, through which the customs
// system operator watches the scanning equipment; technicians otherwise work on it on their own.
// A scanner no camera watches (no camera asset with watches == the scanner's id) is maintained
// out of sight. Medium: the camera is a detective control, one of several.
void check_unwatched_scanners(const Register& reg, std::vector<Finding>& out) {
  std::set<std::string> watched;
  for (const Asset& a : reg.assets) {
    if (a.kind == AssetKind::kCamera && !a.watches.empty()) watched.insert(a.watches);
  }
  for (const Asset& a : reg.assets) {
    if (a.kind != AssetKind::kScanner || watched.contains(a.id)) continue;
    Finding f;
    f.rule = "unwatched-scanner";
    f.id = f.rule + ":" + id_part(a.id);
    f.severity = Severity::kMedium;
    f.seed = "Q12";
    f.title = "No camera watches scanner " + label(a.name, a.id);
    f.assets = {a.id};
    if (!a.vendor.empty()) f.vendors = {a.vendor};
    f.detail = "Scanner " + label(a.name, a.id) +
               (a.vendor.empty() ? std::string() : " of " + org_label(reg, a.vendor)) +
               (a.site.empty() ? std::string() : " at site " + a.site) +
               ": no camera in the register watches it, so the customs system operator cannot see "
               "who works on it.";
    f.suggested_mitigation =
        "Install a camera that shows the scanner to the customs system operator and register it "
        "(camera with watches = " +
        in_quotes(a.id) + ").";
    out.push_back(std::move(f));
  }
}

// ---------------------------------------------------------------------------------------------
// Rule 4: no-remote-policy (Q10).
// The seed: the remote connection stays on, to avoid long outages, pending the external audit.
// Remote access that stays on must at least be governed: which gateway, supervised or not,
// recorded, how long. An asset is covered by a policy that lists it in `assets`, or whose
// `vendor` is the asset's vendor while its `assets` is empty. A remote-capable asset without a
// policy is remote access on the vendor's terms only: high.
bool covered_by_policy(const Register& reg, const Asset& a) {
  return std::any_of(reg.remote_access_policies.begin(), reg.remote_access_policies.end(),
                     [&](const domain::RemoteAccessPolicy& p) {
                       if (std::find(p.assets.begin(), p.assets.end(), a.id) != p.assets.end()) {
                         return true;
                       }
                       return p.assets.empty() && !p.vendor.empty() && p.vendor == a.vendor;
                     });
}

void check_remote_policies(const Register& reg, std::vector<Finding>& out) {
  for (const Asset& a : reg.assets) {
    if (!a.remote_capable || covered_by_policy(reg, a)) continue;
    Finding f;
    f.rule = "no-remote-policy";
    f.id = f.rule + ":" + id_part(a.id);
    f.severity = Severity::kHigh;
    f.seed = "Q10";
    f.title = "No remote-access policy covers " + std::string(asset_kind_word(a.kind)) + " " +
              label(a.name, a.id);
    f.assets = {a.id};
    if (!a.vendor.empty()) f.vendors = {a.vendor};
    f.detail = "The " + std::string(asset_kind_word(a.kind)) + " " + label(a.name, a.id) +
               (a.vendor.empty() ? std::string() : " of " + org_label(reg, a.vendor)) +
               " can be maintained remotely, but no remote-access policy lists it or covers its "
               "vendor: nothing says through which gateway, whether supervised or recorded, or "
               "for how long.";
    f.suggested_mitigation =
        "Add a remote-access policy for the asset or its vendor: only through the "
        "remote-maintenance gateway, supervised, recorded and time-boxed; or set remote_capable "
        "to false and switch remote access off if it is not needed.";
    out.push_back(std::move(f));
  }
}

// ---------------------------------------------------------------------------------------------
// Rule 4b: no-gateway-route (Q10).
// The seed asks whether technicians can set up a mobile data connection to their head office
// (Q10). If the register says an asset is maintained remotely but shows no route from any
// vendor-reachable zone into the asset's zone that passes a gateway, the remote maintenance
// takes a route the register does not show (a mobile modem, a forgotten VPN) or a route that
// avoids the gateway: either the register is incomplete or the gateway is bypassed. Medium: the
// finding is about a gap in what is known; where the route is a known bypass into a closed zone,
// unmediated-path reports it as high.
// Search: breadth-first over (zone, passed a gateway) from every vendor-reachable zone, over all
// arcs; an arc whose link is mediated by a gateway sets "passed", entering a vendor-reachable
// zone clears it.
void check_gateway_routes(const Register& reg, const ZoneGraph& g, std::vector<Finding>& out) {
  const std::set<std::string> sources = vendor_reachable_zones(reg);
  std::set<std::pair<std::string, bool>> seen;
  std::deque<std::pair<std::string, bool>> queue;
  for (const std::string& z : sources) {
    seen.insert({z, false});
    queue.push_back({z, false});
  }
  while (!queue.empty()) {
    const auto [zone, passed] = queue.front();
    queue.pop_front();
    auto it = g.find(zone);
    if (it == g.end()) continue;
    for (const Arc& arc : it->second) {
      // A route that passes a gateway and then enters a vendor-reachable zone again (out
      // through the gateway, back in through a firewall) is not mediated: vendors are in that
      // zone anyway, and routes from it start there unmediated.
      std::pair<std::string, bool> next{arc.to,
                                        (passed || arc.mediated) && !sources.contains(arc.to)};
      if (seen.insert(next).second) queue.push_back(std::move(next));
    }
  }
  for (const Asset& a : reg.assets) {
    if (!a.remote_capable) continue;
    if (!a.zone.empty() && seen.contains({a.zone, true})) continue;
    Finding f;
    f.rule = "no-gateway-route";
    f.id = f.rule + ":" + id_part(a.id);
    f.severity = Severity::kMedium;
    f.seed = "Q10";
    f.title = "Remote-capable " + std::string(asset_kind_word(a.kind)) + " " + label(a.name, a.id) +
              " has no registered route through a gateway";
    f.assets = {a.id};
    if (!a.vendor.empty()) f.vendors = {a.vendor};
    if (!a.zone.empty()) f.zones = {a.zone};
    std::string why;
    if (a.zone.empty()) {
      why = "it is in no network zone of the register";
    } else if (seen.contains({a.zone, false})) {
      why = "its zone " + zone_label(reg, a.zone) +
            " is reached from vendor-reachable zones only without passing a gateway";
    } else {
      why = "no vendor-reachable zone reaches its zone " + zone_label(reg, a.zone) + " at all";
    }
    f.detail = "The asset can be maintained remotely, but " + why +
               ": its remote maintenance takes a route the register does not show (a mobile data "
               "connection, a vendor VPN) or one that avoids the remote-maintenance gateway.";
    f.suggested_mitigation =
        "Find and register the route the vendor uses, and move it behind the remote-maintenance "
        "gateway; remove mobile modems and direct vendor connections; or set remote_capable to "
        "false if the asset is not maintained remotely.";
    out.push_back(std::move(f));
  }
}

// ---------------------------------------------------------------------------------------------
// Rule 5: screening-missing / screening-expired / screening-expiring (Q13).
// The seed: a VOG suffices for access to the scanners in the port, where Schiphol requires a
// VGB; requirements are set by risk per location. The requirements are therefore options
// (CheckOptions::screening_requirements); a VGB satisfies a VOG requirement.
// A person is covered from `today` for as long as a chain of accepted screenings (valid on days
// issued <= d < expires) runs without a gap: a renewal issued before the current screening ends
// extends the coverage, so a person whose renewal is already registered is not reported. Per
// person and required kind:
//   not covered today, never screened (or only from a future date)  -> screening-missing, high
//   not covered today, a screening ended                            -> screening-expired, high
//   covered, but the coverage ends within the horizon               -> screening-expiring, medium
// Expired and expiring findings name the screening whose end opens the gap (see the id scheme).
struct Coverage {
  const Screening* last = nullptr;  // the screening that ends the coverage; nullptr if none today
  Date until;                       // exclusive end of the coverage
};

bool screening_before(const Screening* a, const Screening* b) {
  // Later end first; among equal ends the smaller id (deterministic).
  if (a->expires != b->expires) return a->expires > b->expires;
  return a->id < b->id;
}

Coverage coverage_from(const std::vector<const Screening*>& accepted, Date today) {
  Coverage c{nullptr, today};
  for (;;) {
    const Screening* best = nullptr;
    for (const Screening* s : accepted) {
      if (s->issued <= c.until && c.until < s->expires &&
          (best == nullptr || screening_before(s, best))) {
        best = s;
      }
    }
    if (best == nullptr) return c;
    c.last = best;
    c.until = best->expires;  // strictly later than before, so the loop ends
  }
}

void check_screenings(const Register& reg, const CheckOptions& options, std::vector<Finding>& out) {
  const Date today = options.today;
  for (const auto& person : reg.people) {
    std::set<ScreeningKind> required;
    for (const auto& req : options.screening_requirements) {
      if (std::find(person.roles.begin(), person.roles.end(), req.role) != person.roles.end()) {
        required.insert(req.kind);
      }
    }
    if (required.empty()) continue;
    std::string role_text;
    for (Role r : person.roles) {
      if (!role_text.empty()) role_text += ", ";
      role_text += role_word(r);
    }
    const std::string who = role_text + " " + label(person.name, person.id);
    const auto* org = reg.organisation(person.organisation);
    std::vector<std::string> vendors;
    if (org != nullptr && org->kind == domain::OrgKind::kVendor) vendors.push_back(org->id);

    for (ScreeningKind kind : required) {
      std::vector<const Screening*> accepted;
      for (const Screening& s : reg.screenings) {
        if (s.person != person.id) continue;
        if (s.kind == kind || s.kind == ScreeningKind::kVgb) accepted.push_back(&s);
      }
      const std::string kind_word(screening_kind_word(kind));
      const std::string accepts =
          kind == ScreeningKind::kVog ? "a VOG or VGB" : "a VGB";  // for the texts
      const Coverage c = coverage_from(accepted, today);

      Finding f;
      f.seed = "Q13";
      f.people = {person.id};
      f.vendors = vendors;
      const std::string subject = id_part(person.id) + ":" + std::string(screening_kind_id(kind));
      if (c.last == nullptr) {
        const Screening* ended = nullptr;
        const Screening* future = nullptr;
        for (const Screening* s : accepted) {
          if (s->expires <= today && (ended == nullptr || screening_before(s, ended))) ended = s;
          if (s->issued > today && (future == nullptr || s->issued < future->issued ||
                                    (s->issued == future->issued && s->id < future->id))) {
            future = s;
          }
        }
        const std::string pending = future == nullptr
                                        ? std::string()
                                        : " A screening (" + future->id + ") takes effect on " +
                                              domain::format_date(future->issued) + ".";
        f.severity = Severity::kHigh;
        if (ended != nullptr) {
          f.rule = "screening-expired";
          f.id = f.rule + ":" + subject + ":" + id_part(ended->id);
          f.title = kind_word + " of " + who + " expired on " + domain::format_date(ended->expires);
          f.detail = "The " + who + " needs " + accepts + "; the last one (" + ended->id + ", " +
                     std::string(screening_kind_word(ended->kind)) + ") expired on " +
                     domain::format_date(ended->expires) + " (last valid day " +
                     domain::format_date(Date{ended->expires.days - 1}) +
                     ") and none is in force on " + domain::format_date(today) + "." + pending;
          f.suggested_mitigation =
              "Suspend the person's access to the scanners, server room and remote sessions "
              "until a new " +
              kind_word + " is registered.";
        } else {
          f.rule = "screening-missing";
          f.id = f.rule + ":" + subject;
          f.title = "No " + kind_word + " for " + who;
          f.detail = "The " + who + " needs " + accepts + " but none is in force on " +
                     domain::format_date(today) + "." + pending;
          f.suggested_mitigation = "Grant no access until the person's " + kind_word +
                                   " is registered; request the screening now.";
        }
      } else {
        const int days_left = c.until.days - today.days;
        if (days_left > options.screening_horizon_days) continue;
        f.rule = "screening-expiring";
        f.id = f.rule + ":" + subject + ":" + id_part(c.last->id);
        f.severity = Severity::kMedium;
        f.title = kind_word + " of " + who + " expires on " + domain::format_date(c.until) + " (" +
                  std::to_string(days_left) + (days_left == 1 ? " day" : " days") + " left)";
        f.detail = "The " + who + " needs " + accepts + "; the screenings registered cover the " +
                   "person until " + domain::format_date(c.until) + " (last valid day " +
                   domain::format_date(Date{c.until.days - 1}) + ", ending with " + c.last->id +
                   ", " + std::string(screening_kind_word(c.last->kind)) +
                   "), within the horizon of " + std::to_string(options.screening_horizon_days) +
                   " days, and no renewal is registered.";
        f.suggested_mitigation = "Request the renewal of the " + kind_word +
                                 " now and register it when issued; without it, access ends on " +
                                 domain::format_date(c.until) + ".";
      }
      out.push_back(std::move(f));
    }
  }
}

constexpr std::pair<Severity, std::string_view> kSeverities[] = {
    {Severity::kLow, "low"},
    {Severity::kMedium, "medium"},
    {Severity::kHigh, "high"},
};

nlohmann::json string_array(const std::vector<std::string>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

}  // namespace

std::string_view severity_name(Severity s) {
  for (const auto& [sev, name] : kSeverities) {
    if (sev == s) return name;
  }
  return "medium";
}

core::Result<Severity> parse_severity(std::string_view s) {
  for (const auto& [sev, name] : kSeverities) {
    if (name == s) return sev;
  }
  return core::invalid_argument("unknown severity '" + std::string(s) +
                                "' (expected low, medium or high)");
}

std::vector<ScreeningRequirement> default_screening_requirements() {
  return {{Role::kTechnician, ScreeningKind::kVog}, {Role::kSecurityOfficer, ScreeningKind::kVgb}};
}

nlohmann::json finding_to_json(const Finding& f) {
  return nlohmann::json{
      {"id", f.id},
      {"rule", f.rule},
      {"severity", std::string(severity_name(f.severity))},
      {"title", f.title},
      {"detail", f.detail},
      {"assets", string_array(f.assets)},
      {"people", string_array(f.people)},
      {"vendors", string_array(f.vendors)},
      {"rooms", string_array(f.rooms)},
      {"zones", string_array(f.zones)},
      {"links", string_array(f.links)},
      {"suggested_mitigation", f.suggested_mitigation},
      {"seed", f.seed},
  };
}

nlohmann::json findings_to_json(const std::vector<Finding>& findings) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& f : findings) a.push_back(finding_to_json(f));
  return a;
}

std::vector<Finding> check_topology(const domain::Register& reg, const CheckOptions& options) {
  std::vector<Finding> out;
  const ZoneGraph graph = build_zone_graph(reg);
  check_mixed_vendors(reg, out);
  check_unmediated_paths(reg, graph, out);
  check_unwatched_scanners(reg, out);
  check_remote_policies(reg, out);
  check_gateway_routes(reg, graph, out);
  check_screenings(reg, options, out);
  // Severity (high first), then id; the full content breaks ties so that a register with
  // duplicate record ids (invalid, but checked anyway) still gives one deterministic finding.
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.id != b.id) return a.id < b.id;
    return finding_to_json(a).dump() < finding_to_json(b).dump();
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Finding& a, const Finding& b) { return a.id == b.id; }),
            out.end());
  return out;
}

}  // namespace pw::topology
