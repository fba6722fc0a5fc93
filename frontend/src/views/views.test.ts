// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { connection } from '../stores/connection.svelte';
import { appSettings } from '../stores/settings.svelte';
import Settings from './Settings.svelte';

let mounted: Record<string, unknown>[] = [];

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const saved = { rate_per_10s: 100, search_rate: 4, concurrency: 0, database_path: '/data/chosen.db', full_run_every_days: 7, source: 'hubspot', objects: null, api_version: '', economy: '' };

/** The API versions the backend offers (workspace.SettingsService.APIVersions). */
const versions = [
  { value: '', label: '2026-09 (current, recommended)' },
  { value: 'legacy', label: 'Legacy v3/v4 paths (for support cases)' },
];

/** A status whose user database comes from origin; with the sample data shown, the screens show another. */
function status(path: string, origin: string, sample = false) {
  const own = { path, origin, exists: true, bytes: 4096 };
  return {
    source: sample ? 'sample' : 'hubspot', connected: true, token: { saved: true, where: 'keychain', less_protected: false },
    database: sample ? { path: '/home/me/.config/hubextract/demo.db', origin: 'sample', exists: true, bytes: 2048 } : own,
    userDatabase: own, settingsWarning: '', extracting: false, exporting: false,
  };
}

/** The Settings screen against a backend whose user database comes from origin. */
async function settingsScreen(path: string, origin: string, sample = false, settings: Partial<typeof saved> = {},
  Save = vi.fn(async (s: unknown) => s)) {
  fakeBackend({
    SettingsService: { Get: async () => ({ ...saved, ...settings }), APIVersions: async () => versions, Save },
    ConnectionService: { Status: async () => status(path, origin, sample) },
  });
  await connection.load();
  // The screen's store outlives the screen: forget the previous test's
  // settings, so the form appears only once this backend's are loaded.
  appSettings.saved = appSettings.draft = null;
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(Settings, { target }));
  await vi.waitFor(() => {
    flushSync();
    expect(target.querySelector('[data-testid="settings-db"]')).not.toBeNull();
  });
  return target;
}

describe('Settings', () => {
  it('says plainly that HUBEXTRACT_DB fixes the database, and offers no choice there', async () => {
    const el = await settingsScreen('/srv/hubspot/fixed.db', 'env');
    const note = el.querySelector('[data-testid="settings-db-fixed"]');
    expect(note?.textContent).toMatch(/HUBEXTRACT_DB/);
    expect(note?.textContent).toContain('/srv/hubspot/fixed.db');
    expect(note?.textContent).toMatch(/environment variable/);
    const fieldset = el.querySelector('[data-testid="settings-db"]')!.closest('fieldset')!;
    expect(fieldset.disabled).toBe(true);
    for (const id of ['settings-db-open', 'settings-db-create']) {
      expect(el.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)!.matches(':disabled')).toBe(true);
    }
    expect(el.querySelector<HTMLInputElement>('[data-testid="settings-db"]')!.matches(':disabled')).toBe(true);
    // The rest of the settings stay editable.
    expect(el.querySelector<HTMLSelectElement>('[data-testid="settings-tier"]')!.matches(':disabled')).toBe(false);
  });

  it('says so too while the sample data is shown, since Settings choose the user\'s own database', async () => {
    const el = await settingsScreen('/srv/hubspot/fixed.db', 'env', true);
    expect(el.querySelector('[data-testid="settings-db-fixed"]')?.textContent).toContain('/srv/hubspot/fixed.db');
    expect(el.querySelector<HTMLInputElement>('[data-testid="settings-db"]')!.matches(':disabled')).toBe(true);
  });

  it('offers the chooser when the database is the one chosen in Settings', async () => {
    const el = await settingsScreen('/data/chosen.db', 'settings');
    expect(el.querySelector('[data-testid="settings-db-fixed"]')).toBeNull();
    expect(el.querySelector<HTMLInputElement>('[data-testid="settings-db"]')!.matches(':disabled')).toBe(false);
    expect(el.querySelector<HTMLInputElement>('[data-testid="settings-db"]')!.value).toBe('/data/chosen.db');
  });

  it('keeps the API version in a closed Advanced section, and saves the one chosen', async () => {
    const Save = vi.fn(async (s: unknown) => s);
    const el = await settingsScreen('/data/chosen.db', 'settings', false, {}, Save);
    const advanced = el.querySelector<HTMLDetailsElement>('[data-testid="settings-advanced"]')!;
    expect(advanced.open).toBe(false);
    expect(advanced.querySelector('summary')?.textContent?.trim()).toBe('Advanced');
    const select = advanced.querySelector<HTMLSelectElement>('[data-testid="settings-api-version"]')!;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual(versions.map((v) => [v.value, v.label]));
    expect(select.value).toBe('');
    expect(advanced.textContent).toContain("HubSpot's date-based API is used by default; choose legacy only if HubSpot support asks you to.");

    select.value = 'legacy';
    select.dispatchEvent(new Event('change'));
    flushSync();
    const save = el.querySelector<HTMLButtonElement>('[data-testid="settings-save"]')!;
    expect(save.disabled).toBe(false);
    save.click();
    await vi.waitFor(() => expect(Save).toHaveBeenCalledTimes(1));
    expect(Save.mock.calls[0][0]).toMatchObject({ api_version: 'legacy', rate_per_10s: 100 });
  });

  it.each([
    { name: 'automatic', concurrency: 0, selected: '0', choose: '12', want: 12 },
    { name: 'a chosen number', concurrency: 6, selected: '6', choose: '0', want: 0 },
  ])('shows $name as the types fetched at once, and saves another choice as a number', async ({ concurrency, selected, choose, want }) => {
    const Save = vi.fn(async (s: unknown) => s);
    const el = await settingsScreen('/data/chosen.db', 'settings', false, { concurrency }, Save);
    const select = el.querySelector<HTMLSelectElement>('[data-testid="settings-concurrency"]')!;
    expect(select.options[0].textContent).toBe('Automatic (from the rate limit)');
    expect([...select.options].map((o) => o.value)).toEqual(['0', ...Array.from({ length: 16 }, (_, i) => String(i + 1))]);
    expect(select.value).toBe(selected);
    select.value = choose;
    select.dispatchEvent(new Event('change'));
    flushSync();
    el.querySelector<HTMLButtonElement>('[data-testid="settings-save"]')!.click();
    await vi.waitFor(() => expect(Save).toHaveBeenCalledTimes(1));
    expect((Save.mock.calls[0][0] as { concurrency: unknown }).concurrency).toBe(want);
  });

  it('offers the fastest plan by default, and saves fewest calls when chosen', async () => {
    const Save = vi.fn(async (s: unknown) => s);
    const el = await settingsScreen('/data/chosen.db', 'settings', false, {}, Save);
    const select = el.querySelector<HTMLSelectElement>('[data-testid="settings-economy"]')!;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', 'Fastest (recommended)'],
      ['calls', 'Fewest calls'],
    ]);
    expect(select.value).toBe('');
    select.value = 'calls';
    select.dispatchEvent(new Event('change'));
    flushSync();
    el.querySelector<HTMLButtonElement>('[data-testid="settings-save"]')!.click();
    await vi.waitFor(() => expect(Save).toHaveBeenCalledTimes(1));
    expect(Save.mock.calls[0][0]).toMatchObject({ economy: 'calls' });
  });

  it.each([
    { name: 'the default', version: '', selected: '', flagged: false, options: 2 },
    { name: 'legacy', version: 'legacy', selected: 'legacy', flagged: true, options: 2 },
    // A version the backend does not list (a hand-written file) is shown as it is rather than as a blank select.
    { name: 'an unlisted version', version: '2027-03', selected: '2027-03', flagged: true, options: 3 },
  ])('shows $name as the version in force, and says in the summary when it is not the default', async ({ version, selected, flagged, options }) => {
    const el = await settingsScreen('/data/chosen.db', 'settings', false, { api_version: version });
    const select = el.querySelector<HTMLSelectElement>('[data-testid="settings-api-version"]')!;
    expect(select.value).toBe(selected);
    expect(select.options.length).toBe(options);
    expect(el.querySelector('[data-testid="settings-advanced-flag"]') !== null).toBe(flagged);
    expect(el.querySelector<HTMLButtonElement>('[data-testid="settings-save"]')!.disabled).toBe(true);
  });
});
