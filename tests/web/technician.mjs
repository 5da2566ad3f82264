// Story: a technician requests a corrective visit under an issued permit with the form, sees an
// engine refusal with every rule when the permit does not fit, and is refused the auditor's page.
import assert from 'node:assert/strict';
import { story, login, shot } from './lib/browser.mjs';
import { issuedPermit } from './lib/scenario.mjs';

await story('technician', async ({ s, page }) => {
  await issuedPermit(s, 'permit-tech');
  // A wrong password: the API's error, stated with its status and request id.
  await page.goto(`${s.url}/`);
  await page.getByLabel('User name').fill('demo-technician');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  const err = page.locator('#messages .msg.error');
  await err.getByText(/^Login failed: /).waitFor();
  assert.match(await err.innerText(), /HTTP 401 · unauthenticated · request [0-9a-f-]{36}/);
  await login(page, s.url, 'demo-technician');
  await page.waitForURL(/#\/technician$/);

  const form = page.getByRole('form', { name: 'Request a visit' });
  // First without the permit: refused, with the rules that failed.
  await form.getByLabel('Request id').fill('req-tech-bad');
  await form.getByLabel('Kind').selectOption('corrective');
  await form.getByLabel('Asset').fill('scanner-05');
  await form.getByLabel('Fault').fill(s.fault);
  await form.getByRole('button', { name: 'Send the request' }).click();
  await page.getByText('Request req-tech-bad: refused.').waitFor();
  await page.locator('#messages').getByRole('cell', { name: 'permit.exists' }).first().waitFor();
  await shot(page, 'technician-1-refused');

  await form.getByLabel('Request id').fill('req-tech-1');
  await form.getByLabel('Work permit').selectOption('permit-tech');
  await form.getByLabel('Reason').fill('replace a software module');
  await form.getByRole('button', { name: 'Send the request' }).click();
  await page.getByText('Request req-tech-1: done.').waitFor();
  await page.locator('[data-state="req-tech-1"]', { hasText: 'requested' }).waitFor();
  const r = await (await s.client('demo-technician')).ok('GET', '/v1/access/requests/req-tech-1');
  assert.equal(r.state, 'requested');
  assert.equal(r.permit, 'permit-tech');
  await shot(page, 'technician-2-requested');

  await page.goto(`${s.url}/#/auditor`);
  await page.locator('#refusal').getByText('Not allowed: the Auditor page').waitFor();
});
