#include "app/internal/node_cache.h"

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace pw::app::internal {
namespace {

constexpr std::size_t kBlock = std::size_t{1} << CachedNodeSource::kBandLevels;

struct Miss {
  journal::NodeId id;
  std::size_t at = 0;       // position in the caller's output
  int base = 0;             // base level of the node's band
  std::uint64_t block = 0;  // aligned block of base-level nodes: indexes [block*64, block*64+64)
};

}  // namespace

// One band computed from its base nodes: levels[k] holds the nodes at base + k of the block,
// counts[k] how many of them exist (complete subtrees of the stored base nodes).
struct CachedNodeSource::Band {
  std::array<std::array<core::Hash, kBlock>, CachedNodeSource::kBandLevels> levels;
  std::array<std::size_t, CachedNodeSource::kBandLevels> counts{};
};

CachedNodeSource::CachedNodeSource(journal::NodeSource& inner, std::size_t capacity)
    : inner_(inner), capacity_(capacity), band_(std::make_unique<Band>()) {}

CachedNodeSource::~CachedNodeSource() = default;

core::Status CachedNodeSource::read_nodes(std::span<const journal::NodeId> ids,
                                          std::span<core::Hash> out) {
  std::vector<Miss> misses;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const journal::NodeId& id = ids[i];
    if (cacheable(id)) {
      if (auto it = cache_.find(key(id)); it != cache_.end()) {
        out[i] = it->second;
        continue;
      }
    }
    Miss m{id, i, id.level - id.level % kBandLevels, 0};
    const int up = id.level - m.base;
    m.block = m.base < 58 && id.index < (std::uint64_t{1} << (63 - kBandLevels - up))
                  ? (id.index << up) / kBlock
                  : 0;
    misses.push_back(m);
  }
  if (misses.empty()) return core::ok();

  std::sort(misses.begin(), misses.end(), [](const Miss& a, const Miss& b) {
    return a.base != b.base ? a.base < b.base : a.block < b.block;
  });
  std::vector<journal::NodeId> point_ids;
  std::vector<std::size_t> point_at;
  Band* band = band_.get();  // scratch, reused: no 12 KiB allocation per call
  for (std::size_t g = 0; g < misses.size();) {
    std::size_t end = g + 1;
    while (end < misses.size() && misses[end].base == misses[g].base &&
           misses[end].block == misses[g].block) {
      ++end;
    }
    const int base = misses[g].base;
    // A lone node of the lowest band is cheaper as one point read than as a block; nodes of
    // higher bands always come as a block, which fills the cache for the proofs to come.
    const bool as_block = base < 58 - kBandLevels && (base > 0 || end - g > 1);
    if (!as_block) {
      for (std::size_t k = g; k < end; ++k) {
        point_ids.push_back(misses[k].id);
        point_at.push_back(misses[k].at);
      }
      g = end;
      continue;
    }
    const std::uint64_t first = misses[g].block * kBlock;
    PW_ASSIGN_OR_RETURN(std::size_t n, inner_.read_node_run(base, first, band->levels[0]));
    band->counts[0] = n;
    for (int k = 1; k < kBandLevels; ++k) {
      const std::size_t below = band->counts[k - 1];
      band->counts[k] = below / 2;
      for (std::size_t j = 0; j < below / 2; ++j) {
        band->levels[k][j] =
            journal::node_hash(band->levels[k - 1][2 * j], band->levels[k - 1][2 * j + 1]);
      }
    }
    for (std::size_t k = g; k < end; ++k) {
      const int up = misses[k].id.level - base;
      const std::uint64_t local = misses[k].id.index - (first >> up);
      if (local < band->counts[up]) {
        out[misses[k].at] = band->levels[up][local];
      } else {  // not computable from what is stored: the point read reports it
        point_ids.push_back(misses[k].id);
        point_at.push_back(misses[k].at);
      }
    }
    if (base >= kBandLevels) {
      for (int k = 0; k < kBandLevels && cache_.size() < capacity_; ++k) {
        for (std::size_t j = 0; j < band->counts[k] && cache_.size() < capacity_; ++j) {
          cache_.emplace(key({base + k, (first >> k) + j}), band->levels[k][j]);
        }
      }
    }
    g = end;
  }
  if (point_ids.empty()) return core::ok();
  std::vector<core::Hash> got(point_ids.size());
  PW_TRY(inner_.read_nodes(point_ids, got));
  for (std::size_t k = 0; k < point_ids.size(); ++k) {
    out[point_at[k]] = got[k];
    if (cacheable(point_ids[k]) && cache_.size() < capacity_) {
      cache_.emplace(key(point_ids[k]), got[k]);
    }
  }
  return core::ok();
}

}  // namespace pw::app::internal
