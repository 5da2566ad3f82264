#pragma once
// The journal use cases: init, append (group-committed commands), checkpoints, proofs,
// verification, replay and the auditor's export. The only place that combines the store,
// the journal and the projector.
//
// Threads: execute()/append() may be called from any number of threads at once; concurrent
// calls share one durable commit (group commit). All other methods are safe to call
// concurrently too: store access is serialized by an internal mutex.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/internal/node_cache.h"
#include "core/clock.h"
#include "core/result.h"
#include "journal/envelope.h"
#include "journal/merkle.h"
#include "journal/note.h"
#include "store/store.h"

namespace pw::app {

inline constexpr const char* kDefaultOrigin = "portwarden.local/journal";

struct JournalPaths {
  std::string db;   // SQLite database file
  std::string key;  // signing key file (mode 0600)
};

// The key path used when none is given: next to the database, "<stem>.key".
std::string default_key_path(const std::string& db_path);

struct InitResult {
  std::string origin;
  std::string verifier_key;
};

// Creates the database and the signing key, and journals "journal.initialized". Refuses if
// either exists; on failure removes what it created.
core::Result<InitResult> init_journal(const JournalPaths& paths, const std::string& origin,
                                      const core::Clock& clock);

struct EventDraft {
  std::string type;
  std::string actor;
  nlohmann::json payload = nlohmann::json::object();
};

struct Appended {
  std::uint64_t seq = 0;
  core::Hash leaf_hash{};
  std::string time;  // RFC 3339
};

// Parses one line of `journal append --jsonl`: {"type": "...", "payload": {...}} with an
// optional "actor" (default `actor`). Errors name the field.
core::Result<EventDraft> parse_event_line(std::string_view line, const std::string& actor);

// A command runs under the write lock, in commit order, inside its own savepoint: it may read
// the views and returns the events to append. Its events are appended and projected
// atomically; if it fails nothing of it is kept.
using Command = std::function<core::Result<std::vector<EventDraft>>(store::ViewAccess& views)>;

struct CheckpointInfo {
  std::uint64_t size = 0;
  core::Hash root{};
  std::string note;  // signed note
  bool created = false;
};

struct InclusionProof {
  std::uint64_t index = 0;
  std::uint64_t size = 0;
  core::Hash leaf_hash{};
  core::Hash root{};
  std::vector<core::Hash> proof;
  std::string entry;  // the leaf input
};

struct ConsistencyProof {
  std::uint64_t size1 = 0, size2 = 0;
  core::Hash root1{}, root2{};
  std::vector<core::Hash> proof;
};

struct VerifyProblem {
  std::string where;  // "entry 17", "Merkle node level 3 index 2", "checkpoint 40", "view note/5"
  std::string what;
};

struct VerifyReport {
  std::uint64_t entries = 0;
  std::uint64_t nodes = 0;
  std::uint64_t checkpoints = 0;
  std::uint64_t views = 0;
  core::Hash root{};
  std::vector<VerifyProblem> problems;  // the first ones found, in journal order
  bool ok() const { return problems.empty(); }
};

// Progress of long work: done out of total (total 0 when unknown).
using Progress =
    std::function<void(std::string_view phase, std::uint64_t done, std::uint64_t total)>;

class JournalService {
 public:
  struct Options {
    // Largest number of commands one commit takes.
    std::size_t max_batch = 1024;
  };

  static core::Result<std::unique_ptr<JournalService>> open(const JournalPaths& paths,
                                                            const core::Clock& clock,
                                                            Options options);
  static core::Result<std::unique_ptr<JournalService>> open(const JournalPaths& paths,
                                                            const core::Clock& clock) {
    return open(paths, clock, Options{});
  }
  ~JournalService();

  const std::string& origin() const { return origin_; }
  // The journal's verifier key ("name+keyid+base64", journal/note.h).
  const std::string& verifier_key() const { return verifier_key_; }
  // Signs `message` with the journal's key (a bare Ed25519 signature over its bytes; see
  // NoteSigner::sign_raw for the domain separation callers owe). Needs the key file.
  struct MessageSignature {
    std::string key_name;
    std::uint32_t key_id = 0;
    core::Ed25519Signature signature{};
  };
  core::Result<MessageSignature> sign_message(std::string_view message);

  core::Result<std::vector<Appended>> execute(Command command);
  // A generic event (validated by domain/ for known types).
  core::Result<Appended> append(EventDraft draft);
  // Same, with the payload as JSON text (strictly parsed; at most journal::kMaxPayloadBytes).
  core::Result<Appended> append_json(std::string type, std::string actor,
                                     std::string_view payload_json);

  core::Result<std::uint64_t> size();
  // The latest checkpoint, signing a new one first if the tree grew (needs the key).
  core::Result<CheckpointInfo> checkpoint();
  core::Result<InclusionProof> inclusion_proof(std::uint64_t index,
                                               std::optional<std::uint64_t> size);
  core::Result<ConsistencyProof> consistency_proof(std::uint64_t size1,
                                                   std::optional<std::uint64_t> size2);

  // Recomputes the tree from every entry, checks every stored node and checkpoint signature
  // (against the key file's public key when available) and compares the views with a replay.
  core::Result<VerifyReport> verify(const Progress& progress, std::size_t max_problems = 20);
  // Rebuilds the views from the journal, in one transaction.
  core::Result<std::uint64_t> replay(const Progress& progress);

  // Writes the auditor bundle into `dir` (which must not exist); atomic: written into a
  // temporary sibling and renamed.
  core::Result<CheckpointInfo> export_bundle(const std::string& dir, const Progress& progress);

  // Read access to views for queries.
  core::Result<std::optional<std::string>> get_view(std::string_view kind, std::string_view id);
  // Visits the events with seq >= `from` whose type starts with `type_prefix` (e.g. "access."),
  // in journal order, decoded (payload parsed). Returns the journal size it read up to, so a
  // caller keeping state derived from events can catch up from there later.
  using EventVisitor = std::function<core::Status(const journal::Envelope&)>;
  core::Result<std::uint64_t> scan_events(std::uint64_t from, std::string_view type_prefix,
                                          const EventVisitor& visit);
  // A secret (store.h: never journaled); for the auth use cases.
  core::Result<std::optional<std::string>> get_secret(std::string_view kind, std::string_view id);
  // All documents of one kind as (id, doc), ordered by id.
  core::Result<std::vector<std::pair<std::string, std::string>>> list_views(std::string_view kind);

 private:
  struct Pending;
  JournalService(JournalPaths paths, const core::Clock& clock, Options options,
                 std::unique_ptr<store::Store> store);
  core::Status load_tip();
  void commit_batch(const std::vector<Pending*>& batch);
  core::Result<const journal::NoteSigner*> signer();
  // Root of the tree of `size` (current: the journal's size now). Requires store_mu_.
  core::Result<core::Hash> root_at(std::uint64_t size, std::uint64_t current);

  JournalPaths paths_;
  const core::Clock& clock_;  // borrowed; outlives the service
  Options options_;
  std::string origin_;
  std::string verifier_key_;

  std::mutex store_mu_;  // guards everything below
  std::unique_ptr<store::Store> store_;
  journal::CompactRange tip_;
  // Set when the last entry does not decode: appends are refused (fail closed) until the
  // journal is repaired; read-only work such as verify still runs.
  std::optional<core::Error> tip_error_;
  core::Timestamp last_time_;
  std::optional<journal::NoteSigner> signer_;
  // Upper tree levels for proofs (levels >= 6: at most n/64 nodes, ~1 MB per 10^6 entries).
  std::unique_ptr<internal::CachedNodeSource> nodes_;

  std::mutex queue_mu_;  // guards queue_ and every queued Pending
  std::deque<Pending*> queue_;
};

}  // namespace pw::app
