#!/usr/bin/env bash
# The journal benchmarks (`make bench`): builds the release preset, runs bench/journal_bench,
# measures the machine's SHA-256 speed with `openssl speed`, times `portwarden journal verify`
# of the cached 10^6-entry journal, and prints a summary next to the targets. What the figures
# mean and what limits them: docs/PERFORMANCE.md.
#
# The first run builds the cached journals (build/bench-data/journal-1e7.db and journal-1e6.db,
# about 7 GB together; a few minutes). Environment:
#   PW_BENCH_DATA    folder of the cached journals and temporary files (default build/bench-data)
#   PW_BENCH_FILTER  --benchmark_filter for journal_bench (default: all)
#   PW_BENCH_PROOF_ENTRIES, PW_BENCH_VERIFY_ENTRIES, PW_BENCH_PROOFS: see bench/journal_bench.cc
#   PW_BENCH_BUILD_DIR  build a Release tree there instead of the release preset (build/release)
# Results (JSON, console output, openssl output) are kept in $PW_BENCH_DATA/results.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${PW_BENCH_BUILD_DIR:-build/release}
export PW_BENCH_DATA=${PW_BENCH_DATA:-build/bench-data}
OUT=$PW_BENCH_DATA/results
FILTER=${PW_BENCH_FILTER:-.}
VERIFY_N=${PW_BENCH_VERIFY_ENTRIES:-1000000}

if [[ -n ${PW_BENCH_BUILD_DIR:-} ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPW_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" --target journal_bench portwarden
else
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)"
fi
mkdir -p "$OUT"

section() { printf '\n== %s\n' "$*"; }

size_name() {  # 1000000 -> 1e6, as journal_bench names its cached journals
  local n=$1 e=0
  while [[ $n -ge 10 && $((n % 10)) -eq 0 ]]; do n=$((n / 10)); e=$((e + 1)); done
  if [[ $n -eq 1 && $e -gt 0 ]]; then echo "1e$e"; else echo "$1"; fi
}

section "machine"
{
  echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc:  $(nproc)"
  echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "sha_ni: $(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15-minute load average before the run)"
  dev=$(df --output=source "$PW_BENCH_DATA" | tail -1)
  echo "disk:   $dev, $(df --output=fstype "$PW_BENCH_DATA" | tail -1 | tr -d ' '), mounted with" \
    "$(findmnt -no OPTIONS --target "$PW_BENCH_DATA" 2>/dev/null || echo '?')"
  blk=$(basename "$dev")
  if [[ -r /sys/block/$blk/queue/rotational ]]; then
    echo "        rotational=$(cat "/sys/block/$blk/queue/rotational")," \
      "scheduler=$(cat "/sys/block/$blk/queue/scheduler")"
  fi
  echo "sqlite: $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
    "openssl: $(openssl version | cut -d' ' -f2)"
} | tee "$OUT/machine.txt"

section "journal_bench (Google Benchmark)"
"$BUILD/bench/journal_bench" --benchmark_filter="$FILTER" \
  --benchmark_out="$OUT/journal_bench.json" --benchmark_out_format=json \
  | tee "$OUT/journal_bench.txt"

section "openssl speed -evp sha256 -seconds 2"
openssl speed -evp sha256 -seconds 2 2>/dev/null | tee "$OUT/openssl_speed.txt" | tail -3

DB=$PW_BENCH_DATA/journal-$(size_name "$VERIFY_N").db
VERIFY_TIMES=()
VERIFY_CPU=()
if [[ -f $DB ]]; then
  section "portwarden journal verify on $DB (3 runs)"
  for run in 1 2 3; do
    /usr/bin/time -f '%e %U %S %M' -o "$OUT/verify_time.txt" \
      "$BUILD/src/portwarden" --db "$DB" journal verify | tee "$OUT/verify_output.txt"
    read -r secs user sys rss <"$OUT/verify_time.txt"
    echo "run $run: ${secs} s wall, ${user} s user + ${sys} s system CPU," \
      "max RSS $((rss / 1024)) MiB"
    VERIFY_TIMES+=("$secs")
    VERIFY_CPU+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  done
fi

echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

# -------------------------------------------------------------------------------------------
# Summary, from the JSON (one key per line) and openssl's table.
section "summary"
awk -v verify_times="${VERIFY_TIMES[*]:-}" -v verify_cpu="${VERIFY_CPU[*]:-}" \
  -v speed_file="$OUT/openssl_speed.txt" '
  function num(s) { gsub(/[",]/, "", s); return s + 0 }
  /"name":/ { name = $2; gsub(/[",]/, "", name) }
  /^ *"[a-z_0-9]+": -?[0-9]/ {
    key = $1; gsub(/[":]/, "", key); v[name, key] = num($2); seen[name] = 1
  }
  function find(prefix,   n) {
    for (n in seen) if (index(n, prefix) == 1) return n
    return ""
  }
  function row(what, value, note) { printf "  %-56s %-20s %s\n", what, value, note }
  function us2(n, a, b) { return sprintf("%.1f / %.1f us", v[n, a], v[n, b]) }
  END {
    print "Durable appends (JournalService::append; group commit, WAL, synchronous=FULL):"
    split("1 8 64", ts, " ")
    for (i = 1; i <= 3; i++) {
      n = find("BM_DurableAppend/"); sub(/threads:[0-9]+$/, "threads:" ts[i], n)
      if (!(n in seen)) continue
      row(sprintf("%2d appender(s): appends/s", ts[i]), sprintf("%.0f", v[n, "items_per_second"]),
          sprintf("p50/p99 %.0f/%.0f us, %.1f appends per flush%s", v[n, "p50_us"],
                  v[n, "p99_us"], v[n, "appends_per_flush"],
                  ts[i] == 64 ? "; target >= 30000/s" : ""))
    }
    split("BM_RawFdatasync/append:0 BM_RawFdatasync/append:1 BM_SqliteTinyCommit", fl, " ")
    label[fl[1]] = "4 KiB rewrite + fdatasync"
    label[fl[2]] = "4 KiB append + fdatasync"
    label[fl[3]] = "tiny durable SQLite commit (WAL, FULL)"
    for (i = 1; i <= 3; i++) {
      n = find(fl[i]); if (n == "") continue
      row("flush: " label[fl[i]] ", mean (p99)",
          sprintf("%.0f us (%.0f)", v[n, "mean_us"], v[n, "p99_us"]),
          sprintf("1-appender ceiling %.0f/s", 1e6 / v[n, "mean_us"]))
    }
    n = find("BM_ExecuteBatch/")
    if (n != "") {
      row("bulk: 10,000 drafts per command", sprintf("%.0f/s", v[n, "items_per_second"]), "")
    }

    print "Inclusion proofs (JournalService::inclusion_proof, random indexes):"
    n = find("BM_InclusionProof/")
    if (n != "") {
      split(n, parts, "/")
      row("journal of " parts[2] " entries: p50 / p99", us2(n, "p50_us", "p99_us"),
          "target p99 < 100 us")
    }
    n = find("BM_InclusionProofSplit/")
    if (n != "") {
      row("  CPU time per proof: p50 / p99", us2(n, "cpu_p50_us", "cpu_p99_us"),
          "(preemption excluded)")
      row("  mean: size query, entry, leaf node",
          sprintf("%.1f, %.1f, %.1f us", v[n, "size_us"], v[n, "entry_us"], v[n, "leaf_us"]), "")
      row("  mean: proof nodes, root nodes",
          sprintf("%.1f, %.1f us", v[n, "proof_us"], v[n, "root_us"]),
          sprintf("(%.1f + %.1f reads)", v[n, "proof_nodes"], v[n, "root_nodes"]))
      row("  node reads per proof, mean cost per read",
          sprintf("%.1f, %.2f us", v[n, "nodes_per_proof"], v[n, "us_per_node"]), "")
    }
    sname[0] = "store settings"; sname[1] = "256 MiB page cache"; sname[2] = "mmap"
    sname[3] = "proposed caching"
    for (i = 0; i <= 3; i++) {
      n = find("BM_ProofNodeReads/"); sub(/settings:[0-9]/, "settings:" i, n)
      if (!(n in seen)) continue
      row("  node reads only, " sname[i] ": p50 / p99", us2(n, "p50_us", "p99_us"),
          sprintf("%.1f reads, %.2f us each", v[n, "nodes_per_proof"], v[n, "us_per_node"]))
    }
    n = find("BM_FixedWork")
    if (n != "") {
      row("timing noise: fixed 40 us of computation, p50 / p99", us2(n, "p50_us", "p99_us"), "")
    }

    print "Verification (JournalService::verify):"
    n = find("BM_Verify/")
    if (n != "") {
      entries = v[n, "entries"]; nodes = v[n, "nodes"]; avg = v[n, "avg_entry_bytes"]
      verify_ms = v[n, "real_time"]
      row(sprintf("in process, %d entries", entries), sprintf("%.2f s", verify_ms / 1000),
          "target < 2 s")
    }
    k = split(verify_times, vt, " ")
    if (k > 0) {
      best = vt[1]; for (i = 2; i <= k; i++) if (vt[i] + 0 < best + 0) best = vt[i]
      split(verify_cpu, vc, " ")
      for (i = 1; i <= k; i++) if (vt[i] == best) cpu = vc[i]
      row("portwarden journal verify, best of " k, best " s",
          sprintf("target < 2 s; CPU %s s (both threads)", cpu))
    }
    # Each step alone, single-threaded; verify runs decoding and projection on a second thread.
    nsteps = split("scan_entries scan_nodes scan_views decode_for_projection project tree_hash",
                   steps, " ")
    split("check_canonical decode_envelope_header parse_payload", parts_of_decode, " ")
    for (i = 1; i <= nsteps; i++) {
      n = find("BM_VerifyStep/" steps[i] "/"); if (n == "") continue
      row("  step " steps[i], sprintf("%.0f ms", v[n, "real_time"]),
          sprintf("%.2f us/entry", 1e6 / v[n, "items_per_second"]))
      if (steps[i] != "decode_for_projection") continue
      for (j = 1; j <= 3; j++) {
        m = find("BM_VerifyStep/" parts_of_decode[j] "/"); if (m == "") continue
        row("    of which " parts_of_decode[j], sprintf("%.0f ms", v[m, "real_time"]), "")
      }
    }
    # SHA-256 bound from openssl speed: per-message cost at 64 bytes (2 compression blocks, like
    # a 65-byte node input) and per-block cost from the 256-byte column (5 blocks).
    while ((getline line < speed_file) > 0) {
      if (line ~ /^(sha256|SHA256)[ \t]/) {
        split(line, c, /[ \t]+/)
        s64 = c[3]; s256 = c[4]; sub(/k$/, "", s64); sub(/k$/, "", s256)
        s64 *= 1000; s256 *= 1000  # bytes per second
      }
    }
    if (s64 > 0) {
      row("openssl speed -evp sha256, 64 B / 256 B columns",
          sprintf("%.0f / %.0f MB/s", s64 / 1e6, s256 / 1e6), "")
      if (entries > 0) {
        blocks = int((avg + 1 + 9 + 63) / 64)
        leaf_s = entries * blocks * (256 / s256) / 5
        node_s = (nodes - entries) * (64 / s64)
        row(sprintf("  SHA-256 bound: %d leaves of %.0f B + %d nodes", entries, avg + 1,
                    nodes - entries), sprintf("%.3f s", leaf_s + node_s),
            sprintf("(%.3f + %.3f s)", leaf_s, node_s))
      }
    }
    for (i = 1; i <= 2; i++) {
      n = find("BM_Sha256/n:1000000/bytes:" (i == 1 ? "65" : "0"))
      if (n != "") {
        row(sprintf("  same through core::Sha256, 10^6 x %d B", v[n, "input_bytes"]),
            sprintf("%.0f ms", v[n, "real_time"]), "")
      }
    }
  }
' "$OUT/journal_bench.json" | tee "$OUT/summary.txt"
