// Tampering with the stored journal, as someone with write access to the database file would:
// every change must be reported by `journal verify` with its position, exit 1.
#include <filesystem>

#include "cli/cli_test_util.h"

namespace pw::testing {
namespace {

// Flips one bit of the blob in `column` of the row selected by `where`, at byte `offset`.
void flip_byte(const JournalDir& j, const std::string& table, const std::string& column,
               const std::string& where, std::size_t offset) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(j.db().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* sel = nullptr;
  std::string q = "SELECT " + column + " FROM " + table + " WHERE " + where;
  ASSERT_EQ(sqlite3_prepare_v2(db, q.c_str(), -1, &sel, nullptr), SQLITE_OK) << q;
  ASSERT_EQ(sqlite3_step(sel), SQLITE_ROW) << q;
  std::string blob(static_cast<const char*>(sqlite3_column_blob(sel, 0)),
                   static_cast<std::size_t>(sqlite3_column_bytes(sel, 0)));
  sqlite3_finalize(sel);
  ASSERT_LT(offset, blob.size());
  blob[offset] = static_cast<char>(blob[offset] ^ 0x01);
  sqlite3_stmt* upd = nullptr;
  std::string u = "UPDATE " + table + " SET " + column + " = ?1 WHERE " + where;
  ASSERT_EQ(sqlite3_prepare_v2(db, u.c_str(), -1, &upd, nullptr), SQLITE_OK) << u;
  sqlite3_bind_blob(upd, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(upd), SQLITE_DONE) << sqlite3_errmsg(db);
  sqlite3_finalize(upd);
  sqlite3_close(db);
}

class Tamper : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(j_.append_notes(10));  // entries 0..10
    ASSERT_EQ(j_.run({"journal", "checkpoint"}).exit_code, 0);
    ASSERT_EQ(j_.run({"journal", "verify"}).exit_code, 0);
    j_.drop_triggers();
  }

  // Runs verify; expects exit 1 and the first problem to start with `where`.
  void expect_reported(const std::string& where) {
    auto v = j_.run({"journal", "verify"});
    EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
    EXPECT_NE(v.out.find("first problem: " + where + " "), std::string::npos)
        << "want first problem at '" << where << "', got:\n"
        << v.out;
  }

  JournalDir j_;
};

TEST(TamperGuard, StoreRefusesUpdateAndDeleteOfJournalRows) {
  JournalDir j;
  ASSERT_TRUE(j.append_notes(2));
  ASSERT_EQ(j.run({"journal", "checkpoint"}).exit_code, 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(j.db().c_str(), &db), SQLITE_OK);
  for (const char* stmt :
       {"UPDATE journal_entries SET data = x'00' WHERE seq = 1",
        "DELETE FROM journal_entries WHERE seq = 1", "UPDATE journal_nodes SET hash = hash",
        "DELETE FROM journal_nodes", "DELETE FROM journal_checkpoints",
        "UPDATE journal_checkpoints SET note = ''"}) {
    char* err = nullptr;
    EXPECT_NE(sqlite3_exec(db, stmt, nullptr, nullptr, &err), SQLITE_OK) << stmt;
    EXPECT_NE(std::string(err ? err : "").find("append-only"), std::string::npos) << stmt;
    sqlite3_free(err);
  }
  sqlite3_close(db);
  EXPECT_EQ(j.run({"journal", "verify"}).exit_code, 0);
}

TEST_F(Tamper, EveryChangedByteOfEveryEntryIsFound) {
  // Copy the database once per case so each starts from the same valid journal.
  const auto pristine = j_.dir() / "pristine.db";
  std::filesystem::copy_file(j_.db(), pristine);
  for (int seq = 0; seq <= 10; ++seq) {
    for (std::size_t offset : {std::size_t{2}, std::size_t{40}}) {
      std::filesystem::copy_file(pristine, j_.db(),
                                 std::filesystem::copy_options::overwrite_existing);
      flip_byte(j_, "journal_entries", "data", "seq = " + std::to_string(seq), offset);
      SCOPED_TRACE("entry " + std::to_string(seq) + " byte " + std::to_string(offset));
      expect_reported("entry " + std::to_string(seq));
    }
  }
}

TEST_F(Tamper, EveryChangedStoredNodeIsFound) {
  const auto pristine = j_.dir() / "pristine.db";
  std::filesystem::copy_file(j_.db(), pristine);
  // The tree of 11 leaves stores 11 leaf hashes and interior nodes at levels 1..3.
  struct Node {
    int level, index;
  };
  std::vector<Node> nodes;
  for (int i = 0; i < 11; ++i) nodes.push_back({0, i});
  for (int i = 0; i < 5; ++i) nodes.push_back({1, i});
  nodes.push_back({2, 0});
  nodes.push_back({2, 1});
  nodes.push_back({3, 0});
  for (const auto& n : nodes) {
    std::filesystem::copy_file(pristine, j_.db(),
                               std::filesystem::copy_options::overwrite_existing);
    flip_byte(j_, "journal_nodes", "hash",
              "level = " + std::to_string(n.level) + " AND idx = " + std::to_string(n.index), 31);
    SCOPED_TRACE("node " + std::to_string(n.level) + "/" + std::to_string(n.index));
    expect_reported(n.level == 0 ? "entry " + std::to_string(n.index)
                                 : "Merkle node level " + std::to_string(n.level) + " index " +
                                       std::to_string(n.index));
  }
}

TEST_F(Tamper, DeletedEntryInTheMiddleIsFound) {
  j_.sql("DELETE FROM journal_entries WHERE seq = 4");
  expect_reported("entry 4");
}

TEST_F(Tamper, DeletedLastEntryIsFound) {
  j_.sql("DELETE FROM journal_entries WHERE seq = 10");
  auto v = j_.run({"journal", "verify"});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("level 0 index 10"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("checkpoint 11"), std::string::npos) << v.out;
}

TEST_F(Tamper, DeletedNodeIsFound) {
  j_.sql("DELETE FROM journal_nodes WHERE level = 1 AND idx = 3");
  expect_reported("Merkle node level 1 index 3");
}

TEST_F(Tamper, TwoSwappedEntriesAreFound) {
  j_.sql("UPDATE journal_entries SET seq = 1000000 WHERE seq = 3");
  j_.sql("UPDATE journal_entries SET seq = 3 WHERE seq = 6");
  j_.sql("UPDATE journal_entries SET seq = 6 WHERE seq = 1000000");
  expect_reported("entry 3");
  auto v = j_.run({"journal", "verify"});
  EXPECT_NE(v.out.find("entry 6"), std::string::npos) << v.out;
}

TEST_F(Tamper, RewrittenEntryWithRecomputedLeafIsCaughtByTheTreeAndTheCheckpoint) {
  // The attacker rewrites entry 2 and its leaf hash consistently; the interior nodes and the
  // signed checkpoint still commit to the old content.
  auto p = j_.run({"--json", "journal", "proof", "--index", "2"});
  ASSERT_EQ(p.exit_code, 0);
  flip_byte(j_, "journal_entries", "data", "seq = 2", 50);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(j_.db().c_str(), &db), SQLITE_OK);
  // SQLite has no SHA-256; recompute the leaf hash in the test.
  sqlite3_stmt* sel = nullptr;
  sqlite3_prepare_v2(db, "SELECT data FROM journal_entries WHERE seq = 2", -1, &sel, nullptr);
  ASSERT_EQ(sqlite3_step(sel), SQLITE_ROW);
  std::string data(static_cast<const char*>(sqlite3_column_blob(sel, 0)),
                   static_cast<std::size_t>(sqlite3_column_bytes(sel, 0)));
  sqlite3_finalize(sel);
  std::string input = std::string(1, '\0') + data;
  core::Hash leaf = core::sha256(input);
  sqlite3_stmt* upd = nullptr;
  sqlite3_prepare_v2(db, "UPDATE journal_nodes SET hash = ?1 WHERE level = 0 AND idx = 2", -1, &upd,
                     nullptr);
  sqlite3_bind_blob(upd, 1, leaf.data(), 32, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(upd), SQLITE_DONE);
  sqlite3_finalize(upd);
  sqlite3_close(db);
  auto v = j_.run({"journal", "verify"});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("Merkle node level 1 index 1"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("checkpoint 11"), std::string::npos) << v.out;
}

TEST_F(Tamper, ReplacedCheckpointIsFound) {
  // A checkpoint signed by another key (another journal's), put in place of ours.
  JournalDir other;
  ASSERT_TRUE(other.append_notes(10));
  auto cp = other.run({"journal", "checkpoint"});
  ASSERT_EQ(cp.exit_code, 0);
  std::string note = cp.out;
  std::string escaped;
  for (char c : note) escaped += c == '\'' ? std::string("''") : std::string(1, c);
  j_.sql("UPDATE journal_checkpoints SET note = '" + escaped + "' WHERE size = 11");
  expect_reported("checkpoint 11");
}

TEST_F(Tamper, ChangedViewIsFound) {
  j_.sql("UPDATE views SET doc = replace(doc, 'note 3', 'note X') WHERE kind = 'note'");
  auto v = j_.run({"journal", "verify"});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("view note/"), std::string::npos) << v.out;
}

TEST_F(Tamper, AnInsertedViewDocumentIsFound) {
  j_.sql("INSERT INTO views (kind, id, doc) VALUES ('note', '999', '{}')");
  expect_reported("view note/999");
}

TEST_F(Tamper, ChangedVerifierKeyInTheDatabaseIsFound) {
  // Another journal's (well-formed) verifier key put in the database's meta table.
  JournalDir other;
  ASSERT_EQ(other.run({"journal", "export", (other.dir() / "b").string()}).exit_code, 0);
  std::string vkey = read_file(other.dir() / "b" / "key.vkey");
  vkey.pop_back();
  j_.sql("UPDATE meta SET value = '" + vkey + "' WHERE key = 'verifier_key'");
  expect_reported("database meta");
}

}  // namespace
}  // namespace pw::testing
