#pragma once
// An open-addressing hash index from string keys to dense 32-bit ids, for the importers'
// lookups over millions of records (statement keys, statement ids, entity ids).
//
// Why not std::unordered_map: at millions of entries nearly every lookup misses the cache, and a
// node-based map chases a bucket pointer and then a node (a separately allocated entry) before
// it reaches the key; it also costs an allocation per entry and a free per entry at the end.
// Here the table is one array of 8-byte slots (hash, id) probed linearly, so a lookup reads one
// slot line, then the key it compares against, and the table is freed in one piece. The array
// is table memory (huge pages where available), and prefetch() lets a caller with several
// independent lookups start their cache misses together.
//
// The index stores no keys: it asks `key_of(id)` for the key of an id whose stored hash matches.
// So keys stay wherever their owner keeps them (an arena, the entities of a dataset), and the
// key of an indexed id must not change while it is indexed. Keys are compared exactly; the hash
// only narrows the search. The hash is not keyed: like std::hash, a crafted input can make keys
// collide and slow lookups down, never make them wrong.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "formats/internal/table_memory.h"

namespace pw::formats::internal {

// Multiplies two 64-bit words into 128 bits and folds the halves together: every input bit
// reaches the middle of the product, and the fold brings it down to the low bits.
inline std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
#if defined(__SIZEOF_INT128__)
  __extension__ using Wide = unsigned __int128;  // a GNU extension: -Wpedantic needs telling
  const Wide p = static_cast<Wide>(a) * b;
  return static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
#else
  // The same product from 32-bit halves.
  const std::uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
  const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo;
  const std::uint64_t lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
  const std::uint64_t mid = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
  const std::uint64_t lo = (mid << 32) | (lo_lo & 0xffffffffu);
  const std::uint64_t hi = hi_hi + (hi_lo >> 32) + (mid >> 32);
  return lo ^ hi;
#endif
}

// A 64-bit hash of a byte string for in-memory indexes: fast on short keys (ids of 8 to 40
// bytes take one to three multiplications). Not stable across versions; never persist it.
inline std::uint64_t hash_bytes(std::string_view s) {
  constexpr std::uint64_t kA = 0x9e3779b97f4a7c15ull;  // odd constants with mixed bits
  constexpr std::uint64_t kB = 0xc2b2ae3d27d4eb4full;
  constexpr std::uint64_t kC = 0x165667b19e3779f9ull;
  auto load64 = [](const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  auto load32 = [](const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return static_cast<std::uint64_t>(v);
  };
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = kA ^ (static_cast<std::uint64_t>(n) * kC);
  while (n > 16) {
    h ^= fold_multiply(load64(p) ^ kB ^ h, load64(p + 8) ^ kC);
    p += 16;
    n -= 16;
  }
  // The last 1 to 16 bytes (all of a short key): two words that together cover every byte,
  // overlapping when fewer than 16 remain. The length, mixed in above, tells the cases apart.
  std::uint64_t a = 0, b = 0;
  if (n >= 8) {
    a = load64(p);
    b = load64(p + n - 8);
  } else if (n >= 4) {
    a = load32(p);
    b = load32(p + n - 4);
  } else if (n > 0) {
    const auto byte = [&](std::size_t i) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i]));
    };
    a = byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16);
  }
  h ^= fold_multiply(a ^ kB ^ h, b ^ kC);
  return fold_multiply(h ^ kC, kA);
}

// `KeyOf` is a small copyable function object: std::string_view operator()(std::uint32_t id)
// const. Not thread-safe.
template <typename KeyOf>
class FlatIndex {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffu;

  explicit FlatIndex(KeyOf key_of) : key_of_(std::move(key_of)) {}

  // The hash find() and insert() take, so a caller that does both hashes the key once.
  static std::uint32_t hash(std::string_view key) {
    const std::uint64_t h = hash_bytes(key);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }

  // Makes room for `n` ids in all without growing again.
  void reserve(std::size_t n) {
    if (fits(n, capacity_)) return;
    std::size_t capacity = capacity_ == 0 ? 16 : capacity_;
    while (!fits(n, capacity)) capacity *= 2;
    rehash(capacity);
  }

  // Starts loading the slot where a lookup of hash `h` begins. Only a hint: it changes nothing.
  void prefetch(std::uint32_t h) const {
    if (capacity_ != 0) __builtin_prefetch(&slots_[h & mask_]);
  }

  // The id whose key equals `key`, or kNone. `h` must be hash(key).
  std::uint32_t find(std::string_view key, std::uint32_t h) const {
    if (capacity_ == 0) return kNone;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.id == kNone) return kNone;
      if (slot.hash == h && key_of_(slot.id) == key) return slot.id;
    }
  }
  std::uint32_t find(std::string_view key) const { return find(key, hash(key)); }

  // Indexes `id` (< kNone) under `h` = hash(key_of(id)). No indexed id may have an equal key
  // (find() first): the index keeps one id per key and would never return the second.
  void insert(std::uint32_t id, std::uint32_t h) {
    if (!fits(size_ + 1, capacity_)) reserve(size_ + 1);
    place(Slot{h, id});
    ++size_;
  }

 private:
  struct Slot {
    std::uint32_t hash;
    std::uint32_t id;  // kNone: empty
  };

  // At most 3/4 full: linear probing stays short (about 2.5 slots per successful lookup at
  // that load, half that at the usual 3/8 to 3/4) and a probe rarely leaves its cache line.
  static bool fits(std::size_t n, std::size_t capacity) { return n * 4 <= capacity * 3; }

  void place(Slot s) {
    std::size_t i = s.hash & mask_;
    while (slots_[i].id != kNone) i = (i + 1) & mask_;
    slots_[i] = s;
  }

  // `capacity` is a power of two. Stored hashes are enough to move the slots: keys are not read.
  void rehash(std::size_t capacity) {
    TableMemory memory = allocate_table_memory(capacity * sizeof(Slot));
    auto* slots = static_cast<Slot*>(memory.get());
    for (std::size_t i = 0; i < capacity; ++i) slots[i] = Slot{0, kNone};
    TableMemory old_memory = std::exchange(memory_, std::move(memory));
    const Slot* old = std::exchange(slots_, slots);
    const std::size_t old_capacity = std::exchange(capacity_, capacity);
    mask_ = capacity - 1;
    for (std::size_t i = 0; i < old_capacity; ++i) {
      if (old[i].id != kNone) place(old[i]);
    }
  }

  KeyOf key_of_;
  TableMemory memory_;
  Slot* slots_ = nullptr;  // capacity_ slots in memory_
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace pw::formats::internal
