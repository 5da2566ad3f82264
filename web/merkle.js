// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing and inclusion-proof verification,
// with the browser's Web Crypto SHA-256: the auditor checks the server's answer here rather
// than trusting it.

export function hexToBytes(hex) {
  if (typeof hex !== 'string' || !/^([0-9a-f]{2})*$/i.test(hex)) throw new Error(`not hex: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(...parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(len);
  let at = 0;
  for (const p of parts) { buf.set(p, at); at += p.length; }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

// MTH({d}) = SHA-256(0x00 || d)
export async function leafHash(entryText) {
  return sha256(new Uint8Array([0]), new TextEncoder().encode(entryText));
}

// SHA-256(0x01 || left || right)
export async function nodeHash(left, right) {
  return sha256(new Uint8Array([1]), left, right);
}

// The root an inclusion proof leads to (RFC 9162 section 2.1.3.2), or throws when the proof
// cannot belong to a tree of `size` at `index`.
export async function rootFromInclusionProof(index, size, leaf, proof) {
  if (!(index < size)) throw new Error(`index ${index} is not below the tree size ${size}`);
  let fn = BigInt(index);
  let sn = BigInt(size) - 1n;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) throw new Error('the proof is longer than the tree allows');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Error('the proof is shorter than the tree needs');
  return r;
}

// Checks a proof answer of GET /v1/journal/proof against a checkpoint {size, root}: the entry
// hashes to the leaf hash, the path leads to the root, and that root and size are the
// checkpoint's. Returns {ok, steps: [{what, ok, detail}]}.
export async function verifyInclusion(proofAnswer, checkpoint) {
  const steps = [];
  const step = (what, ok, detail) => { steps.push({ what, ok, detail }); return ok; };
  try {
    const leaf = await leafHash(proofAnswer.entry);
    step('The entry hashes to the leaf hash (SHA-256 of 0x00 and the entry)',
      bytesToHex(leaf) === proofAnswer.leaf_hash.toLowerCase(), bytesToHex(leaf));
    const root = await rootFromInclusionProof(proofAnswer.index, proofAnswer.size, leaf,
      proofAnswer.proof.map(hexToBytes));
    step(`The audit path of ${proofAnswer.proof.length} hashes leads to the checkpoint's root`,
      bytesToHex(root) === String(checkpoint.root).toLowerCase(), bytesToHex(root));
    step('The proof is for the checkpoint\'s tree size',
      Number(proofAnswer.size) === Number(checkpoint.size), `${proofAnswer.size}`);
  } catch (e) {
    step('The proof is well formed', false, e.message);
  }
  return { ok: steps.every((s) => s.ok), steps };
}

function base64ToBytes(b64) {
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

// Checks a C2SP signed-note checkpoint {note, size, root} against a verifier key
// "name+keyid(8 hex)+base64(0x01 || Ed25519 public key)": the key id is the first 4 bytes of
// SHA-256(name || "\n" || 0x01 || key), a signature line "— name base64(keyid || sig)" carries
// an Ed25519 signature over the note's text (everything up to and including the line before the
// blank line), and that text names the checkpoint's size and root. Returns
// {ok, steps: [{what, ok, detail}]}, as verifyInclusion does.
export async function verifyCheckpoint(checkpoint, verifierKey) {
  const steps = [];
  const step = (what, ok, detail) => { steps.push({ what, ok, detail }); return ok; };
  try {
    // name+keyid+base64: the name has no '+', but base64 may, so split at the first two only.
    const vk = String(verifierKey);
    const p1 = vk.indexOf('+');
    const p2 = p1 < 0 ? -1 : vk.indexOf('+', p1 + 1);
    if (p1 <= 0 || p2 < 0) throw new Error('the verifier key is not name+keyid+key');
    const [name, keyIdHex, keyB64] = [vk.slice(0, p1), vk.slice(p1 + 1, p2), vk.slice(p2 + 1)];
    const keyBytes = base64ToBytes(keyB64);
    if (keyBytes.length !== 33 || keyBytes[0] !== 1) throw new Error('not an Ed25519 verifier key');
    const id = (await sha256(new TextEncoder().encode(`${name}\n`), keyBytes)).slice(0, 4);
    step('The verifier key\'s id is the hash of its name and key', bytesToHex(id) === keyIdHex.toLowerCase(), keyIdHex);
    const note = String(checkpoint.note);
    const split = note.indexOf('\n\n');
    if (split < 0) throw new Error('the note has no signature block');
    const text = note.slice(0, split + 1);
    const lines = text.split('\n');
    step('The signed text names the checkpoint\'s size', Number(lines[1]) === Number(checkpoint.size), lines[1]);
    const root = bytesToHex(base64ToBytes(lines[2] || ''));
    step('The signed text names the checkpoint\'s root', root === String(checkpoint.root).toLowerCase(), root);
    const sigLine = note.slice(split + 2).split('\n').find((l) => l.startsWith(`\u2014 ${name} `));
    if (!sigLine) throw new Error(`no signature by ${name}`);
    const sig = base64ToBytes(sigLine.slice(name.length + 3));
    step('The signature line carries this key\'s id', sig.length === 68 && bytesToHex(sig.slice(0, 4)) === keyIdHex.toLowerCase(), bytesToHex(sig.slice(0, 4)));
    const key = await crypto.subtle.importKey('raw', keyBytes.slice(1), { name: 'Ed25519' }, false, ['verify']);
    const good = await crypto.subtle.verify({ name: 'Ed25519' }, key, sig.slice(4), new TextEncoder().encode(text));
    step(`The Ed25519 signature of ${name} over the checkpoint verifies (Web Crypto)`, good, good ? 'valid' : 'invalid');
  } catch (e) {
    step('The checkpoint is well formed and signed', false, e.message);
  }
  return { ok: steps.every((s) => s.ok), steps };
}
