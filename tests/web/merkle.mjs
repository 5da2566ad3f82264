// The console's RFC 9162 verifier (web/merkle.js) against the real journal: every inclusion
// proof that `portwarden journal proof` gives for journals of 1..9 entries verifies against
// the checkpoint's root, and every altered proof (a hash flipped, a hash dropped or added, another
// index, another entry) fails. Node's Web Crypto is the browser's API.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PW, SOURCE_DIR } from './lib/scenario.mjs';
import { verifyInclusion } from '../../web/merkle.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pw-merkle-'));
const db = path.join(dir, 'j.db');
const pw = (args, input) => execFileSync(PW, ['--db', db, '--actor', 'test:merkle', ...args],
  { cwd: SOURCE_DIR, input, encoding: 'utf8' });
try {
  pw(['init', '--origin', 'portwarden.test/merkle']);
  let checked = 0;
  for (let n = 1; n <= 9; n++) {
    pw(['journal', 'append', '--jsonl', '-'],
      `${JSON.stringify({ type: 'operator.note', payload: { subject: 'merkle', text: `note ${n}` } })}\n`);
    const cp = JSON.parse(pw(['--json', 'journal', 'checkpoint']));
    const size = cp.size;
    for (let i = 0; i < size; i++) {
      const proof = JSON.parse(pw(['--json', 'journal', 'proof', '--index', String(i)]));
      assert.equal(proof.size, size);
      const ok = await verifyInclusion(proof, cp);
      assert.ok(ok.ok, `index ${i} of ${size}: ${JSON.stringify(ok.steps)}`);
      for (let k = 0; k < proof.proof.length; k++) {
        const bad = structuredClone(proof);
        bad.proof[k] = bad.proof[k].replace(/^./, (c) => (c === '0' ? '1' : '0'));
        assert.equal((await verifyInclusion(bad, cp)).ok, false, `flipped hash ${k}, index ${i}`);
      }
      if (proof.proof.length) {
        assert.equal((await verifyInclusion({ ...proof, proof: proof.proof.slice(1) }, cp)).ok, false);
      }
      assert.equal((await verifyInclusion({ ...proof, proof: [...proof.proof, proof.leaf_hash] }, cp)).ok, false);
      if (size > 1) {
        assert.equal((await verifyInclusion({ ...proof, index: (i + 1) % size }, cp)).ok, false, `index ${i}+1`);
      }
      assert.equal((await verifyInclusion({ ...proof, entry: `${proof.entry} ` }, cp)).ok, false);
      assert.equal((await verifyInclusion(proof, { ...cp, size: size + 1 })).ok, false);
      checked++;
    }
  }
  console.log(`ok: merkle (${checked} proofs and their alterations)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
