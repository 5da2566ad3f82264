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
    var/demo-tls.key
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
pw request server_room --as tech-nuctech-2 --room server-room-maasvlakte --from "$NOW" --to "$LATER" \
  --reason "replace a disk in the Nuctech image server (fictional)" --id "req-room-$RUN" | head -1
pw approve "req-room-$RUN" --as operator-1 | head -1
pw approve "req-room-$RUN" --as security-officer-1 | head -1
pw checkin "req-room-$RUN" --person tech-nuctech-2 --as operator-1 | head -1
pw access check --person tech-nuctech-2 --target server-room-maasvlakte --mode server_room || true
echo "-- the kill switch: its downtime cost first, then access stops at once"
pw suspend nuctech --as security-officer-1 --reason "demo of the kill switch" --yes | head -1
pw access check --person tech-nuctech-2 --target server-room-maasvlakte --mode server_room || true

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
  "technician:tech-borealis-2:technician" "auditor::auditor"; do
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
