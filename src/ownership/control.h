#pragma once
// Control, kept apart from economics (DESIGN.md: Ownership and control, Q7). A 15.96% economic
// interest can come with control or without it; the answer gives each rule's verdict, which rule
// concluded control, and where the rules disagree.
//
// Voting weight of a direct holding: its voting-rights statement, else its shareholding
// (internal/graph_build.cc). The rules:
//  - Majority chain at threshold t (options: 50%, 25%, 20%): the controller controls itself;
//    it controls X when the votes in X held by itself and the entities it already controls sum
//    above t (so two 30% stakes of controlled subsidiaries make a majority). Computed as a
//    closure from the controller, each entity examined once. "yes" uses every minimum (an
//    exclusive minimum of exactly t, "more than 50%", counts); "possible" the largest votes the
//    ranges allow together (the controlled owners get the company's free votes first).
//  - Weakest link: the largest, over all chains of direct holdings from the controller to the
//    company, of the smallest voting share on the chain (a widest-path problem, solved like
//    Dijkstra's algorithm with a max-heap on the bottleneck). Lower and upper bound from the
//    minimums and the tightened maximums. Exclusive bounds are not distinguished here.
//  - Declared control: a chain of declared links (declared controller, board appointment,
//    accounting consolidation, ultimate parent; direct or indirect statements) and links that
//    are a certain majority, with at least one declared link.
// The economic figure (integrated ownership, ownership/integrated.h) is reported next to them and
// compared at each threshold, but is not itself a control rule.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"
#include "ownership/graph.h"

namespace pw::ownership {

enum class Verdict { kNo, kPossible, kYes };
std::string_view verdict_name(Verdict v);  // "no", "possible", "yes"

enum class ControlRule { kMajorityChain, kWeakestLink, kDeclared };
std::string_view control_rule_name(ControlRule r);  // "majority chain", ...

// One link of a chain: a direct holding (share = its voting weight) or a declared link.
struct ControlStep {
  NodeId owner = 0;
  NodeId owned = 0;
  std::int32_t statement = 0;  // dataset edge index
  domain::Interest interest = domain::Interest::kShareholding;
  bool declared = false;  // true: a declared link, `share` does not apply
  Bounds share;
};

struct MajorityVerdict {
  double threshold = 0.5;
  Verdict verdict = Verdict::kNo;
  // A witness from controller to company: at each step the largest contribution. When
  // `aggregated` is set, some entity on it was controlled only by votes of several entities
  // together, and the chain shows the largest of them.
  std::vector<ControlStep> chain;
  bool aggregated = false;
};

struct ControlOptions {
  // Control thresholds; the first is the one `controls` and `concluded_by` use.
  std::vector<double> thresholds = {0.5, 0.25, 0.2};
};

struct ControlAnswer {
  Bounds economic;  // VGB-corrected integrated ownership
  Bounds weakest_link;
  std::vector<ControlStep> weakest_chain;  // a chain attaining the lower bound (else the upper)
  std::vector<MajorityVerdict> majority;   // per threshold, in options order
  Verdict declared = Verdict::kNo;
  std::vector<ControlStep> declared_chain;
  Verdict controls = Verdict::kNo;        // the strongest verdict of the rules at thresholds[0]
  std::vector<ControlRule> concluded_by;  // rules saying "yes" at thresholds[0]
  // One line per threshold at which the economic figure and the rules do not all agree (the
  // absence of a declaration agrees with anything), e.g.
  // "at 20%: economic 15.96% no; weakest link 21% yes; majority chain yes; declared no".
  std::vector<std::string> disagreements;
  // "economic 15.96%, weakest link 21%, no majority chain (>50%), no declared control"
  std::string summary;
};

// invalid_argument for unknown ids, controller == company, or thresholds outside (0, 1).
core::Result<ControlAnswer> control(const Graph& graph, NodeId controller, NodeId company,
                                    const ControlOptions& options = {});

}  // namespace pw::ownership
