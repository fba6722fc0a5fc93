import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { SettingsStore } from './settings.svelte';

afterEach(() => vi.unstubAllGlobals());

const defaults = { rate_per_10s: 100, search_rate: 4, concurrency: 0, database_path: '', full_run_every_days: 7, source: 'hubspot', objects: null, api_version: '', economy: '' };
const versions = [
  { value: '', label: '2026-09 (current, recommended)' },
  { value: 'legacy', label: 'Legacy v3/v4 paths (for support cases)' },
];

describe('SettingsStore', () => {
  it('edits a draft, saves it, and keeps it on a refusal', async () => {
    const Save = vi.fn(async (s: unknown) => {
      if ((s as { concurrency: number }).concurrency > 16) throw 'invalid settings: the number of types fetched at once must be automatic or between 1 and 16, not 40';
      return s;
    });
    fakeBackend({ SettingsService: { Get: async () => ({ ...defaults }), APIVersions: async () => versions, Save } });
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
    expect(st.saved?.concurrency).toBe(0);
    st.revert();
    expect(st.draft?.concurrency).toBe(0);
    expect(st.error).toBeNull();
  });

  it.each([
    { name: 'the default', saved: '', choose: 'legacy', choices: ['', 'legacy'] },
    { name: 'legacy', saved: 'legacy', choose: '', choices: ['', 'legacy'] },
    { name: 'an unlisted version', saved: '2027-03', choose: '', choices: ['', 'legacy', '2027-03'] },
  ])('loads the API version choices with $name in force and saves another', async ({ saved, choose, choices }) => {
    const Save = vi.fn(async (s: unknown) => s);
    fakeBackend({ SettingsService: { Get: async () => ({ ...defaults, api_version: saved }), APIVersions: async () => versions, Save } });
    const st = new SettingsStore();
    await st.load();
    expect(st.error).toBeNull();
    expect(st.versionChoices.map((c) => c.value)).toEqual(choices);
    expect(st.nonDefaultVersion).toBe(saved !== '');
    st.draft!.api_version = choose;
    expect(st.dirty).toBe(true);
    expect(await st.save()).toBe(true);
    expect(Save.mock.calls[0][0]).toMatchObject({ api_version: choose });
    expect(st.nonDefaultVersion).toBe(choose !== '');
  });

  it('says why when the versions cannot be read', async () => {
    fakeBackend({ SettingsService: { Get: async () => ({ ...defaults }), APIVersions: async () => { throw 'the app is closing'; } } });
    const st = new SettingsStore();
    await st.load();
    expect(st.error).toMatch(/closing/);
  });

  it.each([
    { name: 'none saved (null)', saved: null, tick: ['deals', 'contacts'], want: ['contacts', 'deals'] },
    { name: 'one saved', saved: ['deals'], tick: ['notes'], want: ['deals', 'notes'] },
  ])('ticks property history per record type with $name, in the screen order, and saves it', async ({ saved, tick, want }) => {
    const Save = vi.fn(async (s: unknown) => s);
    const Types = async () => [
      { type: 'contacts', label: 'Contacts', group: 'crm', rows: 0 },
      { type: 'deals', label: 'Deals', group: 'crm', rows: 0 },
      { type: 'notes', label: 'Notes', group: 'engagements', rows: 0 },
      { type: 'forms', label: 'Forms', group: 'marketing', rows: 0 },
    ];
    fakeBackend({
      SettingsService: { Get: async () => ({ ...defaults, history_types: saved }), APIVersions: async () => versions, Save },
      RecordsService: { Types },
    });
    const st = new SettingsStore();
    await st.load();
    expect(st.recordTypes.map((t) => t.type)).toEqual(['contacts', 'deals', 'notes']);
    for (const t of tick) st.setHistory(t, true);
    expect(st.draft!.history_types).toEqual(want);
    expect(st.hasHistory(want[0])).toBe(true);
    expect(await st.save()).toBe(true);
    expect(Save.mock.calls[0][0]).toMatchObject({ history_types: want });
    st.setHistory(want[0], false);
    expect(st.draft!.history_types).toEqual(want.slice(1));
  });
});
