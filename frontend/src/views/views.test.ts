// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { connection } from '../stores/connection.svelte';
import Settings from './Settings.svelte';

let mounted: Record<string, unknown>[] = [];

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const saved = { rate_per_10s: 100, search_rate: 4, concurrency: 6, database_path: '/data/chosen.db', full_run_every_days: 7, source: 'hubspot', objects: null };

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
async function settingsScreen(path: string, origin: string, sample = false) {
  fakeBackend({
    SettingsService: { Get: async () => ({ ...saved }) },
    ConnectionService: { Status: async () => status(path, origin, sample) },
  });
  await connection.load();
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
});
