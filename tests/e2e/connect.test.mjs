// Connecting with a key, against a fake HubSpot (`hubextract fakehub`): a
// wrong key's message, a right key saved (never into the settings, the
// database or the log), an extraction with it, the database that
// HUBEXTRACT_DB fixes, and Disconnect.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { closeBrowser, openPage, startApp, startFakeHub, waitFor, workdir, writeSettings } from './harness.mjs';

const token = 'pat-na1-e2e-0123456789abcdef';
let hub;
let w;
let app;
let ui;

before(async () => {
  hub = await startFakeHub(token);
  w = workdir('connect');
  writeSettings(w);
  app = await startApp(w, { HUBEXTRACT_HUBSPOT_URL: hub.url });
  ui = await openPage(app.url);
});

after(async () => {
  await ui?.close();
  await app?.stop();
  await hub?.stop();
  await closeBrowser();
  w?.cleanup();
});

const text = (testid) => ui.page.getByTestId(testid).textContent();

test('a wrong key gets a clear message and is not saved', async () => {
  const { page } = ui;
  await page.getByTestId('connect-token').fill('pat-na1-wrong');
  await page.getByTestId('connect-test').click();
  await page.getByTestId('connect-result').waitFor();
  assert.match(await text('connect-result'), /HubSpot did not accept this key\. Check that it was copied whole/);
  assert.match(await text('connect-result'), /Nothing was saved/);
  assert.equal((await text('connection-badge')).trim(), 'Not connected');
  assert.equal(await page.getByTestId('connect-disconnect').count(), 0);
});

test('the right key connects: account, scopes, saved outside the database', async () => {
  const { page } = ui;
  await page.getByTestId('connect-token').fill(`  ${token}\n`);
  await page.getByTestId('connect-test').click();
  await waitFor('the result', async () => /Connected\./.test(await text('connect-result')));
  assert.match(await text('connect-result'), /can read everything the app extracts/);
  // The 2026-09 account details name the account: "Name (id)".
  assert.match(await text('connect-account'), /^.+ \(\d+\)$/);
  // Which types the key reads, from the same scope probes: every one.
  assert.match(await text('connect-types'), /^Can read: Contacts, Companies, Deals, Tickets, .*Marketing email events\.$/);
  assert.equal(await page.getByTestId('connect-cannot-read').count(), 0);
  assert.equal((await text('connection-badge')).trim(), 'Connected to HubSpot');
  assert.equal(await page.getByTestId('connect-token').inputValue(), '', 'the field still shows the key');
  await page.getByTestId('connect-disconnect').waitFor();
  // This machine has no keychain: the key is in a 0600 file, and the screen says so.
  if (existsSync(join(w.config, 'token'))) {
    assert.match(await text('token-warning'), /less protected/);
  }
});

test('an extraction with the key; the key is in no database, settings or log', async () => {
  const { page } = ui;
  await page.getByTestId('nav-extract').click();
  // A key that reads everything: no type is marked as needing a scope.
  await page.getByTestId('extract-type-tickets').waitFor();
  assert.equal(await page.locator('[data-testid^="extract-needs-"]').count(), 0);
  await page.getByTestId('extract-start').click();
  await page.getByTestId('run-status').waitFor({ timeout: 60_000 });
  assert.equal((await text('run-status')).trim(), 'succeeded');
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('count-contacts').waitFor();
  assert.equal((await text('count-contacts')).trim(), '20');
  assert.match(await text('overview-db-path'), /hubextract\.db$/);

  const files = [join(w.config, 'settings.json'), ...readdirSync(join(w.dir, 'data')).map((f) => join(w.dir, 'data', f))];
  for (const f of files) {
    assert.ok(!readFileSync(f).includes(token), `${f} holds the key`);
  }
  assert.ok(!app.log().includes(token), 'the app log holds the key');
});

test('the database HUBEXTRACT_DB names is shown as fixed: Settings offers no choice of it', async () => {
  const { page } = ui;
  // The harness starts the app with HUBEXTRACT_DB=w.db.
  assert.match(await text('overview-db-origin'), /HUBEXTRACT_DB/);
  await page.getByTestId('nav-settings').click();
  const note = page.getByTestId('settings-db-fixed');
  await note.waitFor();
  assert.match(await note.textContent(), /environment variable\s+HUBEXTRACT_DB\s+sets the database/);
  assert.ok((await note.textContent()).includes(w.db), `the note does not name ${w.db}`);
  for (const id of ['settings-db', 'settings-db-open', 'settings-db-create']) {
    assert.ok(await page.getByTestId(id).isDisabled(), `${id} can still be used`);
  }
  assert.ok(await page.getByTestId('settings-tier').isEnabled());
});

test('Disconnect forgets the key', async () => {
  const { page } = ui;
  await page.getByTestId('nav-welcome').click();
  await page.getByTestId('connect-disconnect').click();
  await waitFor('disconnected', async () => (await text('connection-badge')).trim() === 'Not connected');
  assert.ok(!existsSync(join(w.config, 'token')), 'the token file is still there');
  await page.getByTestId('nav-extract').click();
  await page.getByTestId('extract-not-connected').waitFor();
  assert.ok(await page.getByTestId('extract-start').isDisabled());
});
