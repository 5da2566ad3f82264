#include "ownership/internal/propagate.h"

#include <algorithm>
#include <bit>
#include <string>

#include "ownership/internal/budget.h"
#include "ownership/internal/scc_solver.h"

namespace pw::ownership::internal {

std::span<const ColumnValue> Propagation::at(NodeId node) const {
  Span s;
  if (!dense_.empty()) {
    s = dense_[node];
  } else if (auto it = sparse_.find(node); it != sparse_.end()) {
    s = it->second;
  }
  return {values_.data() + s.begin, s.count};
}

const ColumnValue* Propagation::find(NodeId node, std::int32_t column) const {
  for (const ColumnValue& v : at(node)) {
    if (v.column == column) return &v;
  }
  return nullptr;
}

// Runs one propagation. Owns its scratch; single-threaded.
class Propagator {
 public:
  Propagator(const GraphData& g, const PropagationRequest& r) : g_(g), r_(r) {}

  core::Result<Propagation> run();

 private:
  bool allowed(NodeId v) const { return r_.allowed.empty() || r_.allowed[v]; }
  bool barrier(NodeId v) const { return !r_.barrier.empty() && r_.barrier[v]; }
  std::span<const std::int32_t> source_columns(NodeId v) const;
  void activate(std::int32_t position) { active_[position >> 6] |= 1ULL << (position & 63); }
  std::int32_t next_active(std::int32_t from) const;
  void touch(std::int32_t column);
  void finish_node(NodeId v);
  void solve_single(NodeId v);
  core::Status solve_component(std::int32_t b, std::int32_t e);

  const GraphData& g_;
  const PropagationRequest& r_;
  Propagation out_;
  std::vector<std::uint64_t> active_;  // bitmap over positions in g_.order
  // Sources as (node, column) pairs sorted by node, in two arrays.
  std::vector<NodeId> source_node_;
  std::vector<std::int32_t> source_column_;
  // Per-column accumulators for the node being solved; stamp_ says which are in use.
  std::vector<double> acc_lo_;
  std::vector<double> acc_hi_;
  std::vector<std::uint8_t> acc_known_;
  std::vector<std::int32_t> stamp_;
  std::int32_t current_stamp_ = 0;
  std::vector<std::int32_t> touched_;
  struct Bid {  // an owner's claim on a binding node's free equity, in one column
    std::int32_t column;
    double value;
    double room;
  };
  std::vector<Bid> bids_;
  std::vector<Candidate> candidates_;
};

std::span<const std::int32_t> Propagator::source_columns(NodeId v) const {
  auto first = std::lower_bound(source_node_.begin(), source_node_.end(), v);
  auto last = std::upper_bound(first, source_node_.end(), v);
  return {source_column_.data() + (first - source_node_.begin()),
          static_cast<std::size_t>(last - first)};
}

std::int32_t Propagator::next_active(std::int32_t from) const {
  std::size_t word = static_cast<std::size_t>(from) >> 6;
  if (word >= active_.size()) return g_.n;
  std::uint64_t bits = active_[word] & (~0ULL << (from & 63));
  while (bits == 0) {
    if (++word >= active_.size()) return g_.n;
    bits = active_[word];
  }
  return static_cast<std::int32_t>(word * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
}

void Propagator::touch(std::int32_t column) {
  if (stamp_[column] == current_stamp_) return;
  stamp_[column] = current_stamp_;
  acc_lo_[column] = 0.0;
  acc_hi_[column] = 0.0;
  acc_known_[column] = 1;
  touched_.push_back(column);
}

// Stores the touched accumulators as the node's entries and activates what it owns.
void Propagator::finish_node(NodeId v) {
  const std::size_t first = out_.values_.size();
  for (std::int32_t c : touched_) {
    double hi = std::min(1.0, acc_hi_[c]);
    const double lo = std::min(acc_lo_[c], hi);
    if (hi <= 0.0) continue;
    out_.values_.push_back({c, acc_known_[c] != 0, lo, hi});
  }
  touched_.clear();
  if (out_.values_.size() == first) return;
  const Propagation::Span span{first, static_cast<std::uint32_t>(out_.values_.size() - first)};
  if (out_.dense_.empty()) {
    out_.sparse_.emplace(v, span);
  } else {
    out_.dense_[v] = span;
  }
  out_.reached_.push_back(v);
  for (std::int32_t k = g_.out_begin[v]; k < g_.out_begin[v + 1]; ++k) {
    const NodeId w = g_.out[k].owned;
    if (allowed(w)) activate(g_.pos[w]);
  }
}

void Propagator::solve_single(NodeId v) {
  ++current_stamp_;
  const auto fixed = source_columns(v);
  for (std::int32_t c : fixed) {
    touch(c);
    acc_lo_[c] = acc_hi_[c] = 1.0;
  }
  auto is_fixed = [&](std::int32_t c) {
    return std::find(fixed.begin(), fixed.end(), c) != fixed.end();
  };
  const bool binding = g_.binding[v] != 0;
  bids_.clear();
  if (!barrier(v)) {
    for (std::int32_t k = g_.in_begin[v]; k < g_.in_begin[v + 1]; ++k) {
      const InEdge& e = g_.in[k];
      for (const ColumnValue& x : out_.at(e.owner)) {
        if (!fixed.empty() && is_fixed(x.column)) continue;
        touch(x.column);
        acc_lo_[x.column] += e.min * x.lo;
        if (binding) {
          acc_hi_[x.column] += e.min * x.hi;
          if (e.max > e.min) bids_.push_back({x.column, x.hi, e.max - e.min});
        } else {
          acc_hi_[x.column] += e.max * x.hi;
        }
        if (!e.known || !x.known) acc_known_[x.column] = 0;
      }
    }
  }
  if (!bids_.empty()) {
    // Per column, the free equity of v goes to the owners of highest value (internal/budget.h).
    std::sort(bids_.begin(), bids_.end(),
              [](const Bid& a, const Bid& b) { return a.column < b.column; });
    const double slack = std::max(0.0, 1.0 - g_.owner_min_sum[v]);
    for (std::size_t i = 0; i < bids_.size();) {
      std::size_t j = i;
      candidates_.clear();
      for (; j < bids_.size() && bids_[j].column == bids_[i].column; ++j) {
        candidates_.push_back({bids_[j].value, bids_[j].room, static_cast<std::int32_t>(j)});
      }
      acc_hi_[bids_[i].column] += allocate_slack(candidates_, slack);
      i = j;
    }
  }
  finish_node(v);
}

core::Status Propagator::solve_component(std::int32_t b, std::int32_t e) {
  const std::int32_t m = e - b;
  SccSystem sys;
  sys.m = m;
  // External owners become slots; their values per column are read from their entries.
  std::vector<NodeId> ext_owner;
  sys.edge_begin.push_back(0);
  for (std::int32_t i = 0; i < m; ++i) {
    const NodeId v = g_.order[b + i];
    if (!barrier(v)) {
      for (std::int32_t k = g_.in_begin[v]; k < g_.in_begin[v + 1]; ++k) {
        const InEdge& in = g_.in[k];
        // Members of the component are the positions [b, e): local index = position - b.
        const std::int32_t q = g_.pos[in.owner];
        std::int32_t owner = q >= b && q < e ? q - b : -1;
        if (owner < 0) {
          owner = -1 - static_cast<std::int32_t>(ext_owner.size());
          ext_owner.push_back(in.owner);
        }
        sys.edges.push_back({owner, in.min, in.max, in.known});
      }
    }
    sys.edge_begin.push_back(static_cast<std::int32_t>(sys.edges.size()));
    sys.binding.push_back(g_.binding[v]);
    sys.slack.push_back(std::max(0.0, 1.0 - g_.owner_min_sum[v]));
    sys.any_binding = sys.any_binding || (g_.binding[v] && !barrier(v));
  }
  sys.externals = static_cast<std::int32_t>(ext_owner.size());

  // The columns that reach the component, from outside or as sources inside it.
  ++current_stamp_;
  for (NodeId o : ext_owner) {
    for (const ColumnValue& x : out_.at(o)) touch(x.column);
  }
  for (std::int32_t i = 0; i < m; ++i) {
    for (std::int32_t c : source_columns(g_.order[b + i])) touch(c);
  }
  std::vector<std::int32_t> columns = std::move(touched_);
  touched_.clear();
  std::sort(columns.begin(), columns.end());

  SccSolver solver(sys, r_.dense_limit);
  SccColumn col;
  std::vector<double> lo, hi;
  // Results per member and column, stored after all columns are solved.
  std::vector<std::vector<ColumnValue>> results(m);
  for (std::int32_t c : columns) {
    col.ext_lo.assign(sys.externals, 0.0);
    col.ext_hi.assign(sys.externals, 0.0);
    std::vector<std::uint8_t> ext_known(sys.externals, 1);
    for (std::int32_t s = 0; s < sys.externals; ++s) {
      if (const ColumnValue* x = out_.find(ext_owner[s], c)) {
        col.ext_lo[s] = x->lo;
        col.ext_hi[s] = x->hi;
        ext_known[s] = x->known ? 1 : 0;
      }
    }
    col.fixed.assign(m, Fixed::kFree);
    for (std::int32_t i = 0; i < m; ++i) {
      const NodeId v = g_.order[b + i];
      const auto fixed = source_columns(v);
      if (std::find(fixed.begin(), fixed.end(), c) != fixed.end()) {
        col.fixed[i] = Fixed::kOne;
      } else if (!allowed(v) || barrier(v)) {
        col.fixed[i] = Fixed::kZero;
      }
    }
    PW_TRY(solver.solve(col, lo, hi));
    // Inside a cycle every member reaches every other, so one unknown share that carries value
    // anywhere in it makes the whole component's figures unknown for this column.
    bool known = true;
    for (std::int32_t i = 0; i < m && known; ++i) {
      if (col.fixed[i] != Fixed::kFree) continue;
      for (std::int32_t k = sys.edge_begin[i]; k < sys.edge_begin[i + 1]; ++k) {
        const SccSystem::Edge& edge = sys.edges[k];
        const double v = edge.owner >= 0 ? hi[edge.owner] : col.ext_hi[-1 - edge.owner];
        const bool owner_known = edge.owner >= 0 || ext_known[-1 - edge.owner];
        if (v > 0.0 && (!edge.known || !owner_known)) known = false;
      }
    }
    for (std::int32_t i = 0; i < m; ++i) {
      if (hi[i] > 0.0 && col.fixed[i] != Fixed::kZero) {
        results[i].push_back(
            {c, known || col.fixed[i] == Fixed::kOne, std::min(lo[i], hi[i]), hi[i]});
      }
    }
  }
  for (std::int32_t i = 0; i < m; ++i) {
    const NodeId v = g_.order[b + i];
    ++current_stamp_;
    for (const ColumnValue& x : results[i]) {
      touch(x.column);
      acc_lo_[x.column] = x.lo;
      acc_hi_[x.column] = x.hi;
      acc_known_[x.column] = x.known ? 1 : 0;
    }
    finish_node(v);
  }
  return core::ok();
}

core::Result<Propagation> Propagator::run() {
  const std::int32_t n = g_.n;
  const auto columns = static_cast<std::int32_t>(r_.sources.size());
  if (!r_.allowed.empty() && static_cast<std::int32_t>(r_.allowed.size()) != n) {
    return core::invalid_argument("propagation: allowed mask has the wrong size");
  }
  if (!r_.barrier.empty() && static_cast<std::int32_t>(r_.barrier.size()) != n) {
    return core::invalid_argument("propagation: barrier mask has the wrong size");
  }
  // Per-node spans: an array when the whole graph may be reached, a hash map when the question
  // is confined to a cone (so that a small question does not pay for the whole graph).
  if (r_.allowed.empty()) out_.dense_.assign(n, {});
  active_.assign((static_cast<std::size_t>(n) + 63) / 64, 0);
  std::vector<std::pair<NodeId, std::int32_t>> sources;
  for (std::int32_t c = 0; c < columns; ++c) {
    for (NodeId v : r_.sources[c]) {
      if (v < 0 || v >= n) return core::invalid_argument("propagation: source out of range");
      sources.push_back({v, c});
      activate(g_.pos[v]);
    }
  }
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  for (const auto& [v, c] : sources) {
    source_node_.push_back(v);
    source_column_.push_back(c);
  }
  acc_lo_.assign(columns, 0.0);
  acc_hi_.assign(columns, 0.0);
  acc_known_.assign(columns, 1);
  stamp_.assign(columns, -1);

  const std::int32_t stop =
      r_.stop_after ? g_.scc_end[g_.pos[*r_.stop_after]] : n;  // positions before `stop`
  for (std::int32_t p = next_active(0); p < stop; p = next_active(p)) {
    const std::int32_t b = g_.scc_begin[p];
    const std::int32_t e = g_.scc_end[p];
    if (e - b == 1) {
      solve_single(g_.order[p]);
    } else {
      PW_TRY(solve_component(b, e));
    }
    p = e;
  }
  return std::move(out_);
}

core::Result<Propagation> propagate(const GraphData& g, const PropagationRequest& request) {
  if (request.stop_after && (*request.stop_after < 0 || *request.stop_after >= g.n)) {
    return core::invalid_argument("propagation: stop node out of range");
  }
  Propagator p(g, request);
  return p.run();
}

}  // namespace pw::ownership::internal
