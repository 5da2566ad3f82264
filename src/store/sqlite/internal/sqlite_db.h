#pragma once
// Thin RAII wrappers over the SQLite C API with Result-based errors. Private to store/sqlite.
// A Db and its Stmts are used by one thread at a time; a Stmt borrows its Db's connection and
// must be destroyed before it.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace pw::store::sqlite::internal {

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3_stmt* s, sqlite3* db) : stmt_(s), db_(db) {}
  Stmt(Stmt&& o) noexcept : stmt_(o.stmt_), db_(o.db_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Resets the statement and clears bindings, ready for new parameters.
  Stmt& reset();
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, std::string_view text);
  Stmt& bind_blob(int i, core::ByteView blob);

  // true: a row is available; false: done.
  core::Result<bool> step();
  // Steps to completion, expecting no rows.
  core::Status run();

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string_view text(int col) const;
  core::ByteView blob(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

class Db {
 public:
  // Opens (or creates, if `create`) the database at `path`.
  static core::Result<Db> open(const std::string& path, bool create, int busy_timeout_ms);

  Db(Db&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Db& operator=(Db&&) = delete;
  Db(const Db&) = delete;
  ~Db();

  core::Status exec(std::string_view sql);
  core::Result<Stmt> prepare(std::string_view sql);
  sqlite3* handle() const { return db_; }

  // An error for the last failure on this connection, with context.
  core::Error error(std::string_view context, int rc) const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// Maps SQLite result codes to canonical codes (busy/locked -> unavailable,
// corrupt/notadb -> data_loss, constraint -> failed_precondition, ...).
core::Code code_for(int rc);

}  // namespace pw::store::sqlite::internal
