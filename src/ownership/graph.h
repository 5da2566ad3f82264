#pragma once
// The ownership graph: an OwnershipDataset (domain/ownership.h) compiled once, for one date, into
// the compact form the engine computes over (DESIGN.md: Ownership and control, seed Q7). Pure: no
// I/O, no clock; the date is passed in.
//
// What goes where (the choices the engine makes about the model):
//  - The direct economic matrix W holds only statements with Interest::kShareholding and
//    `direct == true`. W[i][j] is the share of owner i in company j, a range [min, max].
//  - Statements with `direct == false` (BODS "indirect") and Interest::kUltimateParent summarise
//    paths the graph may already hold; summing them into W would count those paths twice. They
//    are kept as statements (Graph::indirect_statements) for explanation and comparison.
//  - Interest::kConsolidation, kDeclaredController and kBoardAppointment have no economic share
//    (no W entry); they count for control as declared control, as does kUltimateParent.
//    kVotingRights gives the voting weight of the pair for control (the shareholding otherwise).
//    kOtherInfluence is influence, never control by itself.
//  - Several statements for the same (owner, owned, interest) are summed (share classes); the
//    check that a company's owners' minimums do not exceed 100% catches double statements.
//  - Each maximum is tightened by the other owners' minimums of the same company:
//    max_ij' = min(max_ij, 1 - sum_{k != i} min_kj). Shares are taken as closed ranges for the
//    economic figures (an exclusive bound is an infimum or supremum); control honours exclusive
//    bounds ("more than 50%" is a majority).
//  - Persons, states and entities of kind kUnknown cannot be owned or controlled: a statement
//    saying so is an error. State bodies can (a ministry owned by its state).
//  - `as_of`: only statements valid on that date (Edge::valid_on) are used; the others are listed
//    by Graph::excluded_edges so that an answer can say what it left out. Without a date every
//    statement is used. Structural checks (ids, shares, self-ownership) apply to all statements.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"

namespace pw::ownership {

// Index of an entity in the dataset the graph was built from (dataset order).
using NodeId = std::int32_t;

// A figure known only within bounds. `known` is false when an unknown share (Share::unknown())
// lies on a path that contributes: the bounds are then honest ([0, upper] where nothing is known)
// but rest on a guess of nothing. min == max with known == true is an exact figure.
struct Bounds {
  double min = 0.0;
  double max = 0.0;
  bool known = true;

  bool exact() const { return known && min == max; }
};

// "15.96%", "20%-35%", "unknown (0%-40%)": for summaries and explanations.
std::string format_bounds(const Bounds& b);
// "15.96%" (percent, at most 4 significant decimals, trailing zeros trimmed).
std::string format_percent(double fraction);

// The state of one country: its state entity and state bodies, taken as one owner. A state or
// state body without a country is a group of its own, keyed by its entity id.
struct StateGroup {
  std::string key;      // the ISO country code, or the entity id when the country is unknown
  std::string country;  // empty when unknown
  std::vector<NodeId> members;
};

// A statement left out because it was not valid on the graph's date.
struct ExcludedEdge {
  std::int32_t edge = 0;  // index into the dataset's edges
  NodeId owner = 0;
  NodeId owned = 0;
  bool ended = false;  // true: its validity ended on or before the date; false: not yet started
};

namespace internal {
struct GraphData;
}

class Graph {
 public:
  // Validates and compiles `dataset` (moved in; pass a copy to keep yours). Errors
  // (invalid_argument) name the problem: duplicate or empty entity ids, statements naming unknown
  // ids, self-ownership, invalid shares (domain::validate_share), owned persons or states, a
  // company whose owners' minimums (or voting minimums) sum above 100%, and a cycle of
  // companies wholly owned inside the cycle (no owner outside it, so no ultimate owner exists).
  static core::Result<Graph> build(domain::OwnershipDataset dataset,
                                   std::optional<domain::Date> as_of = std::nullopt);

  Graph(Graph&&) noexcept;
  Graph& operator=(Graph&&) noexcept;
  ~Graph();

  std::int32_t size() const;
  bool contains(NodeId node) const { return node >= 0 && node < size(); }
  const domain::Entity& entity(NodeId node) const;
  const domain::Edge& statement(std::int32_t edge) const;  // a dataset edge by index
  const std::optional<domain::Date>& as_of() const;

  // Lookup. An identifier is matched on scheme and value exactly; a name exactly (no case
  // folding). A name or identifier shared by several entities is an error listing them.
  core::Result<NodeId> find_by_id(std::string_view id) const;
  core::Result<NodeId> find_by_identifier(std::string_view scheme, std::string_view value) const;
  core::Result<NodeId> find_by_name(std::string_view name) const;
  // Tries an id, then "scheme:value", then an exact name.
  core::Result<NodeId> find(std::string_view query) const;

  std::span<const StateGroup> states() const;
  // The state group an entity belongs to, or -1.
  std::int32_t state_of(NodeId node) const;
  core::Result<std::int32_t> find_state(std::string_view key) const;

  std::span<const ExcludedEdge> excluded_edges() const;
  // Dataset indices of the statements kept out of W because they summarise paths
  // (direct == false, or Interest::kUltimateParent).
  std::span<const std::int32_t> indirect_statements() const;

  // The compiled form, for the engine's own algorithms (ownership/*.cc). Not a stable API.
  const internal::GraphData& data() const { return *data_; }

 private:
  explicit Graph(std::unique_ptr<internal::GraphData> data);

  std::unique_ptr<internal::GraphData> data_;  // never null in a live Graph
};

}  // namespace pw::ownership
