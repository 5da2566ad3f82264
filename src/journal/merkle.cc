#include "journal/merkle.h"

#include <bit>
#include <cassert>
#include <string>
#include <utility>

#include "core/crypto.h"

namespace pw::journal {
namespace {

// One hasher per thread, reused for every leaf and node hash: hashing dominates proof
// generation and verification, and a fresh EVP context per hash would cost an allocation.
// Invariant: between calls the hasher is freshly reset (Sha256::finish resets it).
core::Sha256& hasher() {
  thread_local core::Sha256 h;
  return h;
}

constexpr std::uint8_t kLeafPrefix[1] = {0x00};
constexpr std::uint8_t kNodePrefix[1] = {0x01};

// Largest power of two strictly less than n; requires n > 1. This is the split point k of the
// RFC 9162 recursion.
std::uint64_t split_point(std::uint64_t n) {
  assert(n > 1);
  return std::bit_floor(n - 1);
}

// Number of leaves of a node at `level`, for levels 0..63.
std::uint64_t width(int level) {
  return std::uint64_t{1} << level;
}

// True if [begin, begin + n) is a subtree the RFC recursion produces: begin is a multiple of
// the smallest power of two >= n. Requires n > 0.
[[maybe_unused]] bool is_subtree_start(std::uint64_t begin, std::uint64_t n) {
  const int align = std::has_single_bit(n) ? std::countr_zero(n) : std::bit_width(n);
  return align == 64 ? begin == 0 : begin % width(align) == 0;
}

// Right-to-left fold of a decomposition: MTH of the range the nodes cover.
Hash fold(std::span<const Hash> parts) {
  assert(!parts.empty());
  Hash h = parts.back();
  for (std::size_t i = parts.size() - 1; i-- > 0;) h = node_hash(parts[i], h);
  return h;
}

// A proof element is MTH of one RFC subtree [begin, end); it is read as the nodes of
// decompose_range(begin, end) and folded. Gathering every element's node ids first lets a
// whole answer be read with one NodeSource call.
class ProofPlan {
 public:
  void add_range(std::uint64_t begin, std::uint64_t end) {
    auto ids = decompose_range(begin, end);
    ids_.insert(ids_.end(), ids.begin(), ids.end());
    counts_.push_back(ids.size());
  }

  // Reads all planned nodes with one call and returns one folded hash per added range, in the
  // order the ranges were added.
  core::Result<std::vector<Hash>> resolve(NodeSource& source) const {
    std::vector<Hash> nodes(ids_.size());
    if (!ids_.empty()) PW_TRY(source.read_nodes(ids_, nodes));
    std::vector<Hash> out;
    out.reserve(counts_.size());
    std::size_t at = 0;
    for (std::size_t n : counts_) {
      out.push_back(fold(std::span<const Hash>(nodes).subspan(at, n)));
      at += n;
    }
    return out;
  }

 private:
  std::vector<NodeId> ids_;
  std::vector<std::size_t> counts_;
};

// Number of path hashes the RFC 9162 verification loops (2.1.3.2 step 4, 2.1.4.2 step 6)
// consume from the state (fn, sn) before sn reaches 0. Any other count makes those loops
// fail, so checking it first lets a failure say how long the proof should have been.
std::size_t path_length(std::uint64_t fn, std::uint64_t sn) {
  std::size_t n = 0;
  while (sn != 0) {
    if ((fn & 1) == 0 && fn == sn) {
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    }
    fn >>= 1;
    sn >>= 1;
    ++n;
  }
  return n;
}

std::string count_mismatch(std::size_t got, std::size_t want) {
  return "proof has " + std::to_string(got) + " hashes, want " + std::to_string(want);
}

}  // namespace

Hash leaf_hash(core::ByteView entry) {
  core::Sha256& h = hasher();
  h.update(kLeafPrefix);
  h.update(entry);
  return h.finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
  core::Sha256& h = hasher();
  h.update(kNodePrefix);
  h.update(left);
  h.update(right);
  return h.finish();
}

Hash empty_root() {
  static const Hash kEmpty = core::sha256(core::ByteView{});
  return kEmpty;
}

Hash root_from_leaf_hashes(std::span<const Hash> leaf_hashes) {
  // The RFC recursion itself, kept independent of the node storage model so that it can serve
  // as the reference the stored-node code is checked against. Depth is at most 64.
  const std::size_t n = leaf_hashes.size();
  if (n == 0) return empty_root();
  if (n == 1) return leaf_hashes.front();
  const auto k = static_cast<std::size_t>(split_point(n));
  return node_hash(root_from_leaf_hashes(leaf_hashes.first(k)),
                   root_from_leaf_hashes(leaf_hashes.subspan(k)));
}

std::vector<NodeId> decompose_range(std::uint64_t begin, std::uint64_t end) {
  assert(begin < end);
  std::vector<NodeId> ids;
  if (begin >= end) return ids;
  const std::uint64_t n = end - begin;
  // The RFC recursion splits off the largest power of two k < n as a complete left subtree
  // and recurses on the right, so the parts are the set bits of n from high to low. The
  // alignment precondition makes each part start at a multiple of its own width.
  assert(is_subtree_start(begin, n));
  ids.reserve(static_cast<std::size_t>(std::popcount(n)));
  std::uint64_t pos = begin;
  for (int level = std::bit_width(n) - 1; level >= 0; --level) {
    if ((n >> level & 1) == 0) continue;
    ids.push_back(NodeId{level, pos >> level});
    pos += width(level);
  }
  return ids;
}

core::Result<Hash> tree_root(NodeSource& source, std::uint64_t size) {
  if (size == 0) return empty_root();
  ProofPlan plan;
  plan.add_range(0, size);
  PW_ASSIGN_OR_RETURN(std::vector<Hash> root, plan.resolve(source));
  return root.front();
}

core::Result<std::vector<Hash>> inclusion_proof(NodeSource& source, std::uint64_t index,
                                                std::uint64_t size) {
  if (index >= size) {
    return core::invalid_argument("index " + std::to_string(index) + " >= size " +
                                  std::to_string(size));
  }
  // Walks PATH(index, D[lo:hi)) from the root down; each step contributes the sibling subtree.
  // Only the first step that goes left has an incomplete sibling (after it the current subtree
  // is complete), so the plan holds at most 2 * 64 nodes.
  ProofPlan plan;
  std::uint64_t lo = 0;
  std::uint64_t hi = size;
  while (hi - lo > 1) {
    const std::uint64_t k = split_point(hi - lo);
    if (index < lo + k) {
      plan.add_range(lo + k, hi);
      hi = lo + k;
    } else {
      plan.add_range(lo, lo + k);
      lo += k;
    }
  }
  PW_ASSIGN_OR_RETURN(std::vector<Hash> root_first, plan.resolve(source));
  // The recursion emits the deepest sibling first.
  return std::vector<Hash>(root_first.rbegin(), root_first.rend());
}

core::Result<std::vector<Hash>> consistency_proof(NodeSource& source, std::uint64_t size1,
                                                  std::uint64_t size2) {
  if (size1 == 0) return core::invalid_argument("size1 is 0: a consistency proof needs size1 > 0");
  if (size1 > size2) {
    return core::invalid_argument("size1 " + std::to_string(size1) + " > size2 " +
                                  std::to_string(size2));
  }
  // Walks SUBPROOF(size1 - lo, D[lo:hi), whole) from the root down. `whole` is the RFC's flag b:
  // it stays true while the walk only descends into left subtrees (lo == 0). If it ends that
  // way, the final subtree is D[0:size1], whose root is root1, which the verifier already has.
  ProofPlan siblings;
  std::uint64_t lo = 0;
  std::uint64_t hi = size2;
  bool whole = true;
  bool terminal = false;
  while (true) {
    if (hi == size1) {
      // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}.
      terminal = !whole;
      break;
    }
    const std::uint64_t k = split_point(hi - lo);
    if (size1 - lo <= k) {
      siblings.add_range(lo + k, hi);
      hi = lo + k;
    } else {
      siblings.add_range(lo, lo + k);
      lo += k;
      whole = false;
    }
  }
  // The terminal subtree [lo, hi) is read in the same call as the siblings, as the last range.
  if (terminal) siblings.add_range(lo, hi);
  PW_ASSIGN_OR_RETURN(std::vector<Hash> parts, siblings.resolve(source));
  std::vector<Hash> proof;
  proof.reserve(parts.size());
  if (terminal) {
    proof.push_back(parts.back());
    parts.pop_back();
  }
  // SUBPROOF appends the sibling after the inner subproof: deepest sibling first.
  proof.insert(proof.end(), parts.rbegin(), parts.rend());
  return proof;
}

core::Status verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                              std::span<const Hash> proof, const Hash& root) {
  // RFC 9162 section 2.1.3.2, step by step.
  if (index >= size) {
    return core::invalid_argument("index " + std::to_string(index) + " >= size " +
                                  std::to_string(size));
  }
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  if (const std::size_t want = path_length(fn, sn); proof.size() != want) {
    return core::invalid_argument(count_mismatch(proof.size(), want));
  }
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return core::invalid_argument("proof is longer than the path to the root");
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return core::invalid_argument("proof is shorter than the path to the root");
  if (r != root) return core::invalid_argument("calculated root does not match");
  return core::ok();
}

core::Status verify_consistency(std::uint64_t size1, std::uint64_t size2,
                                std::span<const Hash> proof, const Hash& root1, const Hash& root2) {
  if (size1 > size2) {
    return core::invalid_argument("size1 " + std::to_string(size1) + " > size2 " +
                                  std::to_string(size2));
  }
  // RFC 9162 2.1.4 calls a tree of size 0 trivially consistent with any later tree, but the
  // transparency-dev conformance vectors (consistency/additional/*) reject size1 == 0 in every
  // case, including 0 == size2: an empty tree commits to nothing, so a "proof" from it is
  // meaningless and a caller asking for one has a bug. portwarden follows the vectors.
  if (size1 == 0) {
    return core::invalid_argument("size1 is 0: consistency from an empty tree proves nothing");
  }
  if (size1 == size2) {
    // PROOF(m, D[m]) is empty; the trees are the same iff the roots are.
    if (!proof.empty()) return core::invalid_argument(count_mismatch(proof.size(), 0));
    if (root1 != root2) return core::invalid_argument("size1 == size2 but root1 != root2");
    return core::ok();
  }
  // RFC 9162 section 2.1.4.2 for 0 < size1 < size2.
  // Step 1.
  if (proof.empty()) return core::invalid_argument(count_mismatch(0, 1));
  // Step 2: for a power-of-two size1 the old root is a node of the new tree and is not sent.
  const bool prepend_root1 = std::has_single_bit(size1);
  // Steps 3 and 4.
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  const std::size_t want = 1 + path_length(fn, sn) - (prepend_root1 ? 1 : 0);
  if (proof.size() != want) return core::invalid_argument(count_mismatch(proof.size(), want));
  // Step 5.
  const Hash& seed = prepend_root1 ? root1 : proof.front();
  std::span<const Hash> rest = prepend_root1 ? proof : proof.subspan(1);
  Hash fr = seed;
  Hash sr = seed;
  // Step 6.
  for (const Hash& c : rest) {
    if (sn == 0) return core::invalid_argument("proof is longer than the path to the root");
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // Step 7.
  if (sn != 0) return core::invalid_argument("proof is shorter than the path to the root");
  if (fr != root1) return core::invalid_argument("calculated root1 does not match");
  if (sr != root2) return core::invalid_argument("calculated root2 does not match");
  return core::ok();
}

core::Result<CompactRange> CompactRange::from_peaks(std::uint64_t size, std::vector<Hash> peaks) {
  const auto want = static_cast<std::size_t>(std::popcount(size));
  if (peaks.size() != want) {
    return core::invalid_argument("size " + std::to_string(size) + " has " + std::to_string(want) +
                                  " peaks, got " + std::to_string(peaks.size()));
  }
  CompactRange range;
  range.size_ = size;
  range.peaks_ = std::move(peaks);
  return range;
}

void CompactRange::append(const Hash& leaf, std::vector<std::pair<NodeId, Hash>>& completed) {
  // Each trailing one bit of size_ is a peak that the new leaf's subtree now completes into a
  // node one level up, like a carry in binary addition.
  std::uint64_t index = size_;
  int level = 0;
  Hash h = leaf;
  completed.emplace_back(NodeId{0, index}, h);
  while ((index & 1) != 0) {
    h = node_hash(peaks_.back(), h);
    peaks_.pop_back();
    index >>= 1;
    ++level;
    completed.emplace_back(NodeId{level, index}, h);
  }
  peaks_.push_back(h);
  ++size_;
}

Hash CompactRange::root() const {
  if (peaks_.empty()) return empty_root();
  return fold(peaks_);
}

core::Result<std::size_t> NodeSource::read_node_run(int level, std::uint64_t begin,
                                                    std::span<Hash> out) {
  for (std::size_t i = 0; i < out.size(); ++i) {
    const NodeId id{level, begin + i};
    auto st = read_nodes(std::span<const NodeId>(&id, 1), out.subspan(i, 1));
    if (!st) {
      if (st.error().code() == core::Code::kNotFound) return i;
      return std::unexpected(st.error());
    }
  }
  return out.size();
}

}  // namespace pw::journal
