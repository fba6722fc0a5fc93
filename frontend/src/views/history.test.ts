// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { connection } from '../stores/connection.svelte';
import { history } from '../stores/history.svelte';
import History from './History.svelte';

let mounted: Record<string, unknown>[] = [];

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
  connection.status = null;
  history.open = null;
  history.runs = [];
  vi.unstubAllGlobals();
});

const logFile = '/home/me/.config/hubextract/hubextract.log';

const run = {
  id: 7, startedAt: '2026-11-30T10:00:00Z', finishedAt: '2026-11-30T10:01:00Z', seconds: 60, status: 'failed', mode: 'full',
  records: 10, apiCalls: 12, retries: 3, error: 'HubSpot refused a request (status 400): please send the log file to support so we can fix it.',
  streams: [], warnings: [],
};

const status = {
  source: 'hubspot', connected: true, token: { saved: true, where: 'keychain', less_protected: false },
  database: { path: '/db', origin: 'default', exists: true, bytes: 1 }, userDatabase: { path: '/db', origin: 'default', exists: true, bytes: 1 },
  settingsWarning: '', extracting: false, exporting: false, logFile,
};

describe('History', () => {
  it("names the log file in a run's details, loading the status when nothing has yet", async () => {
    const statusCalls = vi.fn(async () => status);
    fakeBackend({
      RunsService: { List: async () => [run], Get: async () => run },
      ConnectionService: { Status: statusCalls },
    });
    const target = document.createElement('div');
    document.body.appendChild(target);
    mounted.push(mount(History, { target }));
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="history-row"]')).not.toBeNull();
    });
    expect(statusCalls).toHaveBeenCalled();
    // Closed: no details, no line.
    expect(target.querySelector('[data-testid="history-log-file"]')).toBeNull();
    target.querySelector<HTMLElement>('[data-testid="history-row"]')!.click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="history-log-file"]')).not.toBeNull();
    });
    const line = target.querySelector('[data-testid="history-log-file"]')!;
    expect(line.textContent?.replace(/\s+/g, ' ').trim()).toBe(`Details are in the log file: ${logFile}`);
    expect(line.closest('[data-testid="history-detail"]')).not.toBeNull();
  });

  it('shows no line when the status does not name a log file', async () => {
    fakeBackend({
      RunsService: { List: async () => [run], Get: async () => run },
      ConnectionService: { Status: async () => ({ ...status, logFile: '' }) },
    });
    const target = document.createElement('div');
    document.body.appendChild(target);
    mounted.push(mount(History, { target }));
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="history-row"]')).not.toBeNull();
    });
    target.querySelector<HTMLElement>('[data-testid="history-row"]')!.click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="history-detail"]')).not.toBeNull();
    });
    expect(target.querySelector('[data-testid="history-log-file"]')).toBeNull();
  });
});

const msg =
  'The extraction stopped unexpectedly (the program running it was closed, killed or crashed); the next extraction of the same types resumes where it stopped.';

const runOf = (id: number, status: string, streamStatus: string, error = '') => ({
  id, startedAt: '2026-11-30T10:00:00Z', finishedAt: '2026-11-30T10:01:00Z', seconds: 60, status, mode: 'full',
  records: 10, apiCalls: 12, retries: 0, error, warnings: [],
  streams: [{ stream: 'contacts', label: 'Contacts', status: streamStatus, records: 10, failed: 0, apiCalls: 12, pages: 1,
    retries: 0, seconds: 60, hubspotTotal: -1, error: '' }],
});

describe('History: how a run ended', () => {
  it.each([
    ['interrupted', 'interrupted', 'cancelled', /stopped unexpectedly.*resumes it/],
    ['succeeded', 'succeeded', 'succeeded', /Every type/],
    ['failed', 'failed', 'failed', /failed/],
    ['cancelled', 'skipped', 'cancelled', /resumes it/],
  ])('a %s run reads so, with a badge that says what it means', async (status, streamStatus, badge, title) => {
    const run = runOf(3, status, streamStatus, status === 'interrupted' ? msg : '');
    fakeBackend({
      RunsService: { List: async () => [run], Get: async () => run },
      ConnectionService: { Status: async () => null },
    });
    const target = document.createElement('div');
    document.body.appendChild(target);
    mounted.push(mount(History, { target }));
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="history-row"]')).not.toBeNull();
    });
    const b = target.querySelector<HTMLElement>('[data-testid="history-status"]')!;
    expect(b.textContent).toBe(status);
    expect(b.classList.contains(badge)).toBe(true);
    expect(b.title).toMatch(title);
    target.querySelector<HTMLElement>('[data-testid="history-row"]')!.click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="history-detail"]')).not.toBeNull();
    });
    const detail = target.querySelector('[data-testid="history-detail"]')!;
    if (status === 'interrupted') expect(detail.querySelector('.error')?.textContent).toBe(msg);
    const streamBadge = detail.querySelector<HTMLElement>('.badge')!;
    expect(streamBadge.textContent).toBe(streamStatus);
    expect(streamBadge.className).not.toMatch(/\binterrupted\b|\bskipped\b/);
  });
});
