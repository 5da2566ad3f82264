#include "formats/merge.h"

#include <algorithm>
#include <numeric>
#include <string_view>

#include "formats/internal/dataset_builder.h"
#include "formats/internal/normalize.h"

namespace pw::formats {
namespace {

using domain::EntityKind;
using internal::StringMap;

struct Slot {
  std::size_t dataset;
  const domain::Entity* entity;
};

// 0: unknown (joins anything), 1: person, 2: organisation (company, state body, state).
int kind_class(EntityKind k) {
  if (k == EntityKind::kUnknown) return 0;
  return k == EntityKind::kPerson ? 1 : 2;
}

int org_rank(EntityKind k) {
  switch (k) {
    case EntityKind::kState:
      return 3;
    case EntityKind::kStateBody:
      return 2;
    case EntityKind::kCompany:
      return 1;
    default:
      return 0;
  }
}

std::string describe_share(const domain::Share& s) {
  if (!s.known) return "unknown share";
  if (s.is_exact()) return internal::format_number(s.min * 100) + "%";
  return std::string(s.min_exclusive ? "(" : "[") + internal::format_number(s.min * 100) + "%, " +
         internal::format_number(s.max * 100) + "%" + (s.max_exclusive ? ")" : "]");
}

bool same_share(const domain::Share& a, const domain::Share& b) {
  return a.known == b.known && a.min == b.min && a.max == b.max &&
         a.min_exclusive == b.min_exclusive && a.max_exclusive == b.max_exclusive;
}

bool overlap(const domain::Edge& a, const domain::Edge& b) {
  if (a.end && b.start && *a.end <= *b.start) return false;
  if (b.end && a.start && *b.end <= *a.start) return false;
  return true;
}

class Merger {
 public:
  explicit Merger(std::span<const domain::OwnershipDataset> datasets) : datasets_(datasets) {}
  MergeResult run();

 private:
  std::size_t root(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  // Unites two groups unless that would make a person and an organisation one entity.
  void unite(std::size_t a, std::size_t b, const std::string& key);
  void build_entities();
  void build_edges();

  std::span<const domain::OwnershipDataset> datasets_;
  std::vector<Slot> slots_;
  std::vector<std::size_t> parent_;
  std::vector<bool> has_person_, has_org_;
  std::vector<std::string> group_id_;           // per root slot
  std::vector<StringMap<std::string>> new_id_;  // per dataset: old id -> merged id
  MergeResult out_;
};

void Merger::unite(std::size_t a, std::size_t b, const std::string& key) {
  std::size_t ra = root(a), rb = root(b);
  if (ra == rb) return;
  if ((has_person_[ra] && has_org_[rb]) || (has_org_[ra] && has_person_[rb])) {
    out_.conflicts.push_back({key,
                              {slots_[a].entity->id, slots_[b].entity->id},
                              "a person and an organisation share " + key + "; they are kept apart",
                              false});
    return;
  }
  if (rb < ra) std::swap(ra, rb);
  parent_[rb] = ra;
  has_person_[ra] = has_person_[ra] || has_person_[rb];
  has_org_[ra] = has_org_[ra] || has_org_[rb];
}

void Merger::build_entities() {
  const std::size_t n = slots_.size();
  std::vector<std::vector<std::size_t>> members(n);
  for (std::size_t i = 0; i < n; ++i) members[root(i)].push_back(i);
  group_id_.assign(n, {});
  StringMap<bool> used_ids;
  for (std::size_t g = 0; g < n; ++g) {
    if (members[g].empty()) continue;
    const auto& group = members[g];
    domain::Entity merged;
    const domain::Entity& first = *slots_[group.front()].entity;
    merged.id = first.id;
    // Two groups can only share an id when a person/organisation conflict kept them apart.
    for (int k = 2; used_ids.contains(merged.id); ++k) {
      merged.id = first.id + "~" + std::to_string(k);
    }
    used_ids.emplace(merged.id, true);
    merged.kind = EntityKind::kUnknown;
    std::vector<EntityKind> org_kinds;
    std::vector<std::string> sources;
    for (std::size_t slot : group) {
      const domain::Entity& e = *slots_[slot].entity;
      if (e.kind == EntityKind::kPerson) merged.kind = EntityKind::kPerson;
      if (org_rank(e.kind) > 0) {
        if (std::find(org_kinds.begin(), org_kinds.end(), e.kind) == org_kinds.end()) {
          org_kinds.push_back(e.kind);
        }
        if (org_rank(e.kind) > org_rank(merged.kind)) merged.kind = e.kind;
      }
      if (merged.name.empty()) merged.name = e.name;
      if (merged.country.empty()) {
        merged.country = e.country;
      } else if (!e.country.empty() && e.country != merged.country) {
        out_.conflicts.push_back({"id:" + merged.id,
                                  {first.id, e.id},
                                  "countries " + merged.country + " and " + e.country +
                                      " for one entity; kept " + merged.country,
                                  true});
      }
      for (const domain::Identifier& ident : e.identifiers) {
        if (std::find(merged.identifiers.begin(), merged.identifiers.end(), ident) ==
            merged.identifiers.end()) {
          merged.identifiers.push_back(ident);
        }
      }
      if (!e.source.empty() &&
          std::find(sources.begin(), sources.end(), e.source) == sources.end() &&
          sources.size() < 8) {
        sources.push_back(e.source);
      }
    }
    if (org_kinds.size() > 1) {
      std::vector<std::string> ids;
      std::string names;
      for (std::size_t slot : group) ids.push_back(slots_[slot].entity->id);
      for (EntityKind k : org_kinds) {
        names += (names.empty() ? "" : ", ") + std::string(domain::entity_kind_name(k));
      }
      out_.conflicts.push_back({"id:" + merged.id, std::move(ids),
                                "kinds " + names + " for one entity; unified as " +
                                    std::string(domain::entity_kind_name(merged.kind)),
                                true});
    }
    for (const std::string& s : sources) merged.source += (merged.source.empty() ? "" : "; ") + s;
    out_.entities_unified += group.size() - 1;
    group_id_[g] = merged.id;
    for (std::size_t slot : group) {
      new_id_[slots_[slot].dataset].insert_or_assign(slots_[slot].entity->id, merged.id);
    }
    out_.dataset.entities.push_back(std::move(merged));
  }
}

void Merger::build_edges() {
  // Edges already kept, by (owner, owned, interest, direct), with the dataset that stated them.
  StringMap<std::vector<std::pair<std::size_t, std::size_t>>> kept;
  for (std::size_t d = 0; d < datasets_.size(); ++d) {
    for (const domain::Edge& original : datasets_[d].edges) {
      domain::Edge edge = original;
      auto owner = new_id_[d].find(edge.owner);
      auto owned = new_id_[d].find(edge.owned);
      if (owner == new_id_[d].end() || owned == new_id_[d].end()) {
        out_.conflicts.push_back({"edge:" + edge.owner + "->" + edge.owned,
                                  {edge.owner, edge.owned},
                                  "edge refers to an entity its dataset does not contain; dropped",
                                  false});
        continue;
      }
      edge.owner = owner->second;
      edge.owned = owned->second;
      if (edge.owner == edge.owned) {
        out_.conflicts.push_back(
            {"edge:" + edge.owner + "->" + edge.owned,
             {original.owner, original.owned},
             "unifying entities made '" + edge.owner + "' own itself; the edge is dropped",
             false});
        continue;
      }
      const std::string key = edge.owner + '\x1f' + edge.owned + '\x1f' +
                              std::string(domain::interest_name(edge.interest)) +
                              (edge.direct ? "\x1f"
                                             "d"
                                           : "\x1f"
                                             "i");
      auto& same = kept[key];
      bool drop = false;
      for (const auto& [kept_dataset, kept_index] : same) {
        if (kept_dataset == d) continue;
        const domain::Edge& prior = out_.dataset.edges[kept_index];
        if (!overlap(prior, edge)) continue;
        drop = true;
        // Registers often disagree on dates by a day or a filing; a stake of the same size
        // over overlapping time is the same stake.
        if (same_share(prior.share, edge.share)) {
          ++out_.duplicate_edges_dropped;
        } else {
          out_.conflicts.push_back(
              {"edge:" + edge.owner + "->" + edge.owned,
               {edge.owner, edge.owned},
               std::string(domain::interest_name(edge.interest)) + " stated as " +
                   describe_share(prior.share) + " by dataset " + std::to_string(kept_dataset) +
                   " and as " + describe_share(edge.share) + " by dataset " + std::to_string(d) +
                   "; kept dataset " + std::to_string(kept_dataset) + "'s",
               true});
        }
        break;
      }
      if (drop) continue;
      same.emplace_back(d, out_.dataset.edges.size());
      out_.dataset.edges.push_back(std::move(edge));
    }
  }
}

MergeResult Merger::run() {
  for (std::size_t d = 0; d < datasets_.size(); ++d) {
    for (const domain::Entity& e : datasets_[d].entities) slots_.push_back({d, &e});
  }
  const std::size_t n = slots_.size();
  parent_.resize(n);
  std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  has_person_.resize(n);
  has_org_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const int c = kind_class(slots_[i].entity->kind);
    has_person_[i] = c == 1;
    has_org_[i] = c == 2;
  }
  new_id_.resize(datasets_.size());
  StringMap<std::size_t> by_id, by_identifier;
  for (std::size_t i = 0; i < n; ++i) {
    const domain::Entity& e = *slots_[i].entity;
    if (auto [it, inserted] = by_id.try_emplace(e.id, i); !inserted) {
      unite(it->second, i, "id:" + e.id);
    }
    for (const domain::Identifier& ident : e.identifiers) {
      const std::string scheme = internal::normalize_scheme(ident.scheme);
      const std::string key =
          scheme + ":" + internal::normalize_identifier_value(scheme, ident.value);
      if (auto [it, inserted] = by_identifier.try_emplace(key, i); !inserted) {
        unite(it->second, i, key);
      }
    }
  }
  build_entities();
  build_edges();
  return std::move(out_);
}

}  // namespace

MergeResult merge(std::span<const domain::OwnershipDataset> datasets) {
  Merger merger(datasets);
  return merger.run();
}

}  // namespace pw::formats
