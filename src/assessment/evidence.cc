#include "assessment/evidence.h"

#include <algorithm>
#include <set>
#include <utility>

#include "ownership/control.h"
#include "ownership/explain.h"
#include "ownership/exposure.h"

namespace pw::assessment {
namespace {

using domain::Figure;
using domain::OwnershipPath;
using ownership::Bounds;
using ownership::Graph;
using ownership::NodeId;

std::string name_or_id(const domain::Entity& e) {
  return e.name.empty() ? e.id : e.name;
}

// "15.96% (exact)", "20%-35% (range)", "unknown (0%-40%)".
std::string bounds_text(const Bounds& b) {
  if (!b.known) return ownership::format_bounds(b);
  return ownership::format_bounds(b) + (b.min == b.max ? " (exact)" : " (range)");
}

Figure percent_figure(std::string label, const Bounds& b) {
  Figure f;
  f.label = std::move(label);
  f.text = bounds_text(b);
  f.unit = "bp";
  f.min = domain::basis_points_floor(b.min);
  f.max = std::max(f.min, domain::basis_points_ceil(b.max));
  return f;
}

domain::PathLink link_of(const Graph& g, NodeId owner, NodeId owned, const Bounds& share) {
  domain::PathLink l;
  l.owner = g.entity(owner).id;
  l.owner_name = name_or_id(g.entity(owner));
  l.owned = g.entity(owned).id;
  l.owned_name = name_or_id(g.entity(owned));
  l.share = ownership::format_bounds(share);
  l.min_bp = domain::basis_points_floor(share.min);
  l.max_bp = std::max(l.min_bp, domain::basis_points_ceil(share.max));
  return l;
}

// "China National Nuclear Corporation -21%-> Tongfang Co., Ltd. -76%-> Nuctech = 15.96%".
void finish_path(OwnershipPath& p, const Bounds& product) {
  p.product = ownership::format_bounds(product);
  p.product_min_bp = domain::basis_points_floor(product.min);
  p.product_max_bp = std::max(p.product_min_bp, domain::basis_points_ceil(product.max));
  if (p.links.empty()) return;
  p.text = p.links.front().owner_name;
  for (const domain::PathLink& l : p.links) p.text += " -" + l.share + "-> " + l.owned_name;
  p.text += " = " + p.product;
}

OwnershipPath path_of(const Graph& g, const ownership::ExplainedPath& e) {
  OwnershipPath p;
  for (const ownership::PathStep& s : e.steps)
    p.links.push_back(link_of(g, s.owner, s.owned, s.share));
  finish_path(p, e.product);
  return p;
}

ControlFinding finding_of(const Graph& g, NodeId controller, const ownership::ControlAnswer& a) {
  ControlFinding f;
  const domain::Entity& c = g.entity(controller);
  f.controller = c.id;
  f.controller_name = name_or_id(c);
  f.country = c.country;
  f.controls = std::string(ownership::verdict_name(a.controls));
  for (ownership::ControlRule r : a.concluded_by) {
    f.concluded_by.emplace_back(ownership::control_rule_name(r));
  }
  f.economic = percent_figure("economic", a.economic);
  f.weakest_link = percent_figure("weakest link", a.weakest_link);
  for (const ownership::MajorityVerdict& m : a.majority) {
    f.majority.push_back("majority chain (>" + ownership::format_percent(m.threshold) +
                         "): " + std::string(ownership::verdict_name(m.verdict)));
  }
  f.declared = std::string(ownership::verdict_name(a.declared));
  f.disagreements = a.disagreements;
  f.summary = a.summary;
  Bounds product{1.0, 1.0, true};
  for (const ownership::ControlStep& s : a.weakest_chain) {
    if (s.declared) {
      f.weakest_chain.links.push_back(link_of(g, s.owner, s.owned, Bounds{0.0, 1.0, false}));
      f.weakest_chain.links.back().share = "declared";
      product = Bounds{0.0, product.max, false};
      continue;
    }
    f.weakest_chain.links.push_back(link_of(g, s.owner, s.owned, s.share));
    product = Bounds{product.min * s.share.min, product.max * s.share.max,
                     product.known && s.share.known};
  }
  finish_path(f.weakest_chain, product);
  return f;
}

int verdict_rank(std::string_view v) {
  return v == "yes" ? 2 : v == "possible" ? 1 : 0;
}

// Orders control findings: stronger verdict first, then a larger weakest link.
bool stronger(const ControlFinding& a, const ControlFinding& b) {
  if (verdict_rank(a.controls) != verdict_rank(b.controls)) {
    return verdict_rank(a.controls) > verdict_rank(b.controls);
  }
  return a.weakest_link.max > b.weakest_link.max;
}

bool any_majority(const ControlFinding& f) {
  return std::any_of(f.majority.begin(), f.majority.end(),
                     [](const std::string& m) { return m.ends_with(": yes"); });
}

nlohmann::json strings(const std::vector<std::string>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const std::string& s : v) a.push_back(s);
  return a;
}

nlohmann::json control_to_json(const ControlFinding& f) {
  return {{"controller", f.controller},
          {"controller_name", f.controller_name},
          {"country", f.country},
          {"controls", f.controls},
          {"concluded_by", strings(f.concluded_by)},
          {"economic", domain::figure_to_json(f.economic)},
          {"weakest_link", domain::figure_to_json(f.weakest_link)},
          {"majority", strings(f.majority)},
          {"declared", f.declared},
          {"disagreements", strings(f.disagreements)},
          {"summary", f.summary},
          {"weakest_chain", domain::ownership_path_to_json(f.weakest_chain)}};
}

}  // namespace

core::Result<OwnershipEvidence> ownership_evidence(const Graph& graph, NodeId supplier,
                                                   const OwnershipEvidenceOptions& options) {
  if (!graph.contains(supplier)) return core::invalid_argument("unknown supplier node");
  const domain::Entity& s = graph.entity(supplier);
  OwnershipEvidence out;
  out.supplier = s.id;
  out.supplier_name = name_or_id(s);
  out.supplier_country = s.country;
  out.supplier_kind = std::string(domain::entity_kind_name(s.kind));
  if (graph.as_of()) out.as_of = domain::format_date(*graph.as_of());

  const auto states = graph.states();
  const std::int32_t own_state = graph.state_of(supplier);
  ownership::ExplainOptions explain_options;
  explain_options.k = std::max(1, options.max_paths);
  for (std::int32_t si = 0; si < static_cast<std::int32_t>(states.size()); ++si) {
    const ownership::StateGroup& group = states[static_cast<std::size_t>(si)];
    PW_ASSIGN_OR_RETURN(const Bounds exposure, ownership::state_exposure_of(graph, supplier, si));
    const bool member = si == own_state;
    if (!member && exposure.max <= 0.0) continue;
    StateFinding f;
    f.country = group.country.empty() ? group.key : group.country;
    f.exposure = percent_figure(f.country + " state", exposure);
    f.exact = exposure.exact();
    f.known = exposure.known;
    f.supplier_is_member = member;
    if (!member) {
      const std::set<NodeId> bodies(group.members.begin(), group.members.end());
      std::vector<std::pair<Bounds, OwnershipPath>> found;
      std::vector<NodeId> on_paths;
      for (NodeId m : group.members) {
        PW_ASSIGN_OR_RETURN(const ownership::Explanation e,
                            ownership::explain(graph, supplier, m, explain_options));
        for (const ownership::ExplainedPath& p : e.paths) {
          // A chain passing another body of the same state is counted from that body.
          const bool reenters = std::any_of(p.steps.begin(), p.steps.end(),
                                            [&](const auto& st) { return bodies.count(st.owned); });
          if (reenters || p.steps.empty()) continue;
          found.emplace_back(p.product, path_of(graph, p));
          if (std::find(on_paths.begin(), on_paths.end(), m) == on_paths.end()) {
            on_paths.push_back(m);
          }
        }
      }
      std::stable_sort(found.begin(), found.end(),
                       [](const auto& a, const auto& b) { return a.first.max > b.first.max; });
      for (std::size_t i = 0; i < found.size() && static_cast<int>(i) < options.max_paths; ++i) {
        f.paths.push_back(std::move(found[i].second));
      }
      // Control: the bodies on the chains first, then the others, up to the cap.
      std::vector<NodeId> candidates = on_paths;
      for (NodeId m : group.members) {
        if (std::find(candidates.begin(), candidates.end(), m) == candidates.end()) {
          candidates.push_back(m);
        }
      }
      if (static_cast<int>(candidates.size()) > options.max_candidates) {
        candidates.resize(static_cast<std::size_t>(options.max_candidates));
        out.gaps.push_back("control examined for the first " +
                           std::to_string(options.max_candidates) + " bodies of the " + f.country +
                           " state only");
      }
      for (NodeId m : candidates) {
        PW_ASSIGN_OR_RETURN(const ownership::ControlAnswer a,
                            ownership::control(graph, m, supplier));
        ControlFinding c = finding_of(graph, m, a);
        if (!f.control || stronger(c, *f.control)) f.control = std::move(c);
      }
    }
    out.states.push_back(std::move(f));
  }
  std::stable_sort(out.states.begin(), out.states.end(), [](const auto& a, const auto& b) {
    if (a.supplier_is_member != b.supplier_is_member) return a.supplier_is_member;
    if (a.exposure.max != b.exposure.max) return a.exposure.max > b.exposure.max;
    return a.country < b.country;
  });

  // Upstream owners that are not states: who might control the supplier.
  ownership::ExplainOptions upstream = explain_options;
  upstream.k = std::max(1, options.max_candidates);
  PW_ASSIGN_OR_RETURN(const ownership::Explanation all,
                      ownership::explain(graph, supplier, std::nullopt, upstream));
  std::vector<NodeId> owners;
  for (const ownership::ExplainedPath& p : all.paths) {
    for (const ownership::PathStep& st : p.steps) {
      if (st.owner == supplier || graph.state_of(st.owner) >= 0) continue;
      if (std::find(owners.begin(), owners.end(), st.owner) == owners.end()) {
        owners.push_back(st.owner);
      }
    }
  }
  if (static_cast<int>(owners.size()) > options.max_candidates) {
    owners.resize(static_cast<std::size_t>(options.max_candidates));
  }
  for (NodeId o : owners) {
    PW_ASSIGN_OR_RETURN(const ownership::ControlAnswer a, ownership::control(graph, o, supplier));
    ControlFinding c = finding_of(graph, o, a);
    if (c.controls != "no" || any_majority(c)) out.controllers.push_back(std::move(c));
  }
  std::stable_sort(out.controllers.begin(), out.controllers.end(), stronger);

  for (const ownership::UnknownShare& u : all.unknown_shares) {
    out.gaps.push_back("unknown share: " + name_or_id(graph.entity(u.owner)) + " -> " +
                       name_or_id(graph.entity(u.owned)));
  }
  for (const ownership::UndisclosedEquity& u : all.undisclosed) {
    out.gaps.push_back("undisclosed owners: " + ownership::format_bounds(u.share) + " of " +
                       name_or_id(graph.entity(u.company)));
  }
  for (const ownership::ExcludedEdge& x : all.excluded) {
    out.gaps.push_back("left out on " + out.as_of + ": " + name_or_id(graph.entity(x.owner)) +
                       " -> " + name_or_id(graph.entity(x.owned)) +
                       (x.ended ? " (ended)" : " (not yet started)"));
  }
  if (all.truncated) out.gaps.push_back("chain search stopped before all chains were seen");
  if (all.gaps_truncated) out.gaps.push_back("gap lists truncated");
  return out;
}

nlohmann::json ownership_evidence_to_json(const OwnershipEvidence& e) {
  nlohmann::json states = nlohmann::json::array();
  for (const StateFinding& s : e.states) {
    nlohmann::json paths = nlohmann::json::array();
    for (const OwnershipPath& p : s.paths) paths.push_back(domain::ownership_path_to_json(p));
    states.push_back({{"country", s.country},
                      {"exposure", domain::figure_to_json(s.exposure)},
                      {"exact", s.exact},
                      {"known", s.known},
                      {"supplier_is_member", s.supplier_is_member},
                      {"control", s.control ? control_to_json(*s.control) : nlohmann::json()},
                      {"paths", std::move(paths)}});
  }
  nlohmann::json controllers = nlohmann::json::array();
  for (const ControlFinding& c : e.controllers) controllers.push_back(control_to_json(c));
  return {{"supplier", e.supplier},
          {"supplier_name", e.supplier_name},
          {"supplier_country", e.supplier_country},
          {"supplier_kind", e.supplier_kind},
          {"as_of", e.as_of},
          {"states", std::move(states)},
          {"controllers", std::move(controllers)},
          {"gaps", strings(e.gaps)}};
}

// ---- Access ----------------------------------------------------------------------------------

namespace {

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (!contains(v, s)) v.push_back(s);
}

bool has_role(const domain::Person& p, domain::Role r) {
  return std::find(p.roles.begin(), p.roles.end(), r) != p.roles.end();
}

}  // namespace

AccessEvidence access_evidence(const domain::Register& reg, std::string_view supplier,
                               domain::Date as_of) {
  AccessEvidence e;
  e.supplier = std::string(supplier);
  e.in_register = reg.organisation(supplier) != nullptr;
  if (!e.in_register) return e;

  for (const domain::Asset& a : reg.assets) {
    if (a.vendor != supplier) continue;
    e.assets.push_back(a.id);
    switch (a.criticality) {
      case domain::Criticality::kHigh:
        ++e.high;
        break;
      case domain::Criticality::kMedium:
        ++e.medium;
        break;
      case domain::Criticality::kLow:
        ++e.low;
        break;
    }
    if (a.kind == domain::AssetKind::kScanner) e.scanners.push_back(a.id);
    const domain::Zone* zone = a.zone.empty() ? nullptr : reg.zone(a.zone);
    if (a.remote_capable) {
      e.remote_capable.push_back(a.id);
      if (zone && zone->kind == domain::ZoneKind::kClosedScan) e.remote_into_closed.push_back(a.id);
    }
    if (zone && zone->vendor_reachable) e.vendor_reachable.push_back(a.id);
    const domain::Room* room = a.room.empty() ? nullptr : reg.room(a.room);
    if (room && room->kind == domain::RoomKind::kServerRoom) {
      e.server_room_assets.push_back(a.id);
      add_unique(e.server_rooms, room->id);
    } else {
      e.on_site_assets.push_back(a.id);
    }
  }
  for (const std::string& room : e.server_rooms) {
    const bool shared = std::any_of(reg.assets.begin(), reg.assets.end(), [&](const auto& a) {
      return a.room == room && !a.vendor.empty() && a.vendor != supplier;
    });
    if (shared) e.shared_server_rooms.push_back(room);
  }
  for (const std::string& scanner : e.scanners) {
    const bool watched = std::any_of(reg.assets.begin(), reg.assets.end(), [&](const auto& a) {
      return a.kind == domain::AssetKind::kCamera && a.watches == scanner;
    });
    if (!watched) e.unwatched_scanners.push_back(scanner);
  }

  // Remote-access policies: a policy covers an asset listed in it, or every asset of its vendor
  // when it lists none (domain/register.h).
  std::vector<std::string> covered;
  for (const domain::RemoteAccessPolicy& p : reg.remote_access_policies) {
    PolicyView v;
    for (const std::string& id : e.assets) {
      const bool listed = contains(p.assets, id);
      if (listed || (p.assets.empty() && p.vendor == supplier)) v.assets.push_back(id);
    }
    if (v.assets.empty()) continue;
    v.id = p.id;
    v.supervised = p.supervised;
    v.recorded = p.recorded;
    v.max_session_minutes = p.max_session_minutes;
    v.gateway = p.gateway;
    for (const std::string& id : v.assets) add_unique(covered, id);
    e.policies.push_back(std::move(v));
  }
  for (const std::string& id : e.remote_capable) {
    if (!contains(covered, id)) e.remote_without_policy.push_back(id);
  }

  for (const domain::Person& p : reg.people) {
    if (p.organisation != supplier || !has_role(p, domain::Role::kTechnician)) continue;
    ++e.technicians;
    bool screened = false, vgb = false;
    for (const domain::Screening& s : reg.screenings) {
      if (s.person != p.id || !(s.issued <= as_of && as_of < s.expires)) continue;
      screened = true;
      vgb = vgb || s.kind == domain::ScreeningKind::kVgb;
    }
    e.technicians_screened += screened;
    e.technicians_vgb += vgb;
  }

  if (!e.remote_capable.empty()) e.channels.push_back(domain::AccessChannel::kRemote);
  if (!e.server_room_assets.empty()) e.channels.push_back(domain::AccessChannel::kServerRoom);
  if (!e.on_site_assets.empty()) e.channels.push_back(domain::AccessChannel::kOnSite);
  if (!e.assets.empty()) e.channels.push_back(domain::AccessChannel::kSoftware);
  if (e.technicians > 0 || !e.server_room_assets.empty() || !e.on_site_assets.empty()) {
    e.channels.push_back(domain::AccessChannel::kPersonnel);
  }
  return e;
}

nlohmann::json access_evidence_to_json(const AccessEvidence& e) {
  nlohmann::json policies = nlohmann::json::array();
  for (const PolicyView& p : e.policies) {
    policies.push_back({{"id", p.id},
                        {"supervised", p.supervised},
                        {"recorded", p.recorded},
                        {"max_session_minutes", p.max_session_minutes},
                        {"gateway", p.gateway},
                        {"assets", strings(p.assets)}});
  }
  nlohmann::json channels = nlohmann::json::array();
  for (domain::AccessChannel c : e.channels) channels.push_back(domain::access_channel_name(c));
  return {{"supplier", e.supplier},
          {"in_register", e.in_register},
          {"assets", strings(e.assets)},
          {"high", e.high},
          {"medium", e.medium},
          {"low", e.low},
          {"scanners", strings(e.scanners)},
          {"remote_capable", strings(e.remote_capable)},
          {"remote_into_closed", strings(e.remote_into_closed)},
          {"vendor_reachable", strings(e.vendor_reachable)},
          {"remote_without_policy", strings(e.remote_without_policy)},
          {"policies", std::move(policies)},
          {"server_room_assets", strings(e.server_room_assets)},
          {"server_rooms", strings(e.server_rooms)},
          {"shared_server_rooms", strings(e.shared_server_rooms)},
          {"on_site_assets", strings(e.on_site_assets)},
          {"unwatched_scanners", strings(e.unwatched_scanners)},
          {"technicians", e.technicians},
          {"technicians_screened", e.technicians_screened},
          {"technicians_vgb", e.technicians_vgb},
          {"channels", std::move(channels)}};
}

}  // namespace pw::assessment
