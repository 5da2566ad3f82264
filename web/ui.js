// Messages (errors, confirmations, refusals) and the rendering of API answers that every page
// shares.
import { h, clear, table } from './dom.js';
import { ApiError } from './api.js';

export function messages() { return document.getElementById('messages'); }

export function clearMessages() { clear(messages()); }

function box(kind, role, ...content) {
  const el = h(`div.msg.${kind}`, { role },
    h('button.secondary', { type: 'button', 'aria-label': 'Dismiss', onclick: () => el.remove() }, '×'),
    ...content);
  messages().append(el);
  return el;
}

export function showOk(text) { return box('ok', 'status', text); }

// Every error the API returns, stated plainly: its message, its code and status, the request id
// to quote, and for an engine refusal every rule it checked.
export function showError(e, context = '') {
  if (!(e instanceof ApiError)) {
    return box('error', 'alert', `${context ? `${context}: ` : ''}${e && e.message ? e.message : e}`);
  }
  const parts = [h('strong', {}, `${context ? `${context}: ` : ''}${e.message}`)];
  const meta = [];
  if (e.status) meta.push(`HTTP ${e.status}`);
  if (e.code) meta.push(e.code);
  if (e.requestId) meta.push(`request ${e.requestId}`);
  if (meta.length) parts.push(h('div.meta', {}, meta.join(' · ')));
  if (e.body && e.body.decision) parts.push(decisionTable(e.body.decision));
  return box('error', 'alert', ...parts);
}

export function showRefusal(text) { return box('refusal', 'alert', text); }

// Every rule an engine decision checked, with its result.
export function decisionTable(decision, caption = 'Rules checked') {
  const checks = (decision && decision.checks) || [];
  return table(caption, ['Rule', 'Subject', 'Result', 'Reason'], checks.map((c) => [
    c.rule, c.subject || '', h(c.pass ? 'span.pass' : 'span.fail', {}, c.pass ? 'pass' : 'FAIL'),
    c.reason || '']));
}

// Runs an action from a button: disables it while it runs, reports failure, returns the result.
export async function act(button, fn, context) {
  if (button) button.disabled = true;
  try {
    return await fn();
  } catch (e) {
    showError(e, context);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

// The result of an access command (200 with a decision, or 403 with one).
export function showDecision(answer, what) {
  if (answer.status === 200 || answer.allowed) {
    showOk(`${what}: done.`);
    return true;
  }
  box('error', 'alert', h('strong', {}, `${what}: refused.`),
    answer.error ? h('div', {}, answer.error.message) : null,
    answer.decision ? decisionTable(answer.decision) : null);
  return false;
}
