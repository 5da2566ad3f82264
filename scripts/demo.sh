#!/usr/bin/env bash
# The main job, on the embedded default (SQLite): a fresh journal in var/demo.db, a few events
# taken from the source document (Kamerbrief of 19 April 2021, answers on the customs scanners
# in the port of Rotterdam), a signed checkpoint, an inclusion proof verified offline, a full
# journal verify, and an auditor bundle verified as an outsider would.
set -euo pipefail
PW=${1:-build/release/src/portwarden}
cd "$(dirname "$0")/.."
DB=var/demo.db
rm -rf var/demo.db var/demo.db-wal var/demo.db-shm var/demo.key var/demo.blobs var/demo-bundle var/demo-nuctech.svg
mkdir -p var

step() { printf '\n== %s\n' "$*"; }
pw() { "$PW" --db "$DB" --actor "${ACTOR:-demo:customs-operator}" "$@"; }

step "portwarden init: the journal and its Ed25519 signing key (mode 0600)"
pw init --origin portwarden.demo/rotterdam-customs

step "journal append: facts from the source document (Q4, Q7, Q10), as operator notes"
cat <<'JSONL' | pw journal append --jsonl -
{"type":"operator.note","payload":{"subject":"fleet","text":"Seven large cargo scanners are installed in the port of Rotterdam, four of them from Nuctech.","source":"Kamerbrief 19 April 2021, answer 4"}}
{"type":"operator.note","payload":{"subject":"audit","text":"Customs has an external audit carried out on the scanning and detection systems and the related IT.","source":"Kamerbrief 19 April 2021, answer 4"}}
{"type":"operator.note","payload":{"subject":"ownership","text":"CNNC holds 21% of Tongfang, which holds 76% of Nuctech: CNNC holds 15.96% of Nuctech indirectly.","source":"Kamerbrief 19 April 2021, answer 7"}}
{"type":"operator.note","payload":{"subject":"remote-maintenance","text":"About a third of scanner faults are software faults that vendor technicians fix remotely.","source":"Kamerbrief 19 April 2021, answer 10"}}
JSONL

step "ownership import + explain: the seed's chain from a BODS 0.4 file (Q7)"
# Shares from the source (answer 7); identifiers in the file are fictional and marked FIXTURE.
pw ownership import tests/formats/fixtures/nuctech-bods-0.4.json --format bods
pw ownership explain "Nuctech Company Limited" --owner "China National Nuclear Corporation"
pw ownership graph "Nuctech Company Limited" --svg var/demo-nuctech.svg

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
