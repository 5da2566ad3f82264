#!/usr/bin/env bash
# The main job, on the embedded default (SQLite), with the Rotterdam scenario (examples/rotterdam,
# issue 4): a fresh journal in var/demo.db; facts from the source document (Kamerbrief of
# 19 April 2021, answers on the customs scanners in the port of Rotterdam) as notes; the site
# register; its topology findings; Nuctech's ownership chain; the supplier assessment on the
# cabinet's criteria with four-eyes sign-off and its HTML report; maintenance access (a remote
# session refused at very high risk, server-room entry with quorum and check-in, the kill switch
# with its downtime cost); a signed checkpoint, an
# inclusion proof verified offline, a full journal verify, and an auditor bundle verified as an
# outsider would.
#
# Usage: scripts/demo.sh [PORTWARDEN_BINARY] [--reuse]
#   --reuse (or DEMO_REUSE=1): keep an existing var/demo.db and add to it (imports of unchanged
#   files append nothing); by default the demo starts from a fresh database each time.
set -euo pipefail
PW=build/release/src/portwarden
REUSE=${DEMO_REUSE:-0}
for arg in "$@"; do
  case $arg in
    --reuse) REUSE=1 ;;
    *) PW=$arg ;;
  esac
done
cd "$(dirname "$0")/.."
DB=var/demo.db
# The scenario's reference date: screenings are judged on it, so the findings are the same
# whenever the demo runs (examples/rotterdam/README.md).
TODAY=2026-12-01
mkdir -p var
if [[ $REUSE != 1 || ! -f $DB ]]; then
  rm -rf var/demo.db var/demo.db-wal var/demo.db-shm var/demo.key var/demo.blobs var/demo-bundle \
    var/demo-nuctech.svg var/demo-nuctech-report.html var/demo-fault.toml var/demo-tls.crt \
    var/demo-tls.key var/ca var/demo-gateway
  FRESH=1
else
  rm -rf var/demo-bundle
  FRESH=0
fi

step() { printf '\n== %s\n' "$*"; }
pw() { "$PW" --db "$DB" --actor "${ACTOR:-demo:customs-operator}" "$@"; }

if [[ $FRESH == 1 ]]; then
step "portwarden init: the journal and its Ed25519 signing key (mode 0600)"
pw init --origin portwarden.demo/rotterdam-customs --tls

step "journal append: facts from the source document (Q4, Q7, Q10), as operator notes"
cat <<'JSONL' | pw journal append --jsonl -
{"type":"operator.note","payload":{"subject":"fleet","text":"Seven large cargo scanners are installed in the port of Rotterdam, four of them from Nuctech.","source":"Kamerbrief 19 April 2021, answer 4"}}
{"type":"operator.note","payload":{"subject":"audit","text":"Customs has an external audit carried out on the scanning and detection systems and the related IT.","source":"Kamerbrief 19 April 2021, answer 4"}}
{"type":"operator.note","payload":{"subject":"ownership","text":"CNNC holds 21% of Tongfang, which holds 76% of Nuctech: CNNC holds 15.96% of Nuctech indirectly.","source":"Kamerbrief 19 April 2021, answer 7"}}
{"type":"operator.note","payload":{"subject":"remote-maintenance","text":"About a third of scanner faults are software faults that vendor technicians fix remotely.","source":"Kamerbrief 19 April 2021, answer 10"}}
JSONL
fi

step "inventory import: the Rotterdam register (seven scanners, four Nuctech: Q4; one server room, several vendors: Q11)"
pw inventory import examples/rotterdam

step "findings: the register's weak spots (screenings judged on $TODAY)"
pw findings --today "$TODAY"

step "ownership import + explain: Nuctech's chain from a BODS 0.4 file (Q7)"
# Shares from the source (answer 7); identifiers in the file are fictional and labelled so.
pw ownership import examples/rotterdam/ownership/nuctech-bods-0.4.json --format bods
pw ownership explain "Nuctech Company Limited" --owner "China National Nuclear Corporation"
pw ownership graph "Nuctech Company Limited" --svg var/demo-nuctech.svg

step "assessment of Nuctech on the cabinet's criteria 1, 2, 3a, 3b (Q6), four eyes"
# analyst-1 drafts and judges; analyst-2 records mitigations and signs off (people fictional).
if pw assess start nuctech --as analyst-1 >/dev/null 2>&1; then
  pw assess judge nuctech --as analyst-1 --criterion 1 --answer yes --judgement \
    "Origin in China, whose National Intelligence Law (2017, art. 7) obliges cooperation; the state holds 15.96% through CNNC and Tongfang (Q7)." >/dev/null
  pw assess judge nuctech --as analyst-1 --criterion 2 --answer yes --judgement \
    "China is named in Dutch threat assessments as running an offensive intelligence programme against the Netherlands (DBSA, cited in Q3)." >/dev/null
  pw assess judge nuctech --as analyst-1 --criterion 3a --answer yes --judgement \
    "Four of seven large scanners, remote maintenance into the closed network, servers in the shared server room (Q4, Q10, Q11)." >/dev/null
  pw assess mitigation nuctech remote-supervised-recorded --as analyst-2 --status implemented \
    --note "Remote sessions only through the gateway, supervised and recorded (fictional status)" >/dev/null
  pw assess mitigation nuctech external-audit --as analyst-2 --status verified \
    --note "External audit of the scanning systems and related IT (Q4, Q9)" >/dev/null
  pw assess mitigation nuctech server-separation --as analyst-2 --status planned \
    --note "Separate racks ordered (fictional status)" >/dev/null
  pw assess refresh nuctech --as analyst-1 >/dev/null
  pw assess judge nuctech --as analyst-1 --criterion 3b --answer partly --judgement \
    "Remote sessions are supervised and recorded and the audit is verified; server separation is only planned." >/dev/null
  pw assess sign nuctech --as analyst-2 --note "Agreed; revisit when the racks are separated." >/dev/null
fi
pw assess nuctech --html var/demo-nuctech-report.html

step "procurement (Q8, Q5/Q14): abnormally low tender screens, art. 2.116 explanation, FSR duty, award checks"
# The procedure, its amounts and its bids are FICTIONAL; Q8 says only that competitors complain
# that Nuctech bids below cost with state support.
TENDER=ocds-fictional-douane-scanners-2026
buyer() { ACTOR=demo:customs-buyer pw "$@"; }  # the journal names the buyer, not the operator
buyer tender import examples/rotterdam/procurement/scanner-tender-fictional.json
buyer tender configure "$TENDER" --security-requirements on \
  --security-text "Q5/Q14: award only to a supplier with a signed-off assessment" >/dev/null
buyer tender analyse "$TENDER"
echo "-- the award waits for the bidder's explanation (exit 3 lists every reason)"
buyer tender award "$TENDER" - bid-nuctech || true
buyer tender fsr check "$TENDER" nuctech
if [[ $FRESH == 1 ]]; then
  echo "-- the bidder explains; the buyer is not convinced and rejects the bid (art. 2.116)"
  buyer tender explanation receive "$TENDER//bid-nuctech" \
    --text "Series production and a framework contract elsewhere (fictional explanation)"
  buyer tender explanation decide "$TENDER//bid-nuctech" --reject other \
    --text "Price not explained by the costs shown (fictional decision)"
fi
buyer tender award "$TENDER" - bid-nuctech || true

step "maintenance access (Q10, Q12): every decision lists every rule it checked"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LATER=$(date -u -d '+4 hours' +%Y-%m-%dT%H:%M:%SZ)
RUN=$(date -u +%H%M%S)
echo "-- a software fault on a Nuctech scanner is reported (fictional, now)"
cat > var/demo-fault.toml <<TOML
[[fault]]
id = "fault-demo-$RUN"
asset = "scanner-04"
reported = "$NOW"
category = "software"
provenance = "fictional (demo run)"
TOML
pw inventory import var/demo-fault.toml | head -1
echo "-- a remote session to fix it: refused, since remote access is suspended at very high residual risk"
pw request remote --as tech-nuctech-1 --asset scanner-04 --fault "fault-demo-$RUN" \
  --from "$NOW" --to "$LATER" --reason "software fault (Q10)" --id "req-remote-$RUN" | grep -E 'REFUSED|FAIL' || true
echo "-- server-room entry: requested, approved by operator and security officer, checked in by the operator"
pw request server_room --as tech-nuctech-1 --room server-room-maasvlakte --from "$NOW" --to "$LATER" \
  --reason "replace a disk in the Nuctech image server (fictional)" --id "req-room-$RUN" | head -1
pw approve "req-room-$RUN" --as operator-1 | head -1
pw approve "req-room-$RUN" --as security-officer-1 | head -1
pw checkin "req-room-$RUN" --person tech-nuctech-1 --as operator-1 | head -1
pw access check --person tech-nuctech-1 --target server-room-maasvlakte --mode server_room || true
echo "-- the kill switch: its downtime cost first, then access stops at once"
pw suspend nuctech --as security-officer-1 --reason "demo of the kill switch" --yes | head -1
pw access check --person tech-nuctech-1 --target server-room-maasvlakte --mode server_room || true

step "remote maintenance through the gateway (Q10): grant, client certificate, recorded session, kill switch"
# Borealis and its scanner-05 are fictional (examples/rotterdam/README.md). The demo starts the
# control plane (portwarden serve) and the gateway (portwarden gateway) on loopback, and a
# stand-in for scanner-05's maintenance endpoint (a local web server: fictional).
GWD=var/demo-gateway
rm -rf "$GWD" && mkdir -p "$GWD/www"
BG=()
stop_bg() { [[ ${#BG[@]} -eq 0 ]] || { kill "${BG[@]}" 2>/dev/null || true; wait "${BG[@]}" 2>/dev/null || true; BG=(); }; }
trap stop_bg EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "demo: nothing listens on 127.0.0.1:$1 (see $GWD/*.log)" >&2; return 1
}
UP=$(free_port); CP=$(free_port); GWP=$(free_port)
echo "scanner-05 maintenance endpoint: all systems nominal (fictional stand-in)" > "$GWD/www/status.txt"
python3 -m http.server "$UP" --bind 127.0.0.1 --directory "$GWD/www" >"$GWD/upstream.log" 2>&1 & BG+=($!)
echo "-- scanner-05's maintenance endpoint now points at the stand-in (one register.put)"
sed "s/10.20.1.15:8443/127.0.0.1:$UP/" examples/rotterdam/assets.toml > "$GWD/assets.toml"
pw inventory import "$GWD/assets.toml" | head -1
if [[ $FRESH == 1 ]]; then
  echo "-- Borealis (fictional) assessed and signed off by four eyes, so its remote access is allowed"
  pw assess start borealis --as analyst-1 >/dev/null
  for c in "1 no" "2 no" "3a yes" "3b yes"; do
    set -- $c
    pw assess judge borealis --as analyst-1 --criterion "$1" --answer "$2" \
      --judgement "fictional vendor, judged for the demo" >/dev/null
  done
  pw assess sign borealis --as analyst-2 >/dev/null
fi
cat > "$GWD/fault.toml" <<TOML
[[fault]]
id = "fault-gw-$RUN"
asset = "scanner-05"
reported = "$NOW"
category = "software"
provenance = "fictional (demo run)"
TOML
pw inventory import "$GWD/fault.toml" | head -1
echo "-- the technician asks for a remote session; customs approves; the grant follows"
pw request remote --as tech-borealis-2 --asset scanner-05 --fault "fault-gw-$RUN" --from "$NOW" \
  --to "$LATER" --reason "software fault (Q10)" --id "req-gw-$RUN" | head -1
pw approve "req-gw-$RUN" --as operator-1 | head -1
GRANT=$(pw --json access status | python3 -c 'import json,sys; r=sys.argv[1]; print([g["id"] for g in json.load(sys.stdin)["grants"] if g["request"]==r][0])' "req-gw-$RUN")
echo "-- a client certificate for grant $GRANT from portwarden's grant CA (valid for the window only)"
pw grant cert "$GRANT" --as tech-borealis-2 --out "$GWD/cert" | head -2
pw account create gw-demo --role gateway >/dev/null 2>&1 || true
pw --json account token gw-demo --days 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' > "$GWD/gateway.token"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$GWD/gw.key" \
  -out "$GWD/gw.crt" -days 2 -subj /CN=portwarden-demo-gateway \
  -addext "subjectAltName=DNS:scanner-05,DNS:localhost" 2>/dev/null
cat > "$GWD/gateway.toml" <<TOML
id = "gw-demo"
listen = "127.0.0.1:$GWP"
tls_cert = "gw.crt"
tls_key = "gw.key"
grant_ca = "../ca/grant-ca.crt"
control_url = "https://127.0.0.1:$CP"
control_ca = "../demo-tls.crt"
token_file = "gateway.token"
recording_dir = "recordings"
TOML
"$PW" --db "$DB" serve --listen "127.0.0.1:$CP" --tls-cert var/demo-tls.crt --tls-key var/demo-tls.key \
  --quiet >"$GWD/serve.log" 2>&1 & BG+=($!)
wait_port "$CP"
"$PW" gateway --config "$GWD/gateway.toml" 2>"$GWD/gateway.log" & BG+=($!)
wait_port "$GWP"
echo "-- control plane on 127.0.0.1:$CP, gateway on 127.0.0.1:$GWP (log: $GWD/gateway.log)"
tech_curl() { curl -sS --max-time 10 --cacert "$GWD/gw.crt" --resolve "scanner-05:$GWP:127.0.0.1" "$@" "https://scanner-05:$GWP/status.txt"; }
echo "-- the technician, with the grant's certificate, through the gateway (SNI = the asset):"
tech_curl --cert "$GWD/cert/grant.crt" --key "$GWD/cert/grant.key" | sed 's/^/   /'
echo "-- without a certificate: no bytes from the asset"
tech_curl 2>&1 | sed 's/^/   /' || true
echo "-- the session's recording, sealed with the journal key's signature, as the auditor checks it"
REC=""
for _ in $(seq 100); do
  REC=$(ls -t "$GWD"/recordings/*.pwrec 2>/dev/null | head -1)
  [[ -n $REC ]] && pw recording verify "$REC" >/dev/null 2>&1 && break
  sleep 0.1
done
pw recording verify "$REC"
echo "-- the kill switch on Borealis: admission refused at once (live sessions are cut within a heartbeat)"
pw suspend borealis --as security-officer-1 --reason "demo of the vendor kill switch" --yes | head -1
tech_curl --cert "$GWD/cert/grant.crt" --key "$GWD/cert/grant.key" 2>&1 | sed 's/^/   /' || true
grep -o '"event":"gateway.session.refused".*' "$GWD/gateway.log" | tail -1 | cut -c1-220 | sed 's/^/   /'
stop_bg

step "journal checkpoint: the signed tree head (C2SP tlog-checkpoint, signed note)"
pw journal checkpoint

step "journal proof: inclusion of entry 3 (the ownership note) in the checkpoint's tree"
proof_json=$(pw --json journal proof --index 3)
pw journal proof --index 3
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); v=d[sys.argv[1]]; print(",".join(v) if isinstance(v, list) else v)' "$1" <<<"$proof_json"; }

step "verify inclusion: the proof checked offline, with nothing but hashes"
"$PW" verify inclusion --index 3 --size "$(field size)" --leaf-hash "$(field leaf_hash)" \
  --root "$(field root)" --proof "$(field proof)"

step "journal verify: every entry, Merkle node, checkpoint signature and view recomputed"
pw journal verify

step "journal export + verify bundle: what an outside auditor receives and checks"
pw journal export var/demo-bundle
"$PW" verify bundle var/demo-bundle
python3 var/demo-bundle/verify_bundle.py var/demo-bundle

printf '\nDemo journal: %s (bundle in var/demo-bundle; read var/demo-bundle/VERIFY.md)\n' "$DB"
printf 'Nuctech assessment report: %s\n' "$PWD/var/demo-nuctech-report.html"

step "the REST API: demo users (passwords shown once); TLS with the certificate init made"
# The logins are also kept in var/demo-logins.txt (mode 0600) for the console's address below.
LOGINS=var/demo-logins.txt
[[ $FRESH == 1 ]] && rm -f "$LOGINS"
(umask 077 && touch "$LOGINS")
for spec in "operator:operator-1:operator" "security:security-officer-1:security_officer" \
  "analyst:analyst-1:analyst" "terminal:terminal-staff-noord:terminal" \
  "technician:tech-borealis-2:technician" "auditor::auditor" "buyer::buyer"; do
  IFS=: read -r user person role <<<"$spec"
  if out=$(pw account create "demo-$user" --person "$person" --role "$role" 2>/dev/null); then
    echo "$out"
    printf '%-18s %-20s %s\n' "demo-$user" "$role" "${out##*: }" >>"$LOGINS"
  else
    echo "account demo-$user exists (password shown when it was created)"
  fi
done
printf '\nStart the API with:\n  %s --db %s serve --listen 127.0.0.1:8443 --tls-cert var/demo-tls.crt --tls-key var/demo-tls.key\n' "$PW" "$DB"
printf 'then e.g. curl --cacert var/demo-tls.crt -c jar -H "Content-Type: application/json" -d %s https://127.0.0.1:8443/v1/login\n' \
  "'{\"username\":\"demo-auditor\",\"password\":\"...\"}'"

step "the browser console (issue 7): the same server serves it at /"
printf 'Console: https://127.0.0.1:8443/ (once the server runs; the certificate is var/demo-tls.crt)\n'
printf 'Demo logins (also in %s):\n' "$LOGINS"
printf '  %-18s %-20s %s\n' USER ROLE PASSWORD
sed 's/^/  /' "$LOGINS"
if [[ -t 1 && ${DEMO_SERVE:-1} == 1 ]]; then
  printf '\nServing now (Ctrl-C stops it; DEMO_SERVE=0 skips this step).\n'
  exec "$PW" --db "$DB" serve --listen 127.0.0.1:8443 --tls-cert var/demo-tls.crt --tls-key var/demo-tls.key
fi
