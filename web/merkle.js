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
