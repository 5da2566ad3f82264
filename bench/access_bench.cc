// Access-check benchmarks (issue 5 item 3: "in-process decision p99 under 20 µs with 10,000
// grants"): AccessIndex::check over an index built from 10,000 grants, 300 suspensions and a few
// frozen assets, with random subjects, targets, modes and instants. Latency percentiles come from
// per-check timings (nearest rank) and are reported as counters in microseconds: p50_us, p99_us,
// ... Figures and the command: docs/ACCESS.md ("Performance").
//
// PW_BENCH_ACCESS_GRANTS (default 10000) and PW_BENCH_ACCESS_CHECKS (default 1000000) change the
// sizes. The data are generated from a fixed seed, so every run checks the same questions.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "access/index.h"
#include "access/state.h"
#include "bench_util.h"
#include "domain/access.h"

namespace {

using pw::access::AccessIndex;
using pw::access::AccessState;
using pw::core::Timestamp;
using pw::domain::GrantMode;
using Clock = std::chrono::steady_clock;

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

const std::uint64_t kGrants = env_u64("PW_BENCH_ACCESS_GRANTS", 10'000);
const std::uint64_t kChecks = env_u64("PW_BENCH_ACCESS_CHECKS", 1'000'000);
constexpr int kVendors = 20;
constexpr int kPeople = 2'000;  // technicians, 100 per vendor
constexpr int kAssets = 400;
constexpr int kRooms = 8;
constexpr std::int64_t kHour = 3'600'000'000;
const Timestamp kT0{1'780'000'000'000'000};  // 2026-05-28
constexpr std::int64_t kSpan = 30 * 24 * kHour;

std::string person_id(int i) {
  return "tech-" + std::to_string(i);
}
std::string vendor_of(int person) {
  return "vendor-" + std::to_string(person % kVendors);
}
std::string asset_id(int i) {
  return "scanner-" + std::to_string(i);
}
std::string room_id(int i) {
  return "room-" + std::to_string(i);
}

// The state a busy port might hold: kGrants grants of every mode and end state, suspensions of
// vendors, people and grants (some ended), and frozen assets.
AccessState make_state() {
  std::mt19937_64 rng(20210419);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  AccessState s;
  for (std::uint64_t i = 0; i < kGrants; ++i) {
    pw::domain::Grant g;
    const int person = static_cast<int>(uniform(0, kPeople - 1));
    g.id = "req-" + std::to_string(i / 2) + "#" + std::to_string(i % 2 + 1);
    g.request = "req-" + std::to_string(i / 2);
    g.person = person_id(person);
    g.vendor = vendor_of(person);
    const std::int64_t m = uniform(0, 9);
    g.mode = m < 5 ? GrantMode::kOnsite : m < 8 ? GrantMode::kRemote : GrantMode::kServerRoom;
    if (g.mode == GrantMode::kServerRoom) {
      g.room = room_id(static_cast<int>(uniform(0, kRooms - 1)));
    } else {
      g.asset = asset_id(static_cast<int>(uniform(0, kAssets - 1)));
    }
    const std::int64_t start = kT0.micros + uniform(0, kSpan);
    g.window = {Timestamp{start}, Timestamp{start + uniform(1, 8) * kHour}};
    g.issued_at = kT0;
    g.issued_by = "operator-1";
    const std::int64_t st = uniform(0, 19);
    if (st == 0) {
      g.state = pw::domain::GrantState::kRevoked;
      g.ended_at = Timestamp{start + kHour / 2};
    } else if (st == 1) {
      g.state = pw::domain::GrantState::kClosed;
      g.ended_at = Timestamp{start + kHour};
    }
    s.grants[g.id] = g;
  }
  for (int i = 0; i < 300; ++i) {
    pw::domain::Suspension x;
    x.id = "s-" + std::to_string(i);
    const std::int64_t kind = uniform(0, 9);
    if (kind == 0) {
      x.scope = pw::domain::SuspensionScope::kVendor;
      x.subject = "vendor-" + std::to_string(uniform(0, kVendors - 1));
      x.modes = {GrantMode::kRemote};
    } else if (kind < 6) {
      x.scope = pw::domain::SuspensionScope::kPerson;
      x.subject = person_id(static_cast<int>(uniform(0, kPeople - 1)));
    } else {
      x.scope = pw::domain::SuspensionScope::kGrant;
      x.subject =
          std::next(s.grants.begin(), uniform(0, static_cast<std::int64_t>(s.grants.size()) - 1))
              ->first;
    }
    x.reason = "bench";
    x.from = Timestamp{kT0.micros + uniform(0, kSpan)};
    if (uniform(0, 1) == 0) x.until = Timestamp{x.from.micros + uniform(1, 48) * kHour};
    x.by = "security-1";
    x.created_at = kT0;
    s.suspensions[x.id] = x;
  }
  for (int i = 0; i < 5; ++i) {
    const std::string a = asset_id(i * 37);
    s.frozen[a] =
        pw::domain::AssetFreeze{a, "bench", "security-1", Timestamp{kT0.micros + kSpan / 2}};
  }
  return s;
}

struct Question {
  std::string person;
  std::string target;
  GrantMode mode;
  Timestamp at;
};

// 70% ask about an existing grant's (person, target, mode) at an instant near its window (an
// hour either side), 30% about a random pair, mostly without any grant.
std::vector<Question> make_questions(const AccessState& s, std::uint64_t n) {
  std::mt19937_64 rng(7);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::vector<const pw::domain::Grant*> grants;
  grants.reserve(s.grants.size());
  for (const auto& [id, g] : s.grants) grants.push_back(&g);
  std::vector<Question> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    if (uniform(0, 9) < 7) {
      const pw::domain::Grant& g = *grants[static_cast<std::size_t>(
          uniform(0, static_cast<std::int64_t>(grants.size()) - 1))];
      out.push_back(
          {g.person, g.target(), g.mode,
           Timestamp{uniform(g.window.start.micros - kHour, g.window.end.micros + kHour)}});
    } else {
      const std::int64_t m = uniform(0, 2);
      const GrantMode mode = m == 0   ? GrantMode::kOnsite
                             : m == 1 ? GrantMode::kRemote
                                      : GrantMode::kServerRoom;
      out.push_back({person_id(static_cast<int>(uniform(0, kPeople - 1))),
                     mode == GrantMode::kServerRoom
                         ? room_id(static_cast<int>(uniform(0, kRooms - 1)))
                         : asset_id(static_cast<int>(uniform(0, kAssets - 1))),
                     mode, Timestamp{kT0.micros + uniform(0, kSpan)}});
    }
  }
  return out;
}

const AccessState& state() {
  static const AccessState s = make_state();
  return s;
}

// Per-check latency, one timing per call; reports the percentiles and the share allowed.
void BM_AccessCheckLatency(benchmark::State& st) {
  const AccessIndex ix = AccessIndex::build(state());
  const std::vector<Question> qs = make_questions(state(), kChecks);
  std::vector<double> micros;
  micros.reserve(qs.size());
  std::uint64_t allowed = 0;
  for (auto _ : st) {
    micros.clear();
    allowed = 0;
    for (const Question& q : qs) {
      const auto a = Clock::now();
      const pw::access::CheckResult r = ix.check(q.person, q.target, q.mode, q.at);
      const auto b = Clock::now();
      benchmark::DoNotOptimize(r);
      allowed += r.allow ? 1 : 0;
      micros.push_back(std::chrono::duration<double, std::micro>(b - a).count());
    }
  }
  pw::bench::Percentiles p = pw::bench::percentiles(micros);
  st.counters["grants"] = static_cast<double>(ix.grant_count());
  st.counters["checks"] = static_cast<double>(qs.size());
  st.counters["allowed_pct"] =
      100.0 * static_cast<double>(allowed) / static_cast<double>(qs.size());
  st.counters["mean_us"] = p.mean;
  st.counters["p50_us"] = p.p50;
  st.counters["p90_us"] = p.p90;
  st.counters["p99_us"] = p.p99;
  st.counters["p999_us"] = p.p999;
  st.counters["max_us"] = p.max;
}
BENCHMARK(BM_AccessCheckLatency)->Iterations(1)->Unit(benchmark::kMillisecond);

// Throughput without per-call timers (the cost of two clock reads is left out).
void BM_AccessCheckThroughput(benchmark::State& st) {
  const AccessIndex ix = AccessIndex::build(state());
  const std::vector<Question> qs = make_questions(state(), 100'000);
  std::size_t i = 0;
  for (auto _ : st) {
    const Question& q = qs[i];
    benchmark::DoNotOptimize(ix.check(q.person, q.target, q.mode, q.at));
    i = i + 1 == qs.size() ? 0 : i + 1;
  }
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()));
}
BENCHMARK(BM_AccessCheckThroughput)->Unit(benchmark::kNanosecond);

// Building the index from the state (what the app does at start or after a replay).
void BM_AccessIndexBuild(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(AccessIndex::build(state()));
  st.counters["grants"] = static_cast<double>(state().grants.size());
}
BENCHMARK(BM_AccessIndexBuild)->Unit(benchmark::kMillisecond);

// Folding one grant event into a built index (the incremental path).
void BM_AccessIndexApplyGrantEvent(benchmark::State& st) {
  AccessIndex ix = AccessIndex::build(state());
  const pw::domain::Grant& g = state().grants.begin()->second;
  const pw::access::Event e{std::string(pw::domain::kAccessGrantClosed),
                            {{"grant", pw::domain::grant_to_json(g)}, {"reason", "bench"}}};
  for (auto _ : st) {
    if (!ix.apply(e)) st.SkipWithError("apply failed");
  }
}
BENCHMARK(BM_AccessIndexApplyGrantEvent)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
