#include "formats/internal/string_arena.h"

#include <cstring>

namespace pw::formats::internal {

std::string_view StringArena::store(std::string_view s) {
  if (s.empty()) return {};
  used_ += s.size();
  if (s.size() > block_bytes_ / 4) {
    // A large string gets its own block; the current block stays open for small ones.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(s.size()));
    std::memcpy(blocks_.back().get(), s.data(), s.size());
    return {blocks_.back().get(), s.size()};
  }
  if (s.size() > left_) {
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_bytes_));
    next_ = blocks_.back().get();
    left_ = block_bytes_;
  }
  char* out = next_;
  std::memcpy(out, s.data(), s.size());
  next_ += s.size();
  left_ -= s.size();
  return {out, s.size()};
}

}  // namespace pw::formats::internal
