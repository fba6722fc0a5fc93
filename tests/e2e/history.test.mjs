// Property history end to end: with history on for contacts in Settings,
// the sample data's extraction reads it; a contact's record panel offers
// the history of a property that had several values, and opens it as a
// timeline (value, when, source), newest first. Settings shows the choice.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, closeBrowser, openPage, startApp, waitFor, workdir, writeSettings } from './harness.mjs';

let w;
let app;
let ui;

before(async () => {
  w = workdir('history');
  writeSettings(w, { history_types: ['contacts'] });
  app = await startApp(w, { HUBEXTRACT_SAMPLE_SCALE: '40' });
  ui = await openPage(app.url);
});

after(async () => {
  await ui?.close();
  const exit = await app?.stop();
  await closeBrowser();
  assert.deepEqual(exit, { code: 0, signal: null }, `the app did not exit cleanly:\n${app?.log()}`);
  w?.cleanup();
});

const text = (testid) => ui.page.getByTestId(testid).textContent();

test('history: a contact property\'s values over time, as a timeline', async () => {
  const { page, problems } = ui;
  await page.getByTestId('sample-data').click();
  await page.waitForURL(/#\/extract$/);
  await waitFor('the estimate', async () => /API calls/.test(await text('extract-estimate')));
  await page.getByTestId('extract-start').click();
  await waitFor('the run to end', async () => (await page.getByTestId('run-status').count()) > 0, 90_000, 50);
  assert.equal((await text('run-status')).trim(), 'succeeded');

  await page.getByTestId('nav-records').click();
  await page.getByTestId('record-row').first().waitFor();
  await page.getByTestId('records-type').selectOption('contacts');
  await waitFor('the contacts', async () => (await text('records-summary')).includes(' Contacts ') && (await page.getByTestId('record-row').count()) > 0);
  const detail = page.getByTestId('record-detail');
  // Most properties had one value: open contacts until one had several.
  let control = null;
  const rows = await page.getByTestId('record-row').count();
  for (let i = 0; i < rows && !control; i++) {
    const row = page.getByTestId('record-row').nth(i);
    const id = await row.getAttribute('data-id');
    await row.click();
    await waitFor('its detail', async () => (await detail.getAttribute('data-record-id')) === id);
    // A property with one value offers no history: the control marks those with several.
    const controls = page.locator('[data-testid^="history-"]');
    if ((await controls.count()) > 0) control = controls.first();
  }
  assert.ok(control, `none of ${rows} contacts has a property with several values`);
  const name = (await control.getAttribute('data-testid')).replace(/^history-/, '');
  const label = (await control.textContent()).trim();
  const values = Number(/History \((\d+) values\)/.exec(label)?.[1]);
  assert.ok(values >= 2, `the control says "${label}"`);
  assert.equal(await control.getAttribute('aria-expanded'), 'false');
  const current = (await page.getByTestId(`prop-${name}`).locator('.value').textContent()).trim();

  await control.click();
  const timeline = page.getByTestId(`timeline-${name}`);
  await timeline.waitFor();
  const entries = timeline.getByTestId('timeline-entry');
  assert.equal(await entries.count(), values);
  const when = [];
  for (let i = 0; i < values; i++) {
    const e = entries.nth(i);
    when.push((await e.locator('.when').textContent()).trim());
    assert.match(when[i], /^\d{4}-\d\d-\d\d \d\d:\d\d$/, `entry ${i}: time "${when[i]}"`);
    assert.notEqual((await e.locator('.origin').textContent()).trim(), '', `entry ${i} names no source`);
  }
  // Newest first: the newest value is the one shown above it.
  assert.deepEqual([...when].sort().reverse(), when);
  assert.equal((await entries.first().locator('.value').textContent()).trim(), current);
  await page.screenshot({ path: join(artifacts, 'history-timeline.png') });
  await control.click();
  assert.equal(await timeline.count(), 0);

  // Settings shows the choice that made it, contacts ticked, others not.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-history-contacts').waitFor();
  assert.equal(await page.getByTestId('settings-history-contacts').isChecked(), true);
  assert.equal(await page.getByTestId('settings-history-deals').isChecked(), false);
  assert.match(await text('settings-history'), /50 records a call instead of 100/);
  assert.deepEqual(problems.dialogs, []);
  assert.deepEqual(problems.errors, []);
});
