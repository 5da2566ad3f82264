#include "formats/internal/dataset_builder.h"

#include <gtest/gtest.h>

#include <string>

namespace pw::formats::internal {
namespace {

domain::Entity entity(std::string id, std::string name = "") {
  domain::Entity e;
  e.id = std::move(id);
  e.name = std::move(name);
  return e;
}

TEST(DatasetBuilder, InsertEntityReturnsTheExistingEntityForATakenId) {
  DatasetBuilder b;
  const auto first = b.insert_entity(entity("bods:a", "first"));
  EXPECT_TRUE(first.added);
  EXPECT_EQ(first.index, 0u);
  const auto second = b.insert_entity(entity("bods:a", "second"));
  EXPECT_FALSE(second.added);
  EXPECT_EQ(second.index, 0u);
  EXPECT_EQ(b.entity_count(), 1u);
  EXPECT_EQ(b.entity(0).name, "first");
  EXPECT_EQ(b.index_of("bods:a"), 0u);
  EXPECT_EQ(b.index_of("bods:b"), DatasetBuilder::kNoEntity);
}

TEST(DatasetBuilder, FindsEveryEntityAfterTheVectorGrows) {
  DatasetBuilder b;
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(b.add_entity(entity("e" + std::to_string(i))));
  for (int i = 0; i < 5000; ++i) {
    const domain::Entity* e = b.find_entity("e" + std::to_string(i));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->id, "e" + std::to_string(i));
  }
  EXPECT_FALSE(b.has_entity("e5000"));
}

TEST(DatasetBuilder, PlaceholderIsCountedOnlyWhenAdded) {
  DatasetBuilder b;
  ImportSummary summary;
  ASSERT_TRUE(b.add_entity(entity("x")));
  EXPECT_EQ(b.add_placeholder(entity("x"), summary), 0u);
  EXPECT_EQ(summary.placeholders, 0u);
  EXPECT_EQ(b.add_placeholder(entity("y"), summary), 1u);
  EXPECT_EQ(b.add_placeholder(entity("y"), summary), 1u);
  EXPECT_EQ(summary.placeholders, 1u);
}

TEST(DatasetBuilder, EdgeBetweenIndexesTakesTheEntitiesIds) {
  DatasetBuilder b;
  ImportOptions options;
  IssueCollector issues("f.json", options);
  const auto owner = b.insert_entity(entity("owner")).index;
  const auto owned = b.insert_entity(entity("owned")).index;
  domain::Edge edge;
  edge.share = domain::Share::exact(0.5);
  int field_calls = 0;
  auto field = [&] {
    ++field_calls;
    return std::string("interests[0]");
  };
  ASSERT_TRUE(b.add_edge_between(owner, owned, edge, RecordRef{1, 0}, field, issues));
  EXPECT_EQ(field_calls, 0);  // built only for an issue
  const auto dataset = b.take();
  ASSERT_EQ(dataset.edges.size(), 1u);
  EXPECT_EQ(dataset.edges[0].owner, "owner");
  EXPECT_EQ(dataset.edges[0].owned, "owned");
}

TEST(DatasetBuilder, EdgeBetweenIndexesIsCheckedLikeAnyEdge) {
  DatasetBuilder b;
  ImportOptions options;
  IssueCollector issues("f.json", options);
  const auto a = b.insert_entity(entity("a")).index;
  const auto c = b.insert_entity(entity("c")).index;
  auto field = [] { return std::string("interests[2]"); };
  domain::Edge loop;
  ASSERT_TRUE(b.add_edge_between(a, a, loop, RecordRef{3, 7}, field, issues));
  domain::Edge bad_share;
  bad_share.share = domain::Share::range(0.6, 0.4);
  ASSERT_TRUE(b.add_edge_between(a, c, bad_share, RecordRef{4, 9}, field, issues));
  EXPECT_EQ(b.edge_count(), 0u);
  const auto list = issues.take_issues();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].to_string(),
            "f.json record 3: interests[2]: 'a' is recorded as owning itself (a reference loop); "
            "the edge is dropped");
  EXPECT_EQ(list[1].field, "interests[2]");
  EXPECT_EQ(list[1].record, 4u);
}

TEST(DatasetBuilder, EdgeBetweenUnknownPositionsIsAnInternalError) {
  DatasetBuilder b;
  ImportOptions options;
  IssueCollector issues("f.json", options);
  const auto a = b.insert_entity(entity("a")).index;
  auto r = b.add_edge_between(
      a, 5, domain::Edge{}, RecordRef{1, 0}, [] { return std::string(); }, issues);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::Code::kInternal);
}

}  // namespace
}  // namespace pw::formats::internal
