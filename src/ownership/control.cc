#include "ownership/control.h"

#include <algorithm>
#include <queue>
#include <unordered_map>

#include "ownership/integrated.h"
#include "ownership/internal/graph_data.h"

namespace pw::ownership {

using internal::ControlLink;
using internal::GraphData;
using internal::LinkKind;

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kYes:
      return "yes";
    case Verdict::kPossible:
      return "possible";
    case Verdict::kNo:
      break;
  }
  return "no";
}

std::string_view control_rule_name(ControlRule r) {
  switch (r) {
    case ControlRule::kMajorityChain:
      return "majority chain";
    case ControlRule::kWeakestLink:
      return "weakest link";
    case ControlRule::kDeclared:
      break;
  }
  return "declared control";
}

namespace {

// Shares equal to a threshold up to rounding are "at" it, not above it.
constexpr double kEps = 1e-12;

bool above(double share, double threshold) {
  return share > threshold + kEps;
}
bool at_least(double share, double threshold) {
  return share >= threshold - kEps;
}

Verdict verdict_of(const Bounds& b, double threshold) {
  if (above(b.min, threshold)) return Verdict::kYes;
  if (above(b.max, threshold)) return Verdict::kPossible;
  return Verdict::kNo;
}

ControlStep step_of(NodeId owner, const ControlLink& l) {
  const bool declared = l.kind != LinkKind::kVote;
  return {owner,      l.owned,  l.edge,
          l.interest, declared, declared ? Bounds{} : Bounds{l.min, l.max, l.known}};
}

// Parent pointers of a search: how each reached node was reached.
struct Reach {
  NodeId from = -1;
  std::int32_t link = -1;  // index into GraphData::ctrl
};

std::vector<ControlStep> chain_to(const GraphData& g,
                                  const std::unordered_map<NodeId, Reach>& parents, NodeId target) {
  std::vector<ControlStep> chain;
  for (auto it = parents.find(target); it != parents.end() && it->second.link >= 0;
       it = parents.find(it->second.from)) {
    chain.push_back(step_of(it->second.from, g.ctrl[it->second.link]));
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

// The majority closure from `controller` at `threshold`; with `upper`, the largest votes the
// ranges allow together. Returns whether `company` is in it, and a witness chain.
bool majority_closure(const GraphData& g, NodeId controller, NodeId company, double threshold,
                      bool upper, MajorityVerdict& out) {
  struct Acc {
    double sum_min = 0.0;
    double room = 0.0;  // sum of (max' - min) of the controlled owners
    bool exclusive = false;
    int contributors = 0;
    double best = -1.0;
    Reach reach;
    bool in = false;
    bool aggregated = false;
  };
  std::unordered_map<NodeId, Acc> acc;
  acc[controller].in = true;
  std::vector<NodeId> queue{controller};
  for (std::size_t head = 0; head < queue.size() && !acc[company].in; ++head) {
    const NodeId u = queue[head];
    for (std::int32_t k = g.ctrl_begin[u]; k < g.ctrl_begin[u + 1]; ++k) {
      const ControlLink& l = g.ctrl[k];
      if (l.kind != LinkKind::kVote) continue;
      Acc& a = acc[l.owned];
      if (a.in) continue;
      a.sum_min += l.min;
      a.room += l.max - l.min;
      a.exclusive = a.exclusive || l.min_exclusive;
      ++a.contributors;
      const double value = upper ? l.max : l.min;
      if (value > a.best) {
        a.best = value;
        a.reach = {u, k};
      }
      // Upper: the controlled owners at their minimums plus the company's free votes given to
      // them first (internal/budget.h), not the plain sum of maximums.
      const double free_votes = std::max(0.0, 1.0 - g.vote_min_sum[l.owned]);
      const bool controls =
          upper ? above(a.sum_min + std::min(a.room, free_votes), threshold)
                : above(a.sum_min, threshold) || (a.exclusive && at_least(a.sum_min, threshold));
      if (controls) {
        a.in = true;
        a.aggregated = a.contributors > 1;
        queue.push_back(l.owned);
      }
    }
  }
  if (!acc[company].in) return false;
  std::unordered_map<NodeId, Reach> parents;
  for (const auto& [node, a] : acc) {
    if (a.in) parents[node] = a.reach;
  }
  out.chain = chain_to(g, parents, company);
  for (const ControlStep& s : out.chain) out.aggregated = out.aggregated || acc[s.owned].aggregated;
  return true;
}

MajorityVerdict majority(const GraphData& g, NodeId controller, NodeId company, double threshold) {
  MajorityVerdict v;
  v.threshold = threshold;
  if (majority_closure(g, controller, company, threshold, false, v)) {
    v.verdict = Verdict::kYes;
  } else if (majority_closure(g, controller, company, threshold, true, v)) {
    v.verdict = Verdict::kPossible;
  }
  return v;
}

// Widest path: the largest bottleneck over chains of votes, with the chain that attains it.
double widest(const GraphData& g, NodeId controller, NodeId company, bool upper,
              std::vector<ControlStep>* chain) {
  struct Best {
    double bottleneck = 0.0;
    Reach reach;
  };
  std::unordered_map<NodeId, Best> best;
  best[controller] = {2.0, {}};  // above any share: the start has no bottleneck yet
  std::priority_queue<std::pair<double, NodeId>> heap;
  heap.push({2.0, controller});
  while (!heap.empty()) {
    const auto [b, u] = heap.top();
    heap.pop();
    if (b < best[u].bottleneck) continue;  // stale
    if (u == company) break;
    for (std::int32_t k = g.ctrl_begin[u]; k < g.ctrl_begin[u + 1]; ++k) {
      const ControlLink& l = g.ctrl[k];
      if (l.kind != LinkKind::kVote) continue;
      const double through = std::min(b, upper ? l.max : l.min);
      if (through <= 0.0) continue;
      Best& next = best[l.owned];
      if (through > next.bottleneck) {
        next = {through, {u, k}};
        heap.push({through, l.owned});
      }
    }
  }
  auto it = best.find(company);
  if (it == best.end() || it->second.bottleneck <= 0.0) return 0.0;
  if (chain) {
    std::unordered_map<NodeId, Reach> parents;
    for (const auto& [node, b] : best) parents[node] = b.reach;
    *chain = chain_to(g, parents, company);
  }
  return it->second.bottleneck;
}

// A chain of declared links and majority links (certain, or possible with `upper`) holding at
// least one declared link. Search states are (node, whether a declared link was used).
bool declared_chain(const GraphData& g, NodeId controller, NodeId company, bool upper,
                    std::vector<ControlStep>& chain) {
  auto key = [](NodeId v, bool declared) {
    return (static_cast<std::int64_t>(v) << 1) | (declared ? 1 : 0);
  };
  struct Prev {
    std::int64_t state = -1;
    NodeId from = -1;
    std::int32_t link = -1;
  };
  std::unordered_map<std::int64_t, Prev> parents;
  parents[key(controller, false)] = {};
  std::vector<std::int64_t> queue{key(controller, false)};
  const std::int64_t goal = key(company, true);
  for (std::size_t head = 0; head < queue.size() && !parents.count(goal); ++head) {
    const auto u = static_cast<NodeId>(queue[head] >> 1);
    const bool used = (queue[head] & 1) != 0;
    for (std::int32_t k = g.ctrl_begin[u]; k < g.ctrl_begin[u + 1]; ++k) {
      const ControlLink& l = g.ctrl[k];
      bool usable = l.kind == LinkKind::kDeclared;
      if (l.kind == LinkKind::kVote) {
        usable = upper ? above(l.max, 0.5)
                       : above(l.min, 0.5) || (l.min_exclusive && at_least(l.min, 0.5));
      }
      if (!usable) continue;
      const std::int64_t next = key(l.owned, used || l.kind == LinkKind::kDeclared);
      if (parents.emplace(next, Prev{queue[head], u, k}).second) queue.push_back(next);
    }
  }
  if (!parents.count(goal)) return false;
  chain.clear();
  for (std::int64_t s = goal; parents.at(s).link >= 0; s = parents.at(s).state) {
    chain.push_back(step_of(parents.at(s).from, g.ctrl[parents.at(s).link]));
  }
  std::reverse(chain.begin(), chain.end());
  return true;
}

}  // namespace

core::Result<ControlAnswer> control(const Graph& graph, NodeId controller, NodeId company,
                                    const ControlOptions& options) {
  if (!graph.contains(controller) || !graph.contains(company)) {
    return core::invalid_argument("controller or company is not a node of the graph");
  }
  if (controller == company) return core::invalid_argument("controller and company are the same");
  if (options.thresholds.empty()) return core::invalid_argument("no control threshold given");
  for (double t : options.thresholds) {
    if (!(t > 0.0 && t < 1.0)) return core::invalid_argument("control thresholds lie in (0, 1)");
  }
  const GraphData& g = graph.data();
  ControlAnswer out;
  {
    PW_ASSIGN_OR_RETURN(const Integrated economic, integrated(graph, controller, company));
    out.economic = economic.share;
  }
  const double lo = widest(g, controller, company, false, &out.weakest_chain);
  std::vector<ControlStep> upper_chain;
  const double hi = widest(g, controller, company, true, &upper_chain);
  if (lo <= 0.0) out.weakest_chain = std::move(upper_chain);
  bool weakest_known = true;
  for (const ControlStep& s : out.weakest_chain) weakest_known = weakest_known && s.share.known;
  out.weakest_link = {lo, std::max(lo, hi), weakest_known};

  for (double t : options.thresholds) out.majority.push_back(majority(g, controller, company, t));
  if (declared_chain(g, controller, company, false, out.declared_chain)) {
    out.declared = Verdict::kYes;
  } else if (declared_chain(g, controller, company, true, out.declared_chain)) {
    out.declared = Verdict::kPossible;
  }

  const double primary = options.thresholds.front();
  const Verdict weakest_primary = verdict_of(out.weakest_link, primary);
  out.controls = std::max({out.majority.front().verdict, weakest_primary, out.declared});
  if (out.majority.front().verdict == Verdict::kYes) {
    out.concluded_by.push_back(ControlRule::kMajorityChain);
  }
  if (weakest_primary == Verdict::kYes) out.concluded_by.push_back(ControlRule::kWeakestLink);
  if (out.declared == Verdict::kYes) out.concluded_by.push_back(ControlRule::kDeclared);

  for (std::size_t i = 0; i < options.thresholds.size(); ++i) {
    const double t = options.thresholds[i];
    const Verdict e = verdict_of(out.economic, t);
    const Verdict w = verdict_of(out.weakest_link, t);
    const Verdict m = out.majority[i].verdict;
    // No declaration is not a declaration of no control: declared control disagrees only when
    // it says something.
    const bool declared_agrees = out.declared == Verdict::kNo || out.declared == m;
    if (e == w && w == m && declared_agrees) continue;
    out.disagreements.push_back(
        "at " + format_percent(t) + ": economic " + format_bounds(out.economic) + " " +
        std::string(verdict_name(e)) + "; weakest link " + format_bounds(out.weakest_link) + " " +
        std::string(verdict_name(w)) + "; majority chain " + std::string(verdict_name(m)) +
        "; declared " + std::string(verdict_name(out.declared)));
  }

  auto phrase = [](Verdict v, const std::string& what) {
    return v == Verdict::kYes ? what : (v == Verdict::kPossible ? "possible " : "no ") + what;
  };
  out.summary =
      "economic " + format_bounds(out.economic) + ", weakest link " +
      format_bounds(out.weakest_link) + ", " +
      phrase(out.majority.front().verdict, "majority chain (>" + format_percent(primary) + ")") +
      ", " + phrase(out.declared, "declared control");
  return out;
}

}  // namespace pw::ownership
