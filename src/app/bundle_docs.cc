#include "app/bundle_docs.h"

namespace pw::app {

std::string bundle_verify_md() {
  return R"md(# Verifying this portwarden journal bundle

This folder is an export of a portwarden journal: every decision and change, in order, as a
Merkle log (RFC 9162) with a signed checkpoint (C2SP tlog-checkpoint, C2SP signed-note,
Ed25519). You can check it without portwarden and without trusting whoever gave it to you,
provided you obtained the verifier key (`key.vkey`) independently, for example from an earlier
bundle or from the operator's published key.

## Files

- `entries.jsonl`: one entry a line. Line k (counting from 0), without its trailing newline,
  is exactly the leaf input of entry k: a canonical JSON (RFC 8785) object
  `{"actor":...,"payload":{...},"seq":k,"time":"...Z","type":"...","v":1}`.
- `checkpoint`: the signed note: origin line, tree size, base64 root hash, a blank line, and
  one signature line `— <key name> <base64(4-byte key ID || 64-byte Ed25519 signature)>`.
- `key.vkey`: the verifier key `<name>+<key ID, 8 hex digits>+<base64(0x01 || 32-byte public key)>`.
- `verify_bundle.py`: the checks below as a script (Python 3 standard library and the
  `openssl` command).

## Checks

1. **Signature.** The signed text is everything in `checkpoint` up to and including the newline
   before the blank line. The key ID is the first 4 bytes of
   SHA-256(name || 0x0A || 0x01 || public key). Find the signature line whose name and key ID
   match `key.vkey`, and verify its 64-byte Ed25519 signature over the signed text with the
   32-byte public key (`openssl pkeyutl -verify -rawin`, see the script).
2. **Entries.** Every line parses as JSON and its `seq` equals its line number; the number of
   lines equals the checkpoint's tree size.
3. **Tree.** Leaf hash = SHA-256(0x00 || line bytes); node hash = SHA-256(0x01 || left || right);
   the root of n leaves is computed as RFC 9162 section 2.1.1 defines (split at the largest
   power of two smaller than n). The root must equal the checkpoint's root (base64 on its
   third line).

Any RFC 9162 / RFC 6962 implementation computes the same root from the leaf inputs (for
example a Certificate Transparency library's Merkle tree over the lines of `entries.jsonl`).

## With portwarden

    portwarden verify bundle .
    portwarden verify note checkpoint --key key.vkey

To check that a later bundle extends this one, compare the two checkpoints with
`portwarden journal consistency --from N --to M` on the operator's side and
`portwarden verify consistency` on yours.

Exit codes of the `verify` commands: 0 valid, 1 invalid, 2 bad usage or unreadable input.
)md";
}

std::string bundle_verify_py() {
  return R"py(#!/usr/bin/env python3
"""Verify a portwarden journal bundle without portwarden (see VERIFY.md).

Usage: python3 verify_bundle.py [BUNDLE_DIR]      exit 0 valid, 1 invalid
Needs only the Python 3 standard library and the `openssl` command (OpenSSL 3).
"""
import base64, hashlib, json, os, subprocess, sys, tempfile

def fail(msg):
    print("INVALID: " + msg)
    sys.exit(1)

def mth(hashes):
    # RFC 9162 section 2.1.1, iteratively: combine complete subtrees left to right.
    if not hashes:
        return hashlib.sha256(b"").digest()
    stack = []  # (size, hash) of complete subtrees, sizes strictly decreasing
    for h in hashes:
        size = 1
        while stack and stack[-1][0] == size:
            left = stack.pop()[1]
            h = hashlib.sha256(b"\x01" + left + h).digest()
            size *= 2
        stack.append((size, h))
    root = stack[-1][1]
    for _, h in reversed(stack[:-1]):
        root = hashlib.sha256(b"\x01" + h + root).digest()
    return root

def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "."
    vkey = open(os.path.join(d, "key.vkey")).read().strip()
    name, key_id_hex, key_b64 = vkey.split("+", 2)
    key = base64.b64decode(key_b64, validate=True)
    if len(key) != 33 or key[0] != 1:
        fail("key.vkey is not an Ed25519 verifier key")
    pub = key[1:]
    if hashlib.sha256(name.encode() + b"\n" + key).digest()[:4].hex() != key_id_hex:
        fail("key.vkey: key ID does not match the key")
    note = open(os.path.join(d, "checkpoint"), "rb").read().decode("utf-8")
    text, sep, sigs = note.rpartition("\n\n")
    if not sep:
        fail("checkpoint has no signature block")
    text += "\n"
    sig = None
    for line in sigs.strip("\n").split("\n"):
        parts = line.split(" ")
        if len(parts) == 3 and parts[0] == "\u2014" and parts[1] == name:
            raw = base64.b64decode(parts[2], validate=True)
            if raw[:4].hex() == key_id_hex:
                sig = raw[4:]
    if sig is None or len(sig) != 64:
        fail("checkpoint carries no signature by " + name)
    # Ed25519 SubjectPublicKeyInfo: fixed DER prefix + 32-byte key (RFC 8410).
    der = bytes.fromhex("302a300506032b6570032100") + pub
    with tempfile.TemporaryDirectory() as tmp:
        paths = {k: os.path.join(tmp, k) for k in ("pub.der", "text", "sig")}
        open(paths["pub.der"], "wb").write(der)
        open(paths["text"], "wb").write(text.encode("utf-8"))
        open(paths["sig"], "wb").write(sig)
        r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["pub.der"],
                            "-keyform", "DER", "-rawin", "-in", paths["text"],
                            "-sigfile", paths["sig"]], capture_output=True)
        if r.returncode != 0:
            fail("checkpoint signature does not verify")
    lines = text.split("\n")
    origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
    data = open(os.path.join(d, "entries.jsonl"), "rb").read()
    if data and not data.endswith(b"\n"):
        fail("entries.jsonl does not end in a newline")
    entries = data.split(b"\n")[:-1] if data else []
    leaves = []
    for k, e in enumerate(entries):
        if json.loads(e)["seq"] != k:
            fail("entry on line %d does not have seq %d" % (k + 1, k))
        leaves.append(hashlib.sha256(b"\x00" + e).digest())
    if len(leaves) != size:
        fail("%d entries, checkpoint covers %d" % (len(leaves), size))
    if mth(leaves) != root:
        fail("Merkle root of entries.jsonl does not match the checkpoint")
    print("VALID: %d entries of %s, root %s, signed by %s" % (size, origin, lines[2], name))

main()
)py";
}

}  // namespace pw::app
