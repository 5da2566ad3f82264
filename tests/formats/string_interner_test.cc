#include "formats/internal/string_interner.h"

#include <gtest/gtest.h>

#include <string>

namespace pw::formats::internal {
namespace {

TEST(StringInterner, GivesDenseIdsInOrderOfFirstSight) {
  StringInterner interner;
  EXPECT_EQ(interner.intern("b").id, 0u);
  EXPECT_EQ(interner.intern("a").id, 1u);
  EXPECT_EQ(interner.intern("c").id, 2u);
  EXPECT_EQ(interner.size(), 3u);
}

TEST(StringInterner, ReturnsTheSameIdForAnEqualString) {
  StringInterner interner;
  std::string key = "r:company-1";
  const auto first = interner.intern(key);
  EXPECT_TRUE(first.inserted);
  key.assign("r:company-1");  // an equal string at another address
  const auto again = interner.intern(key);
  EXPECT_FALSE(again.inserted);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(interner.size(), 1u);
}

TEST(StringInterner, KeepsItsOwnCopyOfEachString) {
  StringInterner interner;
  std::string key = "s:statement";
  const auto id = interner.intern(key).id;
  key.assign("changed after interning");
  EXPECT_EQ(interner.view(id), "s:statement");
  EXPECT_EQ(interner.find("s:statement"), id);
  EXPECT_EQ(interner.find(key), StringInterner::kNone);
}

TEST(StringInterner, FindDoesNotIntern) {
  StringInterner interner;
  EXPECT_EQ(interner.find("absent"), StringInterner::kNone);
  EXPECT_EQ(interner.size(), 0u);
}

TEST(StringInterner, HandlesTheEmptyStringAsAKey) {
  StringInterner interner;
  const auto empty = interner.intern("");
  const auto other = interner.intern("x");
  EXPECT_NE(empty.id, other.id);
  EXPECT_EQ(interner.find(""), empty.id);
  EXPECT_EQ(interner.view(empty.id), "");
}

TEST(StringInterner, ManyStringsSurviveGrowth) {
  StringInterner interner;
  for (int i = 0; i < 200000; ++i) {
    ASSERT_EQ(interner.intern("r:" + std::to_string(i)).id, static_cast<std::uint32_t>(i));
  }
  for (int i = 0; i < 200000; i += 997) {
    EXPECT_EQ(interner.view(i), "r:" + std::to_string(i));
    EXPECT_EQ(interner.find("r:" + std::to_string(i)), static_cast<std::uint32_t>(i));
  }
}

}  // namespace
}  // namespace pw::formats::internal
