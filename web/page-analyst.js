// The analyst (Q5-Q7): suppliers with their risk levels, and a supplier's page with the
// ownership diagram, the exposure table (every chain and its combined share), the cabinet's
// criteria with their evidence and judgement, and the mitigations.
import { h, clear, table, section, field } from './dom.js';
import { get, post } from './api.js';
import { showError, showOk, act } from './ui.js';

const enc = encodeURIComponent;
const pct = (share) => (share && share.known
  ? (share.min === share.max ? `${(share.min * 100).toFixed(2).replace(/\.?0+$/, '')}%`
    : `${(share.min * 100).toFixed(2)}–${(share.max * 100).toFixed(2)}%`)
  : 'unknown');
const level = (l) => h(`span.level-${l}`, {}, l.replace('_', ' '));

export async function render(root, { params, me, refresh }) {
  if (params[0]) return renderSupplier(root, params[0], me, refresh);
  const r = await get('/v1/suppliers');
  root.append(section('Suppliers',
    table('Suppliers and their risk levels', ['Supplier', 'Country', 'Assessment', 'Inherent risk',
      'Residual risk'], r.suppliers.map((s) => [
      h('a', { href: `#/analyst/${enc(s.id)}` }, s.name),
      s.country || '?', s.assessed ? `${s.status.replace('_', ' ')} (revision ${s.revision})${s.stale ? ', stale' : ''}`
        : 'not assessed: treated as very high', level(s.inherent), level(s.residual)]),
    { id: 'suppliers' })));
}

// Graphviz's SVG, taken into the page as SVG elements only: no script, no foreign content, no
// event handlers, no external links (the CSP forbids inline script as well).
function safeSvg(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.nodeName !== 'svg') throw new Error('the diagram is not an SVG image');
  for (const bad of svg.querySelectorAll('script, foreignObject, iframe, image, use, a')) {
    bad.replaceWith(...bad.childNodes);
  }
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) {
      if (/^on/i.test(a.name) || /href$/i.test(a.name)) el.removeAttribute(a.name);
    }
  }
  svg.setAttribute('role', 'img');
  return document.importNode(svg, true);
}

async function renderSupplier(root, id, me, refresh) {
  root.append(h('p', {}, h('a', { href: '#/analyst' }, '← All suppliers')));
  const [own, report] = await Promise.all([
    get(`/v1/suppliers/${enc(id)}/ownership`).catch((e) => {
      if (e.status !== 404) showError(e, 'Ownership');
      return null;
    }),
    get(`/v1/assessments/${enc(id)}`).catch((e) => { showError(e, 'Assessment'); return null; }),
  ]);
  const a = report && report.assessment;
  root.append(h('h3', {}, own ? own.explain.entity ? own.explain.entity.name : id : id),
    a ? h('p', {}, 'Inherent risk ', level(a.inherent), ', residual risk ', level(a.residual),
      `; assessment ${a.status.replace('_', ' ')}, revision ${a.revision}, as of ${a.as_of}.`) : null);

  // The diagram, with the chains' combined shares as its caption.
  const paths = (own && own.explain.paths) || [];
  const fig = h('figure.diagram#ownership-diagram', { 'aria-label': 'Ownership diagram' },
    h('p', {}, 'Loading the diagram…'));
  root.append(section('Ownership diagram', fig));
  if (!own) {
    clear(fig).append(h('p', {}, 'No ownership data is known for this supplier (portwarden ownership import).'));
  } else try {
    const res = await fetch(`/v1/suppliers/${enc(id)}/diagram`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`the diagram could not be drawn (HTTP ${res.status})`);
    const svg = safeSvg(await res.text());
    svg.setAttribute('aria-label', `Ownership chains above ${id}`);
    clear(fig).append(svg, h('figcaption', {}, paths.length
      ? paths.map((p) => h('div.chain', {}, p.text)) : 'No ownership chain is known.'));
  } catch (e) {
    clear(fig).append(h('p.fail', { role: 'alert' }, e.message));
  }

  root.append(section('Exposure', table('Ownership chains and combined shares', ['Owner', 'Chain',
    'Combined share'], paths.map((p) => [p.steps.length ? p.steps[0].owner : '',
    p.steps.map((s) => `${s.owner} → ${s.owned} (${pct(s.share)})`).join('; '), pct(p.product)]),
  { id: 'exposure' }),
  own && own.explain.gaps ? table('Gaps in the ownership data', ['Company', 'Undisclosed share'],
    (own.explain.gaps.undisclosed || []).map((g) => [g.company, pct(g.share)])) : null));

  if (!a) return;
  root.append(section('Criteria (Q6)', ...a.criteria.map((c) => h('article.card', { 'data-criterion': c.criterion },
    h('h4', {}, `Criterion ${c.criterion}`),
    h('p', {}, `Suggested: ${c.suggested || '—'}; analyst's answer: ${c.analyst_answer || 'not yet judged'}`
      + `${c.judged_by ? ` (${c.judged_by}, ${c.judged_at})` : ''}.`),
    c.judgement ? h('p', {}, h('strong', {}, 'Judgement: '), c.judgement) : null,
    table(`Evidence for criterion ${c.criterion}`, ['Kind', 'Evidence', 'Sources'],
      (c.evidence || []).map((e) => [e.kind, e.text, (e.sources || []).map((s) => s.title).join('; ')])),
    a.status === 'draft' ? judgeForm(id, c, refresh) : null))));
  if (a.status === 'draft') root.append(signOffForm(id, a, me, refresh));
  root.append(section('Mitigations', table('Mitigations', ['Mitigation', 'Status', 'Feasible', 'Note',
    'Updated'], (a.mitigations || []).map((m) => [m.id, m.status, m.feasible ? 'yes' : 'no', m.note || '',
    `${m.updated_by || ''} ${m.updated_at || ''}`]), { id: 'mitigations' }),
  table('Sign-offs (four eyes)', ['Person', 'At', 'Note'], (a.sign_offs || []).map((s) => [s.person, s.at, s.note || '']))));
}

// Judging a criterion of an open draft.
function judgeForm(id, c, refresh) {
  const answer = h('select', { name: 'answer' }, ['yes', 'no', 'partly', 'unknown'].map((v) =>
    h('option', { value: v, selected: (c.analyst_answer || c.suggested) === v }, v)));
  const judgement = h('textarea', { name: 'judgement', rows: 2, cols: 60 }, c.judgement || '');
  const save = h('button', { type: 'submit' }, `Save the judgement of criterion ${c.criterion}`);
  const form = h('form.judge', { 'aria-label': `Judge criterion ${c.criterion}` },
    field(`Answer to criterion ${c.criterion}`, answer), field(`Judgement of criterion ${c.criterion}`, judgement), save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(save, async () => {
      if (!judgement.value.trim()) { showError({ message: 'Write the judgement: what the answer rests on.' }); judgement.focus(); return; }
      await post(`/v1/assessments/${encodeURIComponent(id)}/judge`,
        { criterion: c.criterion, answer: answer.value, judgement: judgement.value });
      showOk(`Criterion ${c.criterion} judged: ${answer.value}.`);
      await refresh();
    }, `Criterion ${c.criterion}`);
  });
  return form;
}

// Sign-off of a draft: the service refuses its author and judges (four eyes) with its reason.
function signOffForm(id, a, me, refresh) {
  const note = h('input', { name: 'note' });
  const sign = h('button', { type: 'submit' }, 'Sign off');
  const mine = a.author === me.person;
  const form = h('form', { 'aria-label': 'Sign off' },
    h('p', {}, mine ? 'You wrote this draft: another analyst signs it off (four eyes).'
      : `Drafted by ${a.author}. Check the judgements, then sign off.`),
    field('Sign-off note', note), sign);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(sign, async () => {
      await post(`/v1/assessments/${encodeURIComponent(id)}/sign`, { note: note.value });
      showOk(`The assessment of ${id} is signed off.`);
      await refresh();
    }, 'Sign-off');
  });
  return section('Sign-off (four eyes)', form);
}
