// JournalService::verify and ::replay: recomputing the journal from its entries.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "app/journal_service.h"
#include "app/keys.h"
#include "app/projector.h"
#include "domain/event_types.h"
#include "journal/checkpoint.h"
#include "journal/envelope.h"

namespace pw::app {
namespace {

constexpr std::uint64_t kProgressEvery = 1 << 16;

std::string node_name(const journal::NodeId& id) {
  return "Merkle node level " + std::to_string(id.level) + " index " + std::to_string(id.index);
}

template <typename Key>
std::string view_name(const Key& key) {
  return "view " + std::string(key.first) + "/" + std::string(key.second);
}

// Compares recomputed Merkle nodes with the stored ones, level by level, in index order:
// one open cursor per level, so memory stays O(log n) for any journal size.
class NodeChecker {
 public:
  NodeChecker(store::Store& store, VerifyReport& report,
              std::function<void(std::string, std::string)> problem)
      : store_(store), report_(report), problem_(std::move(problem)) {}

  core::Status check(const journal::NodeId& id, const core::Hash& hash) {
    if (cursors_.size() <= static_cast<std::size_t>(id.level)) {
      cursors_.resize(static_cast<std::size_t>(id.level) + 1);
    }
    auto& cursor = cursors_[static_cast<std::size_t>(id.level)];
    if (!cursor.cursor) {
      PW_ASSIGN_OR_RETURN(cursor.cursor, store_.scan_nodes(id.level));
    }
    ++report_.nodes;
    // Stored nodes the recomputation skipped over are extra rows.
    while (true) {
      if (!cursor.pending) {
        PW_ASSIGN_OR_RETURN(cursor.pending, cursor.cursor->next());
        if (!cursor.pending) {
          mismatch(id, "is missing from the store");
          return core::ok();
        }
      }
      if (cursor.pending->first < id.index) {
        problem_(node_name({id.level, cursor.pending->first}),
                 "is stored but the entries do not produce it");
        cursor.pending.reset();
        continue;
      }
      break;
    }
    if (cursor.pending->first > id.index) {
      mismatch(id, "is missing from the store");
      return core::ok();
    }
    if (cursor.pending->second != hash) {
      mismatch(id, id.level == 0 ? "does not hash to its stored leaf hash (the entry or the "
                                   "stored leaf hash was changed)"
                                 : "does not match the hash recomputed from the entries");
    }
    cursor.pending.reset();
    return core::ok();
  }

  // After the last entry: any stored node left over was not produced by the entries.
  core::Status finish() {
    PW_ASSIGN_OR_RETURN(int max_level, store_.max_node_level());
    if (max_level >= 0 && cursors_.size() <= static_cast<std::size_t>(max_level)) {
      cursors_.resize(static_cast<std::size_t>(max_level) + 1);
    }
    for (std::size_t level = 0; level < cursors_.size(); ++level) {
      auto& c = cursors_[level];
      if (!c.cursor) {
        PW_ASSIGN_OR_RETURN(c.cursor, store_.scan_nodes(static_cast<int>(level)));
      }
      if (!c.pending) {
        PW_ASSIGN_OR_RETURN(c.pending, c.cursor->next());
      }
      if (c.pending) {
        problem_(node_name({static_cast<int>(level), c.pending->first}),
                 "is stored beyond the end of the journal (entries deleted?)");
      }
    }
    return core::ok();
  }

 private:
  // Reports a mismatch unless it is an ancestor of one already reported (a changed leaf makes
  // every node above it differ; the leaf is the news).
  void mismatch(const journal::NodeId& id, const std::string& what) {
    for (const auto& r : reported_) {
      if (r.level < id.level && (r.index >> (id.level - r.level)) == id.index) return;
    }
    reported_.push_back(id);
    problem_(id.level == 0 ? "entry " + std::to_string(id.index) : node_name(id), what);
  }

  struct LevelCursor {
    std::unique_ptr<store::NodeCursor> cursor;
    std::optional<std::pair<std::uint64_t, core::Hash>> pending;
  };
  store::Store& store_;
  VerifyReport& report_;
  std::function<void(std::string, std::string)> problem_;
  std::vector<LevelCursor> cursors_;
  std::vector<journal::NodeId> reported_;
};

// Decodes entries and projects them into in-memory views on a second thread, while the
// caller's thread reads the store and recomputes the tree: verification uses both cores.
// Entries are handed over in batches through a bounded queue.
class ProjectionWorker {
 public:
  ProjectionWorker(const std::string& origin, const std::string& verifier_key,
                   std::size_t max_problems)
      : origin_(origin),
        verifier_key_(verifier_key),
        max_problems_(max_problems),
        thread_([this] { run(); }) {}
  ~ProjectionWorker() {
    if (thread_.joinable()) (void)finish();
  }

  void submit(std::uint64_t seq, std::string_view data) {
    batch_.seqs.push_back(seq);
    batch_.bytes.append(data);
    batch_.ends.push_back(batch_.bytes.size());
    if (batch_.seqs.size() == kBatch) hand_over();
  }

  // Waits for every submitted entry; returns the first error the projection hit.
  core::Status finish() {
    if (!batch_.seqs.empty()) hand_over();
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (error_) return std::unexpected(*error_);
    return core::ok();
  }

  MemoryViews& views() { return views_; }
  // (entry seq, problem), in entry order.
  std::vector<std::pair<std::uint64_t, VerifyProblem>>& problems() { return problems_; }

 private:
  static constexpr std::size_t kBatch = 4096;
  static constexpr std::size_t kMaxQueued = 8;
  // Entries travel in batches whose bytes are one buffer: no allocation per entry on the
  // reading thread, and none to free on the worker.
  struct Batch {
    std::vector<std::uint64_t> seqs;
    std::vector<std::size_t> ends;  // end offset in bytes of each entry
    std::string bytes;
  };

  void hand_over() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
    const std::size_t bytes_hint = batch_.bytes.capacity();
    queue_.push_back(std::move(batch_));
    batch_ = Batch{};
    batch_.seqs.reserve(kBatch);
    batch_.ends.reserve(kBatch);
    batch_.bytes.reserve(bytes_hint);
    cv_.notify_all();
  }

  void run() {
    while (true) {
      Batch batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      cv_.notify_all();
      if (error_) continue;  // drain without work after a failure
      std::size_t begin = 0;
      for (std::size_t i = 0; i < batch.seqs.size(); ++i) {
        const std::string_view data(batch.bytes.data() + begin, batch.ends[i] - begin);
        begin = batch.ends[i];
        if (auto st = check(batch.seqs[i], data); !st) {
          error_ = st.error();
          break;
        }
      }
    }
  }

  core::Status check(std::uint64_t seq, std::string_view data) {
    auto problem = [&](std::string what) {
      if (problems_.size() < max_problems_) {
        problems_.push_back({seq, {"entry " + std::to_string(seq), std::move(what)}});
      }
    };
    auto env = decode_for_projection(data);
    if (!env) {
      problem("is not a valid envelope: " + env.error().message());
      return core::ok();
    }
    if (env->seq != seq) {
      problem("holds the envelope of seq " + std::to_string(env->seq) +
              " (rows swapped or rewritten)");
    }
    if (env->time < prev_time_) problem("is dated before the entry preceding it");
    prev_time_ = env->time;
    if (seq == 0 &&
        (env->type != domain::kJournalInitialized || env->payload.value("origin", "") != origin_ ||
         env->payload.value("verifier_key", "") != verifier_key_)) {
      problem("is not the journal.initialized event naming this journal's origin and key");
    }
    return project(*env, views_);
  }

  const std::string& origin_;
  const std::string& verifier_key_;
  const std::size_t max_problems_;
  // Owned by the worker thread until finish() returns.
  MemoryViews views_;
  std::vector<std::pair<std::uint64_t, VerifyProblem>> problems_;
  std::optional<core::Error> error_;
  core::Timestamp prev_time_{INT64_MIN};

  std::mutex mu_;  // guards queue_ and done_
  std::condition_variable cv_;
  std::deque<Batch> queue_;
  bool done_ = false;
  Batch batch_;         // the producer's, not shared
  std::thread thread_;  // last: starts after everything above is constructed
};

}  // namespace

core::Result<VerifyReport> JournalService::verify(const Progress& progress,
                                                  std::size_t max_problems) {
  std::lock_guard lock(store_mu_);
  // A sequential scan gains nothing from a large page cache and pays for filling it: SQLite's
  // default budget while verifying, the serving one restored after (docs/PERFORMANCE.md).
  PW_TRY(store_->set_page_cache_kib(2000));
  struct RestoreCache {
    store::Store& store;
    ~RestoreCache() { (void)store.set_page_cache_kib(store::kServingPageCacheKib); }
  } restore{*store_};
  // One snapshot for the whole check: appends by other processes meanwhile are not seen.
  PW_ASSIGN_OR_RETURN(std::unique_ptr<store::ReadSnapshot> snapshot, store_->read_snapshot());
  VerifyReport report;
  // Problems with the entry they were found at, so both threads' findings merge in journal
  // order; those found after the scan (checkpoints, views) sort last.
  std::vector<std::pair<std::uint64_t, VerifyProblem>> found;
  std::uint64_t expected = 0;
  constexpr std::uint64_t kAfterScan = UINT64_MAX;
  auto problem_at = [&](std::uint64_t order, std::string where, std::string what) {
    if (found.size() < max_problems) found.push_back({order, {std::move(where), std::move(what)}});
  };
  auto problem = [&](std::string where, std::string what) {
    problem_at(expected, std::move(where), std::move(what));
  };

  // The key that checkpoints must be signed with: the key file's, which must also be the one
  // the database and the journal's first entry name.
  PW_ASSIGN_OR_RETURN(journal::NoteVerifier verifier, journal::parse_verifier_key(verifier_key_));
  if (auto key = load_key_file(paths_.key); key) {
    if (key->verifier_key() != verifier_key_) {
      problem_at(
          0, "database meta",
          "verifier key " + verifier_key_ + " differs from the key file's " + key->verifier_key());
      verifier = key->verifier();
    }
  } else if (key.error().code() != core::Code::kNotFound) {
    return std::unexpected(key.error());
  }

  PW_ASSIGN_OR_RETURN(std::vector<store::CheckpointRow> checkpoints, store_->all_checkpoints());
  std::map<std::uint64_t, core::Hash> roots_at;  // recomputed roots at checkpoint sizes
  for (const auto& cp : checkpoints) roots_at[cp.size] = {};
  if (roots_at.count(0)) roots_at[0] = journal::empty_root();

  PW_ASSIGN_OR_RETURN(std::uint64_t size, store_->journal_size());
  journal::CompactRange range;
  NodeChecker nodes(*store_, report, problem);
  ProjectionWorker worker(origin_, verifier_key_, max_problems);
  std::vector<std::pair<journal::NodeId, core::Hash>> completed;
  bool gap = false;

  PW_TRY(store_->scan_entries(
      0, size, [&](std::uint64_t seq, std::string_view data) -> core::Result<bool> {
        if (seq != expected) {
          problem(
              "entry " + std::to_string(expected),
              "is missing (the next stored entry is " + std::to_string(seq) + "; rows deleted?)");
          gap = true;
          return false;
        }
        worker.submit(seq, data);
        completed.clear();
        range.append(journal::leaf_hash(core::as_bytes(data)), completed);
        for (const auto& [id, hash] : completed) PW_TRY(nodes.check(id, hash));
        if (auto it = roots_at.find(range.size()); it != roots_at.end()) it->second = range.root();
        ++expected;
        ++report.entries;
        if (progress && expected % kProgressEvery == 0) progress("entries", expected, size);
        return true;
      }));
  PW_TRY(worker.finish());
  for (auto& p : worker.problems()) found.push_back(std::move(p));
  if (progress) progress("entries", expected, size);
  expected = kAfterScan;
  if (!gap) PW_TRY(nodes.finish());
  MemoryViews& views = worker.views();
  report.root = range.root();

  for (const auto& cp : checkpoints) {
    ++report.checkpoints;
    const std::string where = "checkpoint " + std::to_string(cp.size);
    auto opened = journal::open_note(cp.note, {&verifier, 1});
    if (!opened) {
      problem(where, "signature does not verify: " + opened.error().message());
      continue;
    }
    auto body = journal::parse_checkpoint(opened->text);
    if (!body) {
      problem(where, "is malformed: " + body.error().message());
      continue;
    }
    if (body->origin != origin_) problem(where, "names origin '" + body->origin + "'");
    if (body->size != cp.size) {
      problem(where, "is stored under size " + std::to_string(cp.size) + " but signs size " +
                         std::to_string(body->size));
    } else if (cp.size > range.size()) {
      problem(where, "covers " + std::to_string(cp.size) + " entries but the journal has " +
                         std::to_string(range.size()) + " (entries deleted?)");
    } else if (body->root != roots_at[cp.size]) {
      problem(where, "root does not match the tree recomputed from the entries");
    }
  }

  // Views: the stored documents must equal a replay, document for document.
  auto expect = views.docs().begin();
  const auto expect_end = views.docs().end();
  PW_TRY(store_->scan_views(
      "",
      [&](std::string_view kind, std::string_view id, std::string_view doc) -> core::Result<bool> {
        ++report.views;
        const std::pair key{kind, id};
        const MemoryViews::KeyLess less;
        while (expect != expect_end && less(expect->first, key)) {
          problem(view_name(expect->first), "is missing (replay produces it)");
          ++expect;
        }
        if (expect != expect_end && !less(key, expect->first)) {
          if (std::string_view(expect->second) != doc) {
            problem(view_name(key), "differs from what the journal says");
          }
          ++expect;
        } else {
          problem(view_name(key), "is not explained by the journal");
        }
        return true;
      }));
  for (; expect != expect_end; ++expect) {
    problem(view_name(expect->first), "is missing (replay produces it)");
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, p] : found) {
    if (report.problems.size() == max_problems) break;
    report.problems.push_back(std::move(p));
  }
  return report;
}

core::Result<std::uint64_t> JournalService::replay(const Progress& progress) {
  std::lock_guard lock(store_mu_);
  PW_ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->begin_write());
  PW_TRY(txn->clear_views());
  PW_ASSIGN_OR_RETURN(std::uint64_t size, store_->journal_size());
  std::uint64_t expected = 0;
  PW_TRY(store_->scan_entries(
      0, size, [&](std::uint64_t seq, std::string_view data) -> core::Result<bool> {
        if (seq != expected) {
          return core::data_loss("journal entry " + std::to_string(expected) +
                                 " is missing; run 'portwarden journal verify'");
        }
        auto env = decode_for_projection(data);
        if (!env) {
          return core::data_loss("journal entry " + std::to_string(seq) +
                                 " is corrupt: " + env.error().message());
        }
        PW_TRY(project(*env, *txn));
        ++expected;
        if (progress && expected % kProgressEvery == 0) progress("replay", expected, size);
        return true;
      }));
  PW_TRY(txn->commit());
  if (progress) progress("replay", expected, size);
  return expected;
}

}  // namespace pw::app
