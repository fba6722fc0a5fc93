// Stopping and carrying on: Cancel stops within two seconds and keeps what
// was fetched, and the next extraction resumes (followed to its end by a
// page reopened meanwhile); after a crash (kill -9) the app offers to
// resume; closing the window during a run asks first, then stops cleanly.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeBrowser, openPage, startApp, waitFor, workdir, writeSettings } from './harness.mjs';

// Slow enough to stop halfway: a few hundred records per type, HubSpot-like
// latency, the Starter rate.
const scale = 300;
const slow = { HUBEXTRACT_SAMPLE_SCALE: String(scale), HUBEXTRACT_SAMPLE_LATENCY_MS: '120' };

const dirs = [];
function setup(name) {
  const w = workdir(name);
  dirs.push(w);
  writeSettings(w, { rate_per_10s: 100, source: 'sample' });
  return w;
}

after(async () => {
  await closeBrowser();
  for (const w of dirs) w.cleanup();
});

/** Starts an extraction of every type and waits until records arrive. */
async function startRun(page) {
  await page.goto(page.url().replace(/#.*$/, '') + '#/extract');
  await page.getByTestId('extract-start').click();
  await waitFor('records to arrive', async () => {
    const t = await page.getByTestId('progress-overall-text').textContent().catch(() => '');
    const n = Number((t.match(/^\s*([\d,]+)/)?.[1] ?? '0').replaceAll(',', ''));
    return n > 40;
  }, 30_000, 50);
}

async function status(page, timeout = 90_000) {
  await page.getByTestId('run-status').waitFor({ timeout });
  return (await page.getByTestId('run-status').textContent()).trim();
}

test('cancel stops within 2 s, keeps everything, and the next run resumes', async () => {
  const w = setup('cancel');
  const app = await startApp(w, slow);
  const { page, close } = await openPage(app.url);
  try {
    await startRun(page);
    const t0 = Date.now();
    await page.getByTestId('extract-cancel').click();
    assert.equal(await status(page, 5_000), 'cancelled');
    const took = Date.now() - t0;
    assert.ok(took < 2_000, `Cancel took ${took} ms`);
    const summary = await page.getByTestId('extract-summary').textContent();
    const kept = Number(summary.match(/([\d,]+) records in/)[1].replaceAll(',', ''));
    assert.ok(kept > 0, 'the cancelled run kept nothing');

    await page.getByTestId('extract-resume').waitFor();
    await page.getByTestId('extract-resume-start').click();
    await waitFor('the resumed run to start', async () => (await page.getByTestId('run-status').count()) === 0);
    // A page opened mid-run follows the run, and learns how it ended from
    // the "extract:ended" event.
    await page.reload();
    await page.getByTestId('extract-cancel').waitFor();
    assert.equal(await status(page), 'succeeded');
    assert.match(await page.getByTestId('extract-summary').textContent(), /Resumed run 1\./);

    await page.getByTestId('nav-overview').click();
    await page.getByTestId('engagement-chart').waitFor();
    for (const t of ['contacts', 'deals', 'calls', 'tasks']) {
      assert.equal((await page.getByTestId(`count-${t}`).textContent()).trim(), String(scale), `count of ${t}`);
    }
  } finally {
    await close();
    await app.stop();
  }
});

test('after a crash the app offers to resume the unfinished run', async () => {
  const w = setup('crash');
  let app = await startApp(w, slow);
  let ui = await openPage(app.url);
  await startRun(ui.page);
  await app.kill(); // kill -9 mid-run
  await ui.close();

  app = await startApp(w, slow);
  ui = await openPage(app.url.replace(/\/$/, '/#/extract'));
  try {
    const offer = ui.page.getByTestId('extract-resume');
    await offer.waitFor();
    assert.match(await offer.textContent(), /cut short when the app closed/);
    await ui.page.getByTestId('extract-resume-start').click();
    assert.equal(await status(ui.page), 'succeeded');
    assert.match(await ui.page.getByTestId('extract-summary').textContent(), /Resumed run 1\./);
    await ui.page.getByTestId('nav-overview').click();
    await ui.page.getByTestId('count-notes').waitFor();
    assert.equal((await ui.page.getByTestId('count-notes').textContent()).trim(), String(scale));
  } finally {
    await ui.close();
    await app.stop();
  }
});

test('closing the window during a run asks first, then stops cleanly', async () => {
  const w = setup('close');
  let app = await startApp(w, slow);
  let ui = await openPage(app.url);
  await startRun(ui.page);

  // The window's close button goes through the same request as this.
  await ui.page.evaluate(() => window.runtime.Quit());
  const dialog = ui.page.getByTestId('close-confirm');
  await dialog.waitFor();
  // Keeping it running dismisses the question; the run goes on.
  await ui.page.getByTestId('close-confirm-cancel').click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await ui.page.getByTestId('extract-cancel').count(), 1);

  await ui.page.evaluate(() => window.runtime.Quit());
  await dialog.waitFor();
  await ui.page.getByTestId('close-confirm-ok').click();
  let timer;
  const exit = await Promise.race([app.exit, new Promise((r) => (timer = setTimeout(() => r('still running'), 15_000)))]);
  clearTimeout(timer);
  assert.deepEqual(exit, { code: 0, signal: null }, `the app did not close cleanly:\n${app.log()}`);
  await ui.close();

  // The run was recorded as cancelled, and can be resumed.
  app = await startApp(w, slow);
  ui = await openPage(app.url.replace(/\/$/, '/#/history'));
  try {
    await ui.page.getByTestId('history-row').first().waitFor();
    assert.match(await ui.page.getByTestId('history-row').first().textContent(), /cancelled/);
    await ui.page.getByTestId('nav-extract').click();
    await ui.page.getByTestId('extract-resume').waitFor();
  } finally {
    await ui.close();
    await app.stop();
  }
});
