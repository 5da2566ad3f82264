// Journal benchmarks: durable group-committed appends, inclusion proofs in a 10^7-entry journal,
// full verification of a 10^6-entry journal, and the pieces those figures are made of (disk
// flush latency, SQLite point reads, JSON checks, projection, SHA-256). Figures, commands and
// what limits each figure: docs/PERFORMANCE.md. Run through scripts/bench.sh (`make bench`).
//
// Everything runs on real files. Large journals are built once and cached in $PW_BENCH_DATA
// (default build/bench-data, relative to the working directory), as journal-1e7.db and
// journal-1e6.db plus their .key files; a cached journal of the wrong size is extended (if
// smaller) or rebuilt (if larger). Sizes can be lowered for profiling runs:
//   PW_BENCH_PROOF_ENTRIES  (default 10000000)  journal size for the proof benchmarks
//   PW_BENCH_VERIFY_ENTRIES (default 1000000)   journal size for the verify benchmarks
//   PW_BENCH_PROOFS         (default 100000)    proofs per proof benchmark
//
// Latency percentiles are computed here from per-operation timings (nearest rank) and reported
// as counters in microseconds: p50_us, p99_us, ...

#include <benchmark/benchmark.h>

#include "bench_util.h"
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "app/journal_service.h"
#include "app/projector.h"
#include "core/canonical_json.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "domain/event_types.h"
#include "journal/envelope.h"
#include "journal/merkle.h"
#include "store/sqlite/sqlite_store.h"

// Counts the disk flushes SQLite issues, so that the append benchmarks can report how many
// appends share one durable commit. The executable's definition interposes on libc's for every
// caller in the process (libsqlite3 calls fdatasync through the PLT); the call itself is passed
// to the kernel unchanged.
namespace {
std::atomic<std::uint64_t> g_flushes{0};
}  // namespace

extern "C" int fdatasync(int fd) {
  g_flushes.fetch_add(1, std::memory_order_relaxed);
  return static_cast<int>(::syscall(SYS_fdatasync, fd));
}

extern "C" int fsync(int fd) {
  g_flushes.fetch_add(1, std::memory_order_relaxed);
  return static_cast<int>(::syscall(SYS_fsync, fd));
}

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using pw::app::EventDraft;
using pw::app::JournalPaths;
using pw::app::JournalService;

// ---------------------------------------------------------------------------------------------
// Configuration and small helpers

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

const std::uint64_t kProofEntries = env_u64("PW_BENCH_PROOF_ENTRIES", 10'000'000);
const std::uint64_t kVerifyEntries = env_u64("PW_BENCH_VERIFY_ENTRIES", 1'000'000);
const std::uint64_t kProofs = env_u64("PW_BENCH_PROOFS", 100'000);
// Drafts per command when building a journal: each commit then holds this many entries.
constexpr std::size_t kBuildBatch = 10'000;
constexpr const char* kOrigin = "bench.example/log";

fs::path data_dir() {
  const char* v = std::getenv("PW_BENCH_DATA");
  fs::path dir = (v != nullptr && *v != '\0') ? fs::path(v) : fs::path("build/bench-data");
  std::error_code ec;
  fs::create_directories(dir, ec);
  return fs::absolute(dir);
}

[[noreturn]] void fatal(const std::string& what) {
  std::fprintf(stderr, "journal_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(pw::core::Result<T> r, const std::string& what) {
  if (!r) fatal(what + ": " + r.error().to_string());
  return std::move(*r);
}

void must(const pw::core::Status& s, const std::string& what) {
  if (!s) fatal(what + ": " + s.error().to_string());
}

double micros_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

// CPU time of the calling thread (a system call: about a microsecond).
double thread_cpu_micros() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// "1e7" for powers of ten, the number otherwise: names the cached journal files.
std::string size_name(std::uint64_t n) {
  int exp = 0;
  std::uint64_t m = n;
  while (m >= 10 && m % 10 == 0) {
    m /= 10;
    ++exp;
  }
  return m == 1 && exp > 0 ? "1e" + std::to_string(exp) : std::to_string(n);
}

using pw::bench::Percentiles;
using pw::bench::percentiles;

void set_latency_counters(benchmark::State& state, std::vector<double>& micros) {
  const Percentiles p = percentiles(micros);
  state.counters["mean_us"] = p.mean;
  state.counters["p50_us"] = p.p50;
  state.counters["p90_us"] = p.p90;
  state.counters["p99_us"] = p.p99;
  state.counters["p999_us"] = p.p999;
  state.counters["max_us"] = p.max;
}

// Flushes everything pending (including the discards of deleted files, which the ext4 `discard`
// mount option issues at the next journal commit) so that it is not billed to the next
// flush-latency measurement.
void settle_disk() {
  ::sync();
}

// ---------------------------------------------------------------------------------------------
// Entries: operator notes, the product's free-text event, with texts of 40 to 231 characters so
// that entries vary in size like real notes (about 300 bytes in canonical form). Notes are also
// the event type with the most projection work (one view document per note).

constexpr std::string_view kLorem =
    "Vendor technician requested remote access to the packaging line PLC to update the recipe "
    "tables; change ticket CHG-20931 approved by the shift lead, session recorded, firmware "
    "checksum compared with the vendor's published digest before and after the update. OK.";

EventDraft note_draft(std::uint64_t i, const std::string& actor) {
  const std::size_t len = 40 + static_cast<std::size_t>((i * 2654435761u) % 192);
  EventDraft d;
  d.type = std::string(pw::domain::kOperatorNote);
  d.actor = actor;
  d.payload = {{"text", std::string(kLorem.substr(0, len))},
               {"subject", "asset:plc-" + std::to_string(i % 997)}};
  return d;
}

const pw::core::SystemClock& system_clock() {
  static const pw::core::SystemClock clock;
  return clock;
}

// ---------------------------------------------------------------------------------------------
// Cached journals

struct JournalFixture {
  JournalPaths paths;
  std::uint64_t size = 0;
};

void remove_journal(const JournalPaths& paths) {
  std::error_code ec;
  fs::remove(paths.key, ec);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(paths.db + suffix, ec);
}

// Appends `count` notes with commands of kBuildBatch drafts each (one commit per command).
void append_notes(JournalService& svc, std::uint64_t first, std::uint64_t count) {
  const std::string actor = "cli:bench-builder";
  const auto start = Clock::now();
  std::uint64_t done = 0;
  while (done < count) {
    const std::uint64_t n = std::min<std::uint64_t>(kBuildBatch, count - done);
    const std::uint64_t base = first + done;
    auto appended =
        svc.execute([&](pw::store::ViewAccess&) -> pw::core::Result<std::vector<EventDraft>> {
          std::vector<EventDraft> drafts;
          drafts.reserve(n);
          for (std::uint64_t k = 0; k < n; ++k) drafts.push_back(note_draft(base + k, actor));
          return drafts;
        });
    if (!appended) fatal("building journal: " + appended.error().to_string());
    done += n;
    if (done % 500'000 == 0 || done == count) {
      const double s = seconds_between(start, Clock::now());
      std::fprintf(stderr, "journal_bench: built %llu/%llu entries, %.0f entries/s\n",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(count),
                   static_cast<double>(done) / s);
    }
  }
}

// Reads the file once so that the figures are those of a server whose journal is in the OS page
// cache (steady state with enough memory), not of the first reads from disk.
void warm_os_cache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::vector<char> buf(1 << 20);
  while (::read(fd, buf.data(), buf.size()) > 0) {
  }
  ::close(fd);
}

// A journal of exactly `n` entries (the journal.initialized entry plus n - 1 notes) with a
// checkpoint at its size, built on first use and cached across runs.
JournalFixture& cached_journal(std::uint64_t n) {
  static std::mutex mu;
  static std::map<std::uint64_t, JournalFixture> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(n); it != cache.end()) return it->second;

  const fs::path dir = data_dir();
  JournalFixture f;
  f.paths.db = (dir / ("journal-" + size_name(n) + ".db")).string();
  f.paths.key = (dir / ("journal-" + size_name(n) + ".key")).string();

  std::unique_ptr<JournalService> svc;
  std::error_code ec;
  if (fs::exists(f.paths.db, ec) && fs::exists(f.paths.key, ec)) {
    auto opened = JournalService::open(f.paths, system_clock());
    if (opened) {
      auto size = (*opened)->size();
      if (size && *size <= n) {
        svc = std::move(*opened);
        if (*size < n) {
          std::fprintf(stderr, "journal_bench: extending %s from %llu to %llu entries\n",
                       f.paths.db.c_str(), static_cast<unsigned long long>(*size),
                       static_cast<unsigned long long>(n));
        }
      }
    }
  }
  if (!svc) {
    std::fprintf(stderr, "journal_bench: building %s (%llu entries, %zu per commit)\n",
                 f.paths.db.c_str(), static_cast<unsigned long long>(n), kBuildBatch);
    remove_journal(f.paths);
    must(pw::app::init_journal(f.paths, kOrigin, system_clock()), "init " + f.paths.db);
    svc = must(JournalService::open(f.paths, system_clock()), "open " + f.paths.db);
  }
  const std::uint64_t have = must(svc->size(), "size");
  if (have < n) {
    append_notes(*svc, have, n - have);
    // Fold the WAL back into the database so that every run starts from the same layout.
    sqlite3* db = nullptr;
    if (sqlite3_open(f.paths.db.c_str(), &db) == SQLITE_OK) {
      sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    }
    sqlite3_close(db);
  }
  must(svc->checkpoint(), "checkpoint");
  f.size = must(svc->size(), "size");
  if (f.size != n) fatal("journal " + f.paths.db + " has " + std::to_string(f.size) + " entries");
  warm_os_cache(f.paths.db);
  return cache.emplace(n, std::move(f)).first->second;
}

// Average size of the stored entries with seq < limit (read directly with SQLite).
double average_entry_bytes(const std::string& db_path, std::uint64_t limit) {
  sqlite3* db = nullptr;
  double avg = 0;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT avg(length(data)) FROM journal_entries WHERE seq < ?1", -1,
                           &s, nullptr) == SQLITE_OK) {
      sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(limit));
      if (sqlite3_step(s) == SQLITE_ROW) avg = sqlite3_column_double(s, 0);
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return avg;
}

// A fresh journal in a private temporary folder under the data folder (same disk as the
// cached journals), removed on destruction.
class TempJournal {
 public:
  TempJournal() {
    static std::atomic<int> counter{0};
    dir_ = data_dir() / ("tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    paths_.db = (dir_ / "journal.db").string();
    paths_.key = (dir_ / "journal.key").string();
    must(pw::app::init_journal(paths_, kOrigin, system_clock()), "init " + paths_.db);
  }
  ~TempJournal() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    settle_disk();
  }
  TempJournal(const TempJournal&) = delete;
  TempJournal& operator=(const TempJournal&) = delete;

  const JournalPaths& paths() const { return paths_; }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
  JournalPaths paths_;
};

// ---------------------------------------------------------------------------------------------
// 1. Durable appends

// The disk's flush latency, the ceiling of one appender (one flush per append): a small write
// then fdatasync, in the data folder. Arg 0 rewrites the same 4 KiB block (the WAL after a
// checkpoint restarts it), arg 1 appends 4 KiB blocks (a growing WAL: the flush also commits
// the file size).
void BM_RawFdatasync(benchmark::State& state) {
  const bool append = state.range(0) != 0;
  settle_disk();
  const fs::path path = data_dir() / ("flush-" + std::to_string(::getpid()) + ".bin");
  const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) fatal("open " + path.string());
  std::vector<char> block(4096, 'x');
  if (::pwrite(fd, block.data(), block.size(), 0) != static_cast<ssize_t>(block.size()) ||
      ::fdatasync(fd) != 0) {
    fatal("write " + path.string());
  }
  std::vector<double> latencies;
  off_t offset = 0;
  for (auto _ : state) {
    if (append) offset += static_cast<off_t>(block.size());
    const auto t0 = Clock::now();
    if (::pwrite(fd, block.data(), block.size(), offset) != static_cast<ssize_t>(block.size()) ||
        ::fdatasync(fd) != 0) {
      fatal("write " + path.string());
    }
    latencies.push_back(micros_between(t0, Clock::now()));
  }
  ::close(fd);
  std::error_code ec;
  fs::remove(path, ec);
  settle_disk();
  state.SetItemsProcessed(state.iterations());
  set_latency_counters(state, latencies);
}
BENCHMARK(BM_RawFdatasync)
    ->ArgName("append")
    ->Arg(0)
    ->Arg(1)
    ->UseRealTime()
    ->MinTime(2.0)
    ->Unit(benchmark::kMicrosecond);

// The smallest durable SQLite commit with the journal's settings (WAL, synchronous=FULL): one
// 64-byte row per transaction. 1 / its latency is the single-appender ceiling.
void BM_SqliteTinyCommit(benchmark::State& state) {
  const fs::path path = data_dir() / ("tiny-" + std::to_string(::getpid()) + ".db");
  auto cleanup = [&] {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix, ec);
  };
  cleanup();
  settle_disk();
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) fatal("open " + path.string());
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t (data) VALUES (zeroblob(64))", -1, &insert, nullptr);
  std::vector<double> latencies;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    if (sqlite3_step(insert) != SQLITE_DONE) fatal(sqlite3_errmsg(db));
    sqlite3_reset(insert);
    latencies.push_back(micros_between(t0, Clock::now()));
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  cleanup();
  settle_disk();
  state.SetItemsProcessed(state.iterations());
  set_latency_counters(state, latencies);
}
BENCHMARK(BM_SqliteTinyCommit)->UseRealTime()->MinTime(2.0)->Unit(benchmark::kMicrosecond);

// Shared by the threads of one run of BM_DurableAppend. Thread 0 sets it up before the
// benchmark loop (whose start is a barrier for all threads) and tears it down after every
// thread has handed in its latencies.
struct AppendRun {
  std::unique_ptr<TempJournal> journal;
  std::unique_ptr<JournalService> service;
  std::uint64_t flushes_before = 0;
  std::mutex mu;  // guards latencies_us
  std::vector<double> latencies_us;
  std::atomic<int> finished{0};
};
AppendRun* g_append_run = nullptr;

// Threads calling JournalService::append on one shared service: concurrent calls share a
// commit (group commit), each commit is a durable SQLite COMMIT (WAL, synchronous=FULL).
void BM_DurableAppend(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_append_run = new AppendRun;
    g_append_run->journal = std::make_unique<TempJournal>();
    g_append_run->service =
        must(JournalService::open(g_append_run->journal->paths(), system_clock()), "open");
    settle_disk();
    g_append_run->flushes_before = g_flushes.load();
  }
  const std::string actor = "cli:appender-" + std::to_string(state.thread_index());
  std::vector<double> latencies;
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) << 32;
  for (auto _ : state) {
    EventDraft draft = note_draft(i++, actor);
    const auto t0 = Clock::now();
    auto appended = g_append_run->service->append(std::move(draft));
    const auto t1 = Clock::now();
    if (!appended) fatal("append: " + appended.error().to_string());
    latencies.push_back(micros_between(t0, t1));
  }
  state.SetItemsProcessed(state.iterations());
  AppendRun& run = *g_append_run;
  {
    std::lock_guard lock(run.mu);
    run.latencies_us.insert(run.latencies_us.end(), latencies.begin(), latencies.end());
  }
  run.finished.fetch_add(1);
  if (state.thread_index() != 0) return;
  while (run.finished.load() < state.threads()) std::this_thread::yield();
  const double appends = static_cast<double>(run.latencies_us.size());
  const double flushes = static_cast<double>(g_flushes.load() - run.flushes_before);
  state.counters["appends_per_flush"] = flushes > 0 ? appends / flushes : 0;
  set_latency_counters(state, run.latencies_us);
  delete g_append_run;
  g_append_run = nullptr;
}
BENCHMARK(BM_DurableAppend)
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(3.0)
    ->Unit(benchmark::kMicrosecond);

// One command returning `range(0)` drafts (the way the cached journals are built): the
// non-durable per-entry cost of the write path (envelope encoding, hashing, inserts,
// projection) with one flush amortized over the batch.
void BM_ExecuteBatch(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  TempJournal journal;
  auto svc = must(JournalService::open(journal.paths(), system_clock()), "open");
  std::uint64_t next = 0;
  for (auto _ : state) {
    append_notes(*svc, next, n);
    next += n;
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ExecuteBatch)
    ->Arg(10'000)
    ->Iterations(20)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// 2. Inclusion proofs

std::vector<std::uint64_t> random_indexes(std::uint64_t size, std::uint64_t count) {
  std::mt19937_64 rng(20261129);
  std::uniform_int_distribution<std::uint64_t> pick(0, size - 1);
  std::vector<std::uint64_t> out(count);
  for (auto& i : out) i = pick(rng);
  return out;
}

// JournalService::inclusion_proof(index, size) for random indexes in a journal of range(0)
// entries: what `portwarden journal proof` and the proof API serve.
void BM_InclusionProof(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  JournalFixture& f = cached_journal(n);
  auto svc = must(JournalService::open(f.paths, system_clock()), "open");
  const std::vector<std::uint64_t> indexes = random_indexes(n, kProofs);
  // The proofs served must be right: check some against the root before timing anything.
  for (std::size_t k = 0; k < 100 && k < indexes.size(); ++k) {
    auto p = must(svc->inclusion_proof(indexes[k], n), "proof");
    must(pw::journal::verify_inclusion(p.index, p.size, p.leaf_hash, p.proof, p.root),
         "verify proof " + std::to_string(indexes[k]));
  }
  std::vector<double> latencies;
  latencies.reserve(indexes.size());
  std::size_t k = 0;
  std::uint64_t hashes = 0;
  for (auto _ : state) {
    const std::uint64_t index = indexes[k++ % indexes.size()];
    const auto t0 = Clock::now();
    auto proof = svc->inclusion_proof(index, n);
    const auto t1 = Clock::now();
    if (!proof) fatal("proof: " + proof.error().to_string());
    hashes += proof->proof.size();
    latencies.push_back(micros_between(t0, t1));
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["proof_hashes"] =
      static_cast<double>(hashes) / static_cast<double>(state.iterations());
  set_latency_counters(state, latencies);
}
BENCHMARK(BM_InclusionProof)
    ->Arg(static_cast<std::int64_t>(kProofEntries))
    ->Iterations(static_cast<std::int64_t>(kProofs))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// Counts and times the stored-node reads the journal's proof code asks for.
class TimedNodeSource final : public pw::journal::NodeSource {
 public:
  explicit TimedNodeSource(pw::store::Store& store) : store_(store) {}
  pw::core::Status read_nodes(std::span<const pw::journal::NodeId> ids,
                              std::span<pw::core::Hash> out) override {
    const auto t0 = Clock::now();
    auto st = store_.read_nodes(ids, out);
    micros += micros_between(t0, Clock::now());
    nodes += ids.size();
    ++calls;
    return st;
  }
  double micros = 0;
  std::uint64_t nodes = 0;
  std::uint64_t calls = 0;

 private:
  pw::store::Store& store_;
};

// The same proofs as BM_InclusionProof, taken apart: the store opened directly, every step of
// JournalService::inclusion_proof timed on its own (size query, entry read, leaf node read,
// proof nodes, root nodes), node reads counted. Counters are microseconds per proof, except
// nodes_per_proof and us_per_node (the mean cost of one SQLite point read of a node), and
// cpu_p50_us/cpu_p99_us (thread CPU time per proof, percentiles).
void BM_InclusionProofSplit(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  JournalFixture& f = cached_journal(n);
  auto store = must(pw::store::sqlite::open_store(f.paths.db, {}), "open store");
  TimedNodeSource source(*store);
  const std::vector<std::uint64_t> indexes = random_indexes(n, kProofs);
  double t_size = 0, t_entry = 0, t_leaf = 0, t_proof = 0, t_root = 0;
  std::uint64_t proof_nodes = 0, root_nodes = 0;
  std::vector<double> cpu_micros;
  cpu_micros.reserve(indexes.size());
  std::size_t k = 0;
  for (auto _ : state) {
    const std::uint64_t index = indexes[k++ % indexes.size()];
    const double cpu0 = thread_cpu_micros();
    auto t0 = Clock::now();
    const std::uint64_t size = must(store->journal_size(), "size");
    benchmark::DoNotOptimize(size);
    auto t1 = Clock::now();
    t_size += micros_between(t0, t1);
    std::string entry = must(store->read_entry(index), "entry");
    benchmark::DoNotOptimize(entry);
    t0 = Clock::now();
    t_entry += micros_between(t1, t0);
    pw::journal::NodeId leaf_id{0, index};
    pw::core::Hash leaf{};
    must(source.read_nodes({&leaf_id, 1}, {&leaf, 1}), "leaf");
    t1 = Clock::now();
    t_leaf += micros_between(t0, t1);
    std::uint64_t before = source.nodes;
    auto proof = must(pw::journal::inclusion_proof(source, index, n), "proof");
    benchmark::DoNotOptimize(proof);
    t0 = Clock::now();
    t_proof += micros_between(t1, t0);
    proof_nodes += source.nodes - before;
    before = source.nodes;
    auto root = must(pw::journal::tree_root(source, n), "root");
    benchmark::DoNotOptimize(root);
    t1 = Clock::now();
    t_root += micros_between(t0, t1);
    root_nodes += source.nodes - before;
    cpu_micros.push_back(thread_cpu_micros() - cpu0);
  }
  const auto iters = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["size_us"] = t_size / iters;
  state.counters["entry_us"] = t_entry / iters;
  state.counters["leaf_us"] = t_leaf / iters;
  state.counters["proof_us"] = t_proof / iters;
  state.counters["root_us"] = t_root / iters;
  state.counters["proof_nodes"] = static_cast<double>(proof_nodes) / iters;
  state.counters["root_nodes"] = static_cast<double>(root_nodes) / iters;
  state.counters["nodes_per_proof"] = static_cast<double>(source.nodes) / iters;
  state.counters["us_per_node"] = source.micros / static_cast<double>(source.nodes);
  // CPU time per proof: unlike wall time, not inflated when the thread is preempted.
  const Percentiles cpu = percentiles(cpu_micros);
  state.counters["cpu_p50_us"] = cpu.p50;
  state.counters["cpu_p99_us"] = cpu.p99;
}
BENCHMARK(BM_InclusionProofSplit)
    ->Arg(static_cast<std::int64_t>(kProofEntries))
    ->Iterations(static_cast<std::int64_t>(kProofs))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// Records the node ids a proof asks for (and answers with zero hashes).
class RecordingNodeSource final : public pw::journal::NodeSource {
 public:
  pw::core::Status read_nodes(std::span<const pw::journal::NodeId> ids,
                              std::span<pw::core::Hash> out) override {
    ids_.insert(ids_.end(), ids.begin(), ids.end());
    for (auto& h : out) h = {};
    return pw::core::ok();
  }
  std::vector<pw::journal::NodeId> take() { return std::exchange(ids_, {}); }

 private:
  std::vector<pw::journal::NodeId> ids_;
};

// The node reads of JournalService::inclusion_proof (leaf, proof and root nodes) for the same
// random indexes, done with the raw SQLite statement the store uses, under different connection
// settings: 0 = the store's (SQLite defaults: 2 MB page cache, no mmap), 1 = a 256 MiB page
// cache (PRAGMA cache_size=-262144), 2 = the database memory-mapped (PRAGMA mmap_size=16 GiB).
// Setting 3 estimates a proposed change: the store's settings, but only the reads that remain
// when the leaf hash is computed from the entry, the root comes from memory (the service's
// tip, or a cache of roots by size) and nodes at level >= 10 (n / 512 hashes in all, 32 bytes
// each) are kept in memory. p50_us/p99_us are per proof, node reads only.
void BM_ProofNodeReads(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  const auto variant = state.range(1);
  constexpr int kCachedLevel = 10;
  JournalFixture& f = cached_journal(n);
  const std::vector<std::uint64_t> indexes = random_indexes(n, kProofs);
  std::vector<std::vector<pw::journal::NodeId>> plans;
  plans.reserve(indexes.size());
  RecordingNodeSource recorder;
  std::uint64_t low_nodes = 0, all_nodes = 0;
  for (std::uint64_t index : indexes) {
    pw::journal::NodeId leaf_id{0, index};
    pw::core::Hash leaf{};
    must(recorder.read_nodes({&leaf_id, 1}, {&leaf, 1}), "leaf");
    must(pw::journal::inclusion_proof(recorder, index, n), "plan proof");
    std::vector<pw::journal::NodeId> leaf_and_proof = recorder.take();
    must(pw::journal::tree_root(recorder, n), "plan root");
    std::vector<pw::journal::NodeId> root = recorder.take();
    std::vector<pw::journal::NodeId> plan;
    if (variant == 3) {
      for (std::size_t i = 1; i < leaf_and_proof.size(); ++i) {
        if (leaf_and_proof[i].level < kCachedLevel) plan.push_back(leaf_and_proof[i]);
      }
    } else {
      plan = leaf_and_proof;
      plan.insert(plan.end(), root.begin(), root.end());
    }
    for (const auto& id : leaf_and_proof) low_nodes += id.level < kCachedLevel ? 1 : 0;
    all_nodes += plan.size();
    plans.push_back(std::move(plan));
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(f.paths.db.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    fatal("open " + f.paths.db);
  }
  const char* pragma = variant == 1   ? "PRAGMA cache_size=-262144"
                       : variant == 2 ? "PRAGMA mmap_size=17179869184"
                                      : "SELECT 1";
  sqlite3_exec(db, pragma, nullptr, nullptr, nullptr);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT hash FROM journal_nodes WHERE level = ?1 AND idx = ?2", -1, &s,
                         nullptr) != SQLITE_OK) {
    fatal(sqlite3_errmsg(db));
  }
  std::vector<double> latencies;
  latencies.reserve(plans.size());
  std::size_t k = 0;
  std::uint64_t reads = 0;
  for (auto _ : state) {
    const auto& plan = plans[k++ % plans.size()];
    const auto t0 = Clock::now();
    for (const auto& id : plan) {
      sqlite3_reset(s);
      sqlite3_bind_int64(s, 1, id.level);
      sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(id.index));
      if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_bytes(s, 0) != 32) {
        fatal("node level " + std::to_string(id.level) + " index " + std::to_string(id.index));
      }
      pw::core::Hash h;
      std::memcpy(h.data(), sqlite3_column_blob(s, 0), h.size());
      benchmark::DoNotOptimize(h);
    }
    latencies.push_back(micros_between(t0, Clock::now()));
    reads += plan.size();
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  double total_us = 0;
  for (double l : latencies) total_us += l;
  state.SetItemsProcessed(state.iterations());
  state.counters["nodes_per_proof"] =
      static_cast<double>(all_nodes) / static_cast<double>(plans.size());
  state.counters["leaf_proof_nodes_below_level_10"] =
      static_cast<double>(low_nodes) / static_cast<double>(plans.size());
  state.counters["us_per_node"] = total_us / static_cast<double>(reads);
  set_latency_counters(state, latencies);
}
BENCHMARK(BM_ProofNodeReads)
    ->ArgNames({"n", "settings"})
    ->Args({static_cast<std::int64_t>(kProofEntries), 0})
    ->Args({static_cast<std::int64_t>(kProofEntries), 1})
    ->Args({static_cast<std::int64_t>(kProofEntries), 2})
    ->Args({static_cast<std::int64_t>(kProofEntries), 3})
    ->Iterations(static_cast<std::int64_t>(kProofs))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------------
// 3. Verification

// Verifies the cached journal once, untimed (which also warms every cache): a journal cached
// by an older build may hold views the current projector no longer produces, which
// `journal replay` rebuilds, exactly as an operator would after an upgrade.
void ensure_verifies(JournalFixture& f) {
  static std::mutex mu;
  static std::map<std::string, bool> done;
  std::lock_guard lock(mu);
  if (done[f.paths.db]) return;
  auto svc = must(JournalService::open(f.paths, system_clock()), "open");
  auto report = must(svc->verify({}), "verify");
  if (!report.ok()) {
    std::fprintf(stderr, "journal_bench: %s: %s %s; replaying the views\n", f.paths.db.c_str(),
                 report.problems.front().where.c_str(), report.problems.front().what.c_str());
    must(svc->replay({}), "replay");
    report = must(svc->verify({}), "verify");
    if (!report.ok()) {
      fatal(f.paths.db + " does not verify: " + report.problems.front().where + " " +
            report.problems.front().what + " (delete it to rebuild)");
    }
  }
  done[f.paths.db] = true;
}

// JournalService::verify of a journal of range(0) entries: every entry decoded and re-hashed,
// every stored node compared, checkpoints checked, views compared with a replay.
void BM_Verify(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  JournalFixture& f = cached_journal(n);
  ensure_verifies(f);
  auto svc = must(JournalService::open(f.paths, system_clock()), "open");
  pw::app::VerifyReport report;
  for (auto _ : state) {
    report = must(svc->verify({}), "verify");
    if (!report.ok()) {
      fatal("verify found problems: " + report.problems.front().where + " " +
            report.problems.front().what);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(report.entries));
  state.counters["entries"] = static_cast<double>(report.entries);
  state.counters["nodes"] = static_cast<double>(report.nodes);
  state.counters["views"] = static_cast<double>(report.views);
  state.counters["avg_entry_bytes"] = average_entry_bytes(f.paths.db, n);
}
BENCHMARK(BM_Verify)
    ->Arg(static_cast<std::int64_t>(kVerifyEntries))
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The entries of the verify journal, in memory, for the cost split below.
const std::vector<std::string>& verify_entries() {
  static const std::vector<std::string> entries = [] {
    JournalFixture& f = cached_journal(kVerifyEntries);
    auto store = must(pw::store::sqlite::open_store(f.paths.db, {}), "open store");
    std::vector<std::string> out;
    out.reserve(f.size);
    must(store->scan_entries(0, f.size,
                             [&](std::uint64_t, std::string_view data) -> pw::core::Result<bool> {
                               out.emplace_back(data);
                               return true;
                             }),
         "scan");
    return out;
  }();
  return entries;
}

// The cost split of verify: each benchmark does one of verify's steps over all entries of the
// verify journal (range(0) entries); items are entries. The steps add up to about BM_Verify.
enum class Step {
  kScanEntries,     // SQLite: SELECT seq, data FROM journal_entries, in order
  kScanNodes,       // SQLite: every stored node, level by level, in index order
  kScanViews,       // SQLite: every stored view document
  kCheckCanonical,  // core::check_canonical of each entry (the first half of the header decode)
  kDecodeHeader,    // journal::decode_envelope_header: canonical check + header fields
  kParsePayload,    // core::parse_json_strict of the payloads project() reads (notes)
  kDecode,          // app::decode_for_projection: the two above, as verify calls it
  kProject,         // app::project into MemoryViews (decoding excluded from the time)
  kTreeHash,        // leaf hashes + CompactRange (node hashes): all the SHA-256 of verify
};

void BM_VerifyStep(benchmark::State& state, Step step) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  JournalFixture& f = cached_journal(n);
  ensure_verifies(f);
  const bool in_memory =
      step != Step::kScanEntries && step != Step::kScanNodes && step != Step::kScanViews;
  const std::vector<std::string>* entries = in_memory ? &verify_entries() : nullptr;
  auto store = must(pw::store::sqlite::open_store(f.paths.db, {}), "open store");
  pw::core::JsonLimits limits;
  limits.max_bytes = pw::journal::kMaxEntryBytes;
  std::uint64_t items = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    double excluded_us = 0;
    std::uint64_t bytes = 0;
    switch (step) {
      case Step::kScanEntries:
        must(store->scan_entries(0, n,
                                 [&](std::uint64_t, std::string_view d) -> pw::core::Result<bool> {
                                   bytes += d.size();
                                   return true;
                                 }),
             "scan");
        items += n;
        break;
      case Step::kScanNodes: {
        const int max_level = must(store->max_node_level(), "max level");
        for (int level = 0; level <= max_level; ++level) {
          auto cursor = must(store->scan_nodes(level), "scan nodes");
          while (auto row = must(cursor->next(), "next")) bytes += row->second[0];
        }
        items += n;
        break;
      }
      case Step::kScanViews:
        must(store->scan_views("",
                               [&](std::string_view, std::string_view,
                                   std::string_view doc) -> pw::core::Result<bool> {
                                 bytes += doc.size();
                                 return true;
                               }),
             "scan views");
        items += n;
        break;
      case Step::kCheckCanonical:
        for (const std::string& e : *entries) must(pw::core::check_canonical(e, limits), "check");
        items += entries->size();
        break;
      case Step::kDecodeHeader:
        for (const std::string& e : *entries) {
          auto h = must(pw::journal::decode_envelope_header(e), "decode header");
          bytes += h.payload_json.size();
        }
        items += entries->size();
        break;
      case Step::kParsePayload:
        for (const std::string& e : *entries) {
          const auto d0 = Clock::now();
          auto h = must(pw::journal::decode_envelope_header(e), "decode header");
          excluded_us += micros_between(d0, Clock::now());
          if (!pw::app::projection_reads_payload(h.type)) continue;
          auto j = must(pw::core::parse_json_strict(h.payload_json), "parse payload");
          bytes += j.size();
        }
        items += entries->size();
        break;
      case Step::kDecode:
        for (const std::string& e : *entries) {
          auto env = must(pw::app::decode_for_projection(e), "decode");
          bytes += env.seq;
        }
        items += entries->size();
        break;
      case Step::kProject: {
        pw::app::MemoryViews views;
        constexpr std::size_t kChunk = 4096;
        std::vector<pw::journal::Envelope> decoded;
        decoded.reserve(kChunk);
        for (std::size_t at = 0; at < entries->size(); at += kChunk) {
          const auto d0 = Clock::now();
          decoded.clear();
          for (std::size_t i = at; i < std::min(entries->size(), at + kChunk); ++i) {
            decoded.push_back(must(pw::app::decode_for_projection((*entries)[i]), "decode"));
          }
          excluded_us += micros_between(d0, Clock::now());
          for (const auto& env : decoded) must(pw::app::project(env, views), "project");
        }
        bytes += views.docs().size();
        items += entries->size();
        break;
      }
      case Step::kTreeHash: {
        pw::journal::CompactRange range;
        std::vector<std::pair<pw::journal::NodeId, pw::core::Hash>> completed;
        for (const std::string& e : *entries) {
          completed.clear();
          range.append(pw::journal::leaf_hash(pw::core::as_bytes(e)), completed);
        }
        bytes += range.root()[0];
        items += entries->size();
        break;
      }
    }
    benchmark::DoNotOptimize(bytes);
    state.SetIterationTime(micros_between(t0, Clock::now()) / 1e6 - excluded_us / 1e6);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
}
#define PW_VERIFY_STEP(name, step)                     \
  BENCHMARK_CAPTURE(BM_VerifyStep, name, step)         \
      ->Arg(static_cast<std::int64_t>(kVerifyEntries)) \
      ->Iterations(2)                                  \
      ->UseManualTime()                                \
      ->Unit(benchmark::kMillisecond)
PW_VERIFY_STEP(scan_entries, Step::kScanEntries);
PW_VERIFY_STEP(scan_nodes, Step::kScanNodes);
PW_VERIFY_STEP(scan_views, Step::kScanViews);
PW_VERIFY_STEP(check_canonical, Step::kCheckCanonical);
PW_VERIFY_STEP(decode_envelope_header, Step::kDecodeHeader);
PW_VERIFY_STEP(parse_payload, Step::kParsePayload);
PW_VERIFY_STEP(decode_for_projection, Step::kDecode);
PW_VERIFY_STEP(project, Step::kProject);
PW_VERIFY_STEP(tree_hash, Step::kTreeHash);

// The SHA-256 floor of verify on this machine, through the same OpenSSL EVP calls the journal
// uses (one reused context): range(0) digests of range(1) bytes, 65 for a node hash input
// (0x01 || left || right), 0 for "1 + the average entry size of the verify journal" (a leaf
// hash input, 0x00 || entry).
void BM_Sha256(benchmark::State& state) {
  std::size_t len = static_cast<std::size_t>(state.range(1));
  if (len == 0) {
    std::uint64_t total = 0;
    for (const std::string& e : verify_entries()) total += e.size();
    len = 1 + static_cast<std::size_t>(total / verify_entries().size());
  }
  const std::vector<std::uint8_t> input(len, 0x5a);
  pw::core::Sha256 hasher;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < state.range(0); ++i) {
      benchmark::DoNotOptimize(hasher.digest(input));
    }
  }
  state.counters["input_bytes"] = static_cast<double>(len);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * state.range(0) * static_cast<std::int64_t>(len));
}
BENCHMARK(BM_Sha256)
    ->ArgNames({"n", "bytes"})
    ->Args({1'000'000, 65})
    ->Args({1'000'000, 0})
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The machine's timing noise: the same ~40 us of pure computation (no memory, no system call)
// timed 100,000 times. Its p99/p50 is the tail that preemption, interrupts and a shared host add
// to any latency measured here, whatever the code does.
void BM_FixedWork(benchmark::State& state) {
  std::vector<double> latencies;
  latencies.reserve(100'000);
  std::uint64_t x = 1;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (int i = 0; i < 40'000; ++i) {
      x = x * 6364136223846793005u + 1442695040888963407u;
      benchmark::DoNotOptimize(x);
    }
    latencies.push_back(micros_between(t0, Clock::now()));
  }
  state.SetItemsProcessed(state.iterations());
  set_latency_counters(state, latencies);
}
BENCHMARK(BM_FixedWork)->Iterations(100'000)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
