// The market-wide screen over a large OCDS file (issue 8 benchmark): 1,000,000 synthetic
// releases as JSON lines, streamed reader -> MarketAccumulator -> result, with releases/s,
// MB/s and the peak resident set. Figures and commands: docs/PERFORMANCE.md ("Procurement").
//
// The data is FICTIONAL: generated here with a fixed seed (ocids "ocds-fictional-...",
// companies "FICT-CO-..."), 2 to 6 bids per procedure, amounts in EUR with cents; the lowest
// valid bid wins; about 2 % of bids are disqualified and 1 % of procedures are cancelled.
//
// Variables: PW_BENCH_RELEASES (default 1000000), PW_BENCH_DATA (folder of the generated file,
// default build/bench-data; the file is reused when it exists with the same size and seed).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench_util.h"
#include "formats/ocds/ocds_reader.h"
#include "procurement/market.h"

namespace {

namespace fs = std::filesystem;
using pw::procurement::MarketAccumulator;
using pw::procurement::MarketMethod;
using pw::procurement::MarketOptions;

constexpr std::uint64_t kSeed = 0x5eed0cd5;

// splitmix64: small, fast, and the same sequence on every platform.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

std::uint64_t releases_wanted() {
  const char* v = std::getenv("PW_BENCH_RELEASES");
  return v ? std::strtoull(v, nullptr, 10) : 1000000;
}

// "123456.78" from cents.
std::string amount(std::uint64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%02llu", static_cast<unsigned long long>(cents / 100),
                static_cast<unsigned long long>(cents % 100));
  return buf;
}

// Writes `n` fictional compiled releases as JSON lines to `path`.
void generate(const fs::path& path, std::uint64_t n) {
  Rng rng{kSeed};
  std::ofstream out(path, std::ios::binary);
  std::string line;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t estimate = 1'000'000 + rng.below(500'000'000);  // cents
    const int bids = 2 + static_cast<int>(rng.below(5));
    char ocid[48];
    std::snprintf(ocid, sizeof ocid, "ocds-fictional-%08llu", static_cast<unsigned long long>(i));
    line = R"({"ocid":")";
    line += ocid;
    line += R"(","tender":{"title":"Fictional tender )" + std::to_string(i) +
            R"(","procurementMethodDetails":"open","status":")" +
            (rng.below(100) == 0 ? "cancelled" : "complete") + R"(","value":{"amount":)" +
            amount(estimate) + R"(,"currency":"EUR"}},"buyer":{"id":"FICT-BUYER-)" +
            std::to_string(rng.below(500)) + R"("},"bids":{"details":[)";
    std::uint64_t best = UINT64_MAX;
    std::string winner;
    for (int b = 0; b < bids; ++b) {
      // Bids between 60 % and 110 % of the estimate.
      const std::uint64_t cents = estimate * (60 + rng.below(51)) / 100 + rng.below(100);
      const bool valid = rng.below(50) != 0;
      const std::string company = "FICT-CO-" + std::to_string(rng.below(20000));
      if (valid && cents < best) {
        best = cents;
        winner = company;
      }
      if (b > 0) line += ',';
      line += R"({"id":"b)" + std::to_string(b + 1) + R"(","status":")" +
              (valid ? "valid" : "disqualified") + R"(","tenderers":[{"id":")" + company +
              R"("}],"value":{"amount":)" + amount(cents) + R"(,"currency":"EUR"}})";
    }
    line += "]}";
    if (!winner.empty()) {
      line += R"(,"awards":[{"id":"a1","status":"active","suppliers":[{"id":")" + winner +
              R"("}],"value":{"amount":)" + amount(best) + R"(,"currency":"EUR"}}])";
    }
    line += "}\n";
    out << line;
  }
}

fs::path data_file(std::uint64_t n) {
  const char* dir = std::getenv("PW_BENCH_DATA");
  const fs::path folder = dir ? fs::path(dir) : fs::path("build/bench-data");
  fs::create_directories(folder);
  const fs::path path =
      folder / ("ocds-fictional-" + std::to_string(n) + "-" + std::to_string(kSeed) + ".jsonl");
  if (!fs::exists(path)) {
    const fs::path tmp = path.string() + ".tmp";
    generate(tmp, n);
    fs::rename(tmp, path);
  }
  return path;
}

using pw::bench::Memory;
using pw::bench::memory;
using pw::bench::reset_peak;

void scan(benchmark::State& state, MarketMethod method) {
  const std::uint64_t n = releases_wanted();
  const fs::path path = data_file(n);
  const double bytes = static_cast<double>(fs::file_size(path));
  {  // read once so that the file sits in the page cache for the timed run
    std::ifstream warm(path, std::ios::binary);
    std::string buf(1 << 20, '\0');
    while (warm.read(buf.data(), static_cast<std::streamsize>(buf.size()))) {
    }
  }
  const Memory before = memory();
  reset_peak();
  std::uint64_t procedures = 0, flags = 0, points = 0;
  for (auto _ : state) {
    MarketOptions options;
    options.method = method;
    options.keep_points = false;
    MarketAccumulator acc(options);
    pw::formats::ocds::ReadOptions read;
    auto r = pw::formats::ocds::read_file(
        path.string(), read, [&](pw::domain::Procedure&& p, const pw::formats::ocds::ReleaseRef&) {
          return acc.add(p);
        });
    if (!r) {
      state.SkipWithError(r.error().to_string().c_str());
      return;
    }
    const auto result = acc.finish();
    procedures = r->summary.procedures;
    points = result.point_count;
    flags = result.flags.size();
    benchmark::DoNotOptimize(result);
  }
  const Memory after = memory();
  state.counters["releases"] = static_cast<double>(procedures);
  state.counters["releases_per_s"] =
      benchmark::Counter(static_cast<double>(procedures), benchmark::Counter::kIsRate);
  state.counters["MB_per_s"] = benchmark::Counter(bytes / 1e6, benchmark::Counter::kIsRate);
  state.counters["file_MB"] = bytes / 1e6;
  state.counters["points"] = static_cast<double>(points);
  state.counters["flags"] = static_cast<double>(flags);
  state.counters["rss_before_mib"] = before.rss_mib;
  state.counters["peak_rss_mib"] = after.peak_mib;
}

// The reader alone (the sink drops each procedure): how much of a scan is reading.
void BM_ReadOnly(benchmark::State& state) {
  const std::uint64_t n = releases_wanted();
  const fs::path path = data_file(n);
  const double bytes = static_cast<double>(fs::file_size(path));
  reset_peak();
  std::uint64_t procedures = 0;
  for (auto _ : state) {
    auto r = pw::formats::ocds::read_file(
        path.string(), pw::formats::ocds::ReadOptions{},
        [](pw::domain::Procedure&&, const pw::formats::ocds::ReleaseRef&) {
          return pw::core::ok();
        });
    if (!r) {
      state.SkipWithError(r.error().to_string().c_str());
      return;
    }
    procedures = r->summary.procedures;
  }
  state.counters["releases_per_s"] =
      benchmark::Counter(static_cast<double>(procedures), benchmark::Counter::kIsRate);
  state.counters["MB_per_s"] = benchmark::Counter(bytes / 1e6, benchmark::Counter::kIsRate);
  state.counters["peak_rss_mib"] = memory().peak_mib;
}
BENCHMARK(BM_ReadOnly)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ScanLowestBid(benchmark::State& state) {
  scan(state, MarketMethod::kLowestBid);
}
void BM_ScanCardinal(benchmark::State& state) {
  scan(state, MarketMethod::kCardinal);
}
BENCHMARK(BM_ScanLowestBid)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScanCardinal)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
