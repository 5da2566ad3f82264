// The buyer (issue 8; Q8, Q5, Q14): procurement procedures with the bids the screens flagged as
// abnormally low, each flagged bid's art. 2.116 explanation request as a timeline with the
// forms to record the bidder's explanation and the buyer's decision, the Foreign Subsidies
// Regulation status of each bidder, and the award, which shows every reason it is blocked.
// Every change sends the procedure's version: a page left open while someone else changed the
// procedure gets the API's 409 instead of acting on what it showed. Analysts, security officers
// and auditors may read procurement (app/authz): they see the same page without the forms.
import { h, table, section, field } from './dom.js';
import { get, post } from './api.js';
import { showError, showOk, act, messages } from './ui.js';

const enc = encodeURIComponent;

// Integer minor units as "1,234.56 EUR"; minor units are exact up to 2^53 in a JS number.
export function money(m) {
  if (!m) return '—';
  const neg = m.minor < 0;
  const abs = Math.abs(m.minor);
  const whole = Math.floor(abs / 100).toLocaleString('en');
  return `${neg ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')} ${m.currency}`;
}

const STATE_TEXT = {
  open: 'waiting for the bidder', received: 'explanation received: the buyer decides',
  expired: 'deadline passed: the buyer may decide', accepted: 'accepted', rejected: 'rejected',
};

export async function render(root, { params, me, refresh }) {
  const canWrite = me.roles.includes('buyer');
  if (params[0]) return renderProcedure(root, params[0], refresh, canWrite);
  const r = await get('/v1/tenders?limit=1000');
  // All procedures at once, as `portwarden tender analyse --all` (POST /v1/tenders/analyse).
  const analyseAll = h('button', { type: 'button' }, 'Run the screens on every procedure');
  analyseAll.addEventListener('click', () => act(analyseAll, async () => {
    const a = await post('/v1/tenders/analyse', {});
    showOk(`Screens run on every procedure: ${a.analysis.new_flags} new flag(s), `
      + `${a.analysis.opened_requests.length} explanation request(s) opened.`);
    await refresh();
  }, 'Screens'));
  root.append(section('Procurement procedures',
    h('p', {}, 'A flag is never an exclusion: it opens an explanation request to the bidder '
      + '(art. 2.116 Aanbestedingswet 2012, art. 69 Directive 2014/24/EU), and the buyer decides.'),
    table('Procedures', ['Procedure', 'Buyer', 'Lots', 'Bids', 'Flags', 'Open requests', 'Awards'],
      r.tenders.map((t) => [
        h('a', { href: `#/procurement/${enc(t.id)}` }, `${t.title || t.id} (${t.id})`),
        t.buyer || '—', String(t.lots), String(t.bids),
        h(t.flags ? 'span.fail' : 'span', {}, String(t.flags)),
        String(t.open_requests), String(t.awards)]),
      { id: 'tenders' }),
    canWrite && r.tenders.length ? analyseAll : null));
}

async function renderProcedure(root, id, refresh, canWrite) {
  root.append(h('p', {}, h('a', { href: '#/procurement' }, '← All procedures')));
  if (!canWrite) root.append(h('p.msg.refusal#read-only', {}, 'Read only: the workflow is the buyer\'s.'));
  const t = await get(`/v1/tenders/${enc(id)}`);
  const p = t.procedure;
  const path = `/v1/tenders/${enc(id)}`;
  // A change with the version this page shows; on success the page is drawn again.
  const change = async (tail, body, done) => {
    const r = await post(`${path}/${tail}`, { ...body, version: t.version });
    showOk(done(r));
    await refresh();
    return r;
  };

  root.append(h('h3', {}, p.title || p.id),
    h('p', {}, `${p.id} · buyer ${p.buyer || '—'} · estimated value ${money(p.estimated_value)}`
      + ` · data version ${t.import_version}, imported ${t.imported_at || '—'}`));

  const s = t.settings;
  const on = Object.entries(s.screens).filter(([k, v]) => v === true).map(([k]) => k);
  const analyse = h('button', { type: 'button' }, 'Run the screens');
  analyse.addEventListener('click', () => act(analyse, () => change('analyse', {}, (r) =>
    `Screens run: ${r.analysis.new_flags} new flag(s), ${r.analysis.opened_requests.length} `
    + 'explanation request(s) opened.'), 'Screens'));
  root.append(section('Settings',
    h('p', {}, `Screens: ${on.join(', ') || 'none'}; explanation deadline `
      + `${s.explanation_working_days} working days.`),
    h('p#security', {}, s.security_requirements
      ? `Security requirements (Q5, Q14): ${s.security_text || 'yes'}. An award needs the `
        + 'supplier\'s signed-off assessment.'
      : 'No security requirements.'),
    canWrite ? analyse : null, canWrite ? securityForm(s, change) : null));

  const requestOf = (lot, bid) => t.requests.find((q) => q.lot === lot && q.bid === bid);
  const checkOf = (lot, bid) => t.award_checks.find((c) => c.lot === lot && c.bid === bid);
  const bidders = [...new Set(p.lots.flatMap((l) => l.bids.filter((b) => b.valid).map((b) => b.bidder)))];

  // Lots and bids with their flags, request state and award state.
  root.append(section('Lots and bids', ...p.lots.map((lot) => table(
    `Lot ${lot.id || '(single lot)'}${lot.title ? `: ${lot.title}` : ''} · estimate ${money(lot.estimate)}`,
    ['Bid', 'Bidder', 'Amount', 'Flags', 'Explanation request', 'Award'],
    lot.bids.map((b) => {
      const flags = t.flags.filter((f) => f.lot === lot.id && f.bid === b.id);
      const q = requestOf(lot.id, b.id);
      const c = checkOf(lot.id, b.id);
      return [b.id, b.bidder, money(b.amount),
        flags.length ? h('span.fail', {}, flags.map((f) => f.rule).join('; ')) : (b.valid ? 'none' : 'invalid bid'),
        q ? h(`span.state.req-${q.state}`, {}, STATE_TEXT[q.state] || q.state) : '—',
        c ? awardCell(lot.id, b, c, canWrite ? change : null) : '—'];
    }), { 'data-lot': lot.id }))));

  root.append(section('Flags', table('Bids the screens flagged', ['Bid', 'Bidder', 'Method', 'Rule',
    'Why'], t.flags.map((f) => [f.bid, f.bidder, f.method, f.rule, f.explanation]), { id: 'flags' })));

  root.append(section('Explanation requests (art. 2.116)', t.requests.length
    ? h('div.grid', {}, t.requests.map((q) => requestCard(q, canWrite ? change : null)))
    : h('p', {}, 'No explanation requests: run the screens.')));

  root.append(fsrSection(t, bidders, canWrite ? change : null));
}

// Q5, Q14: the procedure's security requirements; with them, an award needs the supplier's
// signed-off assessment.
function securityForm(s, change) {
  const on = h('input#security-on', { type: 'checkbox', name: 'security_requirements', checked: s.security_requirements });
  const text = h('input', { name: 'security_text', value: s.security_text || '', size: 60 });
  const save = h('button.secondary', { type: 'submit' }, 'Save the security requirements');
  const form = h('form', { 'aria-label': 'Security requirements' },
    h('div.field.inline', {}, on, h('label', { for: 'security-on' }, 'Security requirements apply (Q5, Q14)')),
    field('What they are', text), save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(save, () => change('configure', { security_requirements: on.checked, security_text: text.value },
      () => `Security requirements ${on.checked ? 'set' : 'removed'}.`), 'Settings');
  });
  return form;
}

// The award of one bid: awarded, or the button and every reason it is blocked now.
function awardCell(lot, b, c, change) {
  if (c.awarded) return h('strong.pass', {}, 'awarded');
  let button = null;
  if (change) {
    button = h('button', { type: 'button' }, `Award ${b.id}`);
    button.addEventListener('click', () => act(button, () => award(lot, b, change), `Award of ${b.id}`));
  }
  return h('div.award', { 'data-bid': b.id },
    button,
    c.blocks.length
      ? h('ul.blocks', { 'aria-label': `Why ${b.id} cannot be awarded now` },
        c.blocks.map((x) => h('li', { 'data-code': x.code }, x.message)))
      : h('p.pass', {}, 'Nothing blocks this award.'));
}

async function award(lot, b, change) {
  try {
    await change('award', { lot, bid: b.id }, () => `Lot ${lot || '(single lot)'} awarded to ${b.id} (${b.bidder}).`);
  } catch (e) {
    const blocks = (e.body && e.body.blocks) || [];
    if (e.status !== 409 || !blocks.length) throw e;
    // Blocked: every reason, as the API gave them.
    const box = h('div.msg.error', { role: 'alert' },
      h('strong', {}, `The award of ${b.id} is blocked:`),
      h('ul', {}, blocks.map((x) => h('li', { 'data-code': x.code }, `${x.message} (${x.code})`))));
    messages().append(box);
  }
}

// One explanation request: its timeline and, while undecided, the forms.
function requestCard(q, change) {
  const steps = [h('li', {}, `Requested ${q.requested_at}; the bidder may answer until ${q.deadline}. `
    + `Flags: ${q.flags.map((f) => f.rule).join('; ')}.`)];
  if (q.received_at) {
    steps.push(h('li', {}, `Explanation received ${q.received_at}: `, h('q', {}, q.explanation),
      q.evidence ? ` (evidence: ${q.evidence})` : ''));
  }
  if (q.state === 'expired' || q.overdue) steps.push(h('li', {}, 'The deadline passed without an explanation.'));
  if (q.labour_law_finding) steps.push(h('li', {}, `Labour-law finding: ${q.labour_law_finding}`));
  if (q.decided_at) {
    steps.push(h('li', {}, `Decided ${q.decided_at} by ${q.decided_by}: ${q.state}`
      + `${q.reason ? ` (${q.reason.replaceAll('_', ' ')})` : ''}${q.decision_text ? `: ${q.decision_text.replace(/\.$/, '')}` : ''}.`));
  }
  const card = h('article.card', { 'data-request': q.id, 'aria-label': `Explanation request for ${q.bid}` },
    h('h4', {}, `Bid ${q.bid} by ${q.bidder} (lot ${q.lot || '—'})`),
    h('p', {}, 'State: ', h(`span.state.req-${q.overdue ? 'expired' : q.state}`, {},
      STATE_TEXT[q.overdue ? 'expired' : q.state] || q.state)),
    h('ol.timeline', { 'aria-label': `Timeline of ${q.bid}` }, steps));
  if (change && q.state === 'open' && !q.overdue) card.append(receiveForm(q, change));
  if (change && (q.state === 'received' || q.state === 'expired' || q.overdue)) card.append(decideForm(q, change));
  return card;
}

function receiveForm(q, change) {
  const text = h('textarea', { name: 'text', rows: 3, cols: 50 });
  const evidence = h('input', { name: 'evidence' });
  const save = h('button', { type: 'submit' }, 'Record the explanation');
  const form = h('form', { 'aria-label': `Explanation of ${q.bid}` },
    field(`Explanation from ${q.bidder}`, text), field('Evidence (optional)', evidence), save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(save, async () => {
      if (!text.value.trim()) { showError({ message: 'Write the bidder\'s explanation.' }); text.focus(); return; }
      await change('explanations/receive', { request: q.id, text: text.value, evidence: evidence.value },
        () => `The explanation for ${q.bid} is recorded.`);
    }, 'Explanation');
  });
  return form;
}

function decideForm(q, change) {
  const decision = h('select', { name: 'decision' },
    h('option', { value: 'accept' }, 'accept the explanation'),
    h('option', { value: 'reject' }, 'reject the bid'));
  const reason = h('select', { name: 'reason' },
    h('option', { value: '' }, '—'),
    h('option', { value: 'labour_law_breach' }, 'breach of environmental, social or labour law (art. 69(3))'),
    h('option', { value: 'state_aid_not_proven' }, 'State aid not proven compatible (art. 69(4))'),
    h('option', { value: 'other' }, 'other (say why)'));
  const text = h('input', { name: 'text' });
  const save = h('button', { type: 'submit' }, 'Record the decision');
  const form = h('form', { 'aria-label': `Decide on ${q.bid}` },
    field(`Decision on ${q.bid}`, decision), field('Reason for a rejection', reason),
    field('Decision note', text), save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(save, async () => {
      const body = { request: q.id, decision: decision.value };
      if (reason.value) body.reason = reason.value;
      if (text.value) body.text = text.value;
      await change('explanations/decide', body, () => `Decision on ${q.bid}: ${decision.value}.`);
    }, 'Decision');
  });
  return form;
}

// FSR status per bidder, and the check for a bidder not checked yet.
function fsrSection(t, bidders, change) {
  const byBidder = new Map(t.fsr.map((c) => [c.bidder, c]));
  const rows = bidders.map((b) => {
    const c = byBidder.get(b);
    let check = '—';
    if (change) {
      check = h('button.secondary', { type: 'button' }, `FSR check of ${b}`);
      check.addEventListener('click', () => act(check, () => change('fsr/check', { bidder: b },
        (r) => `FSR check of ${b}: ${r.case.notify ? 'notification required' : 'a declaration suffices'}.`),
      `FSR check of ${b}`));
    }
    if (!c) return [b, 'not checked', '—', '—', check];
    const deadline = c.in_depth_deadline || c.preliminary_deadline || '—';
    return [b, c.status.replaceAll('_', ' '), c.notify ? 'notification required' : 'declaration',
      `${deadline}${c.outcome && c.outcome !== 'none' ? `; outcome ${c.outcome.replaceAll('_', ' ')}` : ''}`,
      check];
  });
  return section('Foreign Subsidies Regulation', table('FSR status of each bidder', ['Bidder', 'Status',
    'Duty', 'Review deadline / outcome', 'Check'], rows, { id: 'fsr' }));
}
