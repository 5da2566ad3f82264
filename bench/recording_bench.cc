// Session recording throughput (docs/PERFORMANCE.md, "Session recordings"): what recording
// costs a proxied stream. Each iteration records 256 MiB (the proxy's reads of `read_size`
// bytes, 9 of 10 server-to-client) into a new file on the same disk as the gateway's recordings
// would be, then finishes the manifest; the file is removed outside the timing. Beside it: the
// floor (the same bytes written with write(2) in 1 MiB blocks, no framing, no hashing), SHA-256
// alone, and verification.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "formats/byte_source.h"
#include "formats/recording/recording.h"

namespace {

namespace rec = pw::formats::recording;
namespace fs = std::filesystem;

constexpr std::size_t kTotal = 256u << 20;
constexpr std::int64_t kStart = 1'796'000'000'000'000;

fs::path bench_dir() {
  const char* env = std::getenv("PW_BENCH_DATA");
  fs::path d = fs::path(env != nullptr ? env : "build/bench-data") / "recordings";
  fs::create_directories(d);
  return d;
}

std::vector<std::uint8_t> payload(std::size_t n) {
  std::vector<std::uint8_t> b(n);
  std::uint32_t x = 2463534242u;
  for (auto& c : b) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<std::uint8_t>(x);
  }
  return b;
}

rec::SessionInfo info() {
  return {
      "ses-bench", "g-1", "tech-1", "vendor-1", "scanner-1", "gw-1", pw::core::Timestamp{kStart}};
}

// Records kTotal bytes in reads of read_size; returns the file's path.
void record(const fs::path& path, std::size_t read_size, const std::vector<std::uint8_t>& data) {
  auto w = rec::RecordingWriter::create(path.string(), info());
  if (!w) std::abort();
  std::int64_t t = kStart;
  std::size_t i = 0;
  for (std::size_t done = 0; done < kTotal; done += read_size, ++i) {
    t += 10;  // 10 µs per read: ~1 s chunks never close on time, only on size
    const auto d = i % 10 == 0 ? rec::Direction::kUp : rec::Direction::kDown;
    if (!(*w)->write(d, pw::core::Timestamp{t}, pw::core::ByteView(data.data(), read_size))) {
      std::abort();
    }
  }
  if (!(*w)->finish(pw::core::Timestamp{t}, "bench")) std::abort();
  if (!(*w)->seal_unsigned("bench")) std::abort();  // includes one fsync
}

void BM_RecordingWrite(benchmark::State& state) {
  const auto read_size = static_cast<std::size_t>(state.range(0));
  const auto data = payload(read_size);
  const fs::path path = bench_dir() / "write.pwrec";
  for (auto _ : state) {
    record(path, read_size, data);
    state.PauseTiming();
    fs::remove(path);
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTotal));
}
BENCHMARK(BM_RecordingWrite)
    ->Arg(1024)
    ->Arg(16 * 1024)
    ->Arg(64 * 1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_PlainWriteFloor(benchmark::State& state) {
  const auto data = payload(1 << 20);
  const fs::path path = bench_dir() / "plain.bin";
  for (auto _ : state) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    for (std::size_t done = 0; done < kTotal; done += data.size()) {
      if (::write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) std::abort();
    }
    ::fsync(fd);
    ::close(fd);
    state.PauseTiming();
    fs::remove(path);
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTotal));
}
BENCHMARK(BM_PlainWriteFloor)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Sha256(benchmark::State& state) {
  const auto data = payload(1 << 20);
  pw::core::Sha256 h;
  for (auto _ : state) {
    for (std::size_t done = 0; done < kTotal; done += data.size()) h.update(data);
    benchmark::DoNotOptimize(h.finish());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTotal));
}
BENCHMARK(BM_Sha256)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RecordingVerify(benchmark::State& state) {
  const auto data = payload(16 * 1024);
  const fs::path path = bench_dir() / "verify.pwrec";
  fs::remove(path);
  record(path, data.size(), data);
  for (auto _ : state) {
    auto src = pw::formats::FileByteSource::open(path.string());
    rec::VerifyOptions o;
    o.allow_unsigned = true;
    auto r = rec::verify_recording(**src, o);
    if (!r) std::abort();
    benchmark::DoNotOptimize(r->frames);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTotal));
  fs::remove(path);
}
BENCHMARK(BM_RecordingVerify)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
