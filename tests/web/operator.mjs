// Story: the customs operator approves a corrective visit (seeing every rule's result), kills a
// live remote session that a gateway reported, and suspends a vendor after reading the
// downtime cost.
import assert from 'node:assert/strict';
import { story, login, shot } from './lib/browser.mjs';
import { iso, issuedPermit } from './lib/scenario.mjs';

await story('operator', async ({ s, page }) => {
  // A corrective visit under an issued permit, waiting for the operator.
  await issuedPermit(s, 'permit-op');
  const tech = await s.client('demo-technician');
  await tech.ok('POST', '/v1/access/requests', { id: 'req-corr-1', kind: 'corrective', asset: 'scanner-05',
    permit: 'permit-op', fault: s.fault, from: iso(1), to: iso(120), reason: 'software module' });
  // A live remote session: approved, certificate issued, admitted and reported by a gateway.
    const op = await s.client('demo-operator');
  await tech.ok('POST', '/v1/access/requests', { id: 'req-remote-1', kind: 'remote', asset: 'scanner-05',
    fault: s.fault, from: iso(-1), to: iso(120) });
  await op.ok('POST', '/v1/access/requests/req-remote-1/approve', {});
  const cert = await tech.ok('POST', '/v1/grants/req-remote-1%231/certificate', {});
  const admit = await s.gateway('POST', '/v1/gateway/admit', { gateway: 'demo-gateway', asset: 'scanner-05',
    certificate: cert.certificate, remote: '192.0.2.7:40000' });
  assert.equal(admit.status, 200, JSON.stringify(admit.body));
  const session = admit.body.session;
  const beat = await s.gateway('POST', '/v1/gateway/heartbeat', { gateway: 'demo-gateway',
    sessions: [{ session, bytes_up: 1234, bytes_down: 56789 }] });
  assert.deepEqual(beat.body.kill, []);

  await login(page, s.url, 'demo-operator');
  await page.waitForURL(/#\/operator$/);
  // The fleet: scanner-05 is in a live remote session.
  const fleetRow = page.locator('table[data-site="terminal-noord"] tr', { hasText: 'scanner-05' });
  await fleetRow.getByText('remote session live').waitFor();

  // The pending request with every rule the engine checked.
  const card = page.locator('article[data-request="req-corr-1"]');
  await card.getByRole('table', { name: 'Rules checked for req-corr-1' }).waitFor();
  assert.ok(await card.getByRole('cell', { name: 'permit.names_person' }).count() >= 1);
  await card.getByLabel('Note on req-corr-1').fill('coordinated with the terminal');
  await card.getByRole('button', { name: 'Approve req-corr-1' }).click();
  await page.getByText('Approval of req-corr-1: done.').waitFor();
  const r = await op.ok('GET', '/v1/access/requests/req-corr-1');
  assert.equal(r.state, 'approved');

  // The live session with its bytes, then the kill.
  const row = page.locator('#sessions-table tr', { hasText: session });
  await row.getByText('55.5 KiB').waitFor();
  await shot(page, 'operator-1-pending-and-session');
  await row.getByRole('button', { name: `Kill ${session}` }).click();
  await page.getByText('A reason is required to kill a session.').waitFor();
  await row.getByLabel(`Reason to kill ${session}`).fill('unexpected file transfer');
  await row.getByRole('button', { name: `Kill ${session}` }).click();
  await page.getByText(`Kill of ${session} requested`).waitFor();
  const after = await s.gateway('POST', '/v1/gateway/heartbeat', { gateway: 'demo-gateway',
    sessions: [{ session, bytes_up: 1300, bytes_down: 56789 }] });
  assert.deepEqual(after.body.kill.map((k) => k.session), [session], JSON.stringify(after.body));

  // The kill switch: the downtime cost first, then the confirmation.
  await page.getByLabel('Vendor to suspend').fill('nuctech');
  await page.getByLabel('Reason', { exact: true }).fill('console test of the kill switch');
  await page.getByRole('button', { name: 'Show the downtime cost' }).click();
  await page.locator('#downtime-cost').getByText('extra downtime minutes per month').waitFor();
  const before = await op.ok('GET', '/v1/suspensions');
  assert.equal(before.total, 0, 'nothing is suspended before the confirmation');
  await shot(page, 'operator-2-downtime-cost');
  await page.getByRole('button', { name: 'Confirm: suspend nuctech' }).click();
  await page.getByText('Suspension of nuctech: done.').waitFor();
  const sus = await op.ok('GET', '/v1/suspensions?subject=nuctech');
  assert.equal(sus.total, 1);
  await shot(page, 'operator-3-done');
});
