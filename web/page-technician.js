// A vendor's technician (Q10, Q12): their own requests, the request form (preventive inside a
// contract window, corrective with a work permit, remote for a software fault, server-room
// entry), and the session certificate of an active remote grant.
import { h, table, section, field, toRfc3339, toLocalInput } from './dom.js';
import { get, post } from './api.js';
import { act, showDecision, showOk, showError } from './ui.js';

const enc = encodeURIComponent;

export async function render(root, { me, refresh }) {
  const [reqs, grants, permits] = await Promise.all([
    get('/v1/access/requests?limit=1000'), get('/v1/access/grants?limit=1000'), get('/v1/permits?limit=1000'),
  ]);
  root.append(section('My requests', table('Requests I made or am named in', ['Request', 'Kind', 'Asset or room',
    'Window', 'State'], reqs.requests.map((q) => [q.id, q.kind, q.asset || q.room,
    `${q.window.start} – ${q.window.end}`, h('span', { 'data-state': q.id }, q.state)]), { id: 'my-requests' })));

  const remote = grants.grants.filter((g) => g.mode === 'remote');
  root.append(section('My grants', table('Grants', ['Grant', 'Mode', 'Asset', 'Window', 'State', 'Certificate'],
    grants.grants.map((g) => {
      let cell = '—';
      if (g.mode === 'remote' && g.state === 'active') {
        const b = h('button', { type: 'button' }, `Download the certificate for ${g.id}`);
        b.addEventListener('click', () => act(b, async () => {
          const c = await post(`/v1/grants/${enc(g.id)}/certificate`, {});
          const pem = [c.key || '', c.certificate, c.ca].join('\n');
          const a = h('a', { href: URL.createObjectURL(new Blob([pem], { type: 'application/x-pem-file' })),
            download: `${g.id.replace(/[^A-Za-z0-9._-]/g, '_')}.pem` });
          document.body.append(a);
          a.click();
          a.remove();
          showOk(`Certificate ${c.serial} for ${g.id}, valid ${c.not_before} to ${c.not_after}; `
            + 'its private key was made on the server and is shown only this once: keep the file safe.');
        }, 'Certificate'));
        cell = b;
      }
      return [g.id, g.mode, g.asset || g.room || '', `${g.window.start} – ${g.window.end}`, g.state, cell];
    }), { id: 'my-grants' }), remote.length ? null : h('p', {}, 'No remote grant: request a remote session for a software fault.')));

  // The request form.
  const kind = h('select', { name: 'kind' }, ['corrective', 'preventive', 'remote', 'server_room']
    .map((k) => h('option', { value: k }, k.replace('_', ' '))));
  const id = h('input', { name: 'id', required: true, value: `req-${Date.now()}` });
  const asset = h('input', { name: 'asset', placeholder: 'scanner-05' });
  const room = h('input', { name: 'room', placeholder: 'server-room-maasvlakte' });
  const permit = h('select', { name: 'permit' }, h('option', { value: '' }, '(none)'),
    permits.permits.filter((p) => ['issued', 'active'].includes(p.state))
      .map((p) => h('option', { value: p.id }, `${p.id} (${p.asset}, ${p.state})`)));
  const fault = h('input', { name: 'fault' });
  const from = h('input', { name: 'from', type: 'datetime-local', value: toLocalInput(new Date(Date.now() + 5 * 60e3)) });
  const to = h('input', { name: 'to', type: 'datetime-local', value: toLocalInput(new Date(Date.now() + 2 * 3600e3)) });
  const reason = h('input', { name: 'reason' });
  const techs = h('input', { name: 'technicians', value: me.person });
  const go = h('button', { type: 'submit' }, 'Send the request');
  const help = h('p#kind-help', {});
  const explain = () => {
    help.textContent = {
      preventive: 'Preventive: the window must lie inside a window of your maintenance contract.',
      corrective: 'Corrective: name the work permit the terminal issued for this scanner.',
      remote: 'Remote: name the open software fault; the session is recorded.',
      server_room: 'Server room: name the room; the customs operator checks you in.',
    }[kind.value];
  };
  kind.addEventListener('change', explain);
  explain();
  kind.setAttribute('aria-describedby', 'kind-help');
  const form = h('form', { 'aria-label': 'Request a visit' }, field('Kind', kind), help, field('Request id', id),
    field('Asset', asset), field('Server room', room), field('Work permit', permit), field('Fault', fault),
    field('From', from), field('To', to), field('Reason', reason), field('Technicians (comma separated)', techs), go);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(go, async () => {
      const body = { id: id.value.trim(), kind: kind.value, from: toRfc3339(from.value), to: toRfc3339(to.value) };
      if (!body.from || !body.to) { showError({ message: 'Give the window\'s start and end.' }); return; }
      for (const [k, el] of [['asset', asset], ['room', room], ['permit', permit], ['fault', fault], ['reason', reason]]) {
        if (el.value.trim()) body[k] = el.value.trim();
      }
      const t = techs.value.split(',').map((x) => x.trim()).filter(Boolean);
      if (t.length) body.technicians = t;
      const a = await post('/v1/access/requests', body, { allow: [403] });
      if (showDecision(a, `Request ${body.id}`)) await refresh();
    }, 'Request');
  });
  root.append(section('Request a visit or session', form));
}
