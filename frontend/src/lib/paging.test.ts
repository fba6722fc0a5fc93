import { describe, expect, it } from 'vitest';
import type { Cursor } from '../api';
import { back, current, firstPage, forward, pageNumber } from './paging';

const c = (id: string): Cursor => ({ updatedAt: 1, id, undated: false }) as Cursor;

describe('pager', () => {
  it('starts at the first page with no cursor', () => {
    expect(current(firstPage)).toBeNull();
    expect(pageNumber(firstPage)).toBe(1);
  });

  it('goes forward and back through the cursors seen', () => {
    let p = forward(firstPage, c('a'));
    p = forward(p, c('b'));
    expect(current(p)?.id).toBe('b');
    expect(pageNumber(p)).toBe(3);
    p = back(p);
    expect(current(p)?.id).toBe('a');
    p = back(back(p));
    expect(current(p)).toBeNull();
    expect(pageNumber(p)).toBe(1);
  });

  it('forgets the pages after the current one when going a new way', () => {
    let p = forward(forward(firstPage, c('a')), c('b'));
    p = forward(back(p), c('x'));
    expect(p.cursors.map((x) => x?.id ?? null)).toEqual([null, 'a', 'x']);
  });
});
