#pragma once
// SQLite backend of store::Store: the embedded default. WAL mode with synchronous=FULL, so a
// committed transaction survives power loss; schema migrations by PRAGMA user_version; the
// journal tables refuse UPDATE and DELETE through triggers.

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace pw::store::sqlite {

struct OpenOptions {
  // Create the file if it does not exist (portwarden init). Otherwise a missing file is
  // not_found.
  bool create = false;
  // How long a writer waits for another process's write transaction.
  int busy_timeout_ms = 30000;
};

// Opens the database at `path` (":memory:" for a private in-memory database) and brings its
// schema up to date.
core::Result<std::unique_ptr<Store>> open_store(const std::string& path, const OpenOptions& options);

// The schema version this build writes.
int schema_version();

}  // namespace pw::store::sqlite
