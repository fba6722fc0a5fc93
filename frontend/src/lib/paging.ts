// Keyset paging for the record table: the cursor of every page seen so far,
// so Previous goes back without OFFSET and Next continues from the last row.
import type { Cursor } from '../api';

export interface Pager {
  /** cursors[i] starts page i; null starts the first page. */
  readonly cursors: readonly (Cursor | null)[];
  readonly index: number;
}

export const firstPage: Pager = { cursors: [null], index: 0 };

/** The cursor the current page starts at. */
export function current(p: Pager): Cursor | null {
  return p.cursors[p.index] ?? null;
}

/** Moves to the next page, which starts at next (the page's Next cursor). */
export function forward(p: Pager, next: Cursor): Pager {
  const cursors = p.cursors.slice(0, p.index + 1);
  cursors.push(next);
  return { cursors, index: p.index + 1 };
}

/** Moves back one page (stays on the first). */
export function back(p: Pager): Pager {
  return { cursors: p.cursors, index: Math.max(0, p.index - 1) };
}

/** The number of the current page, counting from 1. */
export function pageNumber(p: Pager): number {
  return p.index + 1;
}
