import { describe, expect, it } from 'vitest';
import { hashFor, homeScreen, screenFromHash, screens } from './screens';

describe('screens', () => {
  it('lists every screen once, in navigation order', () => {
    expect(screens.map((s) => s.label)).toEqual([
      'Welcome',
      'Extract',
      'Overview',
      'Run history',
      'Records',
      'Export',
      'Settings',
    ]);
    expect(new Set(screens.map((s) => s.id)).size).toBe(screens.length);
  });

  it('makes the home screen available', () => {
    expect(screens.find((s) => s.id === homeScreen)?.available).toBe(true);
  });
});

describe('screenFromHash', () => {
  it.each([
    ['', 'welcome'],
    ['#', 'welcome'],
    ['#/welcome', 'welcome'],
    ['#welcome', 'welcome'],
    ['#/nonsense', 'welcome'],
    ['#/records', 'records'],
    ['#/history', 'history'],
  ])('maps %j to %s', (hash, want) => {
    expect(screenFromHash(hash)).toBe(want);
  });

  it('round-trips every available screen through its hash', () => {
    for (const s of screens.filter((s) => s.available)) {
      expect(screenFromHash(hashFor(s.id))).toBe(s.id);
    }
  });
});
