// The console's shell: login, the pages each role may open (from GET /v1/me), hash routing,
// and the session's end (401 -> back to the login form with a message).
import { h, clear, field } from './dom.js';
import { api, get, post, setCsrf, onUnauthenticated, ApiError } from './api.js';
import { clearMessages, showError, showRefusal } from './ui.js';
import * as operator from './page-operator.js';
import * as analyst from './page-analyst.js';
import * as auditor from './page-auditor.js';
import * as terminal from './page-terminal.js';
import * as technician from './page-technician.js';
import * as procurement from './page-procurement.js';

// Each page and the roles that may open it.
export const PAGES = {
  operator: { title: 'Operator', roles: ['customs_operator', 'operator', 'security_officer'], module: operator },
  analyst: { title: 'Analyst', roles: ['analyst'], module: analyst },
  terminal: { title: 'Terminal', roles: ['terminal', 'terminal_staff'], module: terminal },
  technician: { title: 'Technician', roles: ['technician'], module: technician },
  auditor: { title: 'Auditor', roles: ['auditor', 'admin'], module: auditor },
  procurement: { title: 'Procurement', roles: ['buyer', 'analyst', 'security_officer', 'auditor'], module: procurement },
};

let me = null;
const main = () => document.getElementById('main');

function allowedPages() {
  if (!me) return [];
  return Object.keys(PAGES).filter((p) => PAGES[p].roles.some((r) => me.roles.includes(r)));
}

function renderNav(current) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  clear(nav);
  clear(who);
  if (!me) { nav.hidden = true; who.hidden = true; return; }
  nav.hidden = false;
  who.hidden = false;
  nav.append(h('ul', {}, allowedPages().map((p) => h('li', {},
    h('a', { href: `#/${p}`, 'aria-current': p === current ? 'page' : null }, PAGES[p].title)))));
  who.append(h('span', {}, `${me.username} (${me.roles.join(', ')}${me.organisation ? `, ${me.organisation}` : ''})`),
    h('button.secondary', { type: 'button', onclick: logout }, 'Log out'));
}

function renderLogin(message) {
  me = null;
  renderNav(null);
  const m = clear(main());
  const user = h('input', { name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Log in');
  const form = h('form', { 'aria-labelledby': 'login-title' },
    h('h2', { id: 'login-title' }, 'Log in'),
    message ? h('p.msg.refusal', { role: 'alert' }, message) : null,
    field('User name', user), field('Password', pass), submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearMessages();
    submit.disabled = true;
    try {
      const r = await api('POST', '/v1/login', { username: user.value, password: pass.value });
      setCsrf(r.csrf);
      await start();
    } catch (e) {
      showError(e, 'Login failed');
      pass.value = '';
      pass.focus();
    } finally {
      submit.disabled = false;
    }
  });
  m.append(form);
  user.focus();
}

async function logout() {
  try { await post('/v1/logout'); } catch { /* the session may already be gone */ }
  setCsrf('');
  location.hash = '';
  renderLogin('You have logged out.');
}

async function route(keepMessages = false) {
  if (!me) return;
  if (keepMessages !== true) clearMessages();
  const [, page = '', ...params] = (location.hash || '#/').slice(1).split('/').map(decodeURIComponent);
  const pages = allowedPages();
  if (!page) {
    if (pages.length) location.hash = `#/${pages[0]}`;
    else showRefusal('Your account has no role with a console page.');
    return;
  }
  renderNav(page);
  const m = clear(main());
  const def = PAGES[page];
  if (!def) {
    m.append(h('h2', {}, 'Not found'), h('p', {}, `There is no page "${page}".`));
    return;
  }
  m.append(h('h2.page-title', {}, def.title));
  if (!pages.includes(page)) {
    // A clear refusal, not an empty page: the API would refuse the calls too.
    m.append(h('p.msg.refusal#refusal', { role: 'alert' },
      `Not allowed: the ${def.title} page is for the role ${def.roles[0]}; you are signed in as `
      + `${me.username} with the role ${me.roles.join(', ')}.`));
    return;
  }
  const body = h('div.page', { 'data-page': page });
  m.append(body);
  try {
    await def.module.render(body, { me, params, refresh: () => route(true) });
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) showError(e, `The ${def.title} page could not be loaded`);
  }
  main().focus({ preventScroll: true });
}

async function start() {
  try {
    me = await get('/v1/me');
    hadSession = true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return; // onUnauthenticated shows the login
    renderLogin();
    showError(e, 'Could not ask who you are');
    return;
  }
  if (!location.hash || location.hash === '#/' || location.hash === '#') {
    const pages = allowedPages();
    if (pages.length) { location.hash = `#/${pages[0]}`; return; }
  }
  await route();
}

// Whether this tab had a session: its end is then reported, not just a bare login form.
let hadSession = false;
onUnauthenticated(() => {
  const msg = hadSession ? 'Your session has expired or was ended. Please log in again.' : '';
  renderLogin(msg);
});

window.addEventListener('hashchange', () => { if (me) route(); });
window.addEventListener('DOMContentLoaded', () => {
  if (sessionStorage.getItem('pw.csrf')) { hadSession = true; start(); }
  else renderLogin();
});
