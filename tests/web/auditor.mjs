// Story: an auditor reads the journal's size and checkpoint, verifies an inclusion proof in the
// browser (and sees a tampered proof fail), searches events, downloads the bundle, and is sent
// back to the login form with a message when the session ends.
import assert from 'node:assert/strict';
import { story, login, shot } from './lib/browser.mjs';

await story('auditor', async ({ s, page }) => {
  await login(page, s.url, 'demo-auditor');
  await page.waitForURL(/#\/auditor$/);
  const size = Number(await page.locator('#checkpoint dd[data-size]').getAttribute('data-size'));
  assert.ok(size > 100, `journal size ${size}`);

  await page.getByLabel('Entry number').fill('3');
  await page.getByRole('button', { name: 'Verify inclusion' }).click();
  await page.locator('#proof-verdict', { hasText: `Verified: entry 3 is in the journal of ${size} entries` }).waitFor();
  // The checkpoint's Ed25519 signature is checked in the browser too (Web Crypto).
  await page.locator('#proof-result tr', { hasText: 'Ed25519 signature' }).getByText('pass').waitFor();
  await shot(page, 'auditor-1-verified');

  // A checkpoint whose signature was altered on the way must not verify.
  await page.route('**/v1/journal/checkpoint', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    const at = body.note.length - 8;  // inside the base64 signature of the last line
    const c = body.note[at];
    body.note = body.note.slice(0, at) + (c === 'A' ? 'B' : 'A') + body.note.slice(at + 1);
    await route.fulfill({ response: res, json: body });
  });
  await page.reload();
  await page.getByLabel('Entry number').fill('3');
  await page.getByRole('button', { name: 'Verify inclusion' }).click();
  await page.locator('#proof-verdict', { hasText: 'NOT verified' }).waitFor();
  await page.locator('#proof-result tr', { hasText: 'Ed25519 signature' }).getByText('FAIL').waitFor();
  await page.unroute('**/v1/journal/checkpoint');
  await page.reload();
  await page.getByLabel('Entry number').fill('3');

  // A proof altered on the way must not verify: the browser checks, not the server.
  await page.route('**/v1/journal/proof*', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    body.proof[0] = body.proof[0].replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await route.fulfill({ response: res, json: body });
  });
  await page.getByRole('button', { name: 'Verify inclusion' }).click();
  await page.locator('#proof-verdict', { hasText: 'NOT verified' }).waitFor();
  await page.unroute('**/v1/journal/proof*');

  await page.getByLabel('Text').fill('tongfang');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#events').getByText('assessment.', { exact: false }).first().waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the export bundle' }).click()]);
  assert.match(download.suggestedFilename(), /^portwarden-journal-\d+\.tar$/);
  const file = await download.path();
  const { statSync } = await import('node:fs');
  assert.ok(statSync(file).size > 10000);
  await shot(page, 'auditor-2-search-export');

  // The session ends (cookie gone): the next call lands on the login form with a message.
  await page.context().clearCookies();
  await page.getByRole('button', { name: 'Verify inclusion' }).click();
  await page.getByText('Your session has expired or was ended. Please log in again.').waitFor();
  await page.getByLabel('User name').waitFor();
});
