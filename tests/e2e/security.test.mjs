// Values from HubSpot are text, never markup: a fake HubSpot whose answers
// carry HTML and script in every field the app shows (record properties,
// owners' names and email, property, option, pipeline and stage labels,
// the account's name) is connected, extracted and browsed, and nothing of
// it runs or becomes an element: no script, no image, no bold, no alert;
// the markup is shown as the text it is. (sample.test.mjs checks the two
// hostile notes of the sample data; this covers every screen's fields.)
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, closeBrowser, openPage, startApp, startFakeHub, waitFor, workdir, writeSettings } from './harness.mjs';

const token = 'pat-na1-e2e-security-0123456789';
// Each would run, or make an element, if a value reached the page as HTML.
const payloads = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '"><svg onload="window.__pwned=3">',
  '<b data-injected="1">bold</b>',
  "javascript:window.__pwned=4",
];

/** poison replaces, in place, the strings of a HubSpot answer that the app shows. */
function poison(v, parent, n) {
  if (Array.isArray(v)) {
    for (const c of v) poison(c, parent, n);
  } else if (v && typeof v === 'object') {
    for (const [k, c] of Object.entries(v)) {
      const key = k.toLowerCase();
      const skip = /id|date|time|modified|after/.test(key) || key.startsWith('hs_') && parent !== 'properties';
      const shown = parent === 'properties' || ['label', 'firstName', 'lastName', 'email', 'value', 'portalName', 'companyName'].includes(k);
      if (typeof c === 'string' && c !== '' && shown && !skip) {
        v[k] = `${payloads[n.i++ % payloads.length]} ${c}`;
      } else {
        poison(c, k, n);
      }
    }
  }
}

/** A proxy in front of the fake that poisons its JSON answers. */
async function poisonProxy(target) {
  const n = { i: 0 };
  const srv = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['content-length'];
    const up = await fetch(target + req.url, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    let body = Buffer.from(await up.arrayBuffer());
    if ((up.headers.get('content-type') ?? '').includes('json') && up.status === 200) {
      const doc = JSON.parse(body.toString());
      poison(doc, '', n);
      body = Buffer.from(JSON.stringify(doc));
    }
    const out = {};
    up.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) out[name] = value;
    });
    res.writeHead(up.status, { ...out, 'content-length': body.length });
    res.end(body);
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return { url: `http://127.0.0.1:${srv.address().port}`, stop: () => new Promise((r) => srv.close(r)) };
}

let hub;
let proxy;
let w;
let app;
let ui;

before(async () => {
  hub = await startFakeHub(token);
  proxy = await poisonProxy(hub.url);
  w = workdir('security');
  writeSettings(w);
  app = await startApp(w, { HUBEXTRACT_HUBSPOT_URL: proxy.url });
  ui = await openPage(app.url);
});

after(async () => {
  await ui?.close();
  await app?.stop();
  await proxy?.stop();
  await hub?.stop();
  await closeBrowser();
  w?.cleanup();
});

const text = (testid) => ui.page.getByTestId(testid).textContent();

/** What a payload would have made, or done, had it reached the page as HTML. */
async function injected() {
  return ui.page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    elements: document.querySelectorAll(
      '[data-testid="app-shell"] script, [data-testid="app-shell"] img[src="x"], [data-testid="app-shell"] svg[onload], [data-injected], a[href^="javascript:"]',
    ).length,
  }));
}

async function clean(where) {
  assert.deepEqual(await injected(), { pwned: null, elements: 0 }, `markup ran or became elements on ${where}`);
  assert.deepEqual(ui.problems.dialogs, [], `a dialog opened on ${where}`);
  assert.deepEqual(ui.problems.errors, [], `page errors on ${where}`);
}

test('security: connect and extract from an account whose every shown field carries markup', async () => {
  const { page } = ui;
  await page.getByTestId('connect-token').fill(token);
  await page.getByTestId('connect-test').click();
  await waitFor('the connection', async () => /Connected\./.test(await text('connect-result')));
  await clean('Connect');
  await page.getByTestId('nav-extract').click();
  await page.getByTestId('extract-start').click();
  await page.getByTestId('run-status').waitFor({ timeout: 60_000 });
  assert.equal((await text('run-status')).trim(), 'succeeded');
  await clean('Extract');
});

test('security: records, their search and detail show the markup as text', async () => {
  const { page } = ui;
  await page.getByTestId('nav-records').click();
  for (const type of ['contacts', 'companies', 'deals', 'tickets', 'notes']) {
    await page.getByTestId('records-type').selectOption(type);
    await page.getByTestId('record-row').first().waitFor();
    await waitFor(`${type}: a value shown as text`, async () => (await page.getByTestId('record-row').allTextContents()).join(' ').includes('<'));
    await page.getByTestId('record-row').first().click();
    await page.getByTestId('record-detail').waitFor();
    const detail = await page.getByTestId('record-detail').textContent();
    assert.ok(payloads.some((p) => detail.includes(p)), `${type}: the detail shows no payload as text:\n${detail.slice(0, 400)}`);
    await clean(`the ${type} records`);
  }
  await page.getByTestId('records-type').selectOption('contacts');
  await page.getByTestId('records-search').fill('pwned');
  await waitFor('the search', async () => /pwned/.test((await page.getByTestId('record-row').allTextContents()).join(' ')));
  await page.getByTestId('record-row').first().click();
  await page.getByTestId('record-detail').waitFor();
  await page.getByTestId('records-columns').click();
  await page.screenshot({ path: join(artifacts, 'security-records.png'), fullPage: true });
  await clean('the search and the column chooser');
});

test('security: every other screen shows the markup as text', async () => {
  const { page } = ui;
  for (const screen of ['nav-welcome', 'nav-overview', 'nav-history', 'nav-extract', 'nav-export', 'nav-settings']) {
    const link = page.locator(`a[data-testid="${screen}"]`);
    if ((await link.count()) === 0) continue;
    await link.click();
    await waitFor(`${screen} shown`, async () => (await link.getAttribute('aria-current')) === 'page');
    await clean(screen);
  }
  await page.screenshot({ path: join(artifacts, 'security-last-screen.png'), fullPage: true });
});
