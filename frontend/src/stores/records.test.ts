import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferred, fakeBackend } from '../testing/backend';
import { RecordsStore } from './records.svelte';

afterEach(() => vi.unstubAllGlobals());

const columns = [
  { name: 'firstname', label: 'First Name', default: true },
  { name: 'jobtitle', label: 'Job Title', default: false },
  { name: '@updated', label: 'Last modified', default: true },
];

function page(ids: string[], next: string | null) {
  return {
    type: 'contacts',
    columns: [],
    rows: ids.map((id) => ({ id, title: `Contact ${id}`, cells: [], archived: false })),
    next: next ? { updatedAt: 1, id: next, undated: false } : null,
  };
}

function memory() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
}

function backend(Page: (q: unknown) => Promise<unknown>, Detail = vi.fn(async (type: unknown, id: unknown) => ({ type, id, title: `${type} ${id}` }))) {
  fakeBackend({
    RecordsService: {
      Types: async () => [
        { type: 'contacts', label: 'Contacts', group: 'crm', rows: 120 },
        { type: 'forms', label: 'Forms', group: 'marketing', rows: 3 },
      ],
      Columns: async () => columns,
      Page,
      Detail,
    },
  });
  return Detail;
}

describe('RecordsStore', () => {
  it('lists record types only and pages by cursor', async () => {
    const Page = vi.fn(async (q: unknown) => {
      const after = (q as { after?: { id: string } }).after;
      return after ? page(['51'], null) : page(['1', '2'], '2');
    });
    backend(Page);
    const r = new RecordsStore(memory());
    await r.load();
    expect(r.types.map((t) => t.type)).toEqual(['contacts']);
    // The first page has no cursor: the request leaves "after" out (nil in Go).
    expect(Page).toHaveBeenLastCalledWith({ type: 'contacts', search: '', columns: ['firstname', '@updated'], limit: 50 });
    expect(JSON.stringify(Page.mock.lastCall![0])).not.toContain('after');
    await r.next();
    expect(Page).toHaveBeenLastCalledWith(expect.objectContaining({ after: { updatedAt: 1, id: '2', undated: false } }));
    expect(r.page?.rows.map((x) => x.id)).toEqual(['51']);
    await r.previous();
    expect(Page).toHaveBeenLastCalledWith(expect.objectContaining({ after: undefined }));
  });

  it('keeps the newest search result when answers arrive out of order', async () => {
    const slow = deferred<unknown>();
    const Page = vi.fn(async (q: unknown) => ((q as { search: string }).search === 'ad' ? slow.promise : page(['9'], null)));
    backend(Page);
    const r = new RecordsStore(memory());
    await r.load();
    const first = r.setSearch('ad');
    await r.setSearch('ada');
    slow.resolve(page(['1'], null));
    await first;
    expect(r.page?.rows.map((x) => x.id)).toEqual(['9']);
  });

  it('remembers the chosen columns per type', async () => {
    const Page = vi.fn(async () => page([], null));
    backend(Page);
    const storage = memory();
    const r = new RecordsStore(storage);
    await r.load();
    await r.toggleColumn('jobtitle');
    expect(r.columns).toEqual(['firstname', 'jobtitle', '@updated']);
    const again = new RecordsStore(storage);
    await again.load();
    expect(again.columns).toEqual(['firstname', 'jobtitle', '@updated']);
  });

  it('opens linked records with a trail back', async () => {
    backend(vi.fn(async () => page([], null)));
    const r = new RecordsStore(memory());
    await r.open('notes', '7');
    await r.open('contacts', '3');
    expect(r.detail?.id).toBe('3');
    expect(r.trail).toEqual([{ type: 'notes', id: '7' }]);
    await r.backInTrail();
    expect(r.detail?.id).toBe('7');
    expect(r.trail).toEqual([]);
    r.close();
    expect(r.detail).toBeNull();
  });
});
