#!/usr/bin/env bash
# The gateway's benchmark (issue 6; figures in docs/PERFORMANCE.md, "Gateway"): one run, side
# by side, everything on loopback in a temp dir:
#   1. throughput of 1 GiB: direct TCP, socat relay, socat TLS relay (the TLS cost alone), and
#      through the gateway (TLS 1.3 + admission + recording), each read by socat; the gateway's
#      copy is checked by SHA-256;
#   2. connection set-up: 50 curl requests for a tiny page through the gateway vs direct
#      (curl's time to first byte: TLS handshake, admission, upstream connect);
#   3. the gateway's memory for 1,000 idle sessions (RSS before and after);
#   4. kill latency over 100 sessions: a vendor suspension through the API, then the time until
#      each session's socket is closed (p50, p99).
# The control plane is a real `portwarden serve` with the Rotterdam scenario (as in
# tests/gateway/gateway_world.h).
#
# Usage: scripts/bench-gateway.sh [PORTWARDEN_BINARY]   (default build/release/src/portwarden)
#   PW_BENCH_ONLY=throughput   stop after section 1
#   PW_BENCH_PERF=FILE         also `perf record` the gateway during one more gateway transfer
#   PW_BENCH_THREADS=N         the gateway's I/O threads (default 0: one per core)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PW=${1:-build/release/src/portwarden}
PW=$(realpath "$PW")
W=$(mktemp -d /tmp/pw-gw-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; return 1; }
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
later() { date -u -d "+$1 hours" +%Y-%m-%dT%H:%M:%SZ; }
pw() { "$PW" --db "$W/j.db" "$@"; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }

echo "gateway benchmark in $W ($(nproc) cores; binary $PW)"
head -c 1073741824 /dev/urandom > "$W/big.bin"
printf 'ok\n' > "$W/tiny.txt"
SUM=$(sha256sum "$W/big.bin" | cut -d' ' -f1)

# Upstreams: raw TCP sending the 1 GiB file on each connection once the client sent a byte
# (so idle sessions stay idle); an HTTP server for the direct set-up baseline.
RAW=$(free_port)
python3 bench/gateway/upstream.py $RAW "$W/big.bin" & UPPID=$!; PIDS+=($!)
HTTP=$(free_port); python3 -m http.server "$HTTP" --bind 127.0.0.1 --directory "$W" >/dev/null 2>&1 & PIDS+=($!)
wait_port $RAW; wait_port $HTTP

# The control plane's world: scanner-05's endpoint is the raw upstream at first.
cp -r examples/rotterdam "$W/rotterdam"
sed -i "s/10.20.1.15:8443/127.0.0.1:$RAW/" "$W/rotterdam/assets.toml"
printf '\n[[fault]]\nid = "fault-bench"\nasset = "scanner-05"\nreported = "%s"\ncategory = "software"\n' "$(now)" >> "$W/rotterdam/faults.toml"
pw init --origin bench.example/log --tls >/dev/null
pw inventory import "$W/rotterdam" >/dev/null
pw assess start borealis --as analyst-1 >/dev/null
for c in "1 no" "2 no" "3a yes" "3b yes"; do
  set -- $c; pw assess judge borealis --as analyst-1 --criterion "$1" --answer "$2" --judgement bench >/dev/null
done
pw assess sign borealis --as analyst-2 >/dev/null
pw request remote --as tech-borealis-2 --asset scanner-05 --fault fault-bench --from "$(now)" --to "$(later 2)" --id req-bench >/dev/null
pw approve req-bench --as operator-1 >/dev/null
GRANT=$(pw --json access status | python3 -c 'import json,sys; print([g["id"] for g in json.load(sys.stdin)["grants"] if g["request"]=="req-bench"][0])')
pw account create rmgw-1 --role gateway >/dev/null
pw account create op --role operator --person operator-1 >/dev/null
pw --json account token rmgw-1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' > "$W/gateway.token"
OPTOKEN=$(pw --json account token op | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/gw.key" -out "$W/gw.crt" \
  -days 2 -subj /CN=gateway -addext "subjectAltName=DNS:scanner-05,DNS:localhost" 2>/dev/null
cat "$W/gw.crt" "$W/gw.key" > "$W/gw.pem"

CP=$(free_port)
"$PW" --db "$W/j.db" serve --listen 127.0.0.1:$CP --tls-cert "$W/j-tls.crt" --tls-key "$W/j-tls.key" --quiet >/dev/null 2>&1 & PIDS+=($!)
wait_port $CP
# The technician's client certificate from the API (POST /v1/grants/{id}/certificate).
curl -sS --cacert "$W/j-tls.crt" -H "Authorization: Bearer $OPTOKEN" -X POST \
  "https://127.0.0.1:$CP/v1/grants/${GRANT//#/%23}/certificate" > "$W/cert.json"
CRT=$W/client.crt; KEY=$W/client.key
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); open(sys.argv[2],"w").write(j["certificate"]); open(sys.argv[3],"w").write(j["key"])' "$W/cert.json" "$CRT" "$KEY"
GW=$(free_port)
cat > "$W/gateway.toml" <<TOML
id = "rmgw-1"
listen = "127.0.0.1:$GW"
tls_cert = "gw.crt"
tls_key = "gw.key"
grant_ca = "ca/grant-ca.crt"
control_url = "https://127.0.0.1:$CP"
control_ca = "j-tls.crt"
token_file = "gateway.token"
recording_dir = "recordings"
threads = ${PW_BENCH_THREADS:-0}
max_connections_per_address = 5000
max_attempts_per_second_per_address = 5000
TOML
"$PW" gateway --config "$W/gateway.toml" >/dev/null 2>"$W/gateway.log" & GWPID=$!; PIDS+=($GWPID)
wait_port $GW; sleep 0.5

echo; echo "== 1. throughput, 1 GiB, read by one Python client with 1 MiB buffers"
RELAY=$(free_port); socat -b 262144 TCP-LISTEN:$RELAY,bind=127.0.0.1,reuseaddr,fork TCP:127.0.0.1:$RAW & RELAYPID=$!; PIDS+=($!)
TLSRELAY=$(free_port); socat -b 262144 OPENSSL-LISTEN:$TLSRELAY,bind=127.0.0.1,reuseaddr,fork,cert="$W/gw.pem",verify=0 TCP:127.0.0.1:$RAW & TLSRELAYPID=$!; PIDS+=($!)
wait_port $RELAY; wait_port $TLSRELAY
R=bench/gateway/sessions.py
# CPU seconds (user + system, with reaped children: socat forks one per connection) of a
# process so far; CPU per GiB does not depend on the other load of the machine the way MB/s does.
cpu() { awk -v t="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15+$16+$17)/t}' /proc/$1/stat; }
# run NAME RELAY_PID(or -) ARGS...: one transfer, with the upstream's and the relay's CPU.
run() {
  local name=$1 relay=$2; shift 2
  local u0 r0=0 u1 r1=0 out
  u0=$(cpu $UPPID); [[ $relay != - ]] && r0=$(cpu $relay)
  out=$(python3 $R read "$@")
  u1=$(cpu $UPPID); [[ $relay != - ]] && r1=$(cpu $relay)
  printf '%-40s %s upstream_cpu_s=%.2f relay_cpu_s=%.2f load=%s\n' "$name" "$out" \
    "$(echo "$u1 - $u0" | bc)" "$(echo "$r1 - $r0" | bc)" "$(cut -d' ' -f1 /proc/loadavg)"
}
run "direct loopback" - $RAW
run "socat relay (TCP)" $RELAYPID $RELAY
run "socat relay (TLS 1.3 terminated)" $TLSRELAYPID $TLSRELAY scanner-05 - - -
run "portwarden gateway (TLS 1.3, recorded)" $GWPID $GW scanner-05 "$CRT" "$KEY" "$W/gw.crt"
GOT=$(python3 $R read $GW scanner-05 "$CRT" "$KEY" "$W/gw.crt" --sha256)
[[ $GOT == *"sha256=$SUM"* ]] && echo "gateway copy: sha256 matches ($GOT)" || echo "gateway copy: SHA-256 MISMATCH ($GOT)"
du -sh "$W/recordings" | sed 's/^/recordings on disk: /'
if [[ -n ${PW_BENCH_PERF:-} ]]; then
  perf record -q -g -o "$PW_BENCH_PERF" -p $GWPID 2>/dev/null & PERFPID=$!
  sleep 0.3
  printf '%-40s %s\n' "gateway under perf record" "$(python3 $R read $GW scanner-05 "$CRT" "$KEY" "$W/gw.crt")"
  kill -INT $PERFPID; wait $PERFPID || true
fi
[[ ${PW_BENCH_ONLY:-} == throughput ]] && exit 0

echo; echo "== 2. connection set-up (curl time to first byte, median of 50, ms)"
# Baseline: curl to the HTTP server directly. Through the gateway: one Python client that
# connects, handshakes, sends a byte and waits for the first byte of the asset's answer.
ttfb() { for _ in $(seq 50); do curl -s -o /dev/null --max-time 5 -w '%{time_starttransfer}\n' "$@" 2>/dev/null || true; done | sort -n | sed -n 25p; }
D=$(ttfb http://127.0.0.1:$HTTP/tiny.txt)
G=$(python3 bench/gateway/setup_time.py $GW scanner-05 "$CRT" "$KEY" 50)
python3 -c "import sys; print(f'direct HTTP (curl time to first byte): {float(sys.argv[1])*1000:6.2f} ms')" "$D"
echo "through the gateway (connect, TLS 1.3, admission, upstream connect, first byte): $G"

export PW_GATEWAY_LOG="$W/gateway.log"
echo; echo "== 3. memory for 1,000 idle sessions"
python3 bench/gateway/sessions.py idle $GW scanner-05 "$CRT" "$KEY" "$W/gw.crt" 1000 $GWPID
sleep 1

echo; echo "== 4. kill latency over 100 sessions (vendor suspended through the API)"
python3 bench/gateway/sessions.py kill $GW scanner-05 "$CRT" "$KEY" "$W/gw.crt" 100 \
  curl -s --cacert "$W/j-tls.crt" -H "Authorization: Bearer $OPTOKEN" -H 'Content-Type: application/json' \
  --data-binary '{"id":"susp-bench","scope":"vendor","subject":"borealis","reason":"bench","confirmed":true}' \
  https://127.0.0.1:$CP/v1/suspensions
