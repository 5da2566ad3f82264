#pragma once
// Helpers shared by the benchmark binaries.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

namespace pw::bench {

// Nearest-rank percentiles of `samples` (sorted in place), in the samples' unit.
struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;
};

inline Percentiles percentiles(std::vector<double>& samples) {
  Percentiles p;
  if (samples.empty()) return p;
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double q) {
    auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    return samples[std::clamp<std::size_t>(i, 1, samples.size()) - 1];
  };
  p.p50 = rank(0.50);
  p.p90 = rank(0.90);
  p.p99 = rank(0.99);
  p.p999 = rank(0.999);
  p.max = samples.back();
  double sum = 0;
  for (double s : samples) sum += s;
  p.mean = sum / static_cast<double>(samples.size());
  return p;
}

// Resident set and its high-water mark (VmRSS, VmHWM) in MiB, from /proc/self/status.
struct Memory {
  double rss_mib = 0;
  double peak_mib = 0;
};

inline Memory memory() {
  std::ifstream status("/proc/self/status");
  std::string key;
  Memory m;
  long kib = 0;
  while (status >> key) {
    if (key == "VmRSS:" && status >> kib) m.rss_mib = static_cast<double>(kib) / 1024.0;
    if (key == "VmHWM:" && status >> kib) m.peak_mib = static_cast<double>(kib) / 1024.0;
  }
  return m;
}

// Resets VmHWM to the current RSS (Linux >= 4.0), so that the next reading is the peak of what
// runs in between. getrusage's ru_maxrss is not reset: it stays the peak of the whole process.
inline void reset_peak() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

}  // namespace pw::bench
