#include "journal/merkle.h"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/crypto.h"
#include "journal/merkle_test_util.h"

namespace pw::journal {
namespace {

using core::Hash;
using namespace merkle_testing;

// ---------------------------------------------------------------------------------------------
// Reference vectors.
//
// Source: the RFC 6962 test tree of certificate-transparency (cpp/merkletree/merkle_tree_test.cc)
// as carried by transparency-dev/merkle (testonly/constants.go): eight leaf inputs, their leaf
// hashes, and the roots of the trees of size 1..8. Cross-checked with an independent Python
// hashlib computation.

const std::vector<core::Bytes>& reference_leaf_inputs() {
  static const std::vector<core::Bytes> inputs = {
      {},
      {0x00},
      {0x10},
      {0x20, 0x21},
      {0x30, 0x31},
      {0x40, 0x41, 0x42, 0x43},
      {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57},
      {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e,
       0x6f},
  };
  return inputs;
}

constexpr std::array<std::string_view, 8> kReferenceLeafHashes = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
};

// kReferenceRoots[n - 1] is the root of the tree of the first n reference leaves.
constexpr std::array<std::string_view, 8> kReferenceRoots = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

TEST(MerkleHash, EmptyRootIsSha256OfEmptyString) {
  EXPECT_EQ(empty_root(),
            hex_hash("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_EQ(root_from_leaf_hashes({}), empty_root());
}

TEST(MerkleHash, LeafAndNodeHashesUseDomainSeparationPrefixes) {
  const core::Bytes entry = {0xde, 0xad};
  EXPECT_EQ(leaf_hash(entry), core::sha256(core::ByteView(core::Bytes{0x00, 0xde, 0xad})));
  const Hash a = leaf_hash(core::as_bytes("a"));
  const Hash b = leaf_hash(core::as_bytes("b"));
  core::Bytes joined = {0x01};
  joined.insert(joined.end(), a.begin(), a.end());
  joined.insert(joined.end(), b.begin(), b.end());
  EXPECT_EQ(node_hash(a, b), core::sha256(core::ByteView(joined)));
  EXPECT_NE(node_hash(a, b), node_hash(b, a));
}

TEST(MerkleHash, LeafHashesMatchRfc6962ReferenceVectors) {
  for (std::size_t i = 0; i < kReferenceLeafHashes.size(); ++i) {
    EXPECT_EQ(leaf_hash(reference_leaf_inputs()[i]), hex_hash(kReferenceLeafHashes[i])) << i;
  }
}

TEST(MerkleHash, RootsOfSizes1To8MatchRfc6962ReferenceVectors) {
  std::vector<Hash> leaves;
  for (const auto& input : reference_leaf_inputs()) leaves.push_back(leaf_hash(input));
  CompactRange range;
  std::vector<std::pair<NodeId, Hash>> completed;
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    range.append(leaves[n - 1], completed);
    const Hash want = hex_hash(kReferenceRoots[n - 1]);
    EXPECT_EQ(root_from_leaf_hashes(std::span(leaves).first(n)), want) << "size " << n;
    EXPECT_EQ(naive_mth(std::span(leaves).first(n)), want) << "size " << n;
    EXPECT_EQ(range.root(), want) << "size " << n;
  }
}

// ---------------------------------------------------------------------------------------------
// decompose_range and tree_root.

// The RFC recursion only produces ranges that start at a multiple of the smallest power of two
// >= their length.
bool is_rfc_subtree(std::uint64_t begin, std::uint64_t end) {
  return begin < end && begin % std::bit_ceil(end - begin) == 0;
}

TEST(MerkleTree, DecomposeRangeYieldsAlignedCompleteSubtreesWhoseFoldIsMth) {
  MemoryTree& tree = shared_tree();
  tree.set_visible_size(kTreeSize);
  int checked = 0;
  for (std::uint64_t begin = 0; begin < kTreeSize; ++begin) {
    for (std::uint64_t end = begin + 1; end <= kTreeSize; ++end) {
      if (!is_rfc_subtree(begin, end)) continue;
      SCOPED_TRACE("range [" + std::to_string(begin) + ", " + std::to_string(end) + ")");
      const std::vector<NodeId> ids = decompose_range(begin, end);
      ASSERT_EQ(ids.size(), static_cast<std::size_t>(std::popcount(end - begin)));
      std::uint64_t pos = begin;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) {
          EXPECT_LT(ids[i].level, ids[i - 1].level) << "sizes must decrease";
        }
        EXPECT_EQ(ids[i].index << ids[i].level, pos) << "parts must be contiguous";
        pos += std::uint64_t{1} << ids[i].level;
      }
      EXPECT_EQ(pos, end);
      std::vector<Hash> parts(ids.size());
      ASSERT_TRUE(tree.read_nodes(ids, parts).has_value());
      Hash h = parts.back();
      for (std::size_t i = parts.size() - 1; i-- > 0;) h = node_hash(parts[i], h);
      EXPECT_EQ(h, naive_mth(tree.leaves(end).subspan(begin)));
      ++checked;
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(MerkleTree, DecomposeRangeHandlesTheWholeUint64Range) {
  EXPECT_EQ(decompose_range(0, kTwo63), (std::vector<NodeId>{{63, 0}}));
  EXPECT_EQ(decompose_range(kTwo63, kTwo63 + 5),
            (std::vector<NodeId>{{2, kTwo63 >> 2}, {0, kTwo63 + 4}}));
  const std::vector<NodeId> all = decompose_range(0, kMax);
  ASSERT_EQ(all.size(), 64u);
  EXPECT_EQ(all.front(), (NodeId{63, 0}));
  EXPECT_EQ(all.back(), (NodeId{0, kMax - 1}));
}

TEST(MerkleTree, TreeRootEqualsMthForEverySize) {
  MemoryTree& tree = shared_tree();
  for (std::uint64_t n = 0; n <= kTreeSize; ++n) {
    tree.set_visible_size(n);
    auto root = tree_root(tree, n);
    ASSERT_TRUE(root.has_value()) << describe(root);
    EXPECT_EQ(*root, root_from_leaf_hashes(tree.leaves(n))) << "size " << n;
    EXPECT_EQ(*root, naive_mth(tree.leaves(n))) << "size " << n;
  }
}

TEST(MerkleTree, MissingStoredNodeIsReportedNotFound) {
  MemoryTree& tree = shared_tree();
  tree.set_visible_size(10);
  auto root = tree_root(tree, 11);
  ASSERT_FALSE(root.has_value());
  EXPECT_EQ(root.error().code(), core::Code::kNotFound);
  auto proof = inclusion_proof(tree, 3, 12);
  ASSERT_FALSE(proof.has_value());
  EXPECT_EQ(proof.error().code(), core::Code::kNotFound);
  auto cproof = consistency_proof(tree, 3, 12);
  ASSERT_FALSE(cproof.has_value());
  EXPECT_EQ(cproof.error().code(), core::Code::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// Inclusion proofs.

TEST(MerkleInclusion, ProofsEqualRfcPathAndVerifyForEveryIndexUpTo64) {
  MemoryTree& tree = shared_tree();
  for (std::uint64_t n = 1; n <= kTreeSize; ++n) {
    tree.set_visible_size(n);
    const Hash root = naive_mth(tree.leaves(n));
    for (std::uint64_t i = 0; i < n; ++i) {
      SCOPED_TRACE("index " + std::to_string(i) + " size " + std::to_string(n));
      auto proof = inclusion_proof(tree, i, n);
      ASSERT_TRUE(proof.has_value()) << describe(proof);
      EXPECT_EQ(*proof, naive_path(i, tree.leaves(n)));
      auto ok = verify_inclusion(i, n, tree.leaf(i), *proof, root);
      EXPECT_TRUE(ok.has_value()) << describe(ok);
    }
  }
}

TEST(MerkleInclusion, ProofGenerationRejectsIndexOutsideTree) {
  MemoryTree& tree = shared_tree();
  tree.set_visible_size(kTreeSize);
  auto proof = inclusion_proof(tree, 5, 5);
  ASSERT_FALSE(proof.has_value());
  EXPECT_EQ(proof.error().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(proof.error().message(), "index 5 >= size 5");
  EXPECT_FALSE(inclusion_proof(tree, 0, 0).has_value());
}

struct IndexSize {
  std::uint64_t index;
  std::uint64_t size;
};

std::vector<IndexSize> representative_inclusions() {
  std::vector<IndexSize> out;
  for (std::uint64_t n : {1, 2, 3, 4, 5, 7, 8, 13, 31, 32, 33, 45, 64}) {
    for (std::uint64_t i : {std::uint64_t{0}, n / 2, n - 1}) {
      if (out.empty() || out.back().index != i || out.back().size != n) out.push_back({i, n});
    }
  }
  return out;
}

TEST(MerkleInclusion, CorruptedProofsAreRejected) {
  MemoryTree& tree = shared_tree();
  for (const auto [index, size] : representative_inclusions()) {
    SCOPED_TRACE("index " + std::to_string(index) + " size " + std::to_string(size));
    tree.set_visible_size(size);
    auto generated = inclusion_proof(tree, index, size);
    ASSERT_TRUE(generated.has_value()) << describe(generated);
    const std::vector<Hash>& proof = *generated;
    const Hash root = naive_mth(tree.leaves(size));
    const Hash leaf = tree.leaf(index);
    ASSERT_TRUE(verify_inclusion(index, size, leaf, proof, root).has_value());

    // Wrong index: in a fixed tree every leaf has its own path, so no other index verifies.
    for (std::uint64_t j = 0; j < size; ++j) {
      if (j == index) continue;
      EXPECT_FALSE(verify_inclusion(j, size, leaf, proof, root).has_value()) << "index " << j;
    }
    auto outside = verify_inclusion(size, size, leaf, proof, root);
    ASSERT_FALSE(outside.has_value());
    EXPECT_EQ(outside.error().message(),
              "index " + std::to_string(size) + " >= size " + std::to_string(size));

    // Wrong size, with the honest root of that size: accepted exactly when the proof happens to
    // be the true path for that size too (e.g. the last leaf of a complete subtree).
    for (std::uint64_t s = index + 1; s <= kTreeSize; ++s) {
      if (s == size) continue;
      const bool same_path = naive_path(index, tree.leaves(s)) == proof;
      EXPECT_EQ(verify_inclusion(index, s, leaf, proof, naive_mth(tree.leaves(s))).has_value(),
                same_path)
          << "claimed size " << s;
    }

    // Missing hash, extra hash.
    for (std::size_t k = 0; k < proof.size(); ++k) {
      std::vector<Hash> shorter = proof;
      shorter.erase(shorter.begin() + static_cast<std::ptrdiff_t>(k));
      auto s = verify_inclusion(index, size, leaf, shorter, root);
      ASSERT_FALSE(s.has_value());
      EXPECT_EQ(s.error().message(), "proof has " + std::to_string(proof.size() - 1) +
                                         " hashes, want " + std::to_string(proof.size()));
    }
    for (bool at_front : {true, false}) {
      std::vector<Hash> longer = proof;
      longer.insert(at_front ? longer.begin() : longer.end(), leaf);
      auto s = verify_inclusion(index, size, leaf, longer, root);
      ASSERT_FALSE(s.has_value());
      EXPECT_EQ(s.error().message(), "proof has " + std::to_string(proof.size() + 1) +
                                         " hashes, want " + std::to_string(proof.size()));
    }

    // Every single flipped bit of every hash.
    for (std::size_t k = 0; k < proof.size(); ++k) {
      for (std::size_t bit = 0; bit < 256; ++bit) {
        std::vector<Hash> bad = proof;
        bad[k] = flip_bit(bad[k], bit);
        auto s = verify_inclusion(index, size, leaf, bad, root);
        ASSERT_FALSE(s.has_value()) << "hash " << k << " bit " << bit;
        EXPECT_EQ(s.error().message(), "calculated root does not match");
      }
    }
    for (std::size_t bit = 0; bit < 256; ++bit) {
      EXPECT_FALSE(verify_inclusion(index, size, flip_bit(leaf, bit), proof, root).has_value());
      EXPECT_FALSE(verify_inclusion(index, size, leaf, proof, flip_bit(root, bit)).has_value());
    }

    // Wrong leaf: a neighbour's.
    if (size > 1) {
      const Hash other = tree.leaf(index == 0 ? 1 : index - 1);
      EXPECT_FALSE(verify_inclusion(index, size, other, proof, root).has_value());
    }
  }
}

TEST(MerkleInclusion, VerifierBindsTheSizeOnlyThroughTheRoot) {
  // A proof's hash chain does not always determine the size: PATH(0, D[0:3]) is also shaped
  // like PATH(0, D[0:4]). The verifier therefore accepts (size 4, root of size 3); callers must
  // take the size and the root from the same signed checkpoint.
  MemoryTree& tree = shared_tree();
  tree.set_visible_size(kTreeSize);
  auto proof = inclusion_proof(tree, 0, 3);
  ASSERT_TRUE(proof.has_value());
  const Hash root3 = naive_mth(tree.leaves(3));
  EXPECT_TRUE(verify_inclusion(0, 4, tree.leaf(0), *proof, root3).has_value());
  EXPECT_FALSE(verify_inclusion(0, 4, tree.leaf(0), *proof, naive_mth(tree.leaves(4))).has_value());
}

TEST(MerkleInclusion, SingleLeafTreeNeedsEmptyProofAndLeafAsRoot) {
  const Hash leaf = leaf_hash(core::as_bytes("only"));
  EXPECT_TRUE(verify_inclusion(0, 1, leaf, {}, leaf).has_value());
  EXPECT_FALSE(verify_inclusion(0, 1, leaf, {}, empty_root()).has_value());
  auto s = verify_inclusion(0, 1, leaf, std::vector<Hash>{leaf}, leaf);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(), "proof has 1 hashes, want 0");
  EXPECT_FALSE(verify_inclusion(0, 0, leaf, {}, empty_root()).has_value());
}

// ---------------------------------------------------------------------------------------------
// Consistency proofs.

TEST(MerkleConsistency, ProofsEqualRfcSubproofAndVerifyForEveryPairUpTo64) {
  MemoryTree& tree = shared_tree();
  for (std::uint64_t n = 1; n <= kTreeSize; ++n) {
    tree.set_visible_size(n);
    const Hash root2 = naive_mth(tree.leaves(n));
    for (std::uint64_t m = 1; m <= n; ++m) {
      SCOPED_TRACE("size1 " + std::to_string(m) + " size2 " + std::to_string(n));
      auto proof = consistency_proof(tree, m, n);
      ASSERT_TRUE(proof.has_value()) << describe(proof);
      EXPECT_EQ(*proof, naive_proof(m, tree.leaves(n)));
      auto ok = verify_consistency(m, n, *proof, naive_mth(tree.leaves(m)), root2);
      EXPECT_TRUE(ok.has_value()) << describe(ok);
    }
  }
}

TEST(MerkleConsistency, ProofGenerationRejectsBadSizes) {
  MemoryTree& tree = shared_tree();
  tree.set_visible_size(kTreeSize);
  auto reversed = consistency_proof(tree, 5, 4);
  ASSERT_FALSE(reversed.has_value());
  EXPECT_EQ(reversed.error().message(), "size1 5 > size2 4");
  auto from_empty = consistency_proof(tree, 0, 4);
  ASSERT_FALSE(from_empty.has_value());
  EXPECT_EQ(from_empty.error().code(), core::Code::kInvalidArgument);
}

TEST(MerkleConsistency, EdgeCasesFollowTheConformanceVectors) {
  const Hash a = leaf_hash(core::as_bytes("a"));
  const Hash b = leaf_hash(core::as_bytes("b"));
  // Equal sizes: empty proof and equal roots.
  EXPECT_TRUE(verify_consistency(7, 7, {}, a, a).has_value());
  auto differ = verify_consistency(7, 7, {}, a, b);
  ASSERT_FALSE(differ.has_value());
  EXPECT_EQ(differ.error().message(), "size1 == size2 but root1 != root2");
  auto nonempty = verify_consistency(7, 7, std::vector<Hash>{a}, a, a);
  ASSERT_FALSE(nonempty.has_value());
  EXPECT_EQ(nonempty.error().message(), "proof has 1 hashes, want 0");
  // size1 == 0 is rejected in every form (transparency-dev consistency/additional).
  EXPECT_FALSE(verify_consistency(0, 0, {}, empty_root(), empty_root()).has_value());
  EXPECT_FALSE(verify_consistency(0, 5, {}, empty_root(), b).has_value());
  EXPECT_FALSE(verify_consistency(0, 5, std::vector<Hash>{a}, empty_root(), b).has_value());
  auto reversed = verify_consistency(5, 4, {}, a, b);
  ASSERT_FALSE(reversed.has_value());
  EXPECT_EQ(reversed.error().message(), "size1 5 > size2 4");
  auto empty = verify_consistency(4, 5, {}, a, b);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message(), "proof has 0 hashes, want 1");
}

TEST(MerkleConsistency, CorruptedProofsAreRejected) {
  MemoryTree& tree = shared_tree();
  const std::vector<IndexSize> pairs = {{1, 1},   {1, 2},   {1, 8},  {2, 5},   {3, 7},   {4, 8},
                                        {5, 8},   {6, 8},   {7, 8},  {8, 13},  {13, 31}, {31, 32},
                                        {32, 33}, {33, 64}, {1, 64}, {63, 64}, {12, 45}};
  for (const auto [m, n] : pairs) {
    SCOPED_TRACE("size1 " + std::to_string(m) + " size2 " + std::to_string(n));
    tree.set_visible_size(n);
    auto generated = consistency_proof(tree, m, n);
    ASSERT_TRUE(generated.has_value()) << describe(generated);
    const std::vector<Hash>& proof = *generated;
    const Hash root1 = naive_mth(tree.leaves(m));
    const Hash root2 = naive_mth(tree.leaves(n));
    ASSERT_TRUE(verify_consistency(m, n, proof, root1, root2).has_value());

    if (m != n) {
      EXPECT_FALSE(verify_consistency(m, n, proof, root2, root1).has_value()) << "swapped roots";
    }
    // Wrong sizes, with the honest roots of the claimed sizes: accepted exactly when the proof
    // is also the true proof for the claimed sizes.
    for (std::uint64_t m2 = 1; m2 <= n; ++m2) {
      if (m2 == m) continue;
      const bool same = naive_proof(m2, tree.leaves(n)) == proof;
      EXPECT_EQ(verify_consistency(m2, n, proof, naive_mth(tree.leaves(m2)), root2).has_value(),
                same)
          << "claimed size1 " << m2;
    }
    for (std::uint64_t n2 = m; n2 <= kTreeSize; ++n2) {
      if (n2 == n) continue;
      const bool same = naive_proof(m, tree.leaves(n2)) == proof;
      EXPECT_EQ(verify_consistency(m, n2, proof, root1, naive_mth(tree.leaves(n2))).has_value(),
                same)
          << "claimed size2 " << n2;
    }

    for (std::size_t k = 0; k < proof.size(); ++k) {
      std::vector<Hash> shorter = proof;
      shorter.erase(shorter.begin() + static_cast<std::ptrdiff_t>(k));
      auto s = verify_consistency(m, n, shorter, root1, root2);
      ASSERT_FALSE(s.has_value());
      EXPECT_EQ(s.error().message(), "proof has " + std::to_string(proof.size() - 1) +
                                         " hashes, want " + std::to_string(proof.size()));
    }
    for (bool at_front : {true, false}) {
      std::vector<Hash> longer = proof;
      longer.insert(at_front ? longer.begin() : longer.end(), root1);
      auto s = verify_consistency(m, n, longer, root1, root2);
      ASSERT_FALSE(s.has_value());
      EXPECT_EQ(s.error().message(), "proof has " + std::to_string(proof.size() + 1) +
                                         " hashes, want " + std::to_string(proof.size()));
    }
    for (std::size_t k = 0; k < proof.size(); ++k) {
      for (std::size_t bit = 0; bit < 256; ++bit) {
        std::vector<Hash> bad = proof;
        bad[k] = flip_bit(bad[k], bit);
        EXPECT_FALSE(verify_consistency(m, n, bad, root1, root2).has_value())
            << "hash " << k << " bit " << bit;
      }
    }
    for (std::size_t bit = 0; bit < 256; ++bit) {
      EXPECT_FALSE(verify_consistency(m, n, proof, flip_bit(root1, bit), root2).has_value());
      EXPECT_FALSE(verify_consistency(m, n, proof, root1, flip_bit(root2, bit)).has_value());
    }
  }
}

}  // namespace
}  // namespace pw::journal
