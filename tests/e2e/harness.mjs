// The end-to-end harness: starts the dev-tagged binary (the real Go backend
// and SQLite) with its browser endpoint, in a temporary folder of its own,
// and drives the real frontend in Debian's chromium through playwright-core.
// It never downloads a browser. Needs a display (xvfb-run): the dev binary
// also opens its window.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const devBinary = process.env.HUBEXTRACT_DEV_BINARY ?? join(root, 'build/bin/hubextract-dev');
export const binary = process.env.HUBEXTRACT_BINARY ?? join(root, 'build/bin/hubextract');
const assetDir = join(root, 'frontend/dist');
export const artifacts = process.env.HUBEXTRACT_E2E_ARTIFACTS ?? join(root, 'test-artifacts/e2e');

const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** A free loopback port. */
export async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

/** A temporary folder for one app's database, settings and exports. */
export function workdir(name) {
  mkdirSync(artifacts, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `hubextract-e2e-${name}-`));
  return {
    dir,
    config: join(dir, 'config'),
    db: join(dir, 'data', 'hubextract.db'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes settings.json before the app starts (the fastest tier for tests). */
export function writeSettings(w, settings) {
  mkdirSync(w.config, { recursive: true, mode: 0o700 });
  const s = { rate_per_10s: 250, search_rate: 5, concurrency: 6, database_path: '', full_run_every_days: 7, source: 'hubspot', objects: null, ...settings };
  writeFileSync(join(w.config, 'settings.json'), JSON.stringify(s, null, 2), { mode: 0o600 });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until check() is truthy (polling), or fails after timeout ms. */
export async function waitFor(what, check, timeout = 20_000, every = 100) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

/**
 * Starts the dev binary on w's folders. env adds or overrides variables
 * (sample scale, latency, the HubSpot URL). Returns { url, proc, log, stop, kill }.
 */
export async function startApp(w, env = {}) {
  const port = await freePort();
  const ready = join(w.dir, `ready-${port}`);
  const logFile = join(artifacts, `${w.dir.split('/').pop()}-${port}.log`);
  const out = [];
  const proc = spawn(devBinary, ['-devserver', `127.0.0.1:${port}`, '-assetdir', assetDir, '-loglevel', 'error'], {
    env: {
      ...process.env,
      HUBEXTRACT_CONFIG_DIR: w.config,
      HUBEXTRACT_DB: w.db,
      HUBEXTRACT_READY_FILE: ready,
      HUBEXTRACT_SAMPLE_SCALE: '60',
      HUBEXTRACT_SAMPLE_LATENCY_MS: '0',
      // Every type at the same count, which the tests' expectations are
      // written in; the app's own sample is uneven, like a real account.
      HUBEXTRACT_SAMPLE_SIZES: 'even',
      HUBEXTRACT_HUBSPOT_URL: 'http://127.0.0.1:9', // never the real HubSpot from a test
      XDG_CONFIG_HOME: w.dir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d) => out.push(d));
  proc.stderr.on('data', (d) => out.push(d));
  let exited = null;
  const exit = new Promise((r) =>
    proc.on('exit', (code, signal) => {
      exited = { code, signal };
      writeFileSync(logFile, Buffer.concat(out));
      r(exited);
    }),
  );
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(`the app's page at ${url}`, async () => {
    if (exited) throw new Error(`the app exited (${JSON.stringify(exited)}): ${Buffer.concat(out)}`);
    const r = await fetch(url).catch(() => null);
    return r?.ok;
  });
  // The window's own page reports ready too: only then is GTK's main loop
  // running, so a later SIGTERM is honoured.
  await waitFor('the window to report ready', () => existsSync(ready));
  return {
    url,
    proc,
    exit,
    log: () => Buffer.concat(out).toString(),
    /** SIGTERM and wait for a clean exit. */
    async stop() {
      if (exited) return exited;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
      }
    },
    /** kill -9: a crash. */
    async kill() {
      proc.kill('SIGKILL');
      return exit;
    },
  };
}

let browser;

/** A new page in the shared headless chromium, at url, collecting errors and dialogs. */
export async function openPage(url) {
  browser ??= await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems = { dialogs: [], errors: [] };
  page.on('dialog', (d) => {
    problems.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => {
    // Wails' dev-mode connection overlay (/wails/ipc.js) mounts on an
    // element our page does not have and throws; it is not the app's code.
    if (!String(e.stack).includes('/wails/ipc.js')) problems.errors.push(e.stack ?? e.message);
  });
  await page.goto(url);
  await page.getByTestId('app-shell').waitFor();
  return { page, problems, close: () => context.close() };
}

export async function closeBrowser() {
  await browser?.close();
  browser = undefined;
}

/** Starts `hubextract fakehub` (a fake HubSpot) with token; returns { url, stop }. */
export async function startFakeHub(token, extraArgs = []) {
  const proc = spawn(binary, ['fakehub', '--token', token, '--scale', '20', '--sizes', 'even', '--rate', '0', '--search-rate', '0', ...extraArgs], {
    env: { ...process.env, DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [first] = await Promise.race([
    once(proc.stdout, 'data'),
    once(proc, 'exit').then(([code]) => {
      throw new Error(`fakehub exited with ${code}`);
    }),
  ]);
  const url = first.toString().split('\n')[0].trim();
  return {
    url,
    async stop() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

/** Reads a CSV file into rows of cells (RFC 4180: quotes, commas and new lines in cells). */
export function readCSV(path) {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * One HubSpot address for several fake accounts, as HubSpot serves every
 * account at one address: each request goes to the fakehub whose key it
 * carries (byToken: key → that fakehub's URL). Returns { url, stop }.
 */
export async function startAccountRouter(byToken) {
  const { createServer: createHTTPServer, request } = await import('node:http');
  const targets = Object.entries(byToken);
  const srv = createHTTPServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const target = (targets.find(([key]) => auth.endsWith(key)) ?? targets[0])[1];
    const u = new URL(req.url, target);
    const fwd = request(u, { method: req.method, headers: { ...req.headers, host: u.host } }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    fwd.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(fwd);
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return { url: `http://127.0.0.1:${srv.address().port}`, stop: () => new Promise((r) => srv.close(r)) };
}
