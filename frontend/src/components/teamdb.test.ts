// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import TeamDatabase from './TeamDatabase.svelte';

let mounted: Record<string, unknown>[] = [];

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const saved = { url: 'postgres://ann@db:5432/crm', schema: 'team', syncAfterRun: false, passwordSaved: true, passwordWhere: 'keychain', running: false };
const synced = { at: '2026-11-30T20:00:00Z', target: 'ann@db:5432/crm', schema: 'team', changes: 1200, rows: 1500, seconds: 2.5, error: '' };

/** The panel over a fake TeamDatabaseService, once loaded. */
async function panel(service: Record<string, (...args: unknown[]) => Promise<unknown>>) {
  const be = fakeBackend({ TeamDatabaseService: { Get: async () => saved, ...service } });
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(TeamDatabase, { target }));
  await vi.waitFor(() => {
    flushSync();
    expect(input(target, 'teamdb-url').value).toBe(saved.url);
  });
  return { target, be };
}

const input = (t: HTMLElement, id: string) => t.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
const button = (t: HTMLElement, id: string) => t.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)!;

function type(t: HTMLElement, id: string, value: string) {
  const el = input(t, id);
  el.value = value;
  el.dispatchEvent(new Event('input'));
  flushSync();
}

describe('TeamDatabase', () => {
  it('shows the saved URL, never a password, and says one is saved', async () => {
    const { target } = await panel({});
    expect(input(target, 'teamdb-password').value).toBe('');
    expect(input(target, 'teamdb-password').placeholder).toContain('Saved');
    expect(input(target, 'teamdb-schema').value).toBe('team');
    // Nothing changed: nothing to save.
    expect(button(target, 'teamdb-save').disabled).toBe(true);
  });

  it('tests what is typed, and shows the answer or the plain reason', async () => {
    const Test = vi
      .fn()
      .mockResolvedValueOnce('Connected to ann@db:5432/crm: schema "team" can be written.')
      .mockRejectedValueOnce('PostgreSQL at db:5432 refused user "ann": check the user name and password');
    const { target } = await panel({ Test });
    type(target, 'teamdb-password', 'pw');
    button(target, 'teamdb-test').click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="teamdb-notice"]')?.textContent).toContain('can be written');
    });
    expect(Test).toHaveBeenCalledWith({ url: saved.url, password: 'pw', schema: 'team', syncAfterRun: false });
    button(target, 'teamdb-test').click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[role="alert"]')?.textContent).toContain('refused user "ann"');
    });
  });

  it('saves the form, then forgets the password field', async () => {
    const Save = vi.fn(async (req: unknown) => ({ ...saved, syncAfterRun: (req as { syncAfterRun: boolean }).syncAfterRun }));
    const { target } = await panel({ Save });
    type(target, 'teamdb-password', 'new-pw');
    input(target, 'teamdb-after-run').click();
    flushSync();
    button(target, 'teamdb-save').click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="teamdb-notice"]')?.textContent).toBe('Saved.');
    });
    expect(Save).toHaveBeenCalledWith({ url: saved.url, password: 'new-pw', schema: 'team', syncAfterRun: true });
    expect(input(target, 'teamdb-password').value).toBe('');
    expect(input(target, 'teamdb-after-run').checked).toBe(true);
  });

  it('syncs now, with a summary', async () => {
    const { target } = await panel({ SyncNow: async () => synced });
    button(target, 'teamdb-sync').click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="teamdb-notice"]')?.textContent).toBe(
        'Synced 1,200 changes (1,500 rows) to ann@db:5432/crm, schema team, in 2.5 s.',
      );
    });
  });

  it('hears of a sync after an extraction, and shows how it ended', async () => {
    const { target, be } = await panel({});
    expect(target.querySelector('[data-testid="teamdb-last"]')).toBeNull();
    be.emit('teamdb:synced', { ...synced, error: 'lost the connection to the PostgreSQL server mid-sync' });
    flushSync();
    expect(target.querySelector('[data-testid="teamdb-last"]')?.textContent).toContain('lost the connection');
  });

  it('unsubscribes when it goes away', async () => {
    const { be } = await panel({});
    expect(be.listeners('teamdb:synced')).toBe(1);
    mounted.forEach((c) => unmount(c));
    mounted = [];
    expect(be.listeners('teamdb:synced')).toBe(0);
  });
});
