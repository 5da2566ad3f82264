#include "formats/internal/string_arena.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace pw::formats::internal {
namespace {

TEST(StringArena, StoredViewsKeepTheirContentAfterTheSourceChanges) {
  StringArena arena(64);
  std::string source = "first";
  const std::string_view stored = arena.store(source);
  source.assign("overwritten");
  EXPECT_EQ(stored, "first");
  EXPECT_NE(stored.data(), source.data());
}

TEST(StringArena, ViewsStayValidAcrossManyBlocks) {
  StringArena arena(64);  // small blocks: a new one every few strings
  std::vector<std::string> originals;
  std::vector<std::string_view> views;
  for (int i = 0; i < 5000; ++i) {
    originals.push_back("string number " + std::to_string(i));
    views.push_back(arena.store(originals.back()));
  }
  for (std::size_t i = 0; i < views.size(); ++i) EXPECT_EQ(views[i], originals[i]);
}

TEST(StringArena, LargeStringsGetTheirOwnBlockWithoutClosingTheCurrentOne) {
  StringArena arena(64);
  const std::string_view a = arena.store("abc");
  const std::string big(1000, 'x');
  const std::string_view b = arena.store(big);
  const std::string_view c = arena.store("def");
  EXPECT_EQ(b, big);
  EXPECT_EQ(a, "abc");
  EXPECT_EQ(c, "def");
  EXPECT_EQ(c.data(), a.data() + 3);  // packed after "abc" in the same block
  EXPECT_EQ(arena.bytes_used(), 1006u);
}

TEST(StringArena, EmptyStringTakesNoSpace) {
  StringArena arena;
  EXPECT_TRUE(arena.store("").empty());
  EXPECT_EQ(arena.bytes_used(), 0u);
}

TEST(StringArena, KeepsEmbeddedNulBytes) {
  StringArena arena;
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(arena.store(with_nul), with_nul);
}

}  // namespace
}  // namespace pw::formats::internal
