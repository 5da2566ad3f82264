#pragma once
// Helpers for driving the real portwarden binary against a fresh journal.

#include <sqlite3.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/bytes.h"
#include "core/crypto.h"
#include "support/test_support.h"

namespace pw::testing {

// A temporary folder with an initialised journal: db and key inside it.
class JournalDir {
 public:
  JournalDir() {
    auto r = run({"init", "--origin", "test.example/log"});
    if (r.exit_code != 0) ADD_FAILURE() << "init failed: " << r.err;
  }
  std::string db() const { return (dir_ / "j.db").string(); }
  std::string key() const { return (dir_ / "j.key").string(); }
  const TempDir& dir() const { return dir_; }

  RunResult run(std::vector<std::string> args, const std::string& stdin_text = "") const {
    args.insert(args.begin(), {"--db", db()});
    return run_portwarden(args, stdin_text);
  }

  // Appends `n` operator notes; returns false on any failure.
  bool append_notes(int n) const {
    std::string lines;
    for (int i = 0; i < n; ++i) {
      lines += R"({"type":"operator.note","payload":{"text":"note )" + std::to_string(i) + "\"}}\n";
    }
    return run({"journal", "append", "--jsonl", "-"}, lines).exit_code == 0;
  }

  // Runs SQL directly on the database file, as an attacker with file access would.
  void sql(const std::string& statement) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(this->db().c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << statement << ": " << msg;
  }

  // Removes the append-only triggers (what an attacker would do first).
  void drop_triggers() const {
    for (const char* t : {"entries", "nodes", "checkpoints"}) {
      for (const char* op : {"update", "delete"}) {
        sql(std::string("DROP TRIGGER journal_") + t + "_no_" + op);
      }
    }
  }

 private:
  TempDir dir_;
};

}  // namespace pw::testing
