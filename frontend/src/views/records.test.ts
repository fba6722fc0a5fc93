// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import Records from './Records.svelte';

let mounted: Record<string, unknown>[] = [];

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const columns = [
  { name: 'email', label: 'Email', default: true, sensitivity: '' },
  { name: 'health_notes', label: 'Health notes', default: true, sensitivity: 'sensitive' },
  { name: 'national_id_number', label: 'National ID number', default: false, sensitivity: 'highly_sensitive' },
  { name: '@updated', label: 'Last modified', default: true, sensitivity: '' },
];

describe('Records', () => {
  it('marks sensitive columns in the table and in the column chooser', async () => {
    const shown = columns.filter((c) => c.default);
    fakeBackend({
      RecordsService: {
        Types: async () => [{ type: 'contacts', label: 'Contacts', group: 'crm', rows: 1 }],
        Columns: async () => columns,
        Page: async () => ({ type: 'contacts', columns: shown, rows: [{ id: '1', title: 'Ada', cells: ['ada@example.com', 'Asthma', 'today'], archived: false }], next: null }),
      },
    });
    const target = document.createElement('div');
    document.body.appendChild(target);
    mounted.push(mount(Records, { target }));
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelectorAll('th')).toHaveLength(3);
    });
    const headers = [...target.querySelectorAll('th')].map((th) => [th.textContent, th.querySelector<HTMLElement>('[data-testid="sensitivity-badge"]')?.dataset.level ?? '']);
    expect(headers).toEqual([
      ['Email', ''],
      ['Health notessensitive', 'sensitive'],
      ['Last modified ↓', ''],
    ]);
    target.querySelector<HTMLButtonElement>('[data-testid="records-columns"]')!.click();
    flushSync();
    const chooser = target.querySelector('#column-chooser')!;
    const marked = [...chooser.querySelectorAll<HTMLElement>('[data-testid="sensitivity-badge"]')].map((b) => [b.closest('label')!.textContent!.trim(), b.title]);
    expect(marked).toHaveLength(2);
    expect(marked[0][0]).toContain('Health notes');
    expect(marked[1][0]).toContain('National ID number');
    expect(marked[1][1]).toContain('highly sensitive');
  });
});
