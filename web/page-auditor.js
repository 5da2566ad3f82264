// The auditor (Q4, Q9): the journal's size and latest checkpoint, an inclusion proof verified
// here in the browser (Web Crypto SHA-256, RFC 9162) against that checkpoint, the export bundle,
// and a search over the events.
import { h, clear, table, field, section } from './dom.js';
import { get, api } from './api.js';
import { act, showOk, showError } from './ui.js';
import { verifyInclusion, verifyCheckpoint } from './merkle.js';

export async function render(root) {
  const cp = await get('/v1/journal/checkpoint');
  root.append(section('Journal',
    h('dl', { id: 'checkpoint' },
      h('dt', {}, 'Entries'), h('dd', { 'data-size': cp.size }, String(cp.size)),
      h('dt', {}, 'Root hash (SHA-256)'), h('dd', {}, h('code', {}, cp.root)),
      h('dt', {}, 'Signed checkpoint'), h('dd', {}, h('pre', {}, cp.note)),
      h('dt', {}, 'Verifier key (compare with your own records)'), h('dd', {}, h('code#verifier-key', {}, cp.verifier_key || '')))));

  // Inclusion proof.
  const index = h('input', { name: 'index', type: 'number', min: 0, max: cp.size - 1, value: Math.min(3, cp.size - 1), required: true });
  const verify = h('button', { type: 'button' }, 'Verify inclusion');
  const result = h('div#proof-result', { 'aria-live': 'polite' });
  verify.addEventListener('click', () => act(verify, async () => {
    clear(result);
    const i = Number(index.value);
    if (!Number.isInteger(i) || i < 0 || i >= cp.size) {
      showError({ message: `The entry number must be 0..${cp.size - 1}.` });
      index.focus();
      return;
    }
    const proof = await get(`/v1/journal/proof?index=${i}&size=${cp.size}`);
    const inclusion = await verifyInclusion(proof, cp);
    const signature = await verifyCheckpoint(cp, cp.verifier_key);
    const v = { ok: inclusion.ok && signature.ok, steps: [...signature.steps, ...inclusion.steps] };
    result.append(
      h(v.ok ? 'p.pass#proof-verdict' : 'p.fail#proof-verdict', { role: 'status' },
        v.ok ? `Verified: entry ${i} is in the journal of ${cp.size} entries whose root the checkpoint signs.`
          : `NOT verified: entry ${i} does not match the checkpoint.`),
      table('Checks made in this browser', ['Check', 'Result', 'Computed'], v.steps.map((s) => [
        s.what, h(s.ok ? 'span.pass' : 'span.fail', {}, s.ok ? 'pass' : 'FAIL'), h('code', {}, s.detail)])),
      h('details', {}, h('summary', {}, `Entry ${i}`), h('pre', {}, proof.entry)));
  }, 'Inclusion proof'));
  root.append(section('Verify an inclusion proof', field('Entry number', index), verify, result));

  // Export.
  const exp = h('button', { type: 'button' }, 'Download the export bundle');
  exp.addEventListener('click', () => act(exp, async () => {
    const res = await api('GET', '/v1/journal/export', undefined, { raw: true });
    const blob = await res.blob();
    const size = res.headers.get('X-Journal-Size') || '';
    const a = h('a', { href: URL.createObjectURL(blob), download: `portwarden-journal-${size}.tar` });
    document.body.append(a);
    a.click();
    a.remove();
    showOk(`The bundle of ${size} entries was downloaded; verify it offline with `
      + '`portwarden verify bundle portwarden-journal` after `tar xf`.');
  }, 'Export'));
  root.append(section('Export bundle', h('p', {}, 'Every entry, the checkpoint, the public key and a verifier script, as one tar archive.'), exp));

  // Search.
  const q = h('input', { name: 'q', type: 'search' });
  const type = h('input', { name: 'type', placeholder: 'e.g. access.' });
  const go = h('button', { type: 'submit' }, 'Search');
  const out = h('div#search-result');
  const form = h('form', { role: 'search' }, field('Text', q), field('Event type starts with', type), go, out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(go, async () => {
      const r = await get(`/v1/journal/events?q=${encodeURIComponent(q.value)}&type=${encodeURIComponent(type.value)}&limit=200`);
      clear(out).append(table(`${r.events.length} events${r.more ? ' (first page; more match)' : ''}`,
        ['#', 'Time', 'Actor', 'Type', 'Payload'], r.events.map((e) => [String(e.seq), e.time, e.actor, e.type,
          h('details', {}, h('summary', {}, 'payload'), h('pre', {}, JSON.stringify(e.payload, null, 1)))]),
        { id: 'events' }));
    }, 'Search');
  });
  root.append(section('Search events', form));
}
