// Scale check, not a benchmark and never a timed assertion (benchmarks belong in bench/): a
// random register-like graph of 1M entities and 3M statements with heavy-tailed degrees and a few
// percent of statements in cross-holdings, and the exposure of every entity to ~30 states.
// Run by hand:
//   ownership_test --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_Scale*'
// It prints build and exposure times and the process's memory.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "ownership/exposure.h"
#include "ownership/integrated.h"
#include "ownership/internal/cone.h"
#include "ownership/internal/graph_data.h"

namespace pw::ownership {
namespace {

using Clock = std::chrono::steady_clock;

// Resident and peak resident memory of this process in MiB (Linux), for the report only.
std::pair<long, long> memory_mib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long rss = 0, peak = 0;
  while (status >> key) {
    if (key == "VmRSS:") status >> rss;
    if (key == "VmHWM:") status >> peak;
  }
  return {rss / 1024, peak / 1024};
}

void reset_peak() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

domain::OwnershipDataset register_like(std::uint64_t seed) {
  constexpr int kEntities = 1'000'000;
  constexpr int kStates = 30;
  constexpr int kBodies = 300;  // state bodies, spread over the states
  constexpr int kPersons = 300'000;
  constexpr std::size_t kEdges = 3'000'000;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  domain::OwnershipDataset ds;
  ds.entities.resize(kEntities);
  const int first_company = kStates + kBodies + kPersons;
  const int companies = kEntities - first_company;
  for (int i = 0; i < kEntities; ++i) {
    domain::Entity& e = ds.entities[i];
    e.id = std::to_string(i);
    if (i < kStates) {
      e.kind = domain::EntityKind::kState;
      e.country = {static_cast<char>('A' + i / 26), static_cast<char>('A' + i % 26)};
    } else if (i < kStates + kBodies) {
      e.kind = domain::EntityKind::kStateBody;
      e.country = ds.entities[static_cast<int>(unit(rng) * kStates)].country;
    } else if (i < first_company) {
      e.kind = domain::EntityKind::kPerson;
    } else {
      e.kind = domain::EntityKind::kCompany;
    }
  }
  // Each company's owners: in-degree heavy-tailed (mean ~3); owners preferentially among "older"
  // companies (rank below it, skewed to the first ones: holding companies own thousands), persons
  // and state bodies. Shares split a random total of 50%-100%; 5% are ranges, 2% unknown.
  ds.edges.reserve(kEdges + kEdges / 10);
  std::vector<int> owners;
  auto add = [&](int owner, int owned, double share) {
    domain::Edge e;
    e.owner = ds.entities[owner].id;
    e.owned = ds.entities[owned].id;
    const double r = unit(rng);
    if (r < 0.02) {
      e.share = domain::Share::unknown();
    } else if (r < 0.07) {
      e.share = domain::Share::range(share * 0.5, share);
    } else {
      e.share = domain::Share::exact(share);
    }
    ds.edges.push_back(std::move(e));
  };
  for (int c = 0; c < companies && ds.edges.size() < kEdges * 97 / 100; ++c) {
    const int owned = first_company + c;
    const int degree =
        1 +
        static_cast<int>(std::floor(-std::log(1 - unit(rng)) * 3.2 * (unit(rng) < 0.05 ? 5 : 1)));
    owners.clear();
    for (int d = 0; d < degree; ++d) {
      const double r = unit(rng);
      int owner;
      if (r < 0.35 || c == 0) {
        owner = kStates + kBodies + static_cast<int>(unit(rng) * kPersons);
      } else if (r < 0.37) {
        owner = static_cast<int>(std::pow(unit(rng), 2) * (kStates + kBodies));
      } else {
        owner = first_company + static_cast<int>(std::pow(unit(rng), 3) * c);
      }
      if (owner == owned || std::find(owners.begin(), owners.end(), owner) != owners.end())
        continue;
      owners.push_back(owner);
    }
    double total = 0.5 + 0.5 * unit(rng);
    for (std::size_t k = 0; k < owners.size(); ++k) {
      const double share = k + 1 == owners.size() ? total : total * unit(rng) * 0.7;
      total -= share;
      add(owners[k], owned, share);
    }
  }
  // Cross-holdings: rings of 2-30 companies holding 1%-10% of the next (the owners above leave
  // 0%-50% of each company free, and the rings are kept within it).
  std::vector<double> free(companies, 0.0);
  {
    std::vector<double> held(kEntities, 0.0);
    for (const domain::Edge& e : ds.edges) held[std::stoi(e.owned)] += e.share.min;
    for (int c = 0; c < companies; ++c) free[c] = 1.0 - held[first_company + c];
  }
  for (int attempt = 0; attempt < 1'000'000 && ds.edges.size() < kEdges; ++attempt) {
    const int size = 2 + static_cast<int>(std::pow(unit(rng), 3) * 29);
    const int start = static_cast<int>(unit(rng) * (companies - 1000));
    std::vector<int> ring;
    for (int k = 0; k < size; ++k) ring.push_back(start + static_cast<int>(unit(rng) * 1000));
    for (int k = 0; k < size; ++k) {
      const int owner = ring[k];
      const int owned = ring[(k + 1) % size];
      const double share = std::min(0.01 + 0.09 * unit(rng), free[owned] * 0.5);
      if (owner == owned || share < 1e-4) continue;
      free[owned] -= share;
      add(first_company + owner, first_company + owned, share);
    }
  }
  return ds;
}

TEST(OwnershipScale, DISABLED_ScaleStateExposureOfAMillionEntities) {
  auto t = Clock::now();
  domain::OwnershipDataset ds = register_like(1);
  const std::size_t edges = ds.edges.size();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("generated %zu entities, %zu statements in %.2f s; rss %ld MiB\n", ds.entities.size(),
              edges, seconds_since(t), memory_mib().first);

  reset_peak();
  t = Clock::now();
  auto built = Graph::build(std::move(ds));
  ASSERT_TRUE(built) << built.error().to_string();
  const Graph g = std::move(*built);
  const internal::GraphData& d = g.data();
  std::size_t in_cycles = 0, largest = 0, cycle_edges = 0;
  for (std::int32_t p = 0; p < d.n; p = d.scc_end[p]) {
    const std::size_t size = static_cast<std::size_t>(d.scc_end[p] - d.scc_begin[p]);
    if (size > 1) in_cycles += size;
    largest = std::max(largest, size);
  }
  for (NodeId j = 0; j < d.n; ++j) {
    for (std::int32_t k = d.in_begin[j]; k < d.in_begin[j + 1]; ++k) {
      cycle_edges += d.in_cycle(j) && d.scc_begin[d.pos[j]] == d.scc_begin[d.pos[d.in[k].owner]];
    }
  }
  std::size_t binding = 0;
  for (auto b : d.binding) binding += b;
  std::printf(
      "build %.2f s: W %zu entries (%.1f%% inside cycles), %zu entities in cycles, "
      "largest cycle %zu, %zu binding companies, %zu states; rss %ld MiB, peak %ld MiB\n",
      seconds_since(t), d.in.size(),
      100.0 * static_cast<double>(cycle_edges) / static_cast<double>(d.in.size()), in_cycles,
      largest, binding, g.states().size(), memory_mib().first, memory_mib().second);

  for (const ExposureOptions& o : {ExposureOptions{1, 30, 256}, ExposureOptions{1, 8, 256},
                                   ExposureOptions{2, 15, 256}, ExposureOptions{2, 8, 256}}) {
    reset_peak();
    const long before = memory_mib().first;
    t = Clock::now();
    std::size_t pairs = 0, unknown = 0;
    double total = 0.0;
    auto done = for_each_state_exposure(
        g,
        [&](std::int32_t, std::span<const ExposureEntry> entries) {
          pairs += entries.size();
          for (const ExposureEntry& e : entries) {
            total += e.share.min;
            unknown += !e.share.known;
          }
        },
        o);
    ASSERT_TRUE(done) << done.error().to_string();
    std::printf(
        "exposure (threads %d, %d states per pass): %.2f s, %zu (entity, state) pairs, "
        "%zu with unknown shares, sum of minimums %.6f; rss before %ld MiB, peak %ld "
        "MiB\n",
        o.threads, o.states_per_pass, seconds_since(t), pairs, unknown, total, before,
        memory_mib().second);
  }

  // Single questions: a state body and a random company each.
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<NodeId> company(d.n / 2, d.n - 1);
  t = Clock::now();
  double sum = 0;
  for (int q = 0; q < 1000; ++q) {
    const NodeId owner = g.states()[q % g.states().size()].members.front();
    sum += integrated(g, owner, company(rng))->share.max;
  }
  std::size_t cone = 0;
  for (int q = 0; q < 100; ++q) {
    for (std::uint8_t in : internal::upstream_cone(d, company(rng))) cone += in;
  }
  std::printf(
      "1000 single integrated() queries: %.3f s (sum of upper bounds %.6f); mean "
      "upstream cone of a company: %zu entities\n",
      seconds_since(t), sum, cone / 100);
}

}  // namespace
}  // namespace pw::ownership
