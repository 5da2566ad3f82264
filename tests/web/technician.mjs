// Story: a technician requests a corrective visit under an issued permit with the form, sees an
// engine refusal with every rule when the permit does not fit, and is refused the auditor's page.
import assert from 'node:assert/strict';
import { story, login, shot } from './lib/browser.mjs';
import { issuedPermit } from './lib/scenario.mjs';

await story('technician', async ({ s, page }) => {
  await issuedPermit(s, 'permit-tech');
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
