// Merkle proofs at scale (trees of 2^40 and near 2^64 leaves, read cost) and CompactRange, the
// append-only range the store builds the tree with.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/crypto.h"
#include "journal/merkle.h"
#include "journal/merkle_test_util.h"

namespace pw::journal {
namespace {

using core::Hash;
using namespace merkle_testing;

// ---------------------------------------------------------------------------------------------
// Cost and range at scale.

// A tree of `size` identical leaves: every complete node at level L has the same hash c[L], so
// the tree is consistent (proofs verify) at any size with O(64) precomputation. It counts reads
// and refuses nodes that do not exist in a tree of the current size.
class UniformTree : public NodeSource {
 public:
  explicit UniformTree(std::uint64_t size) : size_(size) {
    level_hash_[0] = leaf_hash(core::as_bytes("same leaf"));
    for (std::size_t l = 1; l < level_hash_.size(); ++l) {
      level_hash_[l] = node_hash(level_hash_[l - 1], level_hash_[l - 1]);
    }
  }

  const Hash& leaf() const { return level_hash_[0]; }
  void reset_counts() { calls_ = nodes_ = 0; }
  int calls() const { return calls_; }
  std::size_t nodes() const { return nodes_; }

  core::Status read_nodes(std::span<const NodeId> ids, std::span<Hash> out) override {
    ++calls_;
    nodes_ += ids.size();
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const NodeId& id = ids[i];
      // Exists iff it ends at or before size_: (index + 1) << level <= size_, without overflow.
      if (id.level < 0 || id.level > 63 || id.index >= (size_ >> id.level)) {
        return core::not_found("node " + std::to_string(id.level) + "/" + std::to_string(id.index) +
                               " not in tree of size " + std::to_string(size_));
      }
      out[i] = level_hash_[static_cast<std::size_t>(id.level)];
    }
    return core::ok();
  }

 private:
  std::uint64_t size_;
  std::array<Hash, 64> level_hash_;
  int calls_ = 0;
  std::size_t nodes_ = 0;
};

void check_at_scale(std::uint64_t size, const std::vector<std::uint64_t>& indices,
                    const std::vector<std::uint64_t>& sizes1) {
  SCOPED_TRACE("size " + std::to_string(size));
  UniformTree tree(size);
  // O(log n): a proof reads at most one complete node per level on the path plus the
  // decomposition of one incomplete right-edge subtree.
  const auto bound = static_cast<std::size_t>(2 * std::bit_width(size));

  auto root = tree_root(tree, size);
  ASSERT_TRUE(root.has_value()) << describe(root);
  EXPECT_EQ(tree.calls(), 1);
  EXPECT_EQ(tree.nodes(), static_cast<std::size_t>(std::popcount(size)));

  for (std::uint64_t index : indices) {
    SCOPED_TRACE("index " + std::to_string(index));
    tree.reset_counts();
    auto proof = inclusion_proof(tree, index, size);
    ASSERT_TRUE(proof.has_value()) << describe(proof);
    EXPECT_EQ(tree.calls(), 1);
    EXPECT_LE(tree.nodes(), bound);
    EXPECT_LE(proof->size(), static_cast<std::size_t>(std::bit_width(size - 1)));
    auto ok = verify_inclusion(index, size, tree.leaf(), *proof, *root);
    EXPECT_TRUE(ok.has_value()) << describe(ok);
  }

  for (std::uint64_t size1 : sizes1) {
    SCOPED_TRACE("size1 " + std::to_string(size1));
    UniformTree old_tree(size1);
    auto root1 = tree_root(old_tree, size1);
    ASSERT_TRUE(root1.has_value()) << describe(root1);
    tree.reset_counts();
    auto proof = consistency_proof(tree, size1, size);
    ASSERT_TRUE(proof.has_value()) << describe(proof);
    EXPECT_EQ(tree.calls(), size1 == size ? 0 : 1);
    EXPECT_LE(tree.nodes(), bound);
    EXPECT_LE(proof->size(), static_cast<std::size_t>(std::bit_width(size - 1)) + 1);
    auto ok = verify_consistency(size1, size, *proof, *root1, *root);
    EXPECT_TRUE(ok.has_value()) << describe(ok);
  }
}

TEST(MerkleScale, ProofsForTwoToThe40PlusReadO_LogNNodesInOneCall) {
  constexpr std::uint64_t k40 = std::uint64_t{1} << 40;
  constexpr std::uint64_t size = k40 + 12345;
  check_at_scale(size, {0, 1, 12345, k40 / 2, k40 - 1, k40, size - 2, size - 1},
                 {1, 2, 3, 12345, k40 - 1, k40, k40 + 1, size - 1, size});
}

TEST(MerkleScale, SizesNearTwoToThe63DoNotOverflow) {
  check_at_scale(kTwo63, {0, 1, kTwo63 / 2 - 1, kTwo63 - 2, kTwo63 - 1},
                 {1, 5, kTwo63 / 2, kTwo63 / 2 + 1, kTwo63 - 1, kTwo63});
  check_at_scale(kTwo63 - 1, {0, kTwo63 - 2}, {1, kTwo63 / 2, kTwo63 - 2});
  check_at_scale(kTwo63 / 2 + 3, {0, kTwo63 / 2 + 2}, {3, kTwo63 / 2 + 1});
  // Beyond the documented range the arithmetic still holds up to the largest uint64.
  check_at_scale(kMax, {0, kTwo63, kMax - 1}, {1, kTwo63, kMax - 1});
}

TEST(MerkleScale, VerifierRejectsOutOfRangeIndexAtTheTopOfUint64) {
  const Hash h = leaf_hash(core::as_bytes("x"));
  auto s = verify_inclusion(kMax, kMax, h, {}, h);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(),
            "index " + std::to_string(kMax) + " >= size " + std::to_string(kMax));
}

// ---------------------------------------------------------------------------------------------
// CompactRange.

TEST(CompactRange, EmptyRangeHasEmptyRoot) {
  CompactRange range;
  EXPECT_EQ(range.size(), 0u);
  EXPECT_TRUE(range.peaks().empty());
  EXPECT_EQ(range.root(), empty_root());
}

TEST(CompactRange, AppendReportsCompletedNodesBottomUpAndKeepsRootEqualToMth) {
  MemoryTree& tree = shared_tree();
  CompactRange range;
  std::vector<std::pair<NodeId, Hash>> completed;
  for (std::uint64_t n = 1; n <= kTreeSize; ++n) {
    SCOPED_TRACE("size " + std::to_string(n));
    completed.clear();
    range.append(tree.leaf(n - 1), completed);
    EXPECT_EQ(range.size(), n);
    EXPECT_EQ(range.peaks().size(), static_cast<std::size_t>(std::popcount(n)));
    EXPECT_EQ(range.root(), root_from_leaf_hashes(tree.leaves(n)));
    // The new leaf, then one node per trailing one bit of n - 1 (the "carries").
    ASSERT_EQ(completed.size(), 1 + static_cast<std::size_t>(std::countr_one(n - 1)));
    for (std::size_t k = 0; k < completed.size(); ++k) {
      const auto& [id, hash] = completed[k];
      EXPECT_EQ(id.level, static_cast<int>(k));
      EXPECT_EQ(id.index, (n - 1) >> k);
      const std::uint64_t begin = id.index << id.level;
      const std::uint64_t end = begin + (std::uint64_t{1} << id.level);
      EXPECT_EQ(end, n) << "a node completes exactly when its last leaf arrives";
      EXPECT_EQ(hash, naive_mth(tree.leaves(end).subspan(begin)));
    }
  }
  // Every complete subtree of the 64-leaf tree was reported exactly once: 64+32+...+1.
  EXPECT_EQ(tree.node_count(), 127u);
}

TEST(CompactRange, FromPeaksRejectsWrongPeakCount) {
  const Hash h = leaf_hash(core::as_bytes("x"));
  auto too_few = CompactRange::from_peaks(5, {h});
  ASSERT_FALSE(too_few.has_value());
  EXPECT_EQ(too_few.error().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(too_few.error().message(), "size 5 has 2 peaks, got 1");
  EXPECT_FALSE(CompactRange::from_peaks(5, {h, h, h}).has_value());
  EXPECT_FALSE(CompactRange::from_peaks(0, {h}).has_value());
  EXPECT_FALSE(CompactRange::from_peaks(8, {}).has_value());
  auto empty = CompactRange::from_peaks(0, {});
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->root(), empty_root());
}

TEST(CompactRange, FromPeaksOfStoredNodesResumesAppending) {
  MemoryTree& tree = shared_tree();
  tree.set_visible_size(kTreeSize);
  for (std::uint64_t start : {1, 6, 13, 32, 63}) {
    SCOPED_TRACE("start " + std::to_string(start));
    const std::vector<NodeId> ids = decompose_range(0, start);
    std::vector<Hash> peaks(ids.size());
    ASSERT_TRUE(tree.read_nodes(ids, peaks).has_value());
    auto range = CompactRange::from_peaks(start, peaks);
    ASSERT_TRUE(range.has_value()) << describe(range);
    EXPECT_EQ(range->root(), naive_mth(tree.leaves(start)));
    std::vector<std::pair<NodeId, Hash>> completed;
    for (std::uint64_t n = start + 1; n <= kTreeSize; ++n) {
      range->append(tree.leaf(n - 1), completed);
      EXPECT_EQ(range->root(), naive_mth(tree.leaves(n))) << "size " << n;
    }
  }
}

}  // namespace
}  // namespace pw::journal
