import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { SettingsStore } from './settings.svelte';

afterEach(() => vi.unstubAllGlobals());

const defaults = { rate_per_10s: 100, search_rate: 4, concurrency: 6, database_path: '', full_run_every_days: 7, source: 'hubspot', objects: null };

describe('SettingsStore', () => {
  it('edits a draft, saves it, and keeps it on a refusal', async () => {
    const Save = vi.fn(async (s: unknown) => {
      if ((s as { concurrency: number }).concurrency > 16) throw 'invalid settings: the number of types fetched at once must be between 1 and 16, not 40';
      return s;
    });
    fakeBackend({ SettingsService: { Get: async () => ({ ...defaults }), Save } });
    const st = new SettingsStore();
    await st.load();
    expect(st.dirty).toBe(false);
    st.draft!.rate_per_10s = 190;
    expect(st.dirty).toBe(true);
    expect(await st.save()).toBe(true);
    expect(st.saved?.rate_per_10s).toBe(190);
    expect(st.notice).toBe('Saved.');

    st.draft!.concurrency = 40;
    expect(await st.save()).toBe(false);
    expect(st.error).toMatch(/between 1 and 16/);
    expect(st.saved?.concurrency).toBe(6);
    st.revert();
    expect(st.draft?.concurrency).toBe(6);
    expect(st.error).toBeNull();
  });
});
