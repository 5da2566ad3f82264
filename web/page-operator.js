// The customs system operator (Q10, Q12): the fleet per site, pending requests with every rule's
// result, server-room check-in and check-out, live remote sessions with a kill button, and the
// vendor kill switch that shows its downtime cost before it asks for confirmation.
import { h, clear, table, field, section, fmtBytes, fmtDuration } from './dom.js';
import { get, post } from './api.js';
import { act, showOk, showError, showDecision, decisionTable } from './ui.js';

const enc = encodeURIComponent;
let sessionTimer = null;

export async function render(root) {
  const fleet = section('Fleet per site');
  const pending = section('Pending requests');
  const room = section('Server room: check-in and check-out');
  const sessions = section('Live remote sessions');
  const kill = section('Vendor suspension (kill switch)');
  root.append(fleet, pending, room, sessions, kill);
  await Promise.all([
    renderFleet(fleet), renderPending(pending), renderRoom(room), renderSessions(sessions),
    renderSuspension(kill),
  ].map((p) => p.catch((e) => showError(e))));
  clearInterval(sessionTimer);
  // Bytes and duration of live sessions move: refresh them while this page is shown.
  sessionTimer = setInterval(() => {
    if (!document.body.contains(sessions)) { clearInterval(sessionTimer); return; }
    renderSessions(sessions, true).catch(() => {});
  }, 3000);
}

function body(sec) {
  let b = sec.querySelector('.body');
  if (!b) { b = h('div.body'); sec.append(b); }
  return clear(b);
}

async function renderFleet(sec) {
  const [assets, faults, live, grants] = await Promise.all([
    get('/v1/assets'), get('/v1/register/fault?limit=1000'), get('/v1/sessions'),
    get('/v1/access/grants?state=active&limit=1000'),
  ]);
  const open = new Set(faults.records.filter((f) => !f.resolved).map((f) => f.asset));
  const remote = new Set(live.sessions.map((s) => s.asset));
  const onsite = new Set(grants.grants.filter((g) => g.mode !== 'remote').map((g) => g.asset));
  const cameras = new Map(assets.assets.filter((a) => a.kind === 'camera').map((a) => [a.watches, a]));
  const bySite = new Map();
  for (const a of assets.assets.filter((x) => x.kind === 'scanner')) {
    if (!bySite.has(a.site)) bySite.set(a.site, []);
    bySite.get(a.site).push(a);
  }
  const b = body(sec);
  for (const [site, list] of [...bySite].sort()) {
    b.append(table(`Site ${site}`, ['Scanner', 'Vendor', 'State', 'Camera'], list.map((a) => {
      const state = remote.has(a.id) ? 'remote_session_live' : open.has(a.id) ? 'fault'
        : onsite.has(a.id) ? 'maintenance' : 'in_service';
      const cam = cameras.get(a.id);
      return [a.id, a.vendor, h(`span.state.state-${state}`, {}, state.replace(/_/g, ' ')),
        cam ? `${cam.id} (${cam.name})` : 'no camera'];
    }), { 'data-site': site }));
  }
}

async function renderPending(sec) {
  const r = await get('/v1/access/requests?state=requested&limit=1000');
  const b = body(sec);
  if (!r.requests.length) { b.append(h('p', {}, 'No request is waiting for a decision.')); return; }
  for (const q of r.requests) {
    const note = h('input', { name: 'note', 'data-note': q.id });
    const approve = h('button', { type: 'button', 'data-approve': q.id }, `Approve ${q.id}`);
    const deny = h('button.danger', { type: 'button', 'data-deny': q.id }, `Deny ${q.id}`);
    const checks = h('div.checks', {}, h('p', {}, 'Loading the rules checked…'));
    const decide = (verb, btn) => act(btn, async () => {
      const a = await post(`/v1/access/requests/${enc(q.id)}/${verb}`,
        note.value ? { note: note.value, version: q.version } : { version: q.version },
        { allow: [403, 409] });
      if (a.status === 409) showError({ message: `${q.id} changed meanwhile; the list is reloaded.` });
      else showDecision(a, `${verb === 'approve' ? 'Approval' : 'Denial'} of ${q.id}`);
      await renderPending(sec);
    }, `${verb} ${q.id}`);
    approve.addEventListener('click', () => decide('approve', approve));
    deny.addEventListener('click', () => decide('deny', deny));
    b.append(h('article.card', { 'data-request': q.id, 'aria-label': `Request ${q.id}` },
      h('h3', {}, `${q.id}: ${q.kind} ${q.asset || q.room}`),
      h('p', {}, `Technicians ${q.technicians.join(', ')} of ${q.vendor}; ${q.window.start} to `
        + `${q.window.end}; ${q.fault ? `fault ${q.fault}; ` : ''}${q.permit ? `permit ${q.permit}; ` : ''}`
        + `approvals so far: ${q.approvals.map((x) => x.by || x.person).join(', ') || 'none'}.`),
      q.reason ? h('p', {}, `Reason: ${q.reason}`) : null,
      checks,
      field(`Note on ${q.id}`, note), h('div', {}, approve, ' ', deny)));
    loadChecks(q.id, checks);
  }
}

// The rules the engine checked when the request was made (its access.request.created event).
async function loadChecks(id, el) {
  try {
    const ev = await get(`/v1/journal/events?type=access.request.created&q=${enc(`"${id}"`)}&limit=50`);
    const e = ev.events.find((x) => x.payload.request && x.payload.request.id === id);
    clear(el).append(e ? decisionTable(e.payload.decision, `Rules checked for ${id}`)
      : h('p', {}, 'The request event was not found.'));
  } catch (err) {
    clear(el).append(h('p.fail', {}, `The rules could not be loaded: ${err.message}`));
  }
}

async function renderRoom(sec) {
  const [reqs, grants] = await Promise.all([
    get('/v1/access/requests?state=approved&kind=server_room&limit=1000'),
    get('/v1/access/grants?state=active&mode=server_room&limit=1000'),
  ]);
  const b = body(sec);
  const inside = new Set(grants.grants.map((g) => `${g.request}|${g.person}`));
  const rows = [];
  for (const q of reqs.requests) {
    for (const p of q.technicians) {
      if (inside.has(`${q.id}|${p}`)) continue;
      const btn = h('button', { type: 'button' }, `Check in ${p}`);
      btn.addEventListener('click', () => act(btn, async () => {
        const a = await post(`/v1/access/requests/${enc(q.id)}/checkin`, { person: p }, { allow: [403, 409] });
        showDecision(a, `Check-in of ${p}`);
        await renderRoom(sec);
      }, `Check-in of ${p}`));
      rows.push([q.id, q.room, p, `${q.window.start} – ${q.window.end}`, btn]);
    }
  }
  b.append(table('Approved server-room visits', ['Request', 'Room', 'Person', 'Window', 'Action'], rows));
  b.append(table('Inside the server room now', ['Grant', 'Person', 'Room', 'Since', 'Action'],
    grants.grants.map((g) => {
      const btn = h('button', { type: 'button' }, `Check out ${g.person}`);
      btn.addEventListener('click', () => act(btn, async () => {
        const a = await post(`/v1/access/grants/${enc(g.id)}/checkout`, {}, { allow: [403, 409] });
        showDecision(a, `Check-out of ${g.person}`);
        await renderRoom(sec);
      }, `Check-out of ${g.person}`));
      return [g.id, g.person, g.room || g.asset, g.window.start, btn];
    })));
}

async function renderSessions(sec, quiet = false) {
  const r = await get('/v1/sessions');
  const b = body(sec);
  const now = Date.now();
  b.append(table('Live sessions', ['Session', 'Person', 'Vendor', 'Asset', 'Duration', 'Bytes up',
    'Bytes down', 'Kill'], r.sessions.map((s) => {
    const reason = h('input', { name: 'reason', placeholder: 'reason', 'aria-label': `Reason to kill ${s.session}` });
    const btn = h('button.danger', { type: 'button', 'data-kill': s.session }, `Kill ${s.session}`);
    btn.addEventListener('click', () => act(btn, async () => {
      if (!reason.value.trim()) { showError({ message: 'A reason is required to kill a session.' }); reason.focus(); return; }
      await post(`/v1/sessions/${enc(s.session)}/kill`, { reason: reason.value });
      showOk(`Kill of ${s.session} requested: the gateway cuts it at its next heartbeat.`);
      await renderSessions(sec);
    }, `Kill ${s.session}`));
    return [s.session, s.person, s.vendor, s.asset, fmtDuration(now - Date.parse(s.since)),
      h('span', { 'data-bytes-up': s.session }, fmtBytes(s.bytes_up)),
      h('span', { 'data-bytes-down': s.session }, fmtBytes(s.bytes_down)),
      s.kill_reason ? `kill requested: ${s.kill_reason}` : h('span', {}, reason, ' ', btn)];
  }), { id: 'sessions-table' }));
  if (!quiet) b.setAttribute('aria-live', 'off');
}

function costView(cost) {
  const rows = [];
  for (const [k, v] of Object.entries(cost || {})) {
    rows.push([k.replace(/_/g, ' '), typeof v === 'object' ? JSON.stringify(v, null, 1) : String(v)]);
  }
  return table('Downtime cost of the suspension', ['What', 'Value'], rows, { id: 'downtime-cost' });
}

async function renderSuspension(sec) {
  const [sup, vendors] = await Promise.all([get('/v1/suspensions?limit=1000'), get('/v1/suppliers')]);
  const b = body(sec);
  const vendor = h('input', { name: 'vendor', list: 'vendor-ids', placeholder: 'e.g. nuctech' });
  b.append(h('datalist#vendor-ids', {}, vendors.suppliers.map((v) => h('option', { value: v.id }, v.name))));
  const reason = h('input', { name: 'reason' });
  const check = h('button', { type: 'button' }, 'Show the downtime cost');
  const out = h('div');
  check.addEventListener('click', () => act(check, async () => {
    clear(out);
    if (!vendor.value || !reason.value) { showError({ message: 'Name the vendor and give a reason.' }); return; }
    const id = `susp-${vendor.value}-${Date.now()}`;
    const body = { id, scope: 'vendor', subject: vendor.value, reason: reason.value };
    const first = await post('/v1/suspensions', body, { allow: [409, 403] });
    if (first.status !== 409) { showDecision(first, `Suspension of ${vendor.value}`); return; }
    const confirm = h('button.danger', { type: 'button' }, `Confirm: suspend ${vendor.value}`);
    const cancel = h('button.secondary', { type: 'button', onclick: () => clear(out) }, 'Cancel');
    confirm.addEventListener('click', () => act(confirm, async () => {
      const a = await post('/v1/suspensions', { ...body, confirmed: true }, { allow: [403, 409] });
      if (showDecision(a, `Suspension of ${vendor.value}`)) { clear(out); await renderSuspension(sec); }
    }, 'Suspension'));
    out.append(costView(first.downtime_cost), h('p', {}, 'Read the cost, then confirm or cancel.'),
      confirm, ' ', cancel);
    confirm.focus();
  }, 'Downtime cost'));
  b.append(field('Vendor to suspend', vendor), field('Reason', reason), check, out,
    table('Suspensions', ['Id', 'Scope', 'Subject', 'In force', 'Reason'], sup.suspensions.map((s) => [
      s.id, s.scope, s.subject, s.in_force ? 'yes' : 'no', s.reason])));
}
