#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "store/sqlite/internal/sqlite_db.h"

namespace pw::store::sqlite {
namespace {

using internal::Db;
using internal::Stmt;

// Migrations, applied in order; migration k brings user_version from k to k+1. Never edit a
// released migration: add a new one.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- seq is the entry's index; data is the canonical envelope (the RFC 9162 leaf input).
CREATE TABLE journal_entries (
  seq  INTEGER PRIMARY KEY CHECK (seq >= 0),
  data BLOB NOT NULL
);

-- Hash of the complete Merkle subtree over leaves [idx << level, (idx + 1) << level).
CREATE TABLE journal_nodes (
  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),
  idx   INTEGER NOT NULL CHECK (idx >= 0),
  hash  BLOB NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE journal_checkpoints (
  size INTEGER PRIMARY KEY CHECK (size >= 0),
  note TEXT NOT NULL
);

CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_entries cannot be updated'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_entries cannot be deleted'); END;
CREATE TRIGGER journal_nodes_no_update BEFORE UPDATE ON journal_nodes
BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_nodes cannot be updated'); END;
CREATE TRIGGER journal_nodes_no_delete BEFORE DELETE ON journal_nodes
BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_nodes cannot be deleted'); END;
CREATE TRIGGER journal_checkpoints_no_update BEFORE UPDATE ON journal_checkpoints
BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_checkpoints cannot be updated'); END;
CREATE TRIGGER journal_checkpoints_no_delete BEFORE DELETE ON journal_checkpoints
BEGIN SELECT RAISE(ABORT, 'journal is append-only: journal_checkpoints cannot be deleted'); END;

-- Views derived from the journal (app/ projector); rebuilt by replay.
CREATE TABLE views (
  kind TEXT NOT NULL,
  id   TEXT NOT NULL,
  doc  TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
)sql",
    R"sql(
-- Secrets of local accounts (password hashes, session and API-token digests): never part of the
-- journal, its views or an export, and not rebuilt by replay. Changes to accounts are journaled
-- without the secret (app/auth_service.h).
CREATE TABLE secrets (
  kind TEXT NOT NULL,
  id   TEXT NOT NULL,
  doc  TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
)sql",
};

constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

class SqliteStore;

class SqliteNodeCursor final : public NodeCursor {
 public:
  explicit SqliteNodeCursor(Stmt stmt) : stmt_(std::move(stmt)) {}
  core::Result<std::optional<std::pair<std::uint64_t, core::Hash>>> next() override {
    PW_ASSIGN_OR_RETURN(bool row, stmt_.step());
    if (!row) return std::nullopt;
    core::ByteView h = stmt_.blob(1);
    core::Hash hash{};
    if (h.size() != hash.size()) return core::data_loss("stored Merkle node hash is not 32 bytes");
    std::copy(h.begin(), h.end(), hash.begin());
    return std::make_pair(static_cast<std::uint64_t>(stmt_.int64(0)), hash);
  }

 private:
  Stmt stmt_;
};

// Statements prepared once per connection.
struct Statements {
  Stmt size, read_entry, scan_entries, read_node, read_node_run, max_level, latest_cp, cp_at,
      all_cp, get_meta, get_view, scan_views_all, scan_views_kind, get_secret;
  Stmt append_entry, put_node, add_cp, set_meta, put_view, erase_view, put_secret, erase_secret;
  Stmt savepoint, release, rollback_to;
};

class SqliteWriteTxn;

class SqliteReadSnapshot final : public ReadSnapshot {
 public:
  explicit SqliteReadSnapshot(Db& db) : db_(db) {}
  ~SqliteReadSnapshot() override { (void)db_.exec("COMMIT"); }

 private:
  Db& db_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(Db db) : db_(std::move(db)) {}

  core::Status init() {
    // A 64 MiB page cache (at most; it grows only with use) holds the interior pages of the
    // entry and node B-trees of a journal of 10^7 entries, so a random proof reads about 3 pages
    // from the OS instead of 5 (docs/PERFORMANCE.md). Verification, one sequential scan, sets a
    // small one for its duration (set_page_cache_kib).
    PW_TRY(db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
    PW_TRY(set_page_cache_kib(kServingPageCacheKib));
    PW_TRY(migrate());
    return prepare_all();
  }

  core::Status migrate() {
    PW_ASSIGN_OR_RETURN(Stmt v, db_.prepare("PRAGMA user_version"));
    PW_TRY(v.step());
    const int version = static_cast<int>(v.int64(0));
    if (version > kSchemaVersion) {
      return core::failed_precondition("database schema version " + std::to_string(version) +
                                       " is newer than this portwarden (" +
                                       std::to_string(kSchemaVersion) + "); upgrade portwarden");
    }
    for (int k = version; k < kSchemaVersion; ++k) {
      PW_TRY(db_.exec("BEGIN IMMEDIATE"));
      auto st = db_.exec(kMigrations[k]);
      if (st) st = db_.exec("PRAGMA user_version = " + std::to_string(k + 1));
      if (!st) {
        (void)db_.exec("ROLLBACK");
        return std::unexpected(st.error().with_context("migration " + std::to_string(k + 1)));
      }
      PW_TRY(db_.exec("COMMIT"));
    }
    return core::ok();
  }

  core::Status prepare_all() {
    auto p = [&](Stmt& s, std::string_view sql) -> core::Status {
      PW_ASSIGN_OR_RETURN(s, db_.prepare(sql));
      return core::ok();
    };
    PW_TRY(p(st_.size, "SELECT seq FROM journal_entries ORDER BY seq DESC LIMIT 1"));
    PW_TRY(p(st_.read_entry, "SELECT data FROM journal_entries WHERE seq = ?1"));
    PW_TRY(p(st_.scan_entries,
             "SELECT seq, data FROM journal_entries WHERE seq >= ?1 AND seq < ?2 ORDER BY seq"));
    PW_TRY(p(st_.read_node, "SELECT hash FROM journal_nodes WHERE level = ?1 AND idx = ?2"));
    PW_TRY(p(st_.read_node_run,
             "SELECT idx, hash FROM journal_nodes WHERE level = ?1 AND idx >= ?2 AND idx < ?3 "
             "ORDER BY idx"));
    PW_TRY(p(st_.max_level, "SELECT max(level) FROM journal_nodes"));
    PW_TRY(
        p(st_.latest_cp, "SELECT size, note FROM journal_checkpoints ORDER BY size DESC LIMIT 1"));
    PW_TRY(p(st_.cp_at, "SELECT size, note FROM journal_checkpoints WHERE size = ?1"));
    PW_TRY(p(st_.all_cp, "SELECT size, note FROM journal_checkpoints ORDER BY size"));
    PW_TRY(p(st_.get_meta, "SELECT value FROM meta WHERE key = ?1"));
    PW_TRY(p(st_.get_view, "SELECT doc FROM views WHERE kind = ?1 AND id = ?2"));
    PW_TRY(p(st_.scan_views_all, "SELECT kind, id, doc FROM views ORDER BY kind, id"));
    PW_TRY(p(st_.scan_views_kind, "SELECT kind, id, doc FROM views WHERE kind = ?1 ORDER BY id"));
    PW_TRY(p(st_.append_entry, "INSERT INTO journal_entries (seq, data) VALUES (?1, ?2)"));
    PW_TRY(p(st_.put_node, "INSERT INTO journal_nodes (level, idx, hash) VALUES (?1, ?2, ?3)"));
    PW_TRY(p(st_.add_cp, "INSERT INTO journal_checkpoints (size, note) VALUES (?1, ?2)"));
    PW_TRY(p(st_.set_meta, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"));
    PW_TRY(p(st_.put_view, "INSERT OR REPLACE INTO views (kind, id, doc) VALUES (?1, ?2, ?3)"));
    PW_TRY(p(st_.erase_view, "DELETE FROM views WHERE kind = ?1 AND id = ?2"));
    PW_TRY(p(st_.get_secret, "SELECT doc FROM secrets WHERE kind = ?1 AND id = ?2"));
    PW_TRY(p(st_.put_secret, "INSERT OR REPLACE INTO secrets (kind, id, doc) VALUES (?1, ?2, ?3)"));
    PW_TRY(p(st_.erase_secret, "DELETE FROM secrets WHERE kind = ?1 AND id = ?2"));
    PW_TRY(p(st_.savepoint, "SAVEPOINT cmd"));
    PW_TRY(p(st_.release, "RELEASE cmd"));
    PW_TRY(p(st_.rollback_to, "ROLLBACK TO cmd"));
    return core::ok();
  }

  core::Result<std::unique_ptr<ReadSnapshot>> read_snapshot() override {
    // A deferred transaction takes its WAL snapshot at the first read: do one now.
    PW_TRY(db_.exec("BEGIN DEFERRED; SELECT 1 FROM journal_entries LIMIT 1;"));
    return std::make_unique<SqliteReadSnapshot>(db_);
  }

  core::Result<std::uint64_t> journal_size() override {
    Stmt& s = st_.size.reset();
    PW_ASSIGN_OR_RETURN(bool row, s.step());
    std::uint64_t n = row ? static_cast<std::uint64_t>(s.int64(0)) + 1 : 0;
    s.reset();
    return n;
  }

  core::Result<std::string> read_entry(std::uint64_t seq) override {
    Stmt& s = st_.read_entry.reset().bind(1, static_cast<std::int64_t>(seq));
    PW_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) return core::not_found("journal entry " + std::to_string(seq) + " does not exist");
    core::ByteView b = s.blob(0);
    std::string out(reinterpret_cast<const char*>(b.data()), b.size());
    s.reset();
    return out;
  }

  core::Status scan_entries(std::uint64_t begin, std::uint64_t end,
                            const EntryVisitor& visit) override {
    // A private statement: a visitor may call back into the store.
    PW_ASSIGN_OR_RETURN(
        Stmt s, db_.prepare("SELECT seq, data FROM journal_entries WHERE seq >= ?1 AND seq < ?2 "
                            "ORDER BY seq"));
    s.bind(1, static_cast<std::int64_t>(begin))
        .bind(2, static_cast<std::int64_t>(std::min<std::uint64_t>(end, INT64_MAX)));
    while (true) {
      PW_ASSIGN_OR_RETURN(bool row, s.step());
      if (!row) break;
      core::ByteView b = s.blob(1);
      PW_ASSIGN_OR_RETURN(
          bool more, visit(static_cast<std::uint64_t>(s.int64(0)),
                           std::string_view(reinterpret_cast<const char*>(b.data()), b.size())));
      if (!more) break;
    }
    return core::ok();
  }

  core::Status read_nodes(std::span<const journal::NodeId> ids,
                          std::span<core::Hash> out) override {
    Stmt& s = st_.read_node;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      s.reset().bind(1, ids[i].level).bind(2, static_cast<std::int64_t>(ids[i].index));
      PW_ASSIGN_OR_RETURN(bool row, s.step());
      if (!row) {
        s.reset();
        return core::not_found("Merkle node level " + std::to_string(ids[i].level) + " index " +
                               std::to_string(ids[i].index) + " is not stored");
      }
      core::ByteView h = s.blob(0);
      if (h.size() != 32) return core::data_loss("stored Merkle node hash is not 32 bytes");
      std::memcpy(out[i].data(), h.data(), 32);
    }
    s.reset();
    return core::ok();
  }

  core::Result<std::size_t> read_node_run(int level, std::uint64_t begin,
                                          std::span<core::Hash> out) override {
    Stmt& s = st_.read_node_run;
    s.reset()
        .bind(1, level)
        .bind(2, static_cast<std::int64_t>(begin))
        .bind(3, static_cast<std::int64_t>(begin + out.size()));
    std::size_t n = 0;
    while (n < out.size()) {
      PW_ASSIGN_OR_RETURN(bool row, s.step());
      // A gap ends the run: the caller gets the nodes before it.
      if (!row || static_cast<std::uint64_t>(s.int64(0)) != begin + n) break;
      core::ByteView h = s.blob(1);
      if (h.size() != 32) {
        s.reset();
        return core::data_loss("stored Merkle node hash is not 32 bytes");
      }
      std::memcpy(out[n].data(), h.data(), 32);
      ++n;
    }
    s.reset();
    return n;
  }

  core::Result<std::unique_ptr<NodeCursor>> scan_nodes(int level) override {
    PW_ASSIGN_OR_RETURN(Stmt s, db_.prepare("SELECT idx, hash FROM journal_nodes WHERE level = ?1 "
                                            "ORDER BY idx"));
    s.bind(1, level);
    return std::make_unique<SqliteNodeCursor>(std::move(s));
  }

  core::Status set_page_cache_kib(int kib) override {
    return db_.exec("PRAGMA cache_size=-" + std::to_string(kib));
  }

  core::Result<int> max_node_level() override {
    Stmt& s = st_.max_level.reset();
    PW_ASSIGN_OR_RETURN(bool row, s.step());
    int level = row && !s.is_null(0) ? static_cast<int>(s.int64(0)) : -1;
    s.reset();
    return level;
  }

  core::Result<std::optional<CheckpointRow>> one_checkpoint(Stmt& s) {
    PW_ASSIGN_OR_RETURN(bool row, s.step());
    std::optional<CheckpointRow> out;
    if (row) out = CheckpointRow{static_cast<std::uint64_t>(s.int64(0)), std::string(s.text(1))};
    s.reset();
    return out;
  }

  core::Result<std::optional<CheckpointRow>> latest_checkpoint() override {
    return one_checkpoint(st_.latest_cp.reset());
  }

  core::Result<std::optional<CheckpointRow>> checkpoint_at(std::uint64_t size) override {
    return one_checkpoint(st_.cp_at.reset().bind(1, static_cast<std::int64_t>(size)));
  }

  core::Result<std::vector<CheckpointRow>> all_checkpoints() override {
    Stmt& s = st_.all_cp.reset();
    std::vector<CheckpointRow> out;
    while (true) {
      PW_ASSIGN_OR_RETURN(bool row, s.step());
      if (!row) break;
      out.push_back({static_cast<std::uint64_t>(s.int64(0)), std::string(s.text(1))});
    }
    s.reset();
    return out;
  }

  core::Result<std::optional<std::string>> get_meta(std::string_view key) override {
    Stmt& s = st_.get_meta.reset().bind(1, key);
    PW_ASSIGN_OR_RETURN(bool row, s.step());
    std::optional<std::string> out;
    if (row) out = std::string(s.text(0));
    s.reset();
    return out;
  }

  core::Result<std::optional<std::string>> get_view(std::string_view kind,
                                                    std::string_view id) override {
    Stmt& s = st_.get_view.reset().bind(1, kind).bind(2, id);
    PW_ASSIGN_OR_RETURN(bool row, s.step());
    std::optional<std::string> out;
    if (row) out = std::string(s.text(0));
    s.reset();
    return out;
  }
  core::Result<std::optional<std::string>> get_secret(std::string_view kind,
                                                      std::string_view id) override {
    Stmt& s = st_.get_secret.reset().bind(1, kind).bind(2, id);
    PW_ASSIGN_OR_RETURN(bool row, s.step());
    std::optional<std::string> out;
    if (row) out = std::string(s.text(0));
    s.reset();
    return out;
  }

  core::Status scan_views(std::string_view kind, const ViewVisitor& visit) override {
    PW_ASSIGN_OR_RETURN(
        Stmt s, db_.prepare(kind.empty() ? "SELECT kind, id, doc FROM views ORDER BY kind, id"
                                         : "SELECT kind, id, doc FROM views WHERE kind = ?1 "
                                           "ORDER BY id"));
    if (!kind.empty()) s.bind(1, kind);
    while (true) {
      PW_ASSIGN_OR_RETURN(bool row, s.step());
      if (!row) break;
      PW_ASSIGN_OR_RETURN(bool more, visit(s.text(0), s.text(1), s.text(2)));
      if (!more) break;
    }
    return core::ok();
  }

  core::Result<std::unique_ptr<WriteTxn>> begin_write() override;

  Db& db() { return db_; }
  Statements& st() { return st_; }

 private:
  Db db_;
  Statements st_;
};

class SqliteWriteTxn final : public WriteTxn {
 public:
  explicit SqliteWriteTxn(SqliteStore& store) : store_(store) {}
  ~SqliteWriteTxn() override {
    if (open_) (void)store_.db().exec("ROLLBACK");
  }

  core::Status begin() {
    PW_TRY(store_.db().exec("BEGIN IMMEDIATE"));
    open_ = true;
    return core::ok();
  }

  core::Result<std::optional<std::string>> get_view(std::string_view kind,
                                                    std::string_view id) override {
    return store_.get_view(kind, id);
  }
  core::Status put_view(std::string_view kind, std::string_view id, std::string_view doc) override {
    return store_.st().put_view.reset().bind(1, kind).bind(2, id).bind(3, doc).run();
  }
  core::Status erase_view(std::string_view kind, std::string_view id) override {
    return store_.st().erase_view.reset().bind(1, kind).bind(2, id).run();
  }
  core::Status scan_kind(std::string_view kind_or_empty, const ViewVisitor& visit) override {
    return store_.scan_views(kind_or_empty, visit);
  }
  core::Result<std::optional<std::string>> get_secret(std::string_view kind,
                                                      std::string_view id) override {
    return store_.get_secret(kind, id);
  }
  core::Status put_secret(std::string_view kind, std::string_view id,
                          std::string_view doc) override {
    return store_.st().put_secret.reset().bind(1, kind).bind(2, id).bind(3, doc).run();
  }
  core::Status erase_secret(std::string_view kind, std::string_view id) override {
    return store_.st().erase_secret.reset().bind(1, kind).bind(2, id).run();
  }

  core::Status append_entry(std::uint64_t seq, std::string_view data) override {
    return store_.st()
        .append_entry.reset()
        .bind(1, static_cast<std::int64_t>(seq))
        .bind_blob(2, core::as_bytes(data))
        .run();
  }

  core::Status put_nodes(std::span<const std::pair<journal::NodeId, core::Hash>> nodes) override {
    Stmt& s = store_.st().put_node;
    for (const auto& [id, hash] : nodes) {
      PW_TRY(s.reset()
                 .bind(1, id.level)
                 .bind(2, static_cast<std::int64_t>(id.index))
                 .bind_blob(3, hash)
                 .run());
    }
    return core::ok();
  }

  core::Status add_checkpoint(const CheckpointRow& row) override {
    return store_.st()
        .add_cp.reset()
        .bind(1, static_cast<std::int64_t>(row.size))
        .bind(2, row.note)
        .run();
  }

  core::Status set_meta(std::string_view key, std::string_view value) override {
    return store_.st().set_meta.reset().bind(1, key).bind(2, value).run();
  }

  core::Status clear_views() override { return store_.db().exec("DELETE FROM views"); }

  // Prepared once: a savepoint wraps every command of a group commit.
  core::Status savepoint() override { return store_.st().savepoint.reset().run(); }
  core::Status release_savepoint() override { return store_.st().release.reset().run(); }
  core::Status rollback_to_savepoint() override {
    PW_TRY(store_.st().rollback_to.reset().run());
    return store_.st().release.reset().run();
  }

  core::Status commit() override {
    if (!open_) return core::failed_precondition("transaction is not open");
    auto st = store_.db().exec("COMMIT");
    if (!st) return st;  // still open: the destructor rolls back
    open_ = false;
    return core::ok();
  }

 private:
  SqliteStore& store_;
  bool open_ = false;
};

core::Result<std::unique_ptr<WriteTxn>> SqliteStore::begin_write() {
  auto txn = std::make_unique<SqliteWriteTxn>(*this);
  PW_TRY(txn->begin());
  return txn;
}

}  // namespace

int schema_version() {
  return kSchemaVersion;
}

core::Result<std::unique_ptr<Store>> open_store(const std::string& path,
                                                const OpenOptions& options) {
  if (!options.create && path != ":memory:") {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return core::not_found("database " + path + " does not exist (run 'portwarden init')");
    }
  }
  PW_ASSIGN_OR_RETURN(Db db, Db::open(path, options.create, options.busy_timeout_ms));
  auto store = std::make_unique<SqliteStore>(std::move(db));
  auto st = store->init();
  if (!st) return std::unexpected(st.error().with_context("database " + path));
  return store;
}

}  // namespace pw::store::sqlite
