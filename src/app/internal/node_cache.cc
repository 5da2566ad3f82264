#include "app/internal/node_cache.h"

#include <vector>

namespace pw::app::internal {

core::Status CachedNodeSource::read_nodes(std::span<const journal::NodeId> ids,
                                          std::span<core::Hash> out) {
  std::vector<journal::NodeId> miss_ids;
  std::vector<std::size_t> miss_at;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    // Levels below 58 only: the key packs the level into the top bits of the index.
    if (ids[i].level >= min_level_ && ids[i].level < 58) {
      if (auto it = cache_.find(key(ids[i])); it != cache_.end()) {
        out[i] = it->second;
        continue;
      }
    }
    miss_ids.push_back(ids[i]);
    miss_at.push_back(i);
  }
  if (miss_ids.empty()) return core::ok();
  std::vector<core::Hash> got(miss_ids.size());
  PW_TRY(inner_.read_nodes(miss_ids, got));
  for (std::size_t k = 0; k < miss_ids.size(); ++k) {
    out[miss_at[k]] = got[k];
    if (miss_ids[k].level >= min_level_ && miss_ids[k].level < 58 && cache_.size() < capacity_) {
      cache_.emplace(key(miss_ids[k]), got[k]);
    }
  }
  return core::ok();
}

}  // namespace pw::app::internal
