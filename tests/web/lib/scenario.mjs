// The demo scenario of scripts/demo.sh, made for one test: a fresh journal in a temporary
// directory with the Rotterdam register, Nuctech's ownership chain, Nuctech assessed (very high,
// four eyes) and Borealis (medium), an open software fault on scanner-05, one account per role,
// and `portwarden serve` on a free loopback port serving the console. Everything is real: the
// binary, its database, its HTTP server.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = process.env.PW_SOURCE_DIR || path.resolve(here, '../../..');
export const PW = process.env.PW_BINARY || path.join(SOURCE_DIR, 'build/debug/src/portwarden');
export const PASSWORD = 'console test password 1';

// username -> [person, role]
export const ACCOUNTS = {
  'demo-operator': ['operator-1', 'operator'],
  'demo-security': ['security-officer-1', 'security_officer'],
  'demo-analyst': ['analyst-1', 'analyst'],
  'demo-analyst2': ['analyst-2', 'analyst'],
  'demo-terminal': ['terminal-staff-noord', 'terminal'],
  // tech-borealis-2: screened until 2028 (tech-borealis-1's VOG lapsed: a finding of the scenario).
  'demo-technician': ['tech-borealis-2', 'technician'],
  'demo-auditor': ['', 'auditor'],
  'demo-gateway': ['', 'gateway'],
  // The buyer of the procurement story (issue 8): an account, not a person in the register.
  'demo-buyer': ['', 'buyer'],
};

export function iso(offsetMinutes = 0) {
  return new Date(Date.now() + offsetMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class Scenario {
  static async start({ name = 'console' } = {}) {
    const s = new Scenario();
    s.dir = mkdtempSync(path.join(tmpdir(), `pw-${name}-`));
    s.db = path.join(s.dir, 'pw.db');
    s.setup();
    await s.serve();
    return s;
  }

  pw(args, input) {
    return execFileSync(PW, ['--db', this.db, '--actor', 'test:console-setup', ...args], {
      cwd: SOURCE_DIR, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  setup() {
    const ex = path.join(SOURCE_DIR, 'examples/rotterdam');
    this.pw(['init', '--origin', 'portwarden.test/console']);
    this.pw(['inventory', 'import', ex]);
    this.pw(['ownership', 'import', path.join(ex, 'ownership/nuctech-bods-0.4.json'), '--format', 'bods']);
    // Nuctech as the demo judges it (Q6, Q7): very high, signed off by a second analyst.
    this.pw(['assess', 'start', 'nuctech', '--as', 'analyst-1']);
    for (const [c, a, j] of [['1', 'yes', 'Origin in China; the state holds 15.96% through CNNC and Tongfang (Q7).'],
      ['2', 'yes', 'China is named in Dutch threat assessments (Q3).'],
      ['3a', 'yes', 'Four of seven large scanners, remote maintenance (Q4, Q10, Q11).']]) {
      this.pw(['assess', 'judge', 'nuctech', '--as', 'analyst-1', '--criterion', c, '--answer', a, '--judgement', j]);
    }
    this.pw(['assess', 'mitigation', 'nuctech', 'external-audit', '--as', 'analyst-2', '--status', 'verified',
      '--note', 'External audit of the scanning systems (Q4, Q9)']);
    this.pw(['assess', 'refresh', 'nuctech', '--as', 'analyst-1']);
    this.pw(['assess', 'judge', 'nuctech', '--as', 'analyst-1', '--criterion', '3b', '--answer', 'partly',
      '--judgement', 'The audit is verified; server separation is only planned.']);
    this.pw(['assess', 'sign', 'nuctech', '--as', 'analyst-2', '--note', 'Agreed.']);
    // Borealis at medium: remote sessions allowed, the operator alone approves.
    this.pw(['assess', 'start', 'borealis', '--as', 'analyst-1']);
    for (const [c, a] of [['1', 'no'], ['2', 'no'], ['3a', 'yes'], ['3b', 'yes']]) {
      this.pw(['assess', 'judge', 'borealis', '--as', 'analyst-1', '--criterion', c, '--answer', a, '--judgement', 'reviewed']);
    }
    this.pw(['assess', 'sign', 'borealis', '--as', 'analyst-2', '--note', 'Agreed.']);
    // Kestrel: a draft opened by analyst-1, to judge and have signed off in the console.
    this.pw(['assess', 'start', 'kestrel', '--as', 'analyst-1']);
    // An open software fault on Borealis' scanner-05 (remote-capable, gateway rmgw-1).
    this.fault = 'fault-console-05';
    const faults = path.join(this.dir, 'fault.toml');
    writeFileSync(faults, `[[fault]]\nid = "${this.fault}"\nasset = "scanner-05"\nreported = "${iso(-60)}"\n`
      + 'category = "software"\nprovenance = "fictional (console test)"\n');
    this.pw(['inventory', 'import', faults]);
    for (const [user, [person, role]] of Object.entries(ACCOUNTS)) {
      const args = ['account', 'create', user, '--role', role, '--password-stdin'];
      if (person) args.push('--person', person);
      this.pw(args, `${PASSWORD}\n`);
    }
    const tok = this.pw(['--json', 'account', 'token', 'demo-gateway']);
    this.gatewayToken = JSON.parse(tok).token;
  }

  serve() {
    return new Promise((resolve, reject) => {
      this.server = spawn(PW, ['--db', this.db, 'serve', '--listen', '127.0.0.1:0', '--quiet', '--threads', '2',
        '--web', path.join(SOURCE_DIR, 'web')], { cwd: SOURCE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      this.server.stderr.on('data', (d) => { err += d; });
      this.server.stdout.on('data', (d) => {
        out += d;
        const m = /console at (http:\/\/[^\s]+)/.exec(out);
        if (m) { this.url = m[1].replace(/\/$/, ''); resolve(); }
      });
      this.server.on('exit', (code) => reject(new Error(`portwarden serve exited (${code}): ${out}${err}`)));
    });
  }

  async stop() {
    if (this.server && this.server.exitCode === null) {
      const gone = new Promise((r) => this.server.once('exit', r));
      this.server.kill('SIGTERM');
      await gone;
    }
    if (!process.env.PW_KEEP_TMP) rmSync(this.dir, { recursive: true, force: true });
  }

  // A logged-in API client (cookie and CSRF), for preparing a story as another person would.
  async client(username) {
    const c = new Client(this.url);
    await c.login(username, PASSWORD);
    return c;
  }

  // The gateway's side of the control protocol, with its bearer token.
  async gateway(method, p, body) {
    const res = await fetch(this.url + p, {
      method, headers: { Authorization: `Bearer ${this.gatewayToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }
}

export class Client {
  constructor(url) { this.url = url; this.cookie = ''; this.csrf = ''; }
  async login(username, password) {
    const res = await fetch(`${this.url}/v1/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    this.cookie = res.headers.get('set-cookie').split(';')[0];
    this.csrf = (await res.json()).csrf;
  }
  async call(method, p, body) {
    const res = await fetch(this.url + p, {
      method,
      headers: { Cookie: this.cookie, 'X-CSRF-Token': this.csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { json = text; }
    return { status: res.status, body: json };
  }
  async ok(method, p, body) {
    const r = await this.call(method, p, body);
    if (r.status !== 200) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

// An issued work permit for tech-borealis-2 on scanner-05, made as the terminal would.
export async function issuedPermit(s, id) {
  const tech = await s.client('demo-technician');
  const term = await s.client('demo-terminal');
  await tech.ok('POST', '/v1/permits', { id, asset: 'scanner-05', people: ['tech-borealis-2'],
    from: iso(-5), to: iso(240), fault: s.fault, reason: 'replace a failed software module' });
  await term.ok('POST', `/v1/permits/${id}/approve`, {});
  await term.ok('POST', `/v1/permits/${id}/issue`, {});
}

export function screenshotDir() {
  const d = process.env.PW_SCREENSHOT_DIR || path.join(SOURCE_DIR, 'build/console-screenshots');
  mkdirSync(d, { recursive: true });
  return d;
}
