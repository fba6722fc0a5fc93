import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferred, fakeBackend } from '../testing/backend';
import { ExtractStore } from './extract.svelte';

afterEach(() => vi.unstubAllGlobals());

const groups = [
  { id: 'crm', label: 'CRM objects', types: [
    { type: 'contacts', label: 'Contacts', stored: 5, lastRun: 5, selected: true },
    { type: 'deals', label: 'Deals', stored: 0, lastRun: -1, selected: false },
  ] },
  { id: 'engagements', label: 'Engagements', types: [{ type: 'notes', label: 'Notes', stored: 0, lastRun: -1, selected: true }] },
];

const idle = { running: false, update: { streams: [], overall: null, logs: [] }, summary: null, error: '' };

function update(records: number, logs: string[] = [], final = false) {
  return {
    streams: [{ stream: 'contacts', label: 'Contacts', phase: final ? 'done' : 'records', records, total: 10, calls: 1, rate: 1, etaSeconds: 5, percent: records * 10, final }],
    overall: { records, total: 10, calls: 1, percent: records * 10, etaSeconds: 5, done: final ? 1 : 0, streams: 1 },
    logs: logs.map((message) => ({ time: '2025-03-10T10:00:00Z', stream: 'contacts', level: 'warn', message })),
  };
}

function backend(start: (req: unknown) => Promise<unknown>, extra: Record<string, (...a: unknown[]) => Promise<unknown>> = {}) {
  return fakeBackend({
    ExtractService: {
      Groups: async () => groups,
      Snapshot: async () => idle,
      ResumeOffer: async () => null,
      Estimate: async (objects) => ({ calls: (objects as string[]).length * 4, seconds: 1, ratePer10s: 100, types: [], complete: true }),
      Start: start,
      Cancel: async () => true,
      ...extra,
    },
  });
}

describe('ExtractStore', () => {
  it('ends on the final state even when the last progress event comes after the result', async () => {
    const final = { running: false, update: update(10, ['done'], true), summary: { status: 'succeeded' }, error: '' };
    let be: ReturnType<typeof backend>;
    // The run returns having sent only a 50% update: the 100% one is late.
    be = backend(async () => {
      be.emit('extract:progress', update(5));
      return { status: 'succeeded' };
    }, { Snapshot: async () => final });
    const x = new ExtractStore();
    await x.load();
    await x.start();
    expect(x.streams[0].percent).toBe(100);
    expect(x.overall?.percent).toBe(100);
  });

  it('loads the groups with the last selection, and toggles types and groups in screen order', async () => {
    backend(async () => ({}));
    const x = new ExtractStore();
    await x.load();
    expect(x.selected).toEqual(['contacts', 'notes']);
    x.toggle('deals');
    expect(x.selected).toEqual(['contacts', 'deals', 'notes']);
    x.setGroup('crm', false);
    expect(x.selected).toEqual(['notes']);
    x.setGroup('crm', true);
    expect(x.selected).toEqual(['contacts', 'deals', 'notes']);
  });

  it('leaves an unavailable type unticked and out of "All", and asks for the default when that is the selection', async () => {
    const withTickets = [
      { id: 'crm', label: 'CRM objects', types: [
        { type: 'contacts', label: 'Contacts', stored: 5, lastRun: 5, selected: true, unavailable: false, scope: '' },
        { type: 'tickets', label: 'Tickets', stored: 0, lastRun: 0, selected: false, unavailable: true, scope: 'tickets' },
      ] },
    ];
    const Start = vi.fn(async () => ({ status: 'succeeded' }));
    backend(Start, { Groups: async () => withTickets });
    const x = new ExtractStore();
    await x.load();
    expect(x.unavailable('tickets')).toBe('tickets');
    expect(x.unavailable('contacts')).toBeNull();
    expect(x.selected).toEqual(['contacts']);
    expect(x.isDefault).toBe(true);
    x.setGroup('crm', false);
    x.setGroup('crm', true);
    expect(x.selected).toEqual(['contacts']);
    await x.start();
    // "Everything": the app leaves out what the key cannot read.
    expect(Start).toHaveBeenLastCalledWith({ objects: [], fresh: false, full: false });
    // Ticked by hand, it is tried again: an explicit selection.
    x.toggle('tickets');
    expect(x.isDefault).toBe(false);
    await x.start();
    expect(Start).toHaveBeenLastCalledWith({ objects: ['contacts', 'tickets'], fresh: false, full: false });
    expect(x.selected).toEqual(['contacts', 'tickets']);
  });

  it('ticks a custom object a run found, when everything was ticked, and leaves a chosen selection alone', async () => {
    const before = [{ id: 'crm', label: 'CRM objects', types: [
      { type: 'contacts', label: 'Contacts', stored: 5, lastRun: 5, selected: true, unavailable: false, scope: '' },
    ] }];
    const after = [...before, { id: 'custom', label: 'Custom objects', types: [
      { type: 'p1_projects', label: 'Projects', stored: 3, lastRun: 3, selected: true, unavailable: false, scope: '' },
    ] }];
    let now = before;
    backend(async () => ({}), { Groups: async () => now });
    const x = new ExtractStore();
    await x.load();
    expect(x.selected).toEqual(['contacts']);
    now = after;
    await x.load();
    expect(x.selected).toEqual(['contacts', 'p1_projects']);

    const chosen = new ExtractStore();
    now = [...before, { id: 'crm2', label: 'More', types: [{ type: 'deals', label: 'Deals', stored: 0, lastRun: -1, selected: false, unavailable: false, scope: '' }] }];
    await chosen.load();
    expect(chosen.isDefault).toBe(false);
    now = after;
    await chosen.load();
    expect(chosen.selected).toEqual(['contacts']);
  });

  it('unticks a type the run just found unavailable', async () => {
    let found = false;
    const groupsNow = () => [
      { id: 'crm', label: 'CRM objects', types: [
        { type: 'contacts', label: 'Contacts', stored: 5, lastRun: 5, selected: true, unavailable: false, scope: '' },
        { type: 'tickets', label: 'Tickets', stored: 0, lastRun: 0, selected: !found, unavailable: found, scope: found ? 'tickets' : '' },
      ] },
    ];
    backend(async () => {
      found = true;
      return { status: 'succeeded' };
    }, { Groups: async () => groupsNow() });
    const x = new ExtractStore();
    await x.load();
    expect(x.selected).toEqual(['contacts', 'tickets']);
    await x.start();
    expect(x.selected).toEqual(['contacts']);
    expect(x.unavailable('tickets')).toBe('tickets');
  });

  it('estimates the selection, and nothing for an empty one', async () => {
    backend(async () => ({}));
    const x = new ExtractStore();
    await x.load();
    await x.refreshEstimate();
    expect(x.estimate?.calls).toBe(8);
    x.setGroup('crm', false);
    x.toggle('notes');
    await x.refreshEstimate();
    expect(x.estimate).toBeNull();
  });

  it('subscribes before the call, applies updates, returns the summary and unsubscribes', async () => {
    const done = deferred<unknown>();
    const Start = vi.fn(() => done.promise);
    const be = backend(Start);
    const x = new ExtractStore();
    await x.load();
    const run = x.start();
    expect(be.listeners('extract:progress')).toBe(1);
    expect(Start).toHaveBeenCalledWith({ objects: ['contacts', 'notes'], fresh: false, full: false });
    expect(x.running).toBe(true);

    be.emit('extract:progress', update(3, ['retrying']));
    be.emit('extract:progress', update(7, ['retrying again']));
    expect(x.streams[0].records).toBe(7);
    expect(x.overall?.percent).toBe(70);
    expect(x.logs.map((l) => l.message)).toEqual(['retrying', 'retrying again']);

    done.resolve({ run: { id: 1, status: 'succeeded', streams: [], warnings: [] }, minimumCalls: 0, resumedFrom: 0, reconciliation: [] });
    await run;
    expect(x.running).toBe(false);
    expect(x.summary?.run.status).toBe('succeeded');
    expect(be.listeners('extract:progress')).toBe(0);
  });

  it('unsubscribes and reports the error when the run cannot start', async () => {
    const be = backend(() => Promise.reject('not connected to HubSpot: connect with a key or try the sample data first'));
    const x = new ExtractStore();
    await x.load();
    await x.start();
    expect(x.error).toMatch(/not connected/);
    expect(x.running).toBe(false);
    expect(be.listeners('extract:progress')).toBe(0);
  });

  it('cancels through the backend and resumes the offered selection', async () => {
    const done = deferred<unknown>();
    const Cancel = vi.fn(async () => {
      done.resolve({ run: { id: 1, status: 'cancelled', streams: [], warnings: [] }, minimumCalls: 0, resumedFrom: 0, reconciliation: [] });
      return true;
    });
    const Start = vi.fn()
      .mockImplementationOnce(() => done.promise)
      .mockImplementationOnce(async () => ({ run: { id: 2, status: 'succeeded', streams: [], warnings: [] }, minimumCalls: 0, resumedFrom: 1, reconciliation: [] }));
    backend(Start, {
      Cancel,
      ResumeOffer: async () => ({ runId: 1, startedAt: '', status: 'cancelled', objects: ['deals'], records: 3, crashed: false }),
    });
    const x = new ExtractStore();
    await x.load();
    const run = x.start();
    const cancelling = x.cancel();
    expect(x.cancelling).toBe(true);
    await cancelling;
    await run;
    expect(x.cancelling).toBe(false);
    expect(Cancel).toHaveBeenCalledOnce();
    expect(x.summary?.run.status).toBe('cancelled');
    expect(x.resume?.objects).toEqual(['deals']);

    await x.start({ resume: true });
    expect(Start).toHaveBeenLastCalledWith({ objects: ['deals'], fresh: false, full: false });
    expect(x.summary?.resumedFrom).toBe(1);
  });

  it('follows a run already going when the page opens, and ends on "extract:ended" without polling', async () => {
    vi.useFakeTimers();
    try {
      const running = { running: true, update: update(2), summary: null, error: '' };
      const Snapshot = vi.fn(async () => running);
      const Groups = vi.fn(async () => groups);
      const be = backend(async () => ({}), { Snapshot, Groups });
      const x = new ExtractStore();
      await x.load();
      await vi.waitFor(() => expect(Snapshot).toHaveBeenCalledTimes(2));
      expect(x.running).toBe(true);
      expect(x.streams[0].records).toBe(2);
      expect(be.listeners('extract:progress')).toBe(1);
      expect(be.listeners('extract:ended')).toBe(1);
      // No timer asks the Go side how the run is going.
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(Snapshot).toHaveBeenCalledTimes(2);

      be.emit('extract:progress', update(6, ['slow down']));
      expect(x.streams[0].records).toBe(6);
      const summary = { run: { id: 3, status: 'succeeded', streams: [], warnings: [] }, minimumCalls: 0, resumedFrom: 0, reconciliation: [] };
      be.emit('extract:ended', { running: false, update: update(10, ['done'], true), summary, error: '' });
      expect(x.running).toBe(false);
      expect(x.summary?.run.id).toBe(3);
      expect(x.error).toBeNull();
      expect(x.streams[0].percent).toBe(100);
      expect(x.logs.map((l) => l.message)).toEqual(['done']);
      expect(be.listeners('extract:progress')).toBe(0);
      expect(be.listeners('extract:ended')).toBe(0);
      // The end refreshes what the screen offers next.
      await vi.waitFor(() => expect(Groups).toHaveBeenCalledTimes(2));
      expect(Snapshot).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports the error an attached run ended with', async () => {
    const running = { running: true, update: update(2), summary: null, error: '' };
    const be = backend(async () => ({}), { Snapshot: async () => running });
    const x = new ExtractStore();
    await x.load();
    be.emit('extract:ended', { running: false, update: update(2), summary: null, error: 'extraction: HubSpot refused the key' });
    expect(x.running).toBe(false);
    expect(x.summary).toBeNull();
    expect(x.error).toBe('extraction: HubSpot refused the key');
  });

  it('ends an attached run that ended before the page subscribed', async () => {
    const running = { running: true, update: update(2), summary: null, error: '' };
    const summary = { run: { id: 4, status: 'cancelled', streams: [], warnings: [] }, minimumCalls: 0, resumedFrom: 0, reconciliation: [] };
    const ended = { running: false, update: update(5, [], true), summary, error: '' };
    const Snapshot = vi.fn().mockResolvedValueOnce(running).mockResolvedValue(ended);
    const be = backend(async () => ({}), { Snapshot });
    const x = new ExtractStore();
    await x.load();
    await vi.waitFor(() => expect(x.running).toBe(false));
    expect(x.summary?.run.status).toBe('cancelled');
    expect(be.listeners('extract:ended')).toBe(0);
    expect(be.listeners('extract:progress')).toBe(0);
  });

  it('refuses to start with nothing selected', async () => {
    const Start = vi.fn();
    backend(Start);
    const x = new ExtractStore();
    await x.load();
    x.setGroup('crm', false);
    x.setGroup('engagements', false);
    await x.start();
    expect(Start).not.toHaveBeenCalled();
    expect(x.error).toMatch(/at least one type/);
  });
});
