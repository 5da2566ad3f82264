#pragma once
// Gives each distinct string a dense id (0, 1, 2, ... in order of first sight), so that data
// keyed by the string can live in plain vectors indexed by the id. The strings are copied into
// an arena once; a lookup is one FlatIndex probe. Not copyable or movable (the index refers to
// the interner's own views); not thread-safe.

#include <cstdint>
#include <string_view>
#include <vector>

#include "formats/internal/flat_index.h"
#include "formats/internal/string_arena.h"

namespace pw::formats::internal {

class StringInterner {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffu;

  StringInterner() = default;
  StringInterner(const StringInterner&) = delete;
  StringInterner& operator=(const StringInterner&) = delete;

  // Room for `n` strings in all.
  void reserve(std::size_t n) {
    views_.reserve(n);
    index_.reserve(n);
  }

  std::size_t size() const { return views_.size(); }

  // The string of `id` (< size()); valid as long as the interner.
  std::string_view view(std::uint32_t id) const { return views_[id]; }

  static std::uint32_t hash(std::string_view s) { return Index::hash(s); }
  // Starts loading the index slot of hash `h` (see FlatIndex::prefetch).
  void prefetch(std::uint32_t h) const { index_.prefetch(h); }

  // The id of `s`, or kNone if it was never interned.
  std::uint32_t find(std::string_view s) const { return index_.find(s); }

  struct Interned {
    std::uint32_t id;
    bool inserted;  // s was new: id == size() - 1
  };
  // The id of `s`, interning it first if it is new. At most kNone - 1 strings can be interned;
  // the caller bounds its input below that.
  Interned intern(std::string_view s) { return intern(s, hash(s)); }
  // The same with `h` = hash(s), computed by the caller (who may have prefetched it).
  Interned intern(std::string_view s, std::uint32_t h) {
    if (const std::uint32_t found = index_.find(s, h); found != kNone) return {found, false};
    const auto id = static_cast<std::uint32_t>(views_.size());
    views_.push_back(arena_.store(s));
    index_.insert(id, h);
    return {id, true};
  }

 private:
  struct ViewOf {
    const std::vector<std::string_view>* views;
    std::string_view operator()(std::uint32_t id) const { return (*views)[id]; }
  };
  using Index = FlatIndex<ViewOf>;

  StringArena arena_;
  std::vector<std::string_view> views_;
  Index index_{ViewOf{&views_}};
};

}  // namespace pw::formats::internal
