import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { AccountsStore } from './accounts.svelte';

afterEach(() => vi.unstubAllGlobals());

const acct = (id: number, name: string, current: boolean, schedule: object = { kind: 'off' }) => ({
  id, name, label: `${name} (${id})`, database: `/db/${id}.db`, current, schedule, scheduleText: 'off', jobInstalled: false, jobKind: 'crontab',
});

// A backend with two accounts that remembers which is current.
function twoAccounts() {
  let current = 1;
  const calls: string[] = [];
  const list = () => ({ list: [acct(1, 'Acme', current === 1), acct(2, 'Sandbox', current === 2)], sample: false });
  const backend = fakeBackend({
    AccountsService: {
      List: async () => list(),
      Switch: async (id) => {
        if (id === 3) throw 'no account "3"';
        calls.push(`switch ${id}`);
        current = id as number;
        return {};
      },
      Remove: async (id, del) => {
        calls.push(`remove ${id} ${del}`);
        return {};
      },
      SetSchedule: async (id, spec) => ({ ...acct(id as number, 'Acme', true, spec as object), scheduleText: 'every 6 hours' }),
    },
  });
  return { backend, calls };
}

describe('AccountsStore', () => {
  it('switches accounts, bumping the epoch the screens remount under', async () => {
    const { calls } = twoAccounts();
    const s = new AccountsStore();
    await s.load();
    expect(s.current?.name).toBe('Acme');
    expect(await s.switchTo(2)).toBe(true);
    expect(s.current?.name).toBe('Sandbox');
    expect(s.epoch).toBe(1);
    expect(await s.switchTo(3)).toBe(false);
    expect(s.error).toMatch(/no account "3"/);
    expect(s.epoch).toBe(1);
    expect(calls).toEqual(['switch 2']);
  });

  it('removes an account, keeping or deleting its file as asked', async () => {
    const { calls } = twoAccounts();
    const s = new AccountsStore();
    await s.remove(2, false);
    await s.remove(1, true);
    expect(calls).toEqual(['remove 2 false', 'remove 1 true']);
  });

  it('saves a schedule and hears of failed scheduled refreshes', async () => {
    const { backend } = twoAccounts();
    const s = new AccountsStore();
    await s.load();
    expect(await s.setSchedule(1, { kind: 'hours', every_hours: 6, when_closed: true })).toBe(true);
    expect(s.current?.schedule).toEqual({ kind: 'hours', every_hours: 6, when_closed: true });
    expect(s.current?.scheduleText).toBe('every 6 hours');
    const off = s.listen();
    backend.emit('refresh:failed', { account: 'Acme (1)', message: 'The scheduled refresh failed: no key' });
    expect(s.failure?.message).toMatch(/no key/);
    off();
    expect(backend.listeners('refresh:failed')).toBe(0);
  });
});
