#pragma once
// The storage interface every backend implements (SQLite now, PostgreSQL later).
//
// What is stored:
//  - the journal: entries (seq -> canonical envelope bytes), the hashes of every complete
//    Merkle subtree (journal/merkle.h NodeId), signed checkpoints. Append-only: backends refuse
//    UPDATE and DELETE on these at the database level.
//  - views: documents (kind, id) -> canonical JSON, derived from the journal by app/'s
//    projector; rebuilt by replay.
//  - meta: a few key/value settings fixed at init (origin, verifier key).
//
// Threads: a Store is used by one thread at a time (app/ serializes writers through its group
// commit and gives readers their own Store). A WriteTxn borrows its Store and must die first.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "journal/merkle.h"

namespace pw::store {

struct CheckpointRow {
  std::uint64_t size = 0;
  std::string note;  // the signed note, exactly as served
};

// Read and write access to the view documents.
// Visits rows in order; return false from the callback to stop early.
using EntryVisitor = std::function<core::Result<bool>(std::uint64_t seq, std::string_view data)>;
using ViewVisitor = std::function<core::Result<bool>(std::string_view kind, std::string_view id,
                                                     std::string_view doc)>;

class ViewAccess {
 public:
  virtual ~ViewAccess() = default;
  virtual core::Result<std::optional<std::string>> get_view(std::string_view kind,
                                                            std::string_view id) = 0;
  virtual core::Status put_view(std::string_view kind, std::string_view id,
                                std::string_view doc) = 0;
  virtual core::Status erase_view(std::string_view kind, std::string_view id) = 0;
  // The documents of one kind (every kind if empty), ordered by (kind, id), as they stand now
  // (including this transaction's writes).
  virtual core::Status scan_kind(std::string_view kind_or_empty, const ViewVisitor& visit) = 0;

  // Secrets (password hashes, session and token digests): stored beside the views but never
  // journaled, exported or rebuilt by replay. Only a real write transaction has them; in-memory
  // view sets (replay, verify) answer failed_precondition.
  virtual core::Result<std::optional<std::string>> get_secret(std::string_view kind,
                                                              std::string_view id);
  virtual core::Status put_secret(std::string_view kind, std::string_view id, std::string_view doc);
  virtual core::Status erase_secret(std::string_view kind, std::string_view id);
};

// Iterates stored Merkle nodes of one level in increasing index order.
class NodeCursor {
 public:
  virtual ~NodeCursor() = default;
  // nullopt at the end.
  virtual core::Result<std::optional<std::pair<std::uint64_t, core::Hash>>> next() = 0;
};

// A write transaction. Nothing is visible to others, nor durable, before commit() returns
// success. Destroying an uncommitted transaction rolls it back.
class WriteTxn : public ViewAccess {
 public:
  virtual core::Status append_entry(std::uint64_t seq, std::string_view data) = 0;
  virtual core::Status put_nodes(std::span<const std::pair<journal::NodeId, core::Hash>> nodes) = 0;
  virtual core::Status add_checkpoint(const CheckpointRow& row) = 0;
  virtual core::Status set_meta(std::string_view key, std::string_view value) = 0;
  // Removes every view document (replay starts from nothing).
  virtual core::Status clear_views() = 0;

  // Nested atomic units inside the transaction (one per command in a group commit).
  virtual core::Status savepoint() = 0;
  virtual core::Status release_savepoint() = 0;
  virtual core::Status rollback_to_savepoint() = 0;

  // Durable on return (fsync per the backend's durability settings).
  virtual core::Status commit() = 0;
};

// Holds a consistent read snapshot of the store until destroyed: every read in between sees
// the same state, whatever other writers commit meanwhile.
class ReadSnapshot {
 public:
  virtual ~ReadSnapshot() = default;
};

// The page cache a store connection serves with (KiB): enough for the interior pages of the
// journal's B-trees at 10^7 entries.
inline constexpr int kServingPageCacheKib = 65536;

class Store : public journal::NodeSource {
 public:
  // Starts a read snapshot (one at a time per Store; not while a WriteTxn is open).
  virtual core::Result<std::unique_ptr<ReadSnapshot>> read_snapshot() = 0;

  // Number of journal entries (= the next seq).
  virtual core::Result<std::uint64_t> journal_size() = 0;
  virtual core::Result<std::string> read_entry(std::uint64_t seq) = 0;
  // Entries with begin <= seq < end in order of seq (rows as stored: gaps are visible to the
  // caller as missing sequence numbers).
  virtual core::Status scan_entries(std::uint64_t begin, std::uint64_t end,
                                    const EntryVisitor& visit) = 0;
  virtual core::Result<std::unique_ptr<NodeCursor>> scan_nodes(int level) = 0;
  // Highest level that has any stored node, or -1.
  virtual core::Result<int> max_node_level() = 0;

  virtual core::Result<std::optional<CheckpointRow>> latest_checkpoint() = 0;
  virtual core::Result<std::optional<CheckpointRow>> checkpoint_at(std::uint64_t size) = 0;
  virtual core::Result<std::vector<CheckpointRow>> all_checkpoints() = 0;

  virtual core::Result<std::optional<std::string>> get_meta(std::string_view key) = 0;

  virtual core::Result<std::optional<std::string>> get_view(std::string_view kind,
                                                            std::string_view id) = 0;
  virtual core::Result<std::optional<std::string>> get_secret(std::string_view kind,
                                                              std::string_view id) = 0;
  // All view documents ordered by (kind, id), optionally of one kind.
  virtual core::Status scan_views(std::string_view kind_or_empty, const ViewVisitor& visit) = 0;

  // The page cache budget of this connection in KiB (a performance knob only: random reads,
  // such as proofs, gain from a large one; one long sequential scan, such as verify, loses).
  virtual core::Status set_page_cache_kib(int kib) = 0;

  // Starts the single write transaction (waits for other writers up to the busy timeout).
  virtual core::Result<std::unique_ptr<WriteTxn>> begin_write() = 0;
};

}  // namespace pw::store
