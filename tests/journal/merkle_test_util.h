#pragma once
// What the Merkle tree tests share: a naive reference implementation of RFC 9162 section 2.1
// and a tree held in memory the way the store holds it. Used by merkle_test.cc and
// merkle_scale_test.cc.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/crypto.h"
#include "journal/merkle.h"

namespace pw::journal::merkle_testing {

using core::Hash;

inline constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::uint64_t kTwo63 = std::uint64_t{1} << 63;

template <typename R>
inline std::string describe(const R& r) {
  return r.has_value() ? std::string("ok") : r.error().to_string();
}

inline Hash hex_hash(std::string_view hex) {
  auto h = core::parse_hash(hex);
  EXPECT_TRUE(h.has_value()) << hex;
  return h.value_or(Hash{});
}

inline Hash flip_bit(Hash h, std::size_t bit) {
  h[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return h;
}

// ---------------------------------------------------------------------------------------------
// Test-local reference implementation, written from the RFC 9162 section 2.1 text: MTH, PATH
// and SUBPROOF as the recursive definitions read. Deliberately naive: it shares no code with
// merkle.cc apart from node_hash.

inline std::uint64_t largest_power_of_two_below(std::uint64_t n) {
  std::uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

inline Hash naive_mth(std::span<const Hash> d) {
  if (d.empty()) return core::sha256(std::string_view{});
  if (d.size() == 1) return d[0];
  const std::size_t k = largest_power_of_two_below(d.size());
  return node_hash(naive_mth(d.first(k)), naive_mth(d.subspan(k)));
}

inline std::vector<Hash> naive_path(std::uint64_t m, std::span<const Hash> d) {
  if (d.size() <= 1) return {};
  const std::size_t k = largest_power_of_two_below(d.size());
  std::vector<Hash> out;
  if (m < k) {
    out = naive_path(m, d.first(k));
    out.push_back(naive_mth(d.subspan(k)));
  } else {
    out = naive_path(m - k, d.subspan(k));
    out.push_back(naive_mth(d.first(k)));
  }
  return out;
}

inline std::vector<Hash> naive_subproof(std::uint64_t m, std::span<const Hash> d, bool b) {
  if (m == d.size()) {
    if (b) return {};
    return {naive_mth(d)};
  }
  const std::size_t k = largest_power_of_two_below(d.size());
  std::vector<Hash> out;
  if (m <= k) {
    out = naive_subproof(m, d.first(k), b);
    out.push_back(naive_mth(d.subspan(k)));
  } else {
    out = naive_subproof(m - k, d.subspan(k), false);
    out.push_back(naive_mth(d.first(k)));
  }
  return out;
}

inline std::vector<Hash> naive_proof(std::uint64_t m, std::span<const Hash> d) {
  return naive_subproof(m, d, true);
}

// ---------------------------------------------------------------------------------------------
// A tree held the way the store holds it: every node CompactRange reports as completed, in a
// map. Nodes that end beyond `visible_size` answer not_found, so a proof for a smaller tree
// cannot silently use nodes of the larger one.
class MemoryTree : public NodeSource {
 public:
  explicit MemoryTree(std::uint64_t leaves) {
    CompactRange range;
    std::vector<std::pair<NodeId, Hash>> completed;
    for (std::uint64_t i = 0; i < leaves; ++i) {
      leaves_.push_back(leaf_hash(core::as_bytes("leaf " + std::to_string(i))));
      completed.clear();
      range.append(leaves_.back(), completed);
      for (const auto& [id, hash] : completed) {
        const bool inserted = nodes_.emplace(std::pair{id.level, id.index}, hash).second;
        EXPECT_TRUE(inserted) << "node completed twice: " << id.level << "/" << id.index;
      }
    }
    visible_size_ = leaves;
  }

  void set_visible_size(std::uint64_t size) { visible_size_ = size; }
  std::span<const Hash> leaves(std::uint64_t n) const { return std::span(leaves_).first(n); }
  const Hash& leaf(std::uint64_t i) const { return leaves_[i]; }
  std::size_t node_count() const { return nodes_.size(); }
  int calls() const { return calls_; }

  core::Status read_nodes(std::span<const NodeId> ids, std::span<Hash> out) override {
    ++calls_;
    if (ids.size() != out.size()) return core::invalid_argument("ids and out differ in size");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const NodeId& id = ids[i];
      const std::uint64_t end = (id.index + 1) << id.level;
      auto it = nodes_.find({id.level, id.index});
      if (it == nodes_.end() || end > visible_size_) {
        return core::not_found("node " + std::to_string(id.level) + "/" + std::to_string(id.index));
      }
      out[i] = it->second;
    }
    return core::ok();
  }

 private:
  std::vector<Hash> leaves_;
  std::map<std::pair<int, std::uint64_t>, Hash> nodes_;
  std::uint64_t visible_size_ = 0;
  int calls_ = 0;
};

inline constexpr std::uint64_t kTreeSize = 64;

// One MemoryTree of kTreeSize leaves for every test (built once).
inline MemoryTree& shared_tree() {
  static MemoryTree tree(kTreeSize);
  return tree;
}

}  // namespace pw::journal::merkle_testing
