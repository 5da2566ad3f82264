// Debian's Chromium driven by playwright-core (no browser download), headless, with the flags
// that keep it off the network (this machine has none) and a fresh profile per run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { screenshotDir, PASSWORD } from './scenario.mjs';

const CHROMIUM = process.env.PW_CHROMIUM || '/usr/bin/chromium';

// Exit 77 (ctest: skipped) when the browser or playwright-core is missing, naming the fix.
async function playwright() {
  if (!existsSync(CHROMIUM)) {
    console.error(`SKIPPED: no Chromium at ${CHROMIUM}; run scripts/install-deps.sh`);
    process.exit(77);
  }
  try {
    return await import('playwright-core');
  } catch {
    console.error('SKIPPED: playwright-core is not installed; run scripts/install-deps.sh (npm ci in tests/web)');
    process.exit(77);
  }
}

export async function launch() {
  const { chromium } = await playwright();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A new page that fails the test on any console error or CSP violation.
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // 4xx answers are the API's refusals, which the pages show themselves.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

export async function login(page, url, username) {
  await page.goto(`${url}/`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

// The same with the keyboard only: the login form takes the focus, Tab moves to the password,
// Enter submits.
export async function loginWithKeyboard(page, url, username) {
  await page.goto(`${url}/`);
  await page.getByLabel('User name').waitFor();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(screenshotDir(), `${name}.png`), fullPage: true });
}

// Runs a story: a fresh scenario and browser, the body, screenshots on failure, cleanup.
export async function story(name, body) {
  const { Scenario } = await import('./scenario.mjs');
  const browser = await launch();
  const s = await Scenario.start({ name }).catch(async (e) => { await browser.close(); throw e; });
  let page;
  try {
    page = await newPage(browser);
    await body({ s, page, browser });
    if (page.problems.length) throw new Error(`browser problems:\n${page.problems.join('\n')}`);
    console.log(`ok: ${name}`);
  } catch (e) {
    if (page) await shot(page, `${name}-FAILED`).catch(() => {});
    console.error(`FAILED: ${name}\n${e.stack || e}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
    await s.stop();
  }
}
