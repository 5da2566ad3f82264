#pragma once
// Stored Merkle nodes never change once written (the journal is append-only), so proofs can be
// served from memory and from computed hashes rather than from one store read per node.
//
// The tree is read in bands of kBandLevels levels. A node at level l belongs to the band whose
// base level is B = l - l % kBandLevels; its aligned block is the 2^kBandLevels nodes at level B
// below the band's top. A miss reads the block's base nodes in one range read
// (NodeSource::read_node_run) and computes the band's inner nodes from them (63 hashes), instead
// of reading each requested node on its own: an inclusion proof needs about kBandLevels nodes of
// each band, so one range read replaces several point reads.
//
// Bands above the lowest are cached once computed (their node count is at most 1/32 of the
// entries). The lowest band (leaves up to level 5) is not cached: it is as large as the journal,
// and each of its blocks is read rarely.
//
// Hashes are only ever computed from nodes read from the committed store, so cached values never
// go stale. A store whose higher nodes disagree with its lower ones is `journal verify`'s to
// find; proofs are computed from the lower ones. Used under the JournalService's store mutex;
// not thread-safe by itself. Private to app/.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "journal/merkle.h"

namespace pw::app::internal {

class CachedNodeSource final : public journal::NodeSource {
 public:
  static constexpr int kBandLevels = 6;

  // `inner` is borrowed and must outlive this object. At most `capacity` nodes are cached.
  CachedNodeSource(journal::NodeSource& inner, std::size_t capacity);
  ~CachedNodeSource() override;

  core::Status read_nodes(std::span<const journal::NodeId> ids, std::span<core::Hash> out) override;
  core::Result<std::size_t> read_node_run(int level, std::uint64_t begin,
                                          std::span<core::Hash> out) override {
    return inner_.read_node_run(level, begin, out);
  }

  std::size_t cached_nodes() const { return cache_.size(); }

 private:
  static std::uint64_t key(const journal::NodeId& id) {
    return static_cast<std::uint64_t>(id.level) << 58 | id.index;
  }
  static bool cacheable(const journal::NodeId& id) {
    return id.level >= kBandLevels && id.level < 58;  // 58+: the key has no room for the level
  }
  struct Band;
  journal::NodeSource& inner_;
  const std::size_t capacity_;
  std::unordered_map<std::uint64_t, core::Hash> cache_;
  std::unique_ptr<Band> band_;  // scratch for computing one band
};

}  // namespace pw::app::internal
