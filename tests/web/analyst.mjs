// Story: an analyst sees the suppliers' risk levels, opens Nuctech and sees the 15.96% CNNC
// chain (CNNC -> Tongfang 21% -> Nuctech 76%) in the ownership diagram, the exposure, the
// criteria with evidence and the mitigations; the operator's page refuses them clearly.
import assert from 'node:assert/strict';
import { story, login, shot, newPage } from './lib/browser.mjs';

await story('analyst', async ({ s, page, browser }) => {
  await login(page, s.url, 'demo-analyst');
  await page.waitForURL(/#\/analyst$/);
  const nuctech = page.locator('#suppliers tr', { hasText: 'Nuctech Company Limited' });
  await nuctech.getByText('very high').first().waitFor();
  assert.match(await page.locator('#suppliers tr', { hasText: 'Kestrel' }).innerText(), /draft \(revision 1\)/);
  await nuctech.getByRole('link', { name: 'Nuctech Company Limited' }).click();
  await page.waitForURL(/#\/analyst\/nuctech$/);

  const fig = page.locator('#ownership-diagram');
  const svg = fig.locator('svg');
  await svg.waitFor();
  for (const text of ['China National Nuclear Corporation', 'Tongfang Co., Ltd.', 'Nuctech Company Limited', '21%', '76%']) {
    assert.ok(await svg.getByText(text, { exact: true }).count() >= 1, `the diagram shows ${text}`);
  }
  assert.match(await fig.locator('figcaption').innerText(),
    /China National Nuclear Corporation -> Tongfang Co., Ltd. 21% -> Nuctech Company Limited 76% = 15.96%/);
  assert.match(await page.locator('#exposure').innerText(), /bods:cnnc[\s\S]*15\.96%/);
  await page.locator('article[data-criterion="1"]').getByText('15.96% through CNNC').waitFor();
  assert.match(await page.locator('#mitigations').innerText(), /external-audit\s+verified/);
  await shot(page, 'analyst-1-nuctech');

  // Another role's page: a clear refusal, and the API refuses the same.
  await page.goto(`${s.url}/#/operator`);
  await page.locator('#refusal').getByText('Not allowed: the Operator page').waitFor();
  await shot(page, 'analyst-2-refused');
  const a = await s.client('demo-analyst');
  assert.equal((await a.call('GET', '/v1/sessions')).status, 403);

  // Kestrel's draft: analyst-1 judges every criterion; the sign-off is someone else's.
  await page.goto(`${s.url}/#/analyst/kestrel`);
  for (const [c, answer] of [['1', 'no'], ['2', 'no'], ['3a', 'yes'], ['3b', 'partly']]) {
    const form = page.getByRole('form', { name: `Judge criterion ${c}` });
    await form.getByLabel(`Answer to criterion ${c}`).selectOption(answer);
    await form.getByLabel(`Judgement of criterion ${c}`).fill(`console judgement of ${c}`);
    await form.getByRole('button', { name: `Save the judgement of criterion ${c}` }).click();
    await page.getByText(`Criterion ${c} judged: ${answer}.`).waitFor();
  }
  await page.getByLabel('Sign-off note').fill('my own');
  await page.getByRole('button', { name: 'Sign off' }).click();
  await page.locator('#messages .msg.error', { hasText: 'four eyes' }).waitFor();
  await shot(page, 'analyst-3-four-eyes');
  const second = await newPage(browser);
  await login(second, s.url, 'demo-analyst2');
  await second.goto(`${s.url}/#/analyst/kestrel`);
  await second.getByLabel('Sign-off note').fill('agreed');
  await second.getByRole('button', { name: 'Sign off' }).click();
  await second.getByText('The assessment of kestrel is signed off.').waitFor();
  const k = await a.ok('GET', '/v1/assessments/kestrel');
  assert.equal(k.assessment.status, 'signed_off');
  assert.deepEqual(k.assessment.sign_offs.map((x) => x.person), ['analyst-2']);
  await shot(second, 'analyst-4-signed-off');
  assert.deepEqual(second.problems, []);
});
