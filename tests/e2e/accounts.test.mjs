// Several HubSpot accounts side by side: a second account connected against
// a second fake HubSpot, the header's switcher between them, each showing
// only its own records and history; and a key of one account refused for
// the other's database.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { closeBrowser, openPage, startAccountRouter, startApp, startFakeHub, waitFor, workdir, writeSettings } from './harness.mjs';

let hubA;
let hubB;
let router;
let w;
let app;
let ui;
const ids = {};

before(async () => {
  hubA = await startFakeHub('pat-na1-account-a', ['--seed', '3']);
  hubB = await startFakeHub('pat-na1-account-b', ['--seed', '4', '--scale', '7']);
  router = await startAccountRouter({ 'pat-na1-account-a': hubA.url, 'pat-na1-account-b': hubB.url });
  w = workdir('accounts');
  writeSettings(w);
  // No HUBEXTRACT_DB: each account has its own database.
  app = await startApp(w, { HUBEXTRACT_HUBSPOT_URL: router.url, HUBEXTRACT_DB: '' });
  ui = await openPage(app.url);
});

after(async () => {
  await ui?.close();
  await app?.stop();
  await router?.stop();
  await hubA?.stop();
  await hubB?.stop();
  await closeBrowser();
  w?.cleanup();
});

const text = (testid) => ui.page.getByTestId(testid).textContent();

async function connect(key) {
  const { page } = ui;
  await page.getByTestId('nav-welcome').click();
  await page.getByTestId('connect-token').fill(key);
  await page.getByTestId('connect-test').click();
  await waitFor('connected', async () => /Connected/.test(await text('connect-result')));
  const account = await text('connect-account');
  return Number(/\((\d+)\)$/.exec(account.trim())[1]);
}

async function extract() {
  const { page } = ui;
  await page.getByTestId('nav-extract').click();
  await page.getByTestId('extract-start').click();
  await page.getByTestId('run-status').waitFor({ timeout: 60_000 });
  assert.equal((await text('run-status')).trim(), 'succeeded');
}

async function shows(contacts, runs) {
  const { page } = ui;
  await page.getByTestId('nav-overview').click();
  await waitFor(`${contacts} contacts`, async () => (await text('count-contacts')).trim() === String(contacts));
  await page.getByTestId('nav-history').click();
  await waitFor(`${runs} runs`, async () => (await page.getByTestId('history-row').count()) === runs);
}

test('a second account beside the first: each shows only its own records and history', async () => {
  const { page } = ui;
  ids.a = await connect('pat-na1-account-a');
  await extract();
  await shows(20, 1);

  ids.b = await connect('pat-na1-account-b');
  assert.notEqual(ids.a, ids.b);
  const switcher = page.getByTestId('account-switcher');
  await waitFor('the switcher on account B', async () => (await switcher.inputValue()) === String(ids.b));
  assert.match(await switcher.textContent(), new RegExp(`· ${ids.a}[\\s\\S]*· ${ids.b}[\\s\\S]*Sample data`));
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-empty').waitFor();
  await extract();
  await extract();
  await shows(7, 2);

  await switcher.selectOption(String(ids.a));
  await shows(20, 1);
  await switcher.selectOption(String(ids.b));
  await shows(7, 2);
  assert.deepEqual(ui.problems.errors, []);
});

test("a key of account A is refused for account B's database", async () => {
  const { page } = ui;
  // This machine has no keychain: B's key is the file token-<id>. Put A's there.
  writeFileSync(join(w.config, `token-${ids.b}`), 'pat-na1-account-a\n', { mode: 0o600 });
  await page.getByTestId('nav-extract').click();
  await page.getByTestId('extract-start').click();
  await page.getByTestId('extract-error').waitFor({ timeout: 30_000 });
  assert.match(await text('extract-error'), new RegExp(`this key opens HubSpot account ${ids.a}, not .*\\(${ids.b}\\)`));
  await shows(7, 2); // nothing was written
});
