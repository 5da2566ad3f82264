#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace pw::store::sqlite {
namespace {

using pw::testing::TempDir;

std::unique_ptr<Store> open_new(const TempDir& d) {
  OpenOptions o;
  o.create = true;
  auto s = open_store((d / "s.db").string(), o);
  EXPECT_TRUE(s.has_value()) << s.error().to_string();
  return std::move(*s);
}

core::Hash h(std::uint8_t b) {
  core::Hash x{};
  x.fill(b);
  return x;
}

TEST(SqliteStore, MissingFileIsNotFoundUnlessCreating) {
  TempDir d;
  auto s = open_store((d / "none.db").string(), OpenOptions{});
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), core::Code::kNotFound);
}

TEST(SqliteStore, CommittedWritesAreVisibleAndSurviveReopen) {
  TempDir d;
  {
    auto s = open_new(d);
    auto txn = s->begin_write();
    ASSERT_TRUE(txn.has_value());
    ASSERT_TRUE((*txn)->append_entry(0, "{\"a\":1}"));
    std::pair<journal::NodeId, core::Hash> node{{0, 0}, h(7)};
    ASSERT_TRUE((*txn)->put_nodes({&node, 1}));
    ASSERT_TRUE((*txn)->put_view("k", "1", "{}"));
    ASSERT_TRUE((*txn)->set_meta("origin", "o"));
    ASSERT_TRUE((*txn)->commit());
  }
  auto s = open_store((d / "s.db").string(), OpenOptions{});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*(*s)->journal_size(), 1u);
  EXPECT_EQ(*(*s)->read_entry(0), "{\"a\":1}");
  journal::NodeId id{0, 0};
  core::Hash out{};
  ASSERT_TRUE((*s)->read_nodes({&id, 1}, {&out, 1}));
  EXPECT_EQ(out, h(7));
  EXPECT_EQ(**(*s)->get_meta("origin"), "o");
  EXPECT_EQ(**(*s)->get_view("k", "1"), "{}");
}

TEST(SqliteStore, UncommittedTransactionRollsBack) {
  TempDir d;
  auto s = open_new(d);
  {
    auto txn = s->begin_write();
    ASSERT_TRUE((*txn)->append_entry(0, "x"));
  }
  EXPECT_EQ(*s->journal_size(), 0u);
}

TEST(SqliteStore, SavepointRollbackUndoesOnlyTheCommand) {
  TempDir d;
  auto s = open_new(d);
  auto txn = s->begin_write();
  ASSERT_TRUE((*txn)->append_entry(0, "first"));
  ASSERT_TRUE((*txn)->savepoint());
  ASSERT_TRUE((*txn)->append_entry(1, "second"));
  ASSERT_TRUE((*txn)->rollback_to_savepoint());
  ASSERT_TRUE((*txn)->commit());
  EXPECT_EQ(*s->journal_size(), 1u);
}

TEST(SqliteStore, DuplicateEntryIsRefused) {
  TempDir d;
  auto s = open_new(d);
  auto txn = s->begin_write();
  ASSERT_TRUE((*txn)->append_entry(0, "a"));
  auto st = (*txn)->append_entry(0, "b");
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code(), core::Code::kFailedPrecondition);
}

TEST(SqliteStore, MissingNodeIsNotFoundNamingIt) {
  TempDir d;
  auto s = open_new(d);
  journal::NodeId id{3, 9};
  core::Hash out{};
  auto st = s->read_nodes({&id, 1}, {&out, 1});
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code(), core::Code::kNotFound);
  EXPECT_NE(st.error().message().find("level 3 index 9"), std::string::npos);
}

TEST(SqliteStore, NodeRunReadsConsecutiveNodesAndStopsAtAGap) {
  TempDir d;
  auto s = open_new(d);
  auto txn = s->begin_write();
  std::vector<std::pair<journal::NodeId, core::Hash>> nodes{
      {{2, 0}, h(1)}, {{2, 1}, h(2)}, {{2, 2}, h(3)}, {{2, 4}, h(5)}, {{1, 3}, h(9)}};
  ASSERT_TRUE((*txn)->put_nodes(nodes));
  ASSERT_TRUE((*txn)->commit());
  std::vector<core::Hash> out(8);
  auto n = s->read_node_run(2, 0, out);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 3u);  // (2,3) is missing: the run ends there, (2,4) is not returned
  EXPECT_EQ(out[0], h(1));
  EXPECT_EQ(out[2], h(3));
  n = s->read_node_run(2, 4, std::span(out).first(1));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(out[0], h(5));
  n = s->read_node_run(3, 0, out);  // no node at that level
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 0u);
}

TEST(SqliteStore, SecretsAreKeptApartFromViewsAndSurviveClearViews) {
  TempDir d;
  auto s = open_new(d);
  {
    auto txn = s->begin_write();
    ASSERT_TRUE((*txn)->put_secret("password", "alice", "$scrypt$..."));
    ASSERT_TRUE((*txn)->put_view("account", "alice", "{}"));
    ASSERT_TRUE((*txn)->commit());
  }
  EXPECT_EQ(**s->get_secret("password", "alice"), "$scrypt$...");
  EXPECT_FALSE(s->get_view("password", "alice")->has_value());
  {
    // Replay clears the views only: the secrets are not derived from the journal.
    auto txn = s->begin_write();
    ASSERT_TRUE((*txn)->clear_views());
    ASSERT_TRUE((*txn)->erase_secret("password", "nobody"));
    ASSERT_TRUE((*txn)->commit());
  }
  EXPECT_FALSE(s->get_view("account", "alice")->has_value());
  EXPECT_EQ(**s->get_secret("password", "alice"), "$scrypt$...");
  {
    auto txn = s->begin_write();
    ASSERT_TRUE((*txn)->erase_secret("password", "alice"));
    ASSERT_TRUE((*txn)->commit());
  }
  EXPECT_FALSE(s->get_secret("password", "alice")->has_value());
}

TEST(SqliteStore, ScansAreOrdered) {
  TempDir d;
  auto s = open_new(d);
  auto txn = s->begin_write();
  for (std::uint64_t i : {2u, 0u, 1u}) ASSERT_TRUE((*txn)->append_entry(i, std::to_string(i)));
  std::vector<std::pair<journal::NodeId, core::Hash>> nodes{{{1, 1}, h(2)}, {{1, 0}, h(1)}};
  ASSERT_TRUE((*txn)->put_nodes(nodes));
  ASSERT_TRUE((*txn)->put_view("b", "2", "x"));
  ASSERT_TRUE((*txn)->put_view("a", "9", "y"));
  ASSERT_TRUE((*txn)->commit());
  std::vector<std::uint64_t> seqs;
  ASSERT_TRUE(
      s->scan_entries(0, 10, [&](std::uint64_t seq, std::string_view) -> core::Result<bool> {
        seqs.push_back(seq);
        return true;
      }));
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{0, 1, 2}));
  auto cursor = s->scan_nodes(1);
  ASSERT_TRUE(cursor.has_value());
  EXPECT_EQ((*(*cursor)->next())->first, 0u);
  EXPECT_EQ((*(*cursor)->next())->first, 1u);
  EXPECT_FALSE((*(*cursor)->next()).has_value());
  std::vector<std::string> kinds;
  ASSERT_TRUE(s->scan_views(
      "", [&](std::string_view k, std::string_view, std::string_view) -> core::Result<bool> {
        kinds.emplace_back(k);
        return true;
      }));
  EXPECT_EQ(kinds, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*s->max_node_level(), 1);
}

TEST(SqliteStore, NewerSchemaIsRefused) {
  TempDir d;
  open_new(d).reset();
  {
    pw::testing::RunResult r = pw::testing::run_process(
        {"/usr/bin/sqlite3", (d / "s.db").string(), "PRAGMA user_version = 99"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  auto s = open_store((d / "s.db").string(), OpenOptions{});
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), core::Code::kFailedPrecondition);
  EXPECT_NE(s.error().message().find("newer"), std::string::npos);
}

TEST(SqliteStore, UsesWalWithFullSync) {
  TempDir d;
  open_new(d).reset();
  auto r =
      pw::testing::run_process({"/usr/bin/sqlite3", (d / "s.db").string(), "PRAGMA journal_mode"});
  EXPECT_EQ(r.out, "wal\n");
}

}  // namespace
}  // namespace pw::store::sqlite
