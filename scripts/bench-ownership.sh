#!/usr/bin/env bash
# The ownership benchmark (issue 3 item 6): builds bench/ownership_bench in Release, runs it on
# the generated register (1M entities / 3M statements, BODS 0.4 JSON lines, cached in
# $PW_BENCH_DATA), then runs the SciPy and networkx baselines on the same file
# (bench/baselines/ownership_baselines.py) and prints the figures next to the targets, with the
# ratios. What the figures mean and what limits them: docs/PERFORMANCE-ownership.md.
#
# Debian's python3-scipy cannot be installed beside libboost1.81-dev (its python3-pythran
# dependency pulls libboost1.74-dev, which conflicts), so python3-scipy, python3-networkx and
# python3-decorator are fetched with `apt-get download` and unpacked with `dpkg -x` into
# $PW_BENCH_DATA/pydeps; only the runtime libraries (libblas3, liblapack3, libgfortran5) and
# python3-numpy are installed, if missing. The baselines run with Debian's /usr/bin/python3 and
# PYTHONPATH pointing there.
#
# Environment:
#   PW_BENCH_DATA          cached register, Python packages and results (default build/bench-data)
#   PW_BENCH_BUILD_DIR     build a Release tree there instead of the release preset (build/release)
#   PW_BENCH_REG_ENTITIES, PW_BENCH_REG_EDGES, PW_BENCH_REG_SEED, PW_BENCH_EXPLAINS:
#                          see bench/ownership_bench.cc (a smaller register: a quicker run)
#   PW_BENCH_FILTER        --benchmark_filter for ownership_bench (default: all)
#   PW_BENCH_NX_CUTOFF     path length cutoff of the networkx baseline (default 8)
#   PW_BENCH_NX_BUDGET     seconds for each networkx baseline (default 45)
#   PW_BENCH_SKIP_BASELINES=1  only the C++ benchmark
# The whole run takes about 6 minutes on 2 cores at the default size once the tree is built and
# the register generated. Results (JSON, console output) are kept in $PW_BENCH_DATA/results.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${PW_BENCH_BUILD_DIR:-build/release}
export PW_BENCH_DATA=${PW_BENCH_DATA:-build/bench-data}
OUT=$PW_BENCH_DATA/results
PYDEPS=$PW_BENCH_DATA/pydeps
FILTER=${PW_BENCH_FILTER:-.}
PY=/usr/bin/python3  # Debian's python3 (python3-numpy is installed for it), not a pyenv shim

section() { printf '\n== %s\n' "$*"; }

if [[ -n ${PW_BENCH_BUILD_DIR:-} ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPW_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" --target ownership_bench
else
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target ownership_bench
fi
mkdir -p "$OUT"

section "machine"
{
  echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc:  $(nproc)"
  echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15-minute load average before the run)"
} | tee "$OUT/ownership_machine.txt"

section "ownership_bench (Google Benchmark)"
"$BUILD/bench/ownership_bench" --benchmark_filter="$FILTER" \
  --benchmark_out="$OUT/ownership_bench.json" --benchmark_out_format=json 2>&1 |
  tee "$OUT/ownership_bench.txt"
REGISTER=$(sed -n 's/^ownership_bench: register //p' "$OUT/ownership_bench.txt" | tail -1)

BASELINES=$OUT/ownership_baselines.json
if [[ ${PW_BENCH_SKIP_BASELINES:-0} != 1 ]]; then
  section "baseline environment ($PYDEPS)"
  missing=()
  for pkg in libblas3 liblapack3 libgfortran5 python3-numpy; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "installing ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      "${missing[@]}" >"$OUT/apt-install.log" 2>&1; then
      apt-get update >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
        >"$OUT/apt-install.log" 2>&1
    fi
  fi
  SITE=$PYDEPS/root/usr/lib/python3/dist-packages
  if ! PYTHONPATH=$SITE $PY -c 'import scipy.sparse.linalg, networkx' 2>/dev/null; then
    rm -rf "$PYDEPS"
    mkdir -p "$PYDEPS/debs"
    (cd "$PYDEPS/debs" && apt-get download python3-scipy python3-networkx python3-decorator \
      >../download.log 2>&1) || {
      apt-get update >/dev/null
      (cd "$PYDEPS/debs" && apt-get download python3-scipy python3-networkx python3-decorator \
        >../download.log 2>&1)
    }
    for deb in "$PYDEPS"/debs/*.deb; do dpkg -x "$deb" "$PYDEPS/root"; done
  fi
  PYTHONPATH=$SITE $PY -c 'import sys, numpy, scipy, networkx
print("python", sys.version.split()[0], "numpy", numpy.__version__, "scipy", scipy.__version__,
      "networkx", networkx.__version__)'

  section "baselines: SciPy sparse solve, networkx path enumeration"
  CHECK=$OUT/ownership_exposure_check.tsv
  check_args=()
  [[ -f $CHECK ]] && grep -qF "$REGISTER" "$CHECK" && check_args=(--check "$CHECK")
  PYTHONPATH=$SITE /usr/bin/time -f '%e s wall, %M KiB max RSS' -o "$OUT/ownership_baselines.time" \
    $PY bench/baselines/ownership_baselines.py "$REGISTER" "${check_args[@]}" --random-order \
    --cutoff "${PW_BENCH_NX_CUTOFF:-8}" --sweep-budget "${PW_BENCH_NX_BUDGET:-45}" \
    --pairs-budget "${PW_BENCH_NX_BUDGET:-45}" >"$BASELINES"
  echo "baselines: $(cat "$OUT/ownership_baselines.time")"
fi

echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/ownership_machine.txt"

# -------------------------------------------------------------------------------------------
# Summary, from both JSON files.
section "summary"
$PY - "$OUT/ownership_bench.json" "$BASELINES" <<'EOF' | tee "$OUT/ownership_summary.txt"
import json, os, sys

bench = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
base = json.load(open(sys.argv[2])) if os.path.exists(sys.argv[2]) else None


def find(prefix):
    for name, b in bench.items():
        if name.startswith(prefix):
            return b
    return None


def row(what, value, note=""):
    print("  %-58s %-22s %s" % (what, value, note))


def ratio(a, b):
    return "%.3g x" % (a / b) if a and b else "?"


imp = find("BM_Import/")
if imp:
    print("Import (formats::import_file, BODS 0.4 JSON lines, file in the page cache):")
    row("%.0f MB, %d records" % (imp["file_MB"], imp["records"]),
        "%.1f MB/s" % imp["MB_per_s"], "target >= 100 MB/s")
    row("  records per second, wall time", "%.0f/s" % imp["records_per_s"],
        "%.1f s" % (imp["real_time"] / 1000))
    row("  peak RSS during the import", "%.0f MiB" % imp["peak_rss_mib"],
        "(%d entities, %d edges)" % (imp["entities"], imp["edges"]))
b = find("BM_GraphBuild/")
if b:
    row("Graph::build", "%.2f s" % (b["real_time"] / 1000),
        "RSS with the graph: %.0f MiB (after malloc_trim)" % b["graph_rss_mib"])

print("Exposure of every entity to every state (for_each_state_exposure):")
headline = None
for name in sorted(bench):
    if not name.startswith("BM_StateExposure/"):
        continue
    e = bench[name]
    parts = dict(p.split(":") for p in name.split("/")[1:3])
    label = "threads %s, %s states per pass" % (parts["threads"], parts["states_per_pass"])
    note = ""
    if parts["threads"] == "2" and parts["states_per_pass"] == "8":
        headline = e
        note = "target < 3 s on 2 cores"
    if "largest_pass_fraction" in e:
        note = "largest of %d passes: %.0f%% of the work (2 threads: <= %.2f x)" % (
            e["passes"], 100 * e["largest_pass_fraction"],
            1 / max(0.5, e["largest_pass_fraction"]))
    row(label + ": mean (best) of %d" % e["iterations"],
        "%.2f s (%.2f)" % (e["seconds"], e["best_seconds"]),
        note + ("; " if note else "") + "CPU %.2f s" % e["cpu_seconds"])
if headline:
    row("  peak RSS during the exposure (RSS before it)",
        "%.0f MiB (%.0f)" % (headline["peak_rss_mib"], headline["rss_before_mib"]),
        "+%.0f MiB for the exposure" % headline["peak_extra_mib"])
    row("  (entity, state) pairs reached; with an unknown share",
        "%d; %d" % (headline["pairs"], headline["unknown_pairs"]),
        "of %d x %d" % (headline["entities"], headline["states"]))

print("Explain (ownership::explain, %d random companies with owners):" %
      (find("BM_Explain/") or {"questions": 0})["questions"])
labels = {"0": "no owner (chains from the chain ends)", "1": "owner: a chain end above it",
          "2": "owner: a state entity above it"}
for mode in ("0", "1", "2"):
    e = find("BM_Explain/owner:%s/" % mode)
    if e:
        row("  %s: p50 / p99 / max" % labels[mode],
            "%.2f / %.2f / %.1f ms" % (e["p50_ms"], e["p99_ms"], e["max_ms"]),
            "target < 10 ms" if mode == "0" else "")

if base:
    print("Baselines on the same file (Python %s, numpy %s, scipy %s, networkx %s):" %
          (base["python"], base["numpy"], base["scipy_version"],
           base.get("networkx", {}).get("networkx_version", "-")))
    ld = base["load"]
    row("Python: json.loads of every record, arrays", "%.1f s (%.0f MB/s)" %
        (ld["seconds"], ld["MB_per_s"]),
        "importer time / this: %s" % ratio(imp["real_time"] / 1000, ld["seconds"]) if imp else "")
    eng = headline["seconds"] if headline else None
    eng1 = find("BM_StateExposure/threads:1/states_per_pass:8/")
    for key, label in (("scipy", "file order"), ("scipy_random_order", "random order")):
        s = base.get(key)
        if not s:
            continue
        row("SciPy splu + solve, lo and hi, nodes in %s" % label,
            "%.1f s" % s["seconds_lo_hi"],
            "ratio %s (vs 1 thread %s)" % (ratio(s["seconds_lo_hi"], eng),
                                          ratio(s["seconds_lo_hi"], eng1["seconds"]) if eng1
                                          else "?"))
        row("  factor + solve per bound (lo; hi)",
            "%.1f + %.1f; %.1f + %.1f s" % (s["lo"]["factor_seconds"], s["lo"]["solve_seconds"],
                                             s["hi"]["factor_seconds"], s["hi"]["solve_seconds"]),
            "L+U nnz %d" % s["lo"]["lu_nnz"])
    c = base.get("check")
    if c:
        row("  cross-check: max |engine lo - SciPy lo|", "%.2g" % c["max_abs_diff_lo"],
            "%d (entity, state) rows; state totals rel. %.1g" %
            (c["entity_rows_compared"], c["max_rel_diff_state_sum_lo"]))
        row("  sampled pairs with a SciPy value but no engine row",
            "%d" % c["pairs_missing_in_engine"],
            "of %d entities x %d states" % (c["sampled_entities"], c["states_compared"]))
        row("  engine hi above SciPy's (tightened maximums)",
            "%d rows" % c["rows_engine_hi_above_scipy_hi"],
            "equal in %d (budgeted ranges lower the rest)" % c["rows_engine_hi_equal_scipy_hi"])
    nx = base.get("networkx")
    if nx:
        sw = nx["sweep"]
        done = "%d of %d states" % (sw["states_finished"], sw["states"])
        row("networkx simple-path sweep, cutoff %d, lower bound only" % nx["cutoff"],
            ("%.1f s" if sw["complete"] else "> %.1f s") % sw["seconds"],
            "ratio %s%s (%s, %d paths)" % ("" if sw["complete"] else "> ",
                                           ratio(sw["seconds"], eng), done, sw["paths"]))
        if "max_abs_error_vs_exact" in sw:
            row("  its error against the exact solution: max abs; missing",
                "%.2g; %.2g" % (sw["max_abs_error_vs_exact"],
                                sw["max_missing_fraction_of_state_total"]),
                "(cross-holding walks; long chains past the cutoff)")
        pr = nx["pairs"]
        if pr.get("pairs"):
            row("networkx all_simple_paths per (entity, state) pair",
                "%.3f s" % pr["mean_seconds_per_pair"], "mean of %d sampled pairs" % pr["pairs"])
            row("  extrapolated to every pair; to the reached pairs",
                "%.3g s; %.3g s" % (pr["extrapolated_seconds_all_pairs"],
                                    pr["extrapolated_seconds_reached_pairs"]),
                "ratio %s; %s" % (ratio(pr["extrapolated_seconds_all_pairs"], eng),
                                  ratio(pr["extrapolated_seconds_reached_pairs"], eng)))
    row("Python peak RSS", "%.0f MiB" % base["peak_rss_mib"], "")
EOF
