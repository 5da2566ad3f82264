// Terminal staff (Q12): the faults at their terminal's scanners, and the work permits they
// approve and issue for corrective visits.
import { h, table, section, field, toRfc3339, toLocalInput } from './dom.js';
import { get, post } from './api.js';
import { act, showDecision, showError } from './ui.js';

const enc = encodeURIComponent;

export async function render(root, { me, refresh }) {
  const [sites, assets, faults, permits] = await Promise.all([
    get('/v1/register/site?limit=1000'), get('/v1/assets'), get('/v1/register/fault?limit=1000'),
    get('/v1/permits?limit=1000'),
  ]);
  const mySites = new Set(sites.records.filter((s) => s.operator_org === me.organisation).map((s) => s.id));
  const myAssets = new Map(assets.assets.filter((a) => mySites.has(a.site)).map((a) => [a.id, a]));
  const open = faults.records.filter((f) => myAssets.has(f.asset))
    .sort((x, y) => String(y.reported).localeCompare(String(x.reported)));
  root.append(section(`Faults at ${me.organisation || 'your terminal'}`,
    table('Faults at the terminal\'s scanners (newest first)', ['Fault', 'Scanner', 'Reported', 'Category', 'State'],
      open.slice(0, 50).map((f) => [f.id, f.asset, String(f.reported), f.category,
        f.resolved ? `resolved ${f.resolved}` : h('strong.fail', {}, 'open')]), { id: 'faults' })));

  const rows = permits.permits.map((p) => {
    const actions = [];
    const step = (verb, label) => {
      const b = h('button', { type: 'button', 'data-permit': p.id, 'data-verb': verb }, `${label} ${p.id}`);
      b.addEventListener('click', () => act(b, async () => {
        const a = await post(`/v1/permits/${enc(p.id)}/${verb}`, { version: p.version }, { allow: [403, 409] });
        if (showDecision(a, `${label} ${p.id}`)) await refresh();
      }, `${label} ${p.id}`));
      actions.push(b, ' ');
    };
    if (p.state === 'requested') step('approve', 'Approve');
    if (p.state === 'approved') step('issue', 'Issue');
    return [p.id, p.asset, (p.people || []).join(', '), `${p.window.start} – ${p.window.end}`,
      h('span', { 'data-state': p.id }, p.state), actions.length ? h('span', {}, actions) : '—'];
  });
  root.append(section('Work permits', table('Work permits for the terminal', ['Permit', 'Asset', 'People',
    'Window', 'State', 'Action'], rows, { id: 'permits' })));

  // A new permit, requested by the terminal (someone else approves it: four eyes).
  const id = h('input', { name: 'id', required: true, value: `permit-${Date.now()}` });
  const asset = h('select', { name: 'asset' }, [...myAssets.values()].filter((a) => a.kind === 'scanner')
    .map((a) => h('option', { value: a.id }, `${a.id} (${a.vendor})`)));
  const people = h('input', { name: 'people', placeholder: 'tech-borealis-1, …', required: true });
  const fault = h('input', { name: 'fault' });
  const from = h('input', { name: 'from', type: 'datetime-local', value: toLocalInput(new Date()) });
  const to = h('input', { name: 'to', type: 'datetime-local', value: toLocalInput(new Date(Date.now() + 4 * 3600e3)) });
  const go = h('button', { type: 'submit' }, 'Request the permit');
  const form = h('form', {}, field('Permit id', id), field('Scanner', asset), field('Technicians (comma separated)', people),
    field('Fault (optional)', fault), field('From', from), field('To', to), go);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(go, async () => {
      const list = people.value.split(',').map((x) => x.trim()).filter(Boolean);
      if (!list.length) { showError({ message: 'Name at least one technician.' }); people.focus(); return; }
      const body = { id: id.value, asset: asset.value, people: list, from: toRfc3339(from.value), to: toRfc3339(to.value) };
      if (fault.value) body.fault = fault.value;
      const a = await post('/v1/permits', body, { allow: [403] });
      if (showDecision(a, `Permit ${id.value}`)) await refresh();
    }, 'Permit');
  });
  root.append(section('Request a work permit', form));
}
