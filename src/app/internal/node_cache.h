#pragma once
// Stored Merkle nodes never change once written (the journal is append-only), so the hashes of
// the upper tree levels, which every proof reads, are kept in memory after their first read.
// Lower levels (many nodes, each read rarely) always come from the store. Private to app/.
// Used under the JournalService's store mutex; not thread-safe by itself.

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "journal/merkle.h"

namespace pw::app::internal {

class CachedNodeSource final : public journal::NodeSource {
 public:
  // `inner` is borrowed and must outlive this object.
  CachedNodeSource(journal::NodeSource& inner, int min_level, std::size_t capacity)
      : inner_(inner), min_level_(min_level), capacity_(capacity) {}

  core::Status read_nodes(std::span<const journal::NodeId> ids, std::span<core::Hash> out) override;

 private:
  static std::uint64_t key(const journal::NodeId& id) {
    return static_cast<std::uint64_t>(id.level) << 58 | id.index;
  }
  journal::NodeSource& inner_;
  const int min_level_;
  const std::size_t capacity_;
  std::unordered_map<std::uint64_t, core::Hash> cache_;
};

}  // namespace pw::app::internal
