// OwnershipService queries: show, explain, exposure and the diagram.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "app/internal/diagram.h"
#include "app/internal/ownership_loaded.h"
#include "app/ownership_service.h"
#include "formats/import.h"
#include "ownership/control.h"
#include "ownership/explain.h"
#include "ownership/exposure.h"
#include "ownership/graph.h"
#include "ownership/integrated.h"

namespace pw::app {
namespace {

using ownership::Bounds;
using ownership::Graph;
using ownership::NodeId;

nlohmann::json bounds_json(const Bounds& b) {
  return {{"min", b.min}, {"max", b.max}, {"known", b.known}};
}

std::string share_text(const domain::Share& s) {
  if (!s.known) return "unknown share";
  if (s.is_exact()) return ownership::format_percent(s.min);
  return (s.min_exclusive ? "(" : "[") + ownership::format_percent(s.min) + ", " +
         ownership::format_percent(s.max) + (s.max_exclusive ? ")" : "]");
}

std::string entity_label(const Graph& g, NodeId n) {
  const auto& e = g.entity(n);
  return e.name.empty() ? e.id : e.name;
}

nlohmann::json entity_json(const Graph& g, NodeId n) {
  const auto& e = g.entity(n);
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& id : e.identifiers) ids.push_back(id.scheme + ":" + id.value);
  return {{"id", e.id},
          {"name", e.name},
          {"kind", std::string(domain::entity_kind_name(e.kind))},
          {"country", e.country},
          {"identifiers", ids}};
}

std::string path_text(const Graph& g, const ownership::ExplainedPath& p) {
  if (p.steps.empty()) return "";
  std::string out = entity_label(g, p.steps.front().owner);
  for (const auto& s : p.steps) {
    out += " -> " + entity_label(g, s.owned) + " " + ownership::format_bounds(s.share);
  }
  return out + " = " + ownership::format_bounds(p.product);
}

}  // namespace

core::Result<QueryOutput> OwnershipService::show(const std::string& query,
                                                 const OwnershipQuery& q) {
  PW_ASSIGN_OR_RETURN(std::unique_ptr<Loaded> l, load(q));
  const Graph& g = l->graph;
  PW_ASSIGN_OR_RETURN(NodeId node, g.find(query));
  const auto& e = g.entity(node);
  QueryOutput out;
  nlohmann::json owners = nlohmann::json::array(), holdings = nlohmann::json::array();
  std::string owners_text, holdings_text;
  for (std::int32_t i = 0; i < l->statements; ++i) {
    const domain::Edge& s = g.statement(i);
    const bool up = s.owned == e.id, down = s.owner == e.id;
    if (!up && !down) continue;
    PW_ASSIGN_OR_RETURN(NodeId other, g.find_by_id(up ? s.owner : s.owned));
    nlohmann::json j = {
        {"entity", g.entity(other).id},
        {"name", g.entity(other).name},
        {"interest", std::string(domain::interest_name(s.interest))},
        {"share", {{"min", s.share.min}, {"max", s.share.max}, {"known", s.share.known}}},
        {"direct", s.direct},
        {"source", s.source}};
    if (s.start) j["start"] = domain::format_date(*s.start);
    if (s.end) j["end"] = domain::format_date(*s.end);
    std::string line = "  " + entity_label(g, other) + "  " + share_text(s.share) + "  " +
                       std::string(domain::interest_name(s.interest)) +
                       (s.direct ? "" : " (indirect statement)") +
                       (s.end ? "  until " + domain::format_date(*s.end) : "") + "\n";
    (up ? owners : holdings).push_back(std::move(j));
    (up ? owners_text : holdings_text) += line;
  }
  out.text = entity_label(g, node) + " (" + std::string(domain::entity_kind_name(e.kind)) +
             (e.country.empty() ? "" : ", " + e.country) + ") id " + e.id + "\n";
  out.text +=
      "Owners and controllers:\n" + (owners_text.empty() ? "  (none disclosed)\n" : owners_text);
  out.text += "Holdings:\n" + (holdings_text.empty() ? "  (none)\n" : holdings_text);
  nlohmann::json doc = entity_json(g, node);
  doc["owners"] = owners;
  doc["holdings"] = holdings;
  out.json.push_back(std::move(doc));
  return out;
}

core::Result<QueryOutput> OwnershipService::explain(const std::string& query,
                                                    const std::optional<std::string>& owner_query,
                                                    int top_k, const OwnershipQuery& q) {
  PW_ASSIGN_OR_RETURN(std::unique_ptr<Loaded> l, load(q));
  const Graph& g = l->graph;
  PW_ASSIGN_OR_RETURN(NodeId owned, g.find(query));
  std::optional<NodeId> owner;
  if (owner_query) {
    PW_ASSIGN_OR_RETURN(owner, g.find(*owner_query));
  }
  ownership::ExplainOptions options;
  options.k = std::max(1, top_k);
  PW_ASSIGN_OR_RETURN(ownership::Explanation ex, ownership::explain(g, owned, owner, options));

  QueryOutput out;
  nlohmann::json doc = {{"entity", entity_json(g, owned)}};
  out.text = "Holdings in " + entity_label(g, owned) +
             (owner ? " of " + entity_label(g, *owner) : std::string()) +
             (q.as_of ? " as of " + *q.as_of : std::string()) + ":\n";
  nlohmann::json paths = nlohmann::json::array();
  int rank = 0;
  for (const auto& p : ex.paths) {
    out.text += "  " + std::to_string(++rank) + ". " + path_text(g, p) + "\n";
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : p.steps) {
      steps.push_back({{"owner", g.entity(s.owner).id},
                       {"owned", g.entity(s.owned).id},
                       {"share", bounds_json(s.share)}});
    }
    paths.push_back(
        {{"text", path_text(g, p)}, {"steps", steps}, {"product", bounds_json(p.product)}});
  }
  if (ex.paths.empty()) out.text += "  (no ownership chain found)\n";
  if (ex.truncated) out.text += "  (search stopped early; more chains may exist)\n";
  doc["paths"] = paths;
  if (ex.integrated) {
    out.text += "Integrated ownership: " + ownership::format_bounds(ex.integrated->share) + "\n";
    doc["integrated"] = bounds_json(ex.integrated->share);
    auto ctrl = ownership::control(g, *owner, owned);
    if (ctrl) {
      out.text += "Control: " + ctrl->summary + "\n";
      for (const auto& d : ctrl->disagreements) out.text += "  rules disagree " + d + "\n";
      doc["control"] = {{"summary", ctrl->summary},
                        {"controls", std::string(ownership::verdict_name(ctrl->controls))},
                        {"weakest_link", bounds_json(ctrl->weakest_link)},
                        {"disagreements", ctrl->disagreements}};
    }
  }
  nlohmann::json gaps = {{"unknown_shares", nlohmann::json::array()},
                         {"undisclosed", nlohmann::json::array()},
                         {"excluded_by_date", nlohmann::json::array()}};
  std::string gap_text;
  for (const auto& u : ex.unknown_shares) {
    gap_text +=
        "  unknown share: " + entity_label(g, u.owner) + " in " + entity_label(g, u.owned) + "\n";
    gaps["unknown_shares"].push_back(
        {{"owner", g.entity(u.owner).id}, {"owned", g.entity(u.owned).id}});
  }
  for (const auto& u : ex.undisclosed) {
    gap_text += "  undisclosed owners of " + entity_label(g, u.company) + ": " +
                ownership::format_bounds(u.share) + "\n";
    gaps["undisclosed"].push_back(
        {{"company", g.entity(u.company).id}, {"share", bounds_json(u.share)}});
  }
  for (const auto& x : ex.excluded) {
    gap_text += "  left out (" + std::string(x.ended ? "ended" : "not yet valid") +
                " on the date): " + entity_label(g, x.owner) + " in " + entity_label(g, x.owned) +
                "\n";
    gaps["excluded_by_date"].push_back(
        {{"owner", g.entity(x.owner).id}, {"owned", g.entity(x.owned).id}, {"ended", x.ended}});
  }
  for (std::int32_t i : ex.stated_indirect) {
    const auto& s = g.statement(i);
    gap_text += "  stated indirectly (not summed): " + s.owner + " in " + s.owned + " " +
                share_text(s.share) + "\n";
  }
  if (!gap_text.empty()) out.text += "Gaps:\n" + gap_text;
  doc["gaps"] = gaps;
  out.json.push_back(std::move(doc));
  return out;
}

core::Result<QueryOutput> OwnershipService::exposure(const std::optional<std::string>& state,
                                                     double min_fraction, const OwnershipQuery& q) {
  PW_ASSIGN_OR_RETURN(std::unique_ptr<Loaded> l, load(q));
  const Graph& g = l->graph;
  std::optional<std::int32_t> only;
  if (state) {
    PW_ASSIGN_OR_RETURN(only, g.find_state(*state));
  }
  QueryOutput out;
  const auto states = g.states();
  std::string text;
  auto visit = [&](std::int32_t s, std::span<const ownership::ExposureEntry> entries) {
    if (only && s != *only) return;
    for (const auto& e : entries) {
      if (e.share.max < min_fraction || e.share.max <= 0.0) continue;
      const auto& ent = g.entity(e.entity);
      out.json.push_back({{"entity", ent.id},
                          {"name", ent.name},
                          {"state", states[s].key},
                          {"min", e.share.min},
                          {"max", e.share.max}});
      text += states[s].key + "  " + ownership::format_bounds(e.share) + "  " +
              entity_label(g, e.entity) + "\n";
    }
  };
  ownership::ExposureOptions options;
  options.threads = 2;  // both cores: every state is an independent pass
  PW_TRY(ownership::for_each_state_exposure(g, visit, options));
  out.text = text.empty() ? "no state exposure at or above the threshold\n" : text;
  return out;
}

core::Result<std::string> OwnershipService::graph_svg(const std::string& query,
                                                      const OwnershipQuery& q) {
  PW_ASSIGN_OR_RETURN(std::unique_ptr<Loaded> l, load(q));
  const Graph& g = l->graph;
  PW_ASSIGN_OR_RETURN(NodeId root, g.find(query));
  // Everything upstream of the entity: its owners, their owners, ... (bounded for legibility).
  constexpr std::size_t kMaxNodes = 200;
  std::set<std::string> seen{g.entity(root).id};
  std::vector<std::string> frontier{g.entity(root).id};
  std::vector<std::int32_t> shown;
  while (!frontier.empty() && seen.size() < kMaxNodes) {
    std::vector<std::string> next;
    for (std::int32_t i = 0; i < l->statements; ++i) {
      const auto& s = g.statement(i);
      if (!s.direct || std::find(frontier.begin(), frontier.end(), s.owned) == frontier.end())
        continue;
      shown.push_back(i);
      if (seen.insert(s.owner).second) next.push_back(s.owner);
    }
    frontier = std::move(next);
  }
  auto esc = [](const std::string& s) {
    std::string o;
    for (char c : s) {
      if (c == '"' || c == '\\') o += '\\';
      o += c;
    }
    return o;
  };
  std::string dot =
      "digraph ownership {\n  rankdir=TB;\n  node [shape=box, style=rounded, "
      "fontname=\"Helvetica\"];\n";
  for (const auto& id : seen) {
    PW_ASSIGN_OR_RETURN(NodeId n, g.find_by_id(id));
    const auto& e = g.entity(n);
    const bool state =
        e.kind == domain::EntityKind::kState || e.kind == domain::EntityKind::kStateBody;
    dot += "  \"" + esc(id) + "\" [label=\"" + esc(entity_label(g, n)) +
           (e.country.empty() ? "" : "\\n(" + esc(e.country) + ")") + "\"" +
           (state ? ", color=\"#b00020\", penwidth=2" : "") + (n == root ? ", penwidth=3" : "") +
           "];\n";
  }
  for (std::int32_t i : shown) {
    const auto& s = g.statement(i);
    dot += "  \"" + esc(s.owner) + "\" -> \"" + esc(s.owned) + "\" [label=\"" +
           esc(share_text(s.share)) + "\"];\n";
  }
  dot += "}\n";
  return internal::render_svg(dot);
}

}  // namespace pw::app
