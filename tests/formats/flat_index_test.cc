#include "formats/internal/flat_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pw::formats::internal {
namespace {

// Ids are positions in a vector of keys, as the importers use the index.
struct KeyAt {
  const std::vector<std::string>* keys;
  std::string_view operator()(std::uint32_t id) const { return (*keys)[id]; }
};
using Index = FlatIndex<KeyAt>;

void add(Index& index, std::vector<std::string>& keys, std::string key) {
  keys.push_back(std::move(key));
  const auto id = static_cast<std::uint32_t>(keys.size() - 1);
  index.insert(id, Index::hash(keys.back()));
}

TEST(FlatIndex, EmptyIndexFindsNothing) {
  std::vector<std::string> keys;
  const Index index(KeyAt{&keys});
  EXPECT_EQ(index.find("anything"), Index::kNone);
  EXPECT_EQ(index.find(""), Index::kNone);
  EXPECT_EQ(index.size(), 0u);
}

TEST(FlatIndex, FindsEveryInsertedKeyAcrossGrowth) {
  std::vector<std::string> keys;
  keys.reserve(100000);  // KeyAt views the strings: they must not move
  Index index(KeyAt{&keys});
  for (int i = 0; i < 100000; ++i) add(index, keys, "r:c-" + std::to_string(i));
  EXPECT_EQ(index.size(), 100000u);
  EXPECT_LE(index.size() * 4, index.capacity() * 3);
  for (int i = 0; i < 100000; ++i) {
    ASSERT_EQ(index.find("r:c-" + std::to_string(i)), static_cast<std::uint32_t>(i));
  }
  EXPECT_EQ(index.find("r:c-100000"), Index::kNone);
  EXPECT_EQ(index.find("r:c-"), Index::kNone);
  EXPECT_EQ(index.find("s:c-1"), Index::kNone);
}

TEST(FlatIndex, ComparesKeysNotOnlyHashes) {
  // Keys of every length around the hash's word boundaries, including ones that differ in a
  // single byte, in their length only, or by an embedded NUL.
  std::vector<std::string> keys;
  keys.reserve(1000);
  Index index(KeyAt{&keys});
  for (std::size_t len = 0; len <= 40; ++len) {
    std::string k(len, 'a');
    add(index, keys, k);
    if (len > 0) {
      k.back() = 'b';
      add(index, keys, k);
      k.back() = '\0';
      add(index, keys, k);
    }
  }
  for (std::uint32_t id = 0; id < keys.size(); ++id) EXPECT_EQ(index.find(keys[id]), id);
  EXPECT_EQ(index.find(std::string(41, 'a')), Index::kNone);
  EXPECT_EQ(index.find(std::string(3, 'c')), Index::kNone);
}

TEST(FlatIndex, ReserveAvoidsLaterGrowth) {
  std::vector<std::string> keys;
  keys.reserve(1000);
  Index index(KeyAt{&keys});
  index.reserve(1000);
  const std::size_t capacity = index.capacity();
  EXPECT_GE(capacity * 3, 1000u * 4);
  for (int i = 0; i < 1000; ++i) add(index, keys, std::to_string(i));
  EXPECT_EQ(index.capacity(), capacity);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(index.find(std::to_string(i)), std::uint32_t(i));
}

TEST(FlatIndex, FindWithPrecomputedHashMatchesPlainFind) {
  std::vector<std::string> keys;
  keys.reserve(10);
  Index index(KeyAt{&keys});
  add(index, keys, "statement-1");
  EXPECT_EQ(index.find("statement-1", Index::hash("statement-1")), 0u);
  EXPECT_EQ(index.find("statement-2", Index::hash("statement-2")), Index::kNone);
}

TEST(HashBytes, DependsOnEveryByteAndTheLength) {
  std::set<std::uint64_t> seen;
  std::size_t strings = 0;
  for (std::size_t len = 0; len <= 48; ++len) {
    const std::string base(len, 'x');
    seen.insert(hash_bytes(base));
    ++strings;
    for (std::size_t i = 0; i < len; ++i) {
      std::string k = base;
      k[i] = 'y';
      seen.insert(hash_bytes(k));
      ++strings;
    }
  }
  EXPECT_EQ(seen.size(), strings);
  EXPECT_NE(hash_bytes(std::string_view("a\0", 2)), hash_bytes("a"));
}

TEST(HashBytes, SpreadsSequentialIdsEvenlyOverBuckets) {
  // Register ids differ in a few trailing digits; the low bits (the slot) must still be
  // uniform. 2^16 buckets, 2^20 keys: 16 per bucket on average.
  constexpr std::uint32_t kBuckets = 1u << 16;
  std::vector<std::uint32_t> count(kBuckets, 0);
  for (int i = 0; i < (1 << 20); ++i) {
    const std::string key = "r:c-" + std::to_string(i);
    ++count[FlatIndex<KeyAt>::hash(key) & (kBuckets - 1)];
  }
  const std::uint32_t fullest = *std::max_element(count.begin(), count.end());
  const std::uint32_t emptiest = *std::min_element(count.begin(), count.end());
  // Poisson(16): the extremes of 65536 draws lie around 3 and 36.
  EXPECT_LE(fullest, 45u);
  EXPECT_GE(emptiest, 1u);
}

}  // namespace
}  // namespace pw::formats::internal
