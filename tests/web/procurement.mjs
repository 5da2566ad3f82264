// Story (issue 8, Q8): a buyer opens a procedure whose lowest bid the screens flagged as
// abnormally low, sees the award blocked with its reasons, records the bidder's explanation and
// the decision to accept it, runs the FSR check of the bidder, and awards. An auditor reads the
// same procedure through the API but may not change it, and the buyer's page refuses the
// analyst.
import assert from 'node:assert/strict';
import { story, login, shot, newPage } from './lib/browser.mjs';

const PROC = 'ocds-console-0001';
const eur = (euros) => ({ minor: euros * 100, currency: 'EUR' });
const bid = (id, bidder, euros) => ({ id, bidder, amount: eur(euros), valid: true, status: 'valid', tenderers: [bidder] });

await story('procurement', async ({ s, page, browser }) => {
  // The buyer's data: one lot estimated at EUR 1 million, Nuctech far below the others.
  const buyer = await s.client('demo-buyer');
  await buyer.ok('POST', '/v1/tenders', { procedures: [{
    id: PROC, title: 'Container scanners, Maasvlakte', buyer: 'douane', estimated_value: eur(1_000_000),
    method_details: '', lots: [{ id: 'lot-1', title: 'Two high-energy scanners', estimate: eur(1_000_000),
      bids: [bid('bid-k', 'kestrel', 950_000), bid('bid-b', 'borealis', 900_000), bid('bid-n', 'nuctech', 500_000)],
      awards: [] }] }] });
  const analysed = await buyer.ok('POST', `/v1/tenders/${PROC}/analyse`, {});
  assert.equal(analysed.analysis.opened_requests.length, 1);

  await login(page, s.url, 'demo-buyer');
  await page.waitForURL(/#\/procurement$/);
  const row = page.locator('#tenders tr', { hasText: PROC });
  assert.match(await row.innerText(), /Container scanners, Maasvlakte[\s\S]*\t1\t/);
  // Every procedure at once: already analysed, so nothing new and never a second request.
  await page.getByRole('button', { name: 'Run the screens on every procedure' }).click();
  await page.getByText(/Screens run on every procedure: 0 new flag\(s\), 0 explanation/).waitFor();
  await row.getByRole('link').click();
  await page.waitForURL(new RegExp(`#/procurement/${PROC}$`));
  assert.match(await page.locator('#flags').innerText(), /bid-n\s+nuctech/);
  const req = page.getByRole('article', { name: 'Explanation request for bid-n' });
  await req.getByText('waiting for the bidder').waitFor();
  await shot(page, 'procurement-1-flagged');

  // The award is blocked, with the open request among the reasons.
  await page.getByRole('button', { name: 'Award bid-n' }).click();
  const blocked = page.locator('#messages .msg.error', { hasText: 'The award of bid-n is blocked' });
  await blocked.waitFor();
  assert.ok(await blocked.locator('li[data-code="explanation_open"]').count() === 1, 'explanation_open is a reason');
  await shot(page, 'procurement-2-award-blocked');

  // The bidder's explanation, then the buyer's decision.
  await req.getByLabel('Explanation from nuctech').fill('Own factory and volume discount; no state support for this bid.');
  await req.getByLabel('Evidence (optional)').fill('doc-2026-117');
  await req.getByRole('button', { name: 'Record the explanation' }).click();
  await page.getByText('The explanation for bid-n is recorded.').waitFor();
  const req2 = page.getByRole('article', { name: 'Explanation request for bid-n' });
  await req2.getByText('explanation received: the buyer decides').waitFor();
  await req2.getByLabel('Decision on bid-n').selectOption('accept');
  await req2.getByLabel('Decision note').fill('The price is explained.');
  await req2.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByText('Decision on bid-n: accept.').waitFor();
  const timeline = page.getByRole('list', { name: 'Timeline of bid-n' });
  assert.match(await timeline.innerText(), /Requested[\s\S]*Explanation received[\s\S]*Own factory[\s\S]*Decided[\s\S]*accepted/);
  await shot(page, 'procurement-3-decided');

  // Whatever still blocks it is listed next to the button; the FSR check of the bidder clears
  // its part (EUR 1 million is far below the thresholds).
  const cell = page.locator('div.award[data-bid="bid-n"]');
  assert.equal(await cell.locator('li[data-code="explanation_open"]').count(), 0);
  await page.getByRole('button', { name: 'FSR check of nuctech' }).click();
  await page.getByText('FSR check of nuctech: a declaration suffices.').waitFor();
  assert.match(await page.locator('#fsr').innerText(), /nuctech\s+declare/);
  await page.locator('div.award[data-bid="bid-n"]').getByText('Nothing blocks this award.').waitFor();
  await page.getByRole('button', { name: 'Award bid-n' }).click();
  await page.getByText('Lot lot-1 awarded to bid-n (nuctech).').waitFor();
  await page.locator('div.award', { hasText: 'awarded' }).first().waitFor();
  await shot(page, 'procurement-4-awarded');
  const t = await buyer.ok('GET', `/v1/tenders/${PROC}`);
  assert.deepEqual(t.awards.map((a) => a.bid), ['bid-n']);

  // Auditors and analysts read it and change nothing: the page has no forms for them, and the
  // API refuses their changes.
  const aud = await s.client('demo-auditor');
  assert.equal((await aud.call('GET', `/v1/tenders/${PROC}`)).status, 200);
  assert.equal((await aud.call('POST', `/v1/tenders/${PROC}/analyse`, {})).status, 403);
  const ana = await s.client('demo-analyst');
  assert.equal((await ana.call('POST', `/v1/tenders/${PROC}/analyse`, {})).status, 403);
  const reader = await newPage(browser);
  await login(reader, s.url, 'demo-analyst');
  await reader.goto(`${s.url}/#/procurement/${PROC}`);
  await reader.locator('#read-only').waitFor();
  await reader.getByRole('article', { name: 'Explanation request for bid-n' }).getByText('accepted').first().waitFor();
  assert.equal(await reader.getByRole('button', { name: /Award|Record|Run the screens|FSR check/ }).count(), 0);
  await shot(reader, 'procurement-5-analyst-read-only');
  assert.deepEqual(reader.problems, []);
  assert.deepEqual(page.problems, []);
});
