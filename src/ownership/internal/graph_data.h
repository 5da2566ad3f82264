#pragma once
// The compiled graph that the engine's algorithms read. Built once by Graph::build and immutable
// afterwards, so any number of threads may read one GraphData at the same time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/ownership.h"
#include "ownership/graph.h"

namespace pw::ownership::internal {

// One entry of the direct economic matrix W, stored with the company it is a share of (a column
// of W): `owner` holds between `min` and `max` of that company.
struct InEdge {
  NodeId owner = 0;
  std::int32_t edge = 0;  // dataset index of the first statement merged into this entry
  double min = 0.0;
  double max = 0.0;   // tightened: min(stated max, 1 - sum of the other owners' minimums)
  bool known = true;  // false if a merged statement had an unknown share
};

// The same entry seen from the owner.
struct OutEdge {
  NodeId owned = 0;
  std::int32_t in_index = 0;  // into GraphData::in
};

enum class LinkKind : std::uint8_t {
  kVote,       // voting weight (voting rights, else the shareholding) of a direct holding
  kDeclared,   // declared controller, board appointment, consolidation, ultimate parent
  kInfluence,  // other influence: reported, never control by itself
};

// A control link owner -> owned, stored with the owner.
struct ControlLink {
  NodeId owned = 0;
  std::int32_t edge = 0;  // dataset index of the first statement merged into this link
  LinkKind kind = LinkKind::kVote;
  domain::Interest interest = domain::Interest::kShareholding;
  double min = 0.0;  // votes: tightened like W; declared links: 0
  double max = 0.0;
  bool min_exclusive = false;
  bool max_exclusive = false;
  bool known = true;
};

struct GraphData {
  domain::OwnershipDataset dataset;
  std::optional<domain::Date> as_of;
  std::int32_t n = 0;

  // W by column: the owners of node j are in[in_begin[j], in_begin[j + 1]). Entries whose
  // tightened maximum is 0 are dropped (they can carry nothing).
  std::vector<std::int32_t> in_begin;
  std::vector<InEdge> in;
  // W by row: what node i owns is out[out_begin[i], out_begin[i + 1]).
  std::vector<std::int32_t> out_begin;
  std::vector<OutEdge> out;
  // Per node: the sum of its owners' minimums (<= 1), and whether the owners' ranges compete for
  // the remaining equity (sum of (max' - min) > 1 - sum of minimums): only then does the upper
  // bound need the budgeted allocation of internal/budget.h rather than the plain maximums.
  std::vector<double> owner_min_sum;
  std::vector<std::uint8_t> binding;

  // Condensation of W (Tarjan): `order` lists every node, owners before what they own, the
  // members of a strongly connected component contiguous. pos[node] is the index in `order`;
  // scc_begin/scc_end give, per position, the component's range of positions.
  std::vector<NodeId> order;
  std::vector<std::int32_t> pos;
  std::vector<std::int32_t> scc_begin;
  std::vector<std::int32_t> scc_end;

  // Control links by owner, and per node the sum of its voting weights' minimums.
  std::vector<std::int32_t> ctrl_begin;
  std::vector<ControlLink> ctrl;
  std::vector<double> vote_min_sum;

  std::vector<std::int32_t> indirect;  // dataset indices (see Graph::indirect_statements)
  std::vector<ExcludedEdge> excluded;

  std::vector<StateGroup> states;
  std::vector<std::int32_t> state_of;  // per node, index into states or -1

  // Lookup; the string_views point into `dataset`, which never changes after build.
  std::unordered_map<std::string_view, NodeId> by_id;
  std::unordered_map<std::string, std::vector<NodeId>> by_identifier;  // "scheme\x1fvalue"
  std::unordered_map<std::string_view, std::vector<NodeId>> by_name;

  bool in_cycle(NodeId node) const {
    const std::int32_t p = pos[node];
    return scc_end[p] - scc_begin[p] > 1;
  }
  // Persons, states, state bodies and kUnknown entities: where ownership chains end.
  bool terminal(NodeId node) const {
    return dataset.entities[node].kind != domain::EntityKind::kCompany;
  }
};

}  // namespace pw::ownership::internal
