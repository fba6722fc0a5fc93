// @vitest-environment jsdom
import { flushSync, mount, tick, unmount, type Component } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { accounts } from '../stores/accounts.svelte';
import AccountSwitcher from './AccountSwitcher.svelte';
import AutoRefresh from './AutoRefresh.svelte';
import History from '../views/History.svelte';
import { history } from '../stores/history.svelte';

let mounted: Record<string, unknown>[] = [];

function render(component: Component) {
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(component, { target }));
  flushSync();
  return target;
}

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const acct = (id: number, name: string, current: boolean, schedule: object = { kind: 'off' }) => ({
  id, name, label: `${name} (${id})`, database: `/db/${id}.db`, current, schedule, scheduleText: 'off', jobInstalled: false, jobKind: 'crontab',
});

async function settle() {
  for (let i = 0; i < 5; i++) {
    await tick();
    await Promise.resolve();
  }
  flushSync();
}

describe('AccountSwitcher', () => {
  it('shows each account by name and id, the sample data apart, and switches', async () => {
    let current = 1;
    const switched: unknown[] = [];
    fakeBackend({
      AccountsService: {
        List: async () => ({ list: [acct(1, 'Acme', current === 1), acct(2, 'Sandbox', current === 2)], sample: false }),
        Switch: async (id) => {
          switched.push(id);
          current = id as number;
          return {};
        },
      },
      ConnectionService: { Status: async () => ({ source: 'hubspot', connected: true }) },
    });
    await accounts.load();
    const el = render(AccountSwitcher);
    await settle();
    const select = el.querySelector<HTMLSelectElement>('[data-testid="account-switcher"]')!;
    const options = [...select.options].map((o) => o.textContent?.trim());
    expect(options).toEqual(['Acme · 1', 'Sandbox · 2', 'Sample data (invented records)', 'Add an account…']);
    expect(select.value).toBe('1');
    select.value = '2';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(switched).toEqual([2]);
    expect(accounts.current?.name).toBe('Sandbox');
  });
});

describe('AutoRefresh', () => {
  it('saves the current account’s schedule, also when the app is closed', async () => {
    const saved: unknown[] = [];
    fakeBackend({
      AccountsService: {
        List: async () => ({ list: [acct(7, 'Acme', true)], sample: false }),
        SetSchedule: async (id, spec) => {
          saved.push([id, spec]);
          return { ...acct(7, 'Acme', true, spec as object), scheduleText: 'daily at 07:00, also when the app is closed' };
        },
      },
    });
    const el = render(AutoRefresh);
    await settle();
    el.querySelector<HTMLInputElement>('[data-testid="refresh-daily"]')!.click();
    flushSync();
    el.querySelector<HTMLInputElement>('[data-testid="refresh-when-closed"]')!.click();
    flushSync();
    el.querySelector<HTMLFormElement>('[data-testid="auto-refresh"]')!.requestSubmit();
    await settle();
    expect(saved).toEqual([[7, { kind: 'daily', at: '07:00', when_closed: true }]]);
    expect(el.querySelector('[data-testid="refresh-notice"]')?.textContent).toBe('Saved.');
  });
});

describe('History', () => {
  it('marks scheduled runs and lists the slots skipped because another extraction ran', async () => {
    const run = (id: number, trigger: string) => ({
      id, startedAt: '2026-11-30T10:00:00Z', finishedAt: '2026-11-30T10:01:00Z', seconds: 60, status: 'succeeded', mode: 'incremental',
      trigger, records: 1, apiCalls: 2, retries: 0, error: '', streams: [], warnings: [],
    });
    fakeBackend({
      RunsService: {
        List: async () => [run(2, 'scheduled'), run(1, 'manual')],
        Skipped: async () => [{ at: '2026-11-30T12:00:00Z', reason: 'another extraction is already running on this database' }],
      },
      ConnectionService: { Status: async () => ({ source: 'hubspot', connected: true }) },
    });
    const el = render(History);
    await settle();
    const rows = [...el.querySelectorAll('[data-testid="history-row"]')];
    expect(rows.map((r) => r.querySelector('[data-testid="history-scheduled"]') !== null)).toEqual([true, false]);
    expect(el.querySelector('[data-testid="history-skipped"]')?.textContent).toMatch(/skipped — another extraction is already running/);
    history.runs = [];
    history.skipped = [];
  });
});
