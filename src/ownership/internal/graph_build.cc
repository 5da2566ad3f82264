#include "ownership/internal/graph_build.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "ownership/internal/scc.h"

namespace pw::ownership::internal {
namespace {

using domain::EntityKind;
using domain::Interest;

// Sums of shares are compared with 100% with this slack, so that 0.1 + 0.2 + 0.7 passes.
constexpr double kSumTolerance = 1e-9;
// A tightened maximum below this carries nothing and is dropped from W.
constexpr double kNegligible = 1e-12;

std::string label(const GraphData& g, NodeId node) {
  const domain::Entity& e = g.dataset.entities[node];
  return e.name.empty() || e.name == e.id ? "'" + e.id + "'" : "'" + e.name + "' (" + e.id + ")";
}

// A statement resolved to node indices, before merging.
struct Statement {
  NodeId owner = 0;
  NodeId owned = 0;
  std::int32_t edge = 0;
  domain::Share share;
};

// Merges statements of the same (owned, owner) pair: ranges add (share classes), a merged share
// is known only if every part is. `list` is sorted by (owned, owner, edge) first.
std::vector<Statement> merge_pairs(std::vector<Statement> list) {
  std::sort(list.begin(), list.end(), [](const Statement& a, const Statement& b) {
    return std::tie(a.owned, a.owner, a.edge) < std::tie(b.owned, b.owner, b.edge);
  });
  std::vector<Statement> merged;
  for (const Statement& s : list) {
    if (!merged.empty() && merged.back().owned == s.owned && merged.back().owner == s.owner) {
      domain::Share& m = merged.back().share;
      m.min = std::min(1.0, m.min + s.share.min);
      m.max = std::min(1.0, m.max + s.share.max);
      m.min_exclusive = m.min_exclusive || s.share.min_exclusive;
      m.max_exclusive = m.max_exclusive || s.share.max_exclusive;
      m.known = m.known && s.share.known;
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

// Per owned node, the sum of the minimums in `merged` (sorted by owned).
core::Status check_minimum_sums(const GraphData& g, const std::vector<Statement>& merged,
                                std::vector<double>& sums, const char* what) {
  sums.assign(g.n, 0.0);
  for (const Statement& s : merged) sums[s.owned] += s.share.min;
  for (NodeId j = 0; j < g.n; ++j) {
    if (sums[j] > 1.0 + kSumTolerance) {
      return core::invalid_argument("company " + label(g, j) + ": its " + what +
                                    " minimums sum to " + format_percent(sums[j]) + ", above 100%");
    }
  }
  return core::ok();
}

double tightened(const domain::Share& s, double column_min_sum) {
  // max_ij' = min(max_ij, 1 - sum_{k != i} min_kj); never below the statement's own minimum.
  const double others = column_min_sum - s.min;
  return std::max(s.min, std::min(s.max, 1.0 - others));
}

void build_w(GraphData& g, const std::vector<Statement>& shares) {
  g.in_begin.assign(g.n + 1, 0);
  g.binding.assign(g.n, 0);
  std::vector<double> room(g.n, 0.0);
  for (const Statement& s : shares) {
    const double max = tightened(s.share, g.owner_min_sum[s.owned]);
    if (max < kNegligible) continue;
    g.in.push_back({s.owner, s.edge, s.share.min, max, s.share.known});
    room[s.owned] += max - s.share.min;
    ++g.in_begin[s.owned + 1];
  }
  for (NodeId j = 0; j < g.n; ++j) {
    g.in_begin[j + 1] += g.in_begin[j];
    const double slack = std::max(0.0, 1.0 - g.owner_min_sum[j]);
    g.binding[j] = room[j] > slack + kNegligible ? 1 : 0;
  }
  g.out_begin.assign(g.n + 1, 0);
  for (const InEdge& e : g.in) ++g.out_begin[e.owner + 1];
  for (NodeId i = 0; i < g.n; ++i) g.out_begin[i + 1] += g.out_begin[i];
  g.out.resize(g.in.size());
  std::vector<std::int32_t> fill(g.out_begin.begin(), g.out_begin.end() - 1);
  for (NodeId j = 0; j < g.n; ++j) {
    for (std::int32_t k = g.in_begin[j]; k < g.in_begin[j + 1]; ++k) {
      g.out[fill[g.in[k].owner]++] = {j, k};
    }
  }
}

// Voting weight of each pair: its voting-rights statements if it has any, its shareholding
// otherwise. Where stated votes and shareholdings used as votes together claim more than 100%
// of a company, the shareholdings are only proxies: their minimums drop to 0 in that company.
std::vector<Statement> voting_weights(const GraphData& g, const std::vector<Statement>& shares,
                                      const std::vector<Statement>& votes) {
  std::vector<Statement> weights = votes;
  std::vector<std::uint8_t> proxy;
  for (const Statement& s : shares) {
    auto stated =
        std::lower_bound(votes.begin(), votes.end(), s, [](const Statement& a, const Statement& b) {
          return std::tie(a.owned, a.owner) < std::tie(b.owned, b.owner);
        });
    if (stated != votes.end() && stated->owned == s.owned && stated->owner == s.owner) continue;
    weights.push_back(s);
  }
  proxy.assign(weights.size(), 0);
  std::fill(proxy.begin() + static_cast<std::ptrdiff_t>(votes.size()), proxy.end(), 1);
  std::vector<double> sums(g.n, 0.0);
  for (const Statement& w : weights) sums[w.owned] += w.share.min;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (proxy[i] && sums[weights[i].owned] > 1.0 + kSumTolerance) {
      weights[i].share.min = 0.0;
      weights[i].share.min_exclusive = false;
    }
  }
  return weights;
}

void build_control(GraphData& g, const std::vector<Statement>& weights,
                   const std::vector<std::pair<Statement, Interest>>& declared) {
  std::vector<double>& sums = g.vote_min_sum;
  sums.assign(g.n, 0.0);
  for (const Statement& w : weights) sums[w.owned] += w.share.min;
  std::vector<std::pair<NodeId, ControlLink>> links;
  links.reserve(weights.size() + declared.size());
  for (const Statement& w : weights) {
    const double max = tightened(w.share, sums[w.owned]);
    if (max < kNegligible) continue;
    const domain::Interest interest = g.dataset.edges[w.edge].interest;
    links.push_back(
        {w.owner,
         {w.owned, w.edge, LinkKind::kVote, interest, w.share.min, max, w.share.min_exclusive,
          w.share.max_exclusive && max == w.share.max, w.share.known}});
  }
  for (const auto& [s, interest] : declared) {
    const LinkKind kind =
        interest == Interest::kOtherInfluence ? LinkKind::kInfluence : LinkKind::kDeclared;
    links.push_back({s.owner, {s.owned, s.edge, kind, interest, 0.0, 0.0, false, false, true}});
  }
  std::stable_sort(links.begin(), links.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  g.ctrl_begin.assign(g.n + 1, 0);
  for (const auto& [owner, link] : links) {
    ++g.ctrl_begin[owner + 1];
    g.ctrl.push_back(link);
  }
  for (NodeId i = 0; i < g.n; ++i) g.ctrl_begin[i + 1] += g.ctrl_begin[i];
}

}  // namespace

core::Status index_entities(GraphData& g) {
  const auto& entities = g.dataset.entities;
  if (entities.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) ||
      g.dataset.edges.size() >=
          static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return core::invalid_argument("dataset too large: at most 2^31 - 1 entities and statements");
  }
  g.n = static_cast<std::int32_t>(entities.size());
  g.by_id.reserve(entities.size());
  std::map<std::string, std::int32_t> state_keys;
  g.state_of.assign(g.n, -1);
  for (NodeId i = 0; i < g.n; ++i) {
    const domain::Entity& e = entities[i];
    if (e.id.empty()) {
      return core::invalid_argument("entity #" + std::to_string(i) + " has an empty id");
    }
    if (!g.by_id.emplace(e.id, i).second) {
      return core::invalid_argument("duplicate entity id '" + e.id + "'");
    }
    for (const domain::Identifier& id : e.identifiers) {
      auto& hits = g.by_identifier[id.scheme + '\x1f' + id.value];
      if (hits.empty() || hits.back() != i) hits.push_back(i);
    }
    if (!e.name.empty()) g.by_name[e.name].push_back(i);
    if (e.kind == EntityKind::kState || e.kind == EntityKind::kStateBody) {
      const std::string key = e.country.empty() ? e.id : e.country;
      auto [it, fresh] = state_keys.emplace(key, static_cast<std::int32_t>(g.states.size()));
      if (fresh) g.states.push_back({key, e.country, {}});
      g.states[it->second].members.push_back(i);
      g.state_of[i] = it->second;
    }
  }
  return core::ok();
}

core::Status compile_statements(GraphData& g) {
  std::vector<Statement> shares;
  std::vector<Statement> votes;
  std::vector<std::pair<Statement, Interest>> declared;
  const auto& edges = g.dataset.edges;
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(edges.size()); ++i) {
    const domain::Edge& e = edges[i];
    auto where = [&] {
      return "statement #" + std::to_string(i) + " (" + e.owner + " -> " + e.owned + ", " +
             std::string(domain::interest_name(e.interest)) + ")";
    };
    auto owner = g.by_id.find(e.owner);
    if (owner == g.by_id.end()) {
      return core::invalid_argument(where() + ": owner '" + e.owner + "' is not an entity");
    }
    auto owned = g.by_id.find(e.owned);
    if (owned == g.by_id.end()) {
      return core::invalid_argument(where() + ": owned '" + e.owned + "' is not an entity");
    }
    if (owner->second == owned->second) {
      return core::invalid_argument(where() + ": an entity cannot own or control itself");
    }
    if (auto valid = domain::validate_share(e.share); !valid) {
      return std::unexpected(valid.error().with_context(where()));
    }
    const EntityKind kind = g.dataset.entities[owned->second].kind;
    if (kind == EntityKind::kPerson || kind == EntityKind::kState || kind == EntityKind::kUnknown) {
      return core::invalid_argument(where() + ": " + label(g, owned->second) + " is a " +
                                    std::string(domain::entity_kind_name(kind)) +
                                    " and cannot be owned or controlled");
    }
    if (g.as_of && !e.valid_on(*g.as_of)) {
      g.excluded.push_back({i, owner->second, owned->second, e.end && *e.end <= *g.as_of});
      continue;
    }
    const Statement s{owner->second, owned->second, i, e.share};
    if (!e.direct || e.interest == Interest::kUltimateParent) g.indirect.push_back(i);
    switch (e.interest) {
      case Interest::kShareholding:
        if (e.direct) shares.push_back(s);
        break;
      case Interest::kVotingRights:
        if (e.direct) votes.push_back(s);
        break;
      case Interest::kDeclaredController:
      case Interest::kBoardAppointment:
      case Interest::kConsolidation:
      case Interest::kUltimateParent:
      case Interest::kOtherInfluence:
        declared.push_back({s, e.interest});
        break;
    }
  }
  shares = merge_pairs(std::move(shares));
  votes = merge_pairs(std::move(votes));
  PW_TRY(check_minimum_sums(g, shares, g.owner_min_sum, "owners'"));
  std::vector<double> vote_sums;
  PW_TRY(check_minimum_sums(g, votes, vote_sums, "voting rights'"));
  build_w(g, shares);
  build_control(g, voting_weights(g, shares, votes), declared);
  return core::ok();
}

core::Status condense_and_check(GraphData& g) {
  std::vector<std::int32_t> targets(g.out.size());
  for (std::size_t k = 0; k < g.out.size(); ++k) targets[k] = g.out[k].owned;
  Condensation c = condense(g.out_begin, targets);
  g.order = std::move(c.order);
  g.pos.assign(g.n, 0);
  g.scc_begin.assign(g.n, 0);
  g.scc_end.assign(g.n, 0);
  for (std::int32_t p = 0; p < g.n; ++p) g.pos[g.order[p]] = p;
  const auto comps = static_cast<std::int32_t>(c.begin.size()) - 1;
  for (std::int32_t comp = 0; comp < comps; ++comp) {
    const std::int32_t b = c.begin[comp];
    const std::int32_t e = c.begin[comp + 1];
    for (std::int32_t p = b; p < e; ++p) {
      g.scc_begin[p] = b;
      g.scc_end[p] = e;
    }
    if (e - b < 2) continue;
    // A cycle whose members are wholly owned (at their minimums) by one another has no owner
    // outside it: (I - W) is singular there and no ultimate owner exists. Such data is wrong.
    bool closed = true;
    for (std::int32_t p = b; p < e && closed; ++p) {
      const NodeId j = g.order[p];
      double inside = 0.0;
      for (std::int32_t k = g.in_begin[j]; k < g.in_begin[j + 1]; ++k) {
        const std::int32_t q = g.pos[g.in[k].owner];
        if (q >= b && q < e) inside += g.in[k].min;
      }
      closed = inside >= 1.0 - kSumTolerance;
    }
    if (closed) {
      std::string names;
      for (std::int32_t p = b; p < e && p < b + 5; ++p) {
        names += (p > b ? ", " : "") + label(g, g.order[p]);
      }
      if (e - b > 5) names += ", ...";
      return core::invalid_argument("ownership cycle with no owner outside it (" +
                                    std::to_string(e - b) + " entities: " + names +
                                    "): each is wholly owned inside the cycle");
    }
  }
  return core::ok();
}

}  // namespace pw::ownership::internal
