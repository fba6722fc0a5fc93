import { describe, expect, it } from 'vitest';
import { clampPercent, formatBytes, formatCount, formatDuration, formatETA, formatTime, formatValue, plural, statusBadge, statusTitle } from './format';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1234567, '1,234,567'],
    [-1, '—'],
  ])('%d → %s', (n, want) => expect(formatCount(n)).toBe(want));

  it('says one or many', () => {
    expect(plural(1, 'record')).toBe('1 record');
    expect(plural(2500, 'record')).toBe('2,500 records');
    expect(plural(2, 'property', 'properties')).toBe('2 properties');
  });
});

describe('formatDuration', () => {
  it.each([
    [0.85, '850 ms'],
    [4.25, '4.3 s'],
    [42, '42 s'],
    [245, '4 min 05 s'],
    [3725, '1 h 02 min'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d s → %s', (s, want) => expect(formatDuration(s)).toBe(want));
});

describe('formatBytes', () => {
  it.each([
    [512, '512 B'],
    [1536, '1.50 KB'],
    [12.3 * 1024 * 1024, '12.3 MB'],
    [300 * 1024 * 1024, '300 MB'],
    [1.5 * 1024 ** 3, '1.50 GB'],
  ])('%d → %s', (b, want) => expect(formatBytes(b)).toBe(want));
});

describe('formatTime', () => {
  it('shows local time (the tests run in UTC)', () => {
    expect(formatTime('2025-03-10T14:05:09Z')).toBe('2025-03-10 14:05');
  });
  it('keeps empty and unparsable values', () => {
    expect(formatTime('')).toBe('');
    expect(formatTime('soon')).toBe('soon');
  });
});

describe('formatETA', () => {
  it.each([
    [-1, ''],
    [30, 'under a minute left'],
    [150, 'about 3 min left'],
    [7200, 'about 2 h 00 min left'],
  ])('%d s → %j', (s, want) => expect(formatETA(s)).toBe(want));
});

describe('clampPercent', () => {
  it.each([
    [-1, null],
    [0, 0],
    [33.333, 33.3],
    [120, 100],
  ])('%d → %j', (p, want) => expect(clampPercent(p)).toBe(want));
});

describe('formatValue', () => {
  it.each([
    ['2026-10-04T05:14:38.561Z', '2026-10-04 05:14'],
    ['2026-10-04T05:14:38+02:00', '2026-10-04 03:14'],
    ['2026-10-04', '2026-10-04'],
    ['Closed Won', 'Closed Won'],
    ['2026-10-04T05:14 meeting notes', '2026-10-04T05:14 meeting notes'],
  ])('%s → %s', (v, want) => expect(formatValue(v)).toBe(want));
});

describe('statusBadge', () => {
  it.each([
    ['succeeded', 'succeeded'],
    ['partial', 'partial'],
    ['failed', 'failed'],
    ['cancelled', 'cancelled'],
    ['running', 'running'],
    ['skipped', 'succeeded'],
    ['interrupted', 'cancelled'],
  ])('%s → %s', (status, want) => expect(statusBadge(status)).toBe(want));

  it('says what an interrupted run is, and that it is resumed', () => {
    expect(statusTitle('interrupted')).toMatch(/stopped unexpectedly.*resumes it/);
    expect(statusTitle('failed')).not.toMatch(/resumes/);
    expect(statusTitle('whatever')).toBe('');
  });
});
