// Ownership benchmarks (issue 3 item 6): a register-like ownership graph written as BODS 0.4 JSON
// lines, imported with formats::import_file, compiled with ownership::Graph::build, the exposure
// of every entity to every state (ownership::for_each_state_exposure) and single explanations
// (ownership::explain). Figures, commands and what limits each figure:
// docs/PERFORMANCE-ownership.md. Run through scripts/bench-ownership.sh, which also runs the
// SciPy and networkx baselines (bench/baselines/ownership_baselines.py) on the same file.
//
// The register is generated once, deterministically from a seed, and cached in $PW_BENCH_DATA
// (default build/bench-data, relative to the working directory) as register-1m.jsonl for the
// default size (register-<entities>-<edges>.jsonl otherwise), with a .meta file that names the
// generator version, the seed and the generated graph's statistics; a cached file whose .meta
// does not match is generated again. Environment:
//   PW_BENCH_REG_ENTITIES (default 1000000)  entity records (states, state bodies, persons,
//                                            unknown owners, companies)
//   PW_BENCH_REG_EDGES    (default 3000000)  relationship records, one shareholding each
//   PW_BENCH_REG_SEED     (default 20240630)
//   PW_BENCH_EXPLAINS     (default 200)      explained entities per explain benchmark
//
// The generated graph (see generate_register below): ~30 states, each with state bodies of its
// own (BODS entityType "state" and "stateBody", jurisdiction = the state) and wholly owned by it;
// persons; unknown owners (unknownEntity, anonymousPerson ...) and a few relationships whose
// interested party is unspecified; companies. Owners' out-degrees are heavy-tailed (preferential
// attachment: a few holding companies and nominees own thousands); a company's disclosed owners'
// minimums never sum above 100% (35% of companies are fully disclosed, the others 50%-99.99%);
// shares are exact (93%), ranges or PSC-style bands (3%) or undisclosed (4%); about 2.5% of the
// statements are cross-holdings (rings of 2-20 companies holding 0.5%-10% of the next).
//
// Besides the Google Benchmark output, the binary writes $PW_BENCH_DATA/results/
// ownership_exposure_check.tsv (the exposure of a fixed sample of entities to every state, and
// per-state totals), which the baseline script compares with its SciPy solution.

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "bench_util.h"
#include "domain/ownership.h"
#include "formats/import.h"
#include "ownership/explain.h"
#include "ownership/exposure.h"
#include "ownership/graph.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using pw::ownership::NodeId;

// ---------------------------------------------------------------------------------------------
// Configuration and small helpers

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

const std::uint64_t kEntities = env_u64("PW_BENCH_REG_ENTITIES", 1'000'000);
const std::uint64_t kEdges = env_u64("PW_BENCH_REG_EDGES", 3'000'000);
const std::uint64_t kSeed = env_u64("PW_BENCH_REG_SEED", 20240630);
const std::uint64_t kExplains = env_u64("PW_BENCH_EXPLAINS", 200);
// Bumped whenever the generator's output changes, so that cached registers are regenerated.
constexpr int kGeneratorVersion = 1;
// Entities whose exposure is written for the baseline's cross-check.
constexpr std::size_t kCheckSample = 2000;

fs::path data_dir() {
  const char* v = std::getenv("PW_BENCH_DATA");
  fs::path dir = (v != nullptr && *v != '\0') ? fs::path(v) : fs::path("build/bench-data");
  std::error_code ec;
  fs::create_directories(dir / "results", ec);
  return fs::absolute(dir);
}

[[noreturn]] void fatal(const std::string& what) {
  std::fprintf(stderr, "ownership_bench: %s\n", what.c_str());
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

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// CPU time of the whole process (all threads), seconds.
double process_cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

using pw::bench::Memory;
using pw::bench::memory;
using pw::bench::reset_peak;

double process_peak_mib() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

using pw::bench::Percentiles;
using pw::bench::percentiles;

// xoshiro256** seeded by splitmix64: the same stream on every platform and standard library
// (std::uniform_*_distribution are implementation-defined), so a seed names one register.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& w : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      w = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  // Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for our n).
  std::uint64_t below(std::uint64_t n) {
    __extension__ using U128 = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<U128>(next()) * n) >> 64);
  }
  bool chance(double p) { return unit() < p; }
  double exponential() { return -std::log1p(-unit()); }  // mean 1

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Sampling from fixed weights by binary search over their running sums.
class Discrete {
 public:
  explicit Discrete(const std::vector<double>& weights) : cumulative_(weights.size()) {
    double sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) cumulative_[i] = sum += weights[i];
  }
  std::size_t sample(Rng& rng) const {
    const double x = rng.unit() * cumulative_.back();
    return static_cast<std::size_t>(
        std::upper_bound(cumulative_.begin(), cumulative_.end() - 1, x) - cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

// ---------------------------------------------------------------------------------------------
// 1. The register generator

struct Country {
  const char* code;
  const char* name;
};

// The states (in this order: the first has the most state bodies and SOE holdings) and the
// jurisdictions companies and persons are spread over.
constexpr Country kCountries[] = {{"CN", "China"},        {"US", "United States"},
                                  {"RU", "Russia"},       {"GB", "United Kingdom"},
                                  {"FR", "France"},       {"DE", "Germany"},
                                  {"SA", "Saudi Arabia"}, {"AE", "United Arab Emirates"},
                                  {"NO", "Norway"},       {"SG", "Singapore"},
                                  {"QA", "Qatar"},        {"IN", "India"},
                                  {"JP", "Japan"},        {"KR", "South Korea"},
                                  {"IT", "Italy"},        {"ES", "Spain"},
                                  {"NL", "Netherlands"},  {"SE", "Sweden"},
                                  {"CH", "Switzerland"},  {"BR", "Brazil"},
                                  {"TR", "Turkey"},       {"IR", "Iran"},
                                  {"KZ", "Kazakhstan"},   {"MY", "Malaysia"},
                                  {"ID", "Indonesia"},    {"VN", "Viet Nam"},
                                  {"PL", "Poland"},       {"FI", "Finland"},
                                  {"AT", "Austria"},      {"BY", "Belarus"}};
constexpr std::size_t kStates = std::size(kCountries);

constexpr std::string_view kWords[] = {
    "Northwind", "Harbor",   "Summit",    "Granite", "Meridian", "Aurora",   "Pioneer",
    "Sterling",  "Cobalt",   "Evergreen", "Falcon",  "Horizon",  "Ironwood", "Juniper",
    "Keystone",  "Lumen",    "Monarch",   "Nimbus",  "Orchid",   "Pinnacle", "Quarry",
    "Redwood",   "Sapphire", "Tidewater", "Union",   "Vanguard", "Westgate", "Zenith"};
constexpr std::string_view kSuffixes[] = {
    "Holdings Ltd", "Industries Co., Ltd.", "Capital LLC",       "Trading GmbH",
    "Energy S.A.",  "Systems plc",          "Technologies Inc.", "Logistics B.V."};
constexpr std::string_view kGiven[] = {"Anna",  "Wei",   "Olga",  "James", "Fatima", "Lars",
                                       "Maria", "Kenji", "Priya", "Omar",  "Elena",  "Tomas"};
constexpr std::string_view kFamily[] = {"Smith", "Wang",  "Ivanova", "Müller", "Haddad",
                                        "Berg",  "Silva", "Tanaka",  "Sharma", "Novak"};

// How a relationship states its share.
enum class ShareForm : std::uint8_t { kExact, kRange, kBand, kUnknown };

struct GenEdge {
  std::int32_t owner = 0;  // entity index; -1 for an unspecified interested party
  std::int32_t owned = 0;
  std::int32_t bp = 0;  // the share in basis points (1/100 of a percent)
  ShareForm form = ShareForm::kExact;
  bool ring = false;  // a cross-holding statement
};

// Entity layout: [0, states) states, then state bodies, persons, unknown owners, companies.
struct Layout {
  std::int64_t states = 0, bodies = 0, persons = 0, unknowns = 0, companies = 0;
  std::int64_t first_body() const { return states; }
  std::int64_t first_person() const { return states + bodies; }
  std::int64_t first_unknown() const { return first_person() + persons; }
  std::int64_t first_company() const { return first_unknown() + unknowns; }
  std::int64_t total() const { return first_company() + companies; }
};

Layout layout_for(std::int64_t entities) {
  Layout l;
  l.states = static_cast<std::int64_t>(kStates);
  l.bodies = std::clamp<std::int64_t>(entities / 3300, l.states, 300);
  l.persons = entities * 30 / 100;
  l.unknowns = std::max<std::int64_t>(1, entities / 100);
  l.companies = entities - l.states - l.bodies - l.persons - l.unknowns;
  if (l.companies < 100) fatal("PW_BENCH_REG_ENTITIES is too small (at least 1000)");
  return l;
}

// Buffered output of one JSON lines file.
class Writer {
 public:
  explicit Writer(const fs::path& path) : f_(std::fopen(path.c_str(), "wb")) {
    if (f_ == nullptr) fatal("cannot write " + path.string());
    buf_.reserve(kFlush + 4096);
  }
  ~Writer() { close(); }
  Writer& operator<<(std::string_view s) {
    buf_.append(s);
    return *this;
  }
  Writer& operator<<(char c) {
    buf_ += c;
    return *this;
  }
  Writer& operator<<(std::int64_t v) {
    char tmp[24];
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, r.ptr);
    return *this;
  }
  // A percentage of `bp` basis points: "25", "25.5", "0.07".
  Writer& percent(std::int64_t bp) {
    *this << bp / 100;
    if (const std::int64_t frac = bp % 100; frac != 0) {
      const char digits[3] = {'.', static_cast<char>('0' + frac / 10),
                              static_cast<char>('0' + frac % 10)};
      buf_.append(digits, frac % 10 == 0 ? 2 : 3);
    }
    return *this;
  }
  void end_record() {
    buf_ += '\n';
    ++records_;
    if (buf_.size() >= kFlush) flush();
  }
  std::uint64_t bytes() const { return bytes_ + buf_.size(); }
  std::uint64_t records() const { return records_; }
  void close() {
    if (f_ == nullptr) return;
    flush();
    if (std::fclose(f_) != 0) fatal("write error");
    f_ = nullptr;
  }

 private:
  static constexpr std::size_t kFlush = std::size_t{8} << 20;
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      fatal("write error (disk full?)");
    }
    bytes_ += buf_.size();
    buf_.clear();
  }
  std::FILE* f_;
  std::string buf_;
  std::uint64_t bytes_ = 0;
  std::uint64_t records_ = 0;
};

// A statement id in the form of a UUID, derived from the record number (publishers use UUIDs).
std::string statement_uuid(std::uint64_t n) {
  std::uint64_t a = n * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
  std::uint64_t b = (n ^ 0xd1b54a32d192ed03ULL) * 0xbf58476d1ce4e5b9ULL;
  a ^= a >> 29;
  b ^= b >> 31;
  char out[37];
  std::snprintf(out, sizeof out, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return out;
}

std::string record_id(const Layout& l, std::int64_t i) {
  if (i < l.first_body()) return std::string("state-") + kCountries[i].code;
  if (i < l.first_person()) return "sb-" + std::to_string(i - l.first_body());
  if (i < l.first_unknown()) return "p-" + std::to_string(i - l.first_person());
  if (i < l.first_company()) return "u-" + std::to_string(i - l.first_unknown());
  return "c-" + std::to_string(i - l.first_company());
}

// Statistics of a generated register, written to the .meta file and printed.
struct GenStats {
  std::uint64_t bytes = 0, records = 0;
  std::int64_t entities = 0, edges = 0;
  std::int64_t exact = 0, ranges = 0, bands = 0, unknown_shares = 0, unspecified = 0;
  std::int64_t state_edges = 0, ring_edges = 0, company_owner_edges = 0, person_owner_edges = 0;
  std::int64_t fully_disclosed = 0;
  std::int64_t max_out_degree = 0, max_in_degree = 0;
  std::int64_t cycle_edges = 0, cycle_entities = 0, cycles = 0, largest_cycle = 0;
  double seconds = 0;
};

// Strongly connected components of the company-to-company statements (iterative Tarjan): how
// many statements lie inside a cycle, and how large the cycles are.
void cycle_stats(const Layout& l, const std::vector<GenEdge>& edges, GenStats& st) {
  const auto n = static_cast<std::int32_t>(l.companies);
  const auto fc = static_cast<std::int32_t>(l.first_company());
  std::vector<std::int32_t> begin(n + 1, 0);
  for (const GenEdge& e : edges) {
    if (e.owner >= fc) ++begin[e.owner - fc + 1];
  }
  for (std::int32_t i = 0; i < n; ++i) begin[i + 1] += begin[i];
  std::vector<std::int32_t> adj(begin[n]);
  {
    std::vector<std::int32_t> fill(begin.begin(), begin.end() - 1);
    for (const GenEdge& e : edges) {
      if (e.owner >= fc) adj[fill[e.owner - fc]++] = e.owned - fc;
    }
  }
  std::vector<std::int32_t> index(n, -1), low(n, 0), comp(n, -1), stack, call;
  std::vector<std::int32_t> next_edge(n, 0);
  std::int32_t counter = 0, comps = 0;
  std::vector<std::int64_t> comp_size;
  for (std::int32_t root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    call.push_back(root);
    index[root] = low[root] = counter++;
    next_edge[root] = begin[root];
    stack.push_back(root);
    while (!call.empty()) {
      const std::int32_t v = call.back();
      if (next_edge[v] < begin[v + 1]) {
        const std::int32_t w = adj[next_edge[v]++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          next_edge[w] = begin[w];
          stack.push_back(w);
          call.push_back(w);
        } else if (comp[w] < 0) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      call.pop_back();
      if (!call.empty()) low[call.back()] = std::min(low[call.back()], low[v]);
      if (low[v] == index[v]) {
        std::int64_t size = 0;
        std::int32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          comp[w] = comps;
          ++size;
        } while (w != v);
        comp_size.push_back(size);
        ++comps;
      }
    }
  }
  for (std::int64_t s : comp_size) {
    if (s < 2) continue;
    ++st.cycles;
    st.cycle_entities += s;
    st.largest_cycle = std::max(st.largest_cycle, s);
  }
  for (const GenEdge& e : edges) {
    if (e.owner >= fc && comp[e.owner - fc] == comp[e.owned - fc] &&
        comp_size[comp[e.owned - fc]] > 1) {
      ++st.cycle_edges;
    }
  }
}

// Generates the register: see the file comment for its shape. Deterministic for (entities,
// edges, seed, kGeneratorVersion).
GenStats generate_register(const fs::path& path, std::int64_t entities, std::int64_t edge_count,
                           std::uint64_t seed) {
  const auto t0 = Clock::now();
  const Layout l = layout_for(entities);
  Rng rng(seed);
  GenStats st;
  std::vector<GenEdge> edges;
  edges.reserve(static_cast<std::size_t>(edge_count));
  const auto fc = static_cast<std::int32_t>(l.first_company());
  const auto companies = static_cast<std::int32_t>(l.companies);

  // State bodies: spread over the states with Zipf-like weights, each wholly owned by its state.
  std::vector<std::int32_t> body_state(l.bodies);
  {
    std::vector<double> w(kStates);
    for (std::size_t s = 0; s < kStates; ++s) w[s] = 1.0 / std::pow(s + 1.0, 0.9);
    Discrete pick(w);
    for (std::int64_t b = 0; b < l.bodies; ++b) {
      body_state[b] = b < l.states ? static_cast<std::int32_t>(b)  // at least one per state
                                   : static_cast<std::int32_t>(pick.sample(rng));
      edges.push_back({body_state[b], static_cast<std::int32_t>(l.first_body() + b), 10000,
                       ShareForm::kExact, false});
    }
  }
  st.state_edges = static_cast<std::int64_t>(edges.size());

  // Cross-holdings: rings of companies close in the company order (a window of 64), each
  // holding 0.5%-10% of the next; a company takes at most 20% from rings.
  std::vector<GenEdge> rings;
  std::vector<std::int32_t> ring_bp(companies, 0);
  {
    const auto target = static_cast<std::int64_t>(std::llround(0.025 * edge_count));
    const std::int32_t window = std::min<std::int32_t>(64, companies);
    std::vector<std::int32_t> members;
    while (static_cast<std::int64_t>(rings.size()) < target) {
      const double r = rng.unit();
      const int size = r < 0.6    ? 2
                       : r < 0.8  ? 3
                       : r < 0.95 ? 4 + static_cast<int>(rng.below(3))
                                  : 7 + static_cast<int>(rng.below(14));
      const std::int32_t start = static_cast<std::int32_t>(rng.below(companies - window + 1));
      members.clear();
      for (int tries = 0; static_cast<int>(members.size()) < size && tries < 4 * size; ++tries) {
        const std::int32_t c = start + static_cast<std::int32_t>(rng.below(window));
        if (std::find(members.begin(), members.end(), c) == members.end()) members.push_back(c);
      }
      if (members.size() < 2) continue;
      for (std::size_t k = 0; k < members.size(); ++k) {
        const std::int32_t owner = members[k];
        const std::int32_t owned = members[(k + 1) % members.size()];
        std::int32_t bp = 50 + static_cast<std::int32_t>(rng.below(951));
        bp = std::min(bp, 2000 - ring_bp[owned]);
        if (bp < 50) continue;
        ring_bp[owned] += bp;
        rings.push_back({fc + owner, fc + owned, bp,
                         rng.chance(0.9) ? ShareForm::kExact : ShareForm::kRange, true});
      }
    }
    // One statement per (owner, owned): a ring drawn twice over the same pair keeps the first.
    std::sort(rings.begin(), rings.end(), [](const GenEdge& a, const GenEdge& b) {
      return std::tie(a.owned, a.owner) < std::tie(b.owned, b.owner);
    });
    std::vector<GenEdge> unique;
    for (const GenEdge& e : rings) {
      if (!unique.empty() && unique.back().owned == e.owned && unique.back().owner == e.owner) {
        ring_bp[e.owned - fc] -= e.bp;
        continue;
      }
      unique.push_back(e);
    }
    rings = std::move(unique);
  }

  // In-degrees of the companies: heavy-tailed (Pareto, alpha 2.2), adjusted to the exact total.
  const std::int64_t dag_total =
      edge_count - st.state_edges - static_cast<std::int64_t>(rings.size());
  if (dag_total < companies) fatal("PW_BENCH_REG_EDGES is too small for the entities");
  std::vector<std::int32_t> degree(companies);
  {
    const double mean = static_cast<double>(dag_total) / companies;
    constexpr double kAlpha = 2.2;
    const double scale = mean * (kAlpha - 1) / kAlpha;
    std::int64_t sum = 0;
    for (auto& d : degree) {
      const double x = scale * std::pow(1.0 - rng.unit(), -1.0 / kAlpha);
      d = std::clamp<std::int32_t>(static_cast<std::int32_t>(x + rng.unit()), 1, 5000);
      sum += d;
    }
    while (sum > dag_total) {
      auto& d = degree[rng.below(companies)];
      if (d > 1) --d, --sum;
    }
    while (sum < dag_total) ++degree[rng.below(companies)], ++sum;
  }

  // Owners, company by company in company order: a company's company owners come earlier in
  // that order (so that, apart from the rings, the graph is acyclic), picked by preferential
  // attachment (60%: in proportion to the holdings they already have) or uniformly.
  std::vector<double> state_side_weights(l.states + l.bodies);
  for (std::size_t i = 0; i < state_side_weights.size(); ++i) {
    // The first states' bodies hold the most (state index order), a state itself little.
    const std::int64_t s = i < static_cast<std::size_t>(l.states) ? static_cast<std::int64_t>(i)
                                                                  : body_state[i - l.states];
    state_side_weights[i] = (i < static_cast<std::size_t>(l.states) ? 0.2 : 1.0) /
                            std::pow(s + 1.0, 1.0) / (1.0 + 0.02 * rng.below(50));
  }
  const Discrete pick_state_side(state_side_weights);
  std::vector<std::int32_t> company_urn, person_urn;
  company_urn.reserve(static_cast<std::size_t>(dag_total / 2));
  person_urn.reserve(static_cast<std::size_t>(dag_total / 2));
  std::vector<std::int32_t> owners;
  std::vector<std::int32_t> shares;
  std::vector<double> weight;
  std::size_t ring_at = 0;
  for (std::int32_t c = 0; c < companies; ++c) {
    const std::int32_t owned = fc + c;
    const std::size_t ring_begin = ring_at;
    while (ring_at < rings.size() && rings[ring_at].owned == owned) ++ring_at;
    owners.clear();
    auto taken = [&](std::int32_t o) {
      if (o >= 0 && std::find(owners.begin(), owners.end(), o) != owners.end()) return true;
      for (std::size_t k = ring_begin; k < ring_at; ++k) {
        if (rings[k].owner == o) return true;
      }
      return false;
    };
    auto person = [&] {
      if (!person_urn.empty() && rng.chance(0.5)) return person_urn[rng.below(person_urn.size())];
      return static_cast<std::int32_t>(l.first_person() + rng.below(l.persons));
    };
    for (std::int32_t k = 0; k < degree[c]; ++k) {
      std::int32_t o;
      const double r = rng.unit();
      if (r < 0.01) {
        o = static_cast<std::int32_t>(pick_state_side.sample(rng));
      } else if (r < 0.035) {
        o = static_cast<std::int32_t>(
            l.first_unknown() +
            std::min<std::int64_t>(
                l.unknowns - 1, static_cast<std::int64_t>(std::pow(rng.unit(), 3) * l.unknowns)));
      } else if (r < 0.036) {
        o = -1;  // an unspecified interested party (one unknown entity per statement)
      } else if (r < 0.46 || c == 0) {
        o = person();
      } else if (!company_urn.empty() && rng.chance(0.6)) {
        o = company_urn[rng.below(company_urn.size())];
      } else {
        o = fc + static_cast<std::int32_t>(rng.below(c));
      }
      for (int tries = 0; taken(o) && tries < 100; ++tries) o = person();
      if (taken(o)) fatal("generator: no free owner");
      owners.push_back(o);
      if (o >= fc) company_urn.push_back(o);
      if (o >= l.first_person() && o < l.first_unknown()) person_urn.push_back(o);
    }
    // Shares: the disclosed total (100% for a third of the companies), less what the rings
    // hold, split among the owners; with probability 0.45 the first owner holds a majority of
    // it. Owners whose split rounds to nothing are stated with an unknown share.
    const bool full = rng.chance(0.35);
    const std::int32_t total = full ? 10000 : 5000 + static_cast<std::int32_t>(rng.below(5000));
    st.fully_disclosed += full ? 1 : 0;
    const std::int32_t rest = total - ring_bp[c];
    const auto d = static_cast<std::int32_t>(owners.size());
    shares.assign(d, 0);
    weight.assign(d, 0.0);
    std::int32_t first_bp = 0;
    if (d == 1 || rng.chance(0.45)) {
      first_bp = d == 1 ? rest : static_cast<std::int32_t>(rest * (0.5 + 0.45 * rng.unit()));
      shares[0] = first_bp;
    }
    const std::int32_t split = rest - first_bp;
    const std::int32_t from = first_bp > 0 ? 1 : 0;
    double wsum = 0;
    for (std::int32_t k = from; k < d; ++k) wsum += weight[k] = rng.exponential();
    std::int32_t given = 0;
    for (std::int32_t k = from; k < d; ++k) {
      given += shares[k] = static_cast<std::int32_t>(split * weight[k] / wsum);
    }
    if (from < d) shares[from] += split - given;  // the rounding remainder
    for (std::int32_t k = 0; k < d; ++k) {
      GenEdge e{owners[k], owned, shares[k], ShareForm::kExact, false};
      const double r = rng.unit();
      if (e.bp == 0 || r < 0.04) {
        e.form = ShareForm::kUnknown;
      } else if (r < 0.07) {
        e.form = e.bp > 2500 ? ShareForm::kBand : ShareForm::kRange;
      }
      edges.push_back(e);
    }
    for (std::size_t k = ring_begin; k < ring_at; ++k) edges.push_back(rings[k]);
  }
  if (static_cast<std::int64_t>(edges.size()) != edge_count) {
    fatal("generator: " + std::to_string(edges.size()) + " edges, expected " +
          std::to_string(edge_count));
  }

  // Statistics.
  std::vector<std::int32_t> out_degree(l.total(), 0);
  std::int32_t in_run = 0, last_owned = -1;
  for (const GenEdge& e : edges) {
    if (e.owner >= 0) ++out_degree[e.owner];
    in_run = e.owned == last_owned ? in_run + 1 : 1;
    last_owned = e.owned;
    st.max_in_degree = std::max<std::int64_t>(st.max_in_degree, in_run);
    st.exact += e.form == ShareForm::kExact;
    st.ranges += e.form == ShareForm::kRange;
    st.bands += e.form == ShareForm::kBand;
    st.unknown_shares += e.form == ShareForm::kUnknown;
    st.unspecified += e.owner < 0;
    st.ring_edges += e.ring;
    st.company_owner_edges += e.owner >= fc;
    st.person_owner_edges += e.owner >= l.first_person() && e.owner < l.first_unknown();
  }
  for (std::int32_t d : out_degree)
    st.max_out_degree = std::max<std::int64_t>(st.max_out_degree, d);
  cycle_stats(l, edges, st);

  // The file: entities first, then the relationships (any order is valid BODS).
  const fs::path tmp = path.string() + ".tmp";
  {
    Writer w(tmp);
    constexpr std::string_view kHead =
        R"("statementDate":"2024-06-30","publicationDetails":{"publicationDate":"2024-06-30",)"
        R"("bodsVersion":"0.4","publisher":{"name":"portwarden benchmark register"}},)";
    std::uint64_t statement = 0;
    auto begin = [&](std::string_view type, const std::string& id) {
      w << R"({"statementId":")" << statement_uuid(statement++) << "\"," << kHead
        << R"("recordId":")" << id << R"(","recordStatus":"new","recordType":")" << type
        << R"(","recordDetails":{"isComponent":false,)";
    };
    auto jurisdiction = [&](std::size_t country) {
      w << R"("jurisdiction":{"name":")" << kCountries[country].name << R"(","code":")"
        << kCountries[country].code << "\"}";
    };
    const Discrete pick_country([] {
      std::vector<double> wts(kStates);
      for (std::size_t i = 0; i < kStates; ++i) wts[i] = 1.0 / std::pow(i + 1.0, 0.7);
      return wts;
    }());
    for (std::int64_t i = 0; i < l.total(); ++i) {
      const std::string id = record_id(l, i);
      if (i < l.first_body()) {
        begin("entity", id);
        w << R"("entityType":{"type":"state"},"name":"State of )" << kCountries[i].name << "\",";
        jurisdiction(static_cast<std::size_t>(i));
      } else if (i < l.first_person()) {
        const auto s = static_cast<std::size_t>(body_state[i - l.first_body()]);
        begin("entity", id);
        w << R"("entityType":{"type":"stateBody"},"name":")" << kCountries[s].name << " state body "
          << (i - l.first_body()) << "\",";
        jurisdiction(s);
      } else if (i < l.first_unknown()) {
        const std::int64_t p = i - l.first_person();
        begin("person", id);
        w << R"("personType":"knownPerson","names":[{"type":"individual","fullName":")"
          << kGiven[p % std::size(kGiven)] << ' ' << kFamily[(p / 7) % std::size(kFamily)] << ' '
          << p << R"("}],"nationalities":[{"name":")";
        const std::size_t country = pick_country.sample(rng);
        w << kCountries[country].name << R"(","code":")" << kCountries[country].code << "\"}]";
      } else if (i < l.first_company()) {
        const std::int64_t u = i - l.first_unknown();
        begin(u % 2 == 0 ? "entity" : "person", id);
        if (u % 2 == 0) {
          w << (u % 4 == 0 ? R"("entityType":{"type":"unknownEntity"})"
                           : R"("entityType":{"type":"anonymousEntity"})");
        } else {
          w << (u % 4 == 1 ? R"("personType":"unknownPerson")"
                           : R"("personType":"anonymousPerson")");
        }
      } else {
        const std::int64_t c = i - l.first_company();
        const std::size_t country = pick_country.sample(rng);
        begin("entity", id);
        w << R"("entityType":{"type":"registeredEntity"},"name":")" << kWords[c % std::size(kWords)]
          << ' ' << kWords[(c / 29) % std::size(kWords)] << ' '
          << kSuffixes[(c / 7) % std::size(kSuffixes)] << " (" << c << ")\",";
        jurisdiction(country);
        w << R"(,"identifiers":[{"id":")" << c << R"(","scheme":")" << kCountries[country].code
          << "-REG\"}]";
      }
      w << "}}";
      w.end_record();
    }
    std::int64_t r = 0;
    for (const GenEdge& e : edges) {
      begin("relationship", "r-" + std::to_string(r++));
      w << R"("subject":")" << record_id(l, e.owned) << "\",";
      if (e.owner >= 0) {
        w << R"("interestedParty":")" << record_id(l, e.owner) << "\",";
      } else {
        w << R"("interestedParty":{"reason":"interestedPartyExemptFromDisclosure",)"
             R"("description":"nominee arrangement"},)";
      }
      w << R"("interests":[{"type":"shareholding","directOrIndirect":"direct",)"
           R"("beneficialOwnershipOrControl":false)";
      switch (e.form) {
        case ShareForm::kExact:
          w << R"(,"share":{"exact":)";
          w.percent(e.bp) << "}";
          break;
        case ShareForm::kRange: {
          const std::int32_t lo = e.bp / 500 * 500;
          w << R"(,"share":{"minimum":)";
          w.percent(lo) << R"(,"maximum":)";
          w.percent(std::min(10000, lo + 500)) << "}";
          break;
        }
        case ShareForm::kBand: {  // UK PSC style: "more than 25% but not more than 50%"
          const std::int32_t lo = e.bp <= 5000 ? 2500 : e.bp <= 7500 ? 5000 : 7500;
          w << R"(,"share":{"exclusiveMinimum":)";
          w.percent(lo) << R"(,"maximum":)";
          w.percent(lo + 2500) << "}";
          break;
        }
        case ShareForm::kUnknown:
          break;
      }
      w << R"(,"startDate":"2019-01-01"}]}})";
      w.end_record();
    }
    w.close();
    st.bytes = w.bytes();
    st.records = w.records();
  }
  fs::rename(tmp, path);
  st.entities = l.total();
  st.edges = edge_count;
  st.seconds = seconds_since(t0);
  return st;
}

std::string meta_text(const GenStats& st) {
  std::ostringstream o;
  o << "generator_version " << kGeneratorVersion << "\nentities_requested " << kEntities
    << "\nedges_requested " << kEdges << "\nseed " << kSeed << "\n";
  o << "bytes " << st.bytes << "\nrecords " << st.records << "\nentities " << st.entities
    << "\nedges " << st.edges << "\nexact " << st.exact << "\nranges " << st.ranges << "\nbands "
    << st.bands << "\nunknown_shares " << st.unknown_shares << "\nunspecified " << st.unspecified
    << "\nstate_edges " << st.state_edges << "\nring_edges " << st.ring_edges
    << "\ncompany_owner_edges " << st.company_owner_edges << "\nperson_owner_edges "
    << st.person_owner_edges << "\nfully_disclosed_companies " << st.fully_disclosed
    << "\nmax_out_degree " << st.max_out_degree << "\nmax_in_degree " << st.max_in_degree
    << "\ncycle_edges " << st.cycle_edges << "\ncycle_entities " << st.cycle_entities << "\ncycles "
    << st.cycles << "\nlargest_cycle " << st.largest_cycle << "\ngenerate_seconds " << st.seconds
    << "\n";
  return o.str();
}

fs::path register_path() {
  const std::string name =
      kEntities == 1'000'000 && kEdges == 3'000'000
          ? "register-1m.jsonl"
          : "register-" + std::to_string(kEntities) + "-" + std::to_string(kEdges) + ".jsonl";
  return data_dir() / name;
}

// The cached register, generated if absent or generated by another version, size or seed.
const fs::path& cached_register() {
  static const fs::path path = [] {
    const fs::path p = register_path();
    const fs::path meta = p.string() + ".meta";
    const std::string want = "generator_version " + std::to_string(kGeneratorVersion) +
                             "\nentities_requested " + std::to_string(kEntities) +
                             "\nedges_requested " + std::to_string(kEdges) + "\nseed " +
                             std::to_string(kSeed) + "\n";
    std::ifstream in(meta);
    std::string have((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (fs::exists(p) && have.starts_with(want)) return p;
    std::fprintf(stderr, "ownership_bench: generating %s (%llu entities, %llu statements)...\n",
                 p.c_str(), static_cast<unsigned long long>(kEntities),
                 static_cast<unsigned long long>(kEdges));
    const GenStats st = generate_register(p, static_cast<std::int64_t>(kEntities),
                                          static_cast<std::int64_t>(kEdges), kSeed);
    std::ofstream(meta) << meta_text(st);
    std::fprintf(stderr, "ownership_bench: generated %.1f MB in %.1f s\n",
                 static_cast<double>(st.bytes) / 1e6, st.seconds);
    return p;
  }();
  return path;
}

// Reads the file once so that the import benchmark measures parsing, not the disk: the figure is
// for a file in the page cache.
void warm_page_cache(const fs::path& p) {
  std::FILE* f = std::fopen(p.c_str(), "rb");
  if (f == nullptr) fatal("cannot read " + p.string());
  std::vector<char> buf(std::size_t{8} << 20);
  while (std::fread(buf.data(), 1, buf.size(), f) == buf.size()) {
  }
  std::fclose(f);
}

// ---------------------------------------------------------------------------------------------
// Shared state: the imported dataset, then the graph built from it (the benchmarks run in this
// order; a filtered run builds what it needs untimed).

struct Shared {
  std::optional<pw::formats::ImportResult> imported;
  std::optional<pw::ownership::Graph> graph;
  std::int64_t statements = 0;
  // The graph's direct statements as an adjacency by owned entity (from Graph::statement), for
  // choosing explain questions.
  std::vector<std::int32_t> in_begin;
  std::vector<NodeId> in_owner;
};

Shared& shared() {
  static Shared s;
  return s;
}

pw::formats::ImportResult import_register() {
  auto r = must(pw::formats::import_file(cached_register().string(), pw::formats::Format::kBods,
                                         pw::formats::ImportOptions{}),
                "import");
  if (r.summary.errors != 0) {
    fatal("import reported " + std::to_string(r.summary.errors) +
          " errors, first: " + (r.issues.empty() ? "?" : r.issues.front().to_string()));
  }
  return r;
}

const pw::ownership::Graph& graph() {
  Shared& s = shared();
  if (!s.graph) {
    if (!s.imported) s.imported = import_register();
    s.statements = static_cast<std::int64_t>(s.imported->dataset.edges.size());
    s.graph = must(pw::ownership::Graph::build(std::move(s.imported->dataset)), "build");
    s.imported.reset();
    ::malloc_trim(0);  // as BM_GraphBuild does
  }
  return *s.graph;
}

void ensure_adjacency() {
  Shared& s = shared();
  if (!s.in_begin.empty()) return;
  const pw::ownership::Graph& g = graph();
  std::vector<std::pair<NodeId, NodeId>> pairs;  // owned, owner
  pairs.reserve(static_cast<std::size_t>(s.statements));
  for (std::int32_t i = 0; i < s.statements; ++i) {
    const pw::domain::Edge& e = g.statement(i);
    if (e.interest != pw::domain::Interest::kShareholding || !e.direct) continue;
    pairs.emplace_back(must(g.find_by_id(e.owned), "owned"), must(g.find_by_id(e.owner), "owner"));
  }
  std::sort(pairs.begin(), pairs.end());
  s.in_begin.assign(g.size() + 1, 0);
  for (const auto& [owned, owner] : pairs) ++s.in_begin[owned + 1];
  for (std::int32_t v = 0; v < g.size(); ++v) s.in_begin[v + 1] += s.in_begin[v];
  s.in_owner.resize(pairs.size());
  for (std::size_t k = 0; k < pairs.size(); ++k) s.in_owner[k] = pairs[k].second;
}

// ---------------------------------------------------------------------------------------------
// 2. Import

void BM_Import(benchmark::State& state) {
  const fs::path& path = cached_register();
  const double bytes = static_cast<double>(fs::file_size(path));
  warm_page_cache(path);
  Shared& s = shared();
  s.graph.reset();
  s.imported.reset();
  reset_peak();
  const Memory before = memory();
  double seconds = 0;
  for (auto _ : state) {
    s.imported.reset();
    const auto t0 = Clock::now();
    s.imported = import_register();
    seconds += seconds_since(t0);
  }
  const auto iters = static_cast<double>(state.iterations());
  const pw::formats::ImportSummary& sum = s.imported->summary;
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sum.records_read));
  state.counters["MB_per_s"] = bytes * iters / seconds / 1e6;
  state.counters["records_per_s"] = static_cast<double>(sum.records_read) * iters / seconds;
  state.counters["file_MB"] = bytes / 1e6;
  state.counters["records"] = static_cast<double>(sum.records_read);
  state.counters["entities"] = static_cast<double>(sum.entities);
  state.counters["edges"] = static_cast<double>(sum.edges);
  state.counters["warnings"] = static_cast<double>(sum.warnings);
  state.counters["rss_before_mib"] = before.rss_mib;
  state.counters["peak_rss_mib"] = memory().peak_mib;
  state.counters["rss_after_mib"] = memory().rss_mib;
}
BENCHMARK(BM_Import)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// 3. Graph::build

void BM_GraphBuild(benchmark::State& state) {
  Shared& s = shared();
  s.graph.reset();
  if (!s.imported) s.imported = import_register();
  s.statements = static_cast<std::int64_t>(s.imported->dataset.edges.size());
  reset_peak();
  const Memory before = memory();
  for (auto _ : state) {
    // One iteration: build consumes the dataset.
    s.graph = must(pw::ownership::Graph::build(std::move(s.imported->dataset)), "build");
  }
  s.imported.reset();
  const Memory after = memory();
  // The import's scratch (every statement, until references were resolved) is freed but kept by
  // malloc; handing it back leaves the resident size of the graph itself.
  ::malloc_trim(0);
  state.counters["graph_rss_mib"] = memory().rss_mib;
  state.counters["entities"] = s.graph->size();
  state.counters["statements"] = static_cast<double>(s.statements);
  state.counters["states"] = static_cast<double>(s.graph->states().size());
  state.counters["rss_before_mib"] = before.rss_mib;
  state.counters["peak_rss_mib"] = after.peak_mib;
  state.counters["rss_after_mib"] = after.rss_mib;
}
BENCHMARK(BM_GraphBuild)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// 4. Exposure of every entity to every state

// Exposure of the sample entities, kept from the first run for the baseline's cross-check.
struct CheckRow {
  NodeId entity;
  std::int32_t state;
  pw::ownership::Bounds share;
};
struct ExposureCheck {
  bool filled = false;
  std::vector<CheckRow> rows;
  std::vector<double> state_lo, state_hi;
  std::vector<std::int64_t> state_pairs;
};
ExposureCheck& exposure_check() {
  static ExposureCheck c;
  return c;
}

// The entities whose exposure is written for the cross-check: a fixed random sample.
std::vector<std::uint8_t> check_sample(std::int32_t n) {
  std::vector<std::uint8_t> sampled(n, 0);
  Rng rng(kSeed ^ 0xc0ffee);
  for (std::size_t k = 0; k < kCheckSample; ++k) sampled[rng.below(n)] = 1;
  return sampled;
}

// range(0) threads, range(1) states per pass. The visitor sums what it is given (every entry
// is read) and copies the entries of a fixed sample of entities, the first time.
void BM_StateExposure(benchmark::State& state) {
  const pw::ownership::Graph& g = graph();
  const auto states = static_cast<std::int32_t>(g.states().size());
  pw::ownership::ExposureOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.states_per_pass = static_cast<int>(state.range(1));
  const std::vector<std::uint8_t> sampled = check_sample(g.size());
  ExposureCheck& check = exposure_check();
  const bool fill = !check.filled;
  if (fill) {
    check.state_lo.assign(states, 0.0);
    check.state_hi.assign(states, 0.0);
    check.state_pairs.assign(states, 0);
  }
  reset_peak();
  const Memory before = memory();
  std::int64_t pairs = 0, unknown = 0;
  double sum_lo = 0, seconds = 0, cpu = 0;
  std::vector<double> per_run;
  // With one thread the passes run one after the other, states in order, and a pass's states
  // are visited right after its propagation: the time from the previous pass's last visit to a
  // pass's first visit is that pass's cost. The largest pass bounds what more threads can gain.
  const std::int32_t per_pass = std::max(1, options.states_per_pass);
  std::vector<double> pass_seconds((states + per_pass - 1) / per_pass, 0.0);
  for (auto _ : state) {
    const bool fill_now = fill && per_run.empty();  // the first run only
    pairs = unknown = 0;
    sum_lo = 0;
    const double cpu0 = process_cpu_seconds();
    const auto t0 = Clock::now();
    double last_visit_done = 0;
    must(pw::ownership::for_each_state_exposure(
             g,
             [&](std::int32_t s, std::span<const pw::ownership::ExposureEntry> entries) {
               if (options.threads == 1 && s % per_pass == 0) {
                 pass_seconds[s / per_pass] += seconds_since(t0) - last_visit_done;
               }
               pairs += static_cast<std::int64_t>(entries.size());
               for (const pw::ownership::ExposureEntry& e : entries) {
                 sum_lo += e.share.min;
                 unknown += e.share.known ? 0 : 1;
                 if (fill_now) {
                   check.state_lo[s] += e.share.min;
                   check.state_hi[s] += e.share.max;
                   ++check.state_pairs[s];
                   if (sampled[e.entity]) check.rows.push_back({e.entity, s, e.share});
                 }
               }
               last_visit_done = seconds_since(t0);
             },
             options),
         "exposure");
    per_run.push_back(seconds_since(t0));
    seconds += per_run.back();
    cpu += process_cpu_seconds() - cpu0;
    if (fill) check.filled = true;
  }
  const auto iters = static_cast<double>(state.iterations());
  state.counters["seconds"] = seconds / iters;
  state.counters["best_seconds"] = *std::min_element(per_run.begin(), per_run.end());
  state.counters["cpu_seconds"] = cpu / iters;
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["unknown_pairs"] = static_cast<double>(unknown);
  state.counters["sum_lo"] = sum_lo;
  state.counters["states"] = states;
  state.counters["entities"] = g.size();
  state.counters["rss_before_mib"] = before.rss_mib;
  state.counters["peak_rss_mib"] = memory().peak_mib;
  state.counters["peak_extra_mib"] = memory().peak_mib - before.rss_mib;
  if (options.threads == 1) {
    double total = 0;
    for (double p : pass_seconds) total += p;
    state.counters["passes"] = static_cast<double>(pass_seconds.size());
    state.counters["largest_pass_fraction"] =
        *std::max_element(pass_seconds.begin(), pass_seconds.end()) / total;
  }
}
BENCHMARK(BM_StateExposure)
    ->ArgNames({"threads", "states_per_pass"})
    ->Args({2, 8})
    ->Args({2, 15})
    ->Args({1, 8})
    ->Args({1, 15})
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// 5. Explain

// Upstream cone of `v` (v's owners, their owners ...) by breadth-first search.
std::vector<NodeId> upstream(NodeId v, std::vector<std::uint8_t>& mark) {
  const Shared& s = shared();
  std::vector<NodeId> cone{v};
  mark[v] = 1;
  for (std::size_t i = 0; i < cone.size(); ++i) {
    for (std::int32_t k = s.in_begin[cone[i]]; k < s.in_begin[cone[i] + 1]; ++k) {
      const NodeId o = s.in_owner[k];
      if (!mark[o]) mark[o] = 1, cone.push_back(o);
    }
  }
  for (NodeId u : cone) mark[u] = 0;
  return cone;
}

struct Question {
  NodeId owned;
  std::optional<NodeId> owner;
  std::size_t cone;
};

// range(0): 0 = no owner (the chain ends above the company), 1 = a random chain end in the
// company's upstream cone as owner, 2 = a state or state body in the cone as owner (companies
// with one). Companies with at least one owner, chosen at random (fixed seed).
std::vector<Question> questions(int mode) {
  const pw::ownership::Graph& g = graph();
  ensure_adjacency();
  const Shared& s = shared();
  Rng rng(kSeed + 17 + static_cast<std::uint64_t>(mode));
  std::vector<std::uint8_t> mark(g.size(), 0);
  std::vector<Question> out;
  for (std::int64_t tries = 0; out.size() < kExplains && tries < 1'000'000; ++tries) {
    const auto v = static_cast<NodeId>(rng.below(g.size()));
    if (g.entity(v).kind != pw::domain::EntityKind::kCompany) continue;
    if (s.in_begin[v] == s.in_begin[v + 1]) continue;
    const std::vector<NodeId> cone = upstream(v, mark);
    Question q{v, std::nullopt, cone.size()};
    if (mode > 0) {
      std::vector<NodeId> candidates;
      for (NodeId u : cone) {
        if (u == v) continue;
        const auto kind = g.entity(u).kind;
        const bool state_side =
            kind == pw::domain::EntityKind::kState || kind == pw::domain::EntityKind::kStateBody;
        const bool end =
            kind != pw::domain::EntityKind::kCompany || s.in_begin[u] == s.in_begin[u + 1];
        if (mode == 1 ? end : state_side) candidates.push_back(u);
      }
      if (candidates.empty()) continue;
      q.owner = candidates[rng.below(candidates.size())];
    }
    out.push_back(q);
  }
  return out;
}

void BM_Explain(benchmark::State& state) {
  const int mode = static_cast<int>(state.range(0));
  const pw::ownership::Graph& g = graph();
  const std::vector<Question> qs = questions(mode);
  if (qs.empty()) {
    state.SkipWithError("no questions of this kind in the register");
    return;
  }
  std::vector<double> ms;
  ms.reserve(qs.size());
  std::size_t k = 0, truncated = 0, paths = 0;
  double cones = 0;
  for (auto _ : state) {
    const Question& q = qs[k++ % qs.size()];
    const auto t0 = Clock::now();
    auto e = must(pw::ownership::explain(g, q.owned, q.owner), "explain");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    truncated += e.truncated ? 1 : 0;
    paths += e.paths.size();
    cones += static_cast<double>(q.cone);
    benchmark::DoNotOptimize(e);
  }
  const auto iters = static_cast<double>(state.iterations());
  const Percentiles p = percentiles(ms);
  state.counters["p50_ms"] = p.p50;
  state.counters["p90_ms"] = p.p90;
  state.counters["p99_ms"] = p.p99;
  state.counters["max_ms"] = p.max;
  state.counters["mean_ms"] = p.mean;
  state.counters["truncated"] = static_cast<double>(truncated);
  state.counters["paths_per_explain"] = static_cast<double>(paths) / iters;
  state.counters["mean_upstream_cone"] = cones / iters;
  state.counters["questions"] = static_cast<double>(qs.size());
}
BENCHMARK(BM_Explain)
    ->ArgName("owner")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(static_cast<std::int64_t>(kExplains))
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// Output for the baseline's cross-check

void write_exposure_check() {
  const ExposureCheck& c = exposure_check();
  if (!c.filled) return;
  const pw::ownership::Graph& g = graph();
  const fs::path out = data_dir() / "results" / "ownership_exposure_check.tsv";
  std::ofstream f(out);
  f.precision(17);
  f << "# register\t" << cached_register().string() << "\n";
  for (std::size_t s = 0; s < c.state_lo.size(); ++s) {
    f << "state\t" << g.states()[s].key << "\t" << c.state_pairs[s] << "\t" << c.state_lo[s] << "\t"
      << c.state_hi[s] << "\n";
  }
  // Every sampled entity: those without a row for a state have no exposure to it.
  const std::vector<std::uint8_t> sampled = check_sample(g.size());
  for (NodeId v = 0; v < g.size(); ++v) {
    if (sampled[v]) f << "sample\t" << g.entity(v).id << "\n";
  }
  for (const CheckRow& r : c.rows) {
    f << "entity\t" << g.entity(r.entity).id << "\t" << g.states()[r.state].key << "\t"
      << r.share.min << "\t" << r.share.max << "\t" << (r.share.known ? 1 : 0) << "\n";
  }
  std::fprintf(stderr, "ownership_bench: wrote %s\n", out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Generation is not a benchmark: it runs first, once, and prints the register's shape.
  const fs::path& p = cached_register();
  {
    std::ifstream meta(p.string() + ".meta");
    std::string line;
    std::fprintf(stderr, "ownership_bench: register %s\n", p.c_str());
    while (std::getline(meta, line)) std::fprintf(stderr, "  %s\n", line.c_str());
  }
  benchmark::RunSpecifiedBenchmarks();
  write_exposure_check();
  std::fprintf(stderr, "ownership_bench: process peak RSS (getrusage) %.0f MiB\n",
               process_peak_mib());
  benchmark::Shutdown();
  return 0;
}
