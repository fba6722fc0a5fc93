import { describe, expect, it } from 'vitest';
import type { Estimate } from '../api';
import { describeEstimate, tierName } from './estimate';

const est = (p: Partial<Estimate>) => ({ calls: 0, seconds: 0, ratePer10s: 100, types: [], complete: true, ...p }) as Estimate;

describe('describeEstimate', () => {
  it('gives calls and time at the rate limit', () => {
    expect(describeEstimate(est({ calls: 1234, seconds: 124 }))).toBe(
      'About 1,234 API calls, about 2 min 04 s at 100 calls per 10 seconds (Free and Starter).',
    );
  });

  it('says "at least" when some sizes are unknown, and "under a minute" for short runs', () => {
    expect(describeEstimate(est({ calls: 40, seconds: 5, complete: false, ratePer10s: 190 }))).toBe(
      'At least 40 API calls, under a minute at 190 calls per 10 seconds (Professional and Enterprise).',
    );
  });

  it('names the tiers', () => {
    expect(tierName(250)).toBe('with the API limit increase');
    expect(tierName(42)).toBe('42 calls per 10 seconds');
  });
});
