// The API client: JSON in and out, the session's CSRF value on every state change, a progress
// indicator while calls are under way, and one error type that carries what the API said.

let csrf = sessionStorage.getItem('pw.csrf') || '';
let inFlight = 0;
const listeners = { unauthenticated: [] };

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const err = body && body.error;
    super(err ? err.message : fallback);
    this.status = status;
    this.code = err ? err.code : `http_${status}`;
    this.requestId = err ? err.request_id : '';
    this.body = body;
  }
}

export function onUnauthenticated(fn) { listeners.unauthenticated.push(fn); }
export function setCsrf(value) {
  csrf = value || '';
  if (csrf) sessionStorage.setItem('pw.csrf', csrf);
  else sessionStorage.removeItem('pw.csrf');
}

function progress(delta) {
  inFlight += delta;
  const bar = document.getElementById('progress');
  if (!bar) return;
  // Shown only for calls that take a while, so fast pages do not flicker.
  if (inFlight > 0 && !bar.dataset.timer) {
    bar.dataset.timer = String(setTimeout(() => { if (inFlight > 0) bar.hidden = false; }, 150));
  }
  if (inFlight === 0) {
    clearTimeout(Number(bar.dataset.timer));
    delete bar.dataset.timer;
    bar.hidden = true;
  }
  document.body.setAttribute('aria-busy', inFlight > 0 ? 'true' : 'false');
}

// Calls the API. `allow` lists statuses besides 2xx whose JSON body the caller wants back as a
// value (e.g. 403 with an engine decision, 409 with a downtime cost) instead of an exception.
export async function api(method, path, body, { allow = [], raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
  }
  progress(+1);
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, null, `The server could not be reached (${e.message}).`);
  } finally {
    progress(-1);
  }
  if (raw && res.ok) return res;
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (res.status === 401 && path !== '/v1/login') {
    setCsrf('');
    for (const fn of listeners.unauthenticated) fn(json);
    throw new ApiError(401, json, 'Your session has ended; please log in again.');
  }
  if (res.ok || allow.includes(res.status)) return { status: res.status, ...(json || {}) };
  throw new ApiError(res.status, json, `${method} ${path} failed with HTTP ${res.status}.`);
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body = {}, opts) => api('POST', path, body, opts);
