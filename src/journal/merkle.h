#pragma once
// RFC 9162 (RFC 6962) Merkle tree hashing, proofs and their verification.
//
//   leaf hash  = SHA-256(0x00 || entry bytes)
//   node hash  = SHA-256(0x01 || left || right)
//   empty root = SHA-256("")
//
// Storage model: a tree of size n is held as the hashes of its complete subtrees. NodeId
// {level, index} names the complete subtree over leaves [index * 2^level, (index+1) * 2^level);
// level 0 is a leaf hash. Every complete subtree of a tree of size n is stored once it exists,
// so a root, an inclusion proof or a consistency proof needs O(log n) stored nodes and no
// rebuild. Sizes are uint64 and may be up to 2^63.

#include <cstdint>
#include <span>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace pw::journal {

using core::Hash;

struct NodeId {
  int level = 0;
  std::uint64_t index = 0;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

core::Hash leaf_hash(core::ByteView entry);
core::Hash node_hash(const Hash& left, const Hash& right);
core::Hash empty_root();

// Reference MTH over a list of leaf hashes (RFC 9162 section 2.1.1). O(n); for tests and for
// recomputing a whole tree during verification.
Hash root_from_leaf_hashes(std::span<const Hash> leaf_hashes);

// Reads stored complete-subtree hashes. Implemented by the store; the journal asks for all
// the nodes one answer needs in one call, so a backend can batch its reads.
class NodeSource {
 public:
  virtual ~NodeSource() = default;
  // Fills out[i] with the hash of ids[i]. Fails with not_found if a node is not stored.
  virtual core::Status read_nodes(std::span<const NodeId> ids, std::span<Hash> out) = 0;
  // Reads the stored nodes (level, begin), (level, begin + 1), ... into out, in order, and
  // stops at the first node that is not stored or when out is full; returns how many it read.
  // The default reads node by node; a backend overrides it with one range read.
  virtual core::Result<std::size_t> read_node_run(int level, std::uint64_t begin,
                                                  std::span<Hash> out);
};

// The complete subtrees (left to right, decreasing size) whose fold is MTH(D[begin:end)).
// Requires begin < end and that [begin, end) is a subtree the RFC recursion produces
// (begin is a multiple of the smallest power of two >= end - begin).
std::vector<NodeId> decompose_range(std::uint64_t begin, std::uint64_t end);

// Root of the tree of size `size` (empty_root() for 0).
core::Result<Hash> tree_root(NodeSource& source, std::uint64_t size);

// RFC 9162 section 2.1.3.1 PATH(index, D[0:size]); requires index < size.
core::Result<std::vector<Hash>> inclusion_proof(NodeSource& source, std::uint64_t index,
                                                std::uint64_t size);
// RFC 9162 section 2.1.4.1 PROOF(size1, D[0:size2]); requires 0 < size1 <= size2. An empty
// proof is returned when size1 == size2.
core::Result<std::vector<Hash>> consistency_proof(NodeSource& source, std::uint64_t size1,
                                                  std::uint64_t size2);

// RFC 9162 section 2.1.3.2. Fails (invalid_argument) with the reason if the proof does not
// prove that `leaf` is at `index` in the tree of `size` with `root`.
core::Status verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                              std::span<const Hash> proof, const Hash& root);
// RFC 9162 section 2.1.4.2.
core::Status verify_consistency(std::uint64_t size1, std::uint64_t size2,
                                std::span<const Hash> proof, const Hash& root1, const Hash& root2);

// The right edge of a growing tree: the roots of its complete subtrees of the binary
// decomposition of size(), left to right. Appending a leaf yields the nodes that became
// complete, which the caller stores.
class CompactRange {
 public:
  CompactRange() = default;
  // `peaks` must be the decomposition of `size` (decompose_range(0, size) hashes).
  static core::Result<CompactRange> from_peaks(std::uint64_t size, std::vector<Hash> peaks);

  std::uint64_t size() const { return size_; }
  const std::vector<Hash>& peaks() const { return peaks_; }

  // Appends a leaf hash. Appends to `completed` every node that now exists: the leaf itself
  // (level 0) and each interior node it completes, bottom up.
  void append(const Hash& leaf, std::vector<std::pair<NodeId, Hash>>& completed);
  Hash root() const;

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> peaks_;
};

}  // namespace pw::journal
