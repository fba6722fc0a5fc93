import { describe, expect, it } from 'vitest';
import { sensitivityMark } from './sensitivity';

describe('sensitivityMark', () => {
  it.each([
    ['', null],
    ['non_sensitive', null],
    [undefined, null],
    ['something_new', null],
    ['sensitive', 'sensitive'],
    ['highly_sensitive', 'highly sensitive'],
  ])('%s → %s', (level, word) => {
    const m = sensitivityMark(level);
    expect(m?.word ?? null).toBe(word);
    if (m) expect(m.title).toContain('Include sensitive properties');
  });
});
