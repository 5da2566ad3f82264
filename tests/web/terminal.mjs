// Story: terminal staff see the faults at their terminal and approve and issue a work permit a
// technician asked for.
import assert from 'node:assert/strict';
import { story, loginWithKeyboard, shot } from './lib/browser.mjs';
import { iso } from './lib/scenario.mjs';

await story('terminal', async ({ s, page }) => {
  const tech = await s.client('demo-technician');
  await tech.ok('POST', '/v1/permits', { id: 'permit-t1', asset: 'scanner-05', people: ['tech-borealis-2'],
    from: iso(-5), to: iso(240), fault: s.fault, reason: 'replace a software module' });

  await loginWithKeyboard(page, s.url, 'demo-terminal');
  await page.waitForURL(/#\/terminal$/);
  const fault = page.locator('#faults tr', { hasText: s.fault });
  await fault.getByText('open').waitFor();
  assert.equal(await page.locator('#faults tr', { hasText: 'scanner-03' }).count(), 0,
    'scanner-03 stands at another terminal');

  // Keyboard only: focus the button and press Enter.
  await page.getByRole('button', { name: 'Approve permit-t1' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Approve permit-t1: done.').waitFor();
  await page.getByRole('button', { name: 'Issue permit-t1' }).click();
  await page.getByText('Issue permit-t1: done.').waitFor();
  await page.locator('[data-state="permit-t1"]', { hasText: 'issued' }).waitFor();
  const p = await (await s.client('demo-terminal')).ok('GET', '/v1/permits/permit-t1');
  assert.equal(p.state, 'issued');
  await shot(page, 'terminal-1-permit-issued');
});
