import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { ConnectionStore } from './connection.svelte';

afterEach(() => vi.unstubAllGlobals());

const status = (p: object) => ({ source: 'hubspot', connected: false, token: { saved: false, where: '', less_protected: false }, database: { path: '/db', exists: false, bytes: 0 }, settingsWarning: '', extracting: false, exporting: false, ...p });

describe('ConnectionStore', () => {
  it('tests a key and reloads the status', async () => {
    let saved = false;
    fakeBackend({
      ConnectionService: {
        Status: async () => status({ connected: saved }),
        Test: async (token) => {
          saved = token === 'good';
          return { ok: saved, message: saved ? 'Connected.' : 'HubSpot did not accept this key.', scopes: [], missing: [] };
        },
      },
    });
    const c = new ConnectionStore();
    await c.load();
    expect(c.connected).toBe(false);
    await c.test('bad');
    expect(c.result?.ok).toBe(false);
    expect(c.connected).toBe(false);
    await c.test('good');
    expect(c.result?.message).toBe('Connected.');
    expect(c.connected).toBe(true);
  });

  it('switches to the sample data and reports a failure in words', async () => {
    fakeBackend({
      ConnectionService: {
        UseSampleData: async () => status({ source: 'sample', connected: true }),
        LeaveSampleData: () => Promise.reject('an extraction or an export is running: wait until it ends or cancel it first'),
      },
    });
    const c = new ConnectionStore();
    expect(await c.useSample()).toBe(true);
    expect(c.sample).toBe(true);
    await c.leaveSample();
    expect(c.error).toMatch(/an extraction or an export is running/);
    expect(c.sample).toBe(true);
    expect(c.busy).toBe(false);
  });
});
