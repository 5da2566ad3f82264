// The proof node cache must answer exactly what the store holds, whatever mix of levels and
// blocks a proof asks for, and must not answer for nodes the store does not hold.
#include "app/internal/node_cache.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace pw::app::internal {
namespace {

using journal::NodeId;
using Hash = core::Hash;

// Every complete subtree of a tree of `leaves` leaves, as the store keeps them; counts the
// nodes it is asked for.
class StoredTree : public journal::NodeSource {
 public:
  explicit StoredTree(std::uint64_t leaves) {
    journal::CompactRange range;
    std::vector<std::pair<NodeId, Hash>> completed;
    for (std::uint64_t i = 0; i < leaves; ++i) {
      completed.clear();
      range.append(journal::leaf_hash(core::as_bytes("entry " + std::to_string(i))), completed);
      for (const auto& [id, hash] : completed) nodes_[{id.level, id.index}] = hash;
    }
  }
  core::Status read_nodes(std::span<const NodeId> ids, std::span<Hash> out) override {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      ++reads;
      auto it = nodes_.find({ids[i].level, ids[i].index});
      if (it == nodes_.end()) return core::not_found("node not stored");
      out[i] = it->second;
    }
    return core::ok();
  }
  const std::map<std::pair<int, std::uint64_t>, Hash>& nodes() const { return nodes_; }
  std::uint64_t reads = 0;

 private:
  std::map<std::pair<int, std::uint64_t>, Hash> nodes_;
};

TEST(CachedNodeSource, AnswersEveryStoredNodeAsTheStoreDoes) {
  StoredTree tree(5'003);  // odd size: incomplete blocks at the right edge of every band
  CachedNodeSource cache(tree, 1'000'000);
  std::vector<NodeId> ids;
  for (const auto& [key, hash] : tree.nodes()) ids.push_back({key.first, key.second});
  std::mt19937_64 rng(7);
  std::shuffle(ids.begin(), ids.end(), rng);
  // Mixed batches, as proofs ask: several levels and blocks at once.
  for (std::size_t at = 0; at < ids.size(); at += 13) {
    const std::size_t n = std::min<std::size_t>(13, ids.size() - at);
    std::vector<Hash> out(n);
    ASSERT_TRUE(cache.read_nodes(std::span(ids).subspan(at, n), out));
    for (std::size_t k = 0; k < n; ++k) {
      const NodeId& id = ids[at + k];
      ASSERT_EQ(out[k], tree.nodes().at({id.level, id.index}))
          << "level " << id.level << " index " << id.index;
    }
  }
}

TEST(CachedNodeSource, ProofsMatchTheStoreAndLaterProofsReadLess) {
  StoredTree tree(100'000);
  CachedNodeSource cache(tree, 1'000'000);
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::uint64_t> pick(0, 99'999);
  std::uint64_t first_half_reads = 0;
  for (int round = 0; round < 2; ++round) {
    const std::uint64_t before = tree.reads;
    for (int k = 0; k < 500; ++k) {
      const std::uint64_t index = pick(rng);
      auto direct = journal::inclusion_proof(tree, index, 100'000);
      auto cached = journal::inclusion_proof(cache, index, 100'000);
      ASSERT_TRUE(direct && cached);
      ASSERT_EQ(*direct, *cached) << "index " << index;
    }
    const std::uint64_t reads = tree.reads - before;
    if (round == 0) {
      first_half_reads = reads;
    } else {
      // The direct proofs read the same in both rounds; the cached ones read less once the
      // upper bands are in memory.
      EXPECT_LT(reads, first_half_reads);
    }
  }
  EXPECT_GT(cache.cached_nodes(), 0u);
}

TEST(CachedNodeSource, NodeNotStoredIsNotFound) {
  StoredTree tree(100);
  CachedNodeSource cache(tree, 1'000);
  // Level 6 index 1 would cover leaves 64..127: not a complete subtree of 100 leaves.
  const NodeId ids[] = {{0, 3}, {6, 1}};
  std::vector<Hash> out(2);
  auto st = cache.read_nodes(ids, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), core::Code::kNotFound);
  const NodeId beyond[] = {{0, 100}, {0, 101}};
  st = cache.read_nodes(beyond, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), core::Code::kNotFound);
}

TEST(NodeSourceDefault, ReadNodeRunStopsAtTheFirstMissingNode) {
  StoredTree tree(10);
  std::vector<Hash> out(64);
  auto n = tree.read_node_run(0, 4, out);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 6u);  // leaves 4..9
  EXPECT_EQ(out[0], tree.nodes().at({0, 4}));
  EXPECT_EQ(out[5], tree.nodes().at({0, 9}));
}

}  // namespace
}  // namespace pw::app::internal
