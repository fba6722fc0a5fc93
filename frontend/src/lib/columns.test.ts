import { describe, expect, it } from 'vitest';
import type { Column } from '../api';
import { chosenColumns, rememberColumns, toggleColumn, type KeyValueStore } from './columns';

const available = [
  { name: 'dealname', label: 'Deal Name', default: true },
  { name: 'amount', label: 'Amount', default: true },
  { name: 'closed_lost_reason', label: 'Closed Lost Reason', default: false },
  { name: '@updated', label: 'Last modified', default: true },
] as Column[];

function memory(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('chosenColumns', () => {
  it('gives the defaults when nothing is remembered', () => {
    expect(chosenColumns('deals', available, memory())).toEqual(['dealname', 'amount', '@updated']);
    expect(chosenColumns('deals', available, null)).toEqual(['dealname', 'amount', '@updated']);
  });

  it('drops remembered columns the type no longer has', () => {
    const store = memory();
    store.setItem('hubextract.columns.deals', JSON.stringify(['gone', 'closed_lost_reason']));
    expect(chosenColumns('deals', available, store)).toEqual(['closed_lost_reason']);
  });

  it('survives garbage in the storage', () => {
    const store = memory();
    store.setItem('hubextract.columns.deals', '{not json');
    expect(chosenColumns('deals', available, store)).toEqual(['dealname', 'amount', '@updated']);
  });
});

describe('rememberColumns', () => {
  it('stores a choice and forgets the defaults', () => {
    const store = memory();
    rememberColumns('deals', ['amount'], available, store);
    expect(chosenColumns('deals', available, store)).toEqual(['amount']);
    rememberColumns('deals', ['dealname', 'amount', '@updated'], available, store);
    expect(store.data.size).toBe(0);
  });
});

describe('toggleColumn', () => {
  it('adds in the chooser order and removes', () => {
    expect(toggleColumn(['dealname', '@updated'], 'closed_lost_reason', available)).toEqual([
      'dealname',
      'closed_lost_reason',
      '@updated',
    ]);
    expect(toggleColumn(['dealname', '@updated'], 'dealname', available)).toEqual(['@updated']);
  });

  it('keeps the last column', () => {
    expect(toggleColumn(['amount'], 'amount', available)).toEqual(['amount']);
  });
});
