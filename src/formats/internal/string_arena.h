#pragma once
// Append-only storage for many small strings that live as long as one import: each string is
// copied once into large blocks and handed back as a view. Views stay valid until the arena is
// destroyed (blocks never move or shrink), and the whole arena is freed block by block, not
// string by string. Not thread-safe; owned by one importer.

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace pw::formats::internal {

class StringArena {
 public:
  // `block_bytes` is the size of the blocks small strings are packed into; a string longer than
  // a quarter of it gets a block of its own, so a block wastes at most a quarter of itself.
  explicit StringArena(std::size_t block_bytes = std::size_t{1} << 20)
      : block_bytes_(block_bytes < 64 ? 64 : block_bytes) {}
  StringArena(const StringArena&) = delete;
  StringArena& operator=(const StringArena&) = delete;
  StringArena(StringArena&&) noexcept = default;
  StringArena& operator=(StringArena&&) noexcept = default;

  // A copy of `s` owned by the arena. The empty string is returned as an empty view (it takes
  // no space).
  std::string_view store(std::string_view s);

  // Bytes handed out so far (the blocks hold a little more).
  std::size_t bytes_used() const { return used_; }

 private:
  std::size_t block_bytes_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;  // free space of the current block
  std::size_t left_ = 0;
  std::size_t used_ = 0;
};

}  // namespace pw::formats::internal
