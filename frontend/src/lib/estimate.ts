// The Extract screen's estimate in words.
import type { Estimate } from '../api';
import { formatCount, formatDuration } from './format';

const tiers: Record<number, string> = {
  100: 'Free and Starter',
  190: 'Professional and Enterprise',
  250: 'with the API limit increase',
};

/** The HubSpot tier a rate limit stands for. */
export function tierName(ratePer10s: number): string {
  return tiers[ratePer10s] ?? `${ratePer10s} calls per 10 seconds`;
}

/** "About 1,234 API calls, about 2 min 04 s at 100 calls per 10 seconds (Free and Starter)." */
export function describeEstimate(e: Estimate): string {
  const calls = `${e.complete ? 'About' : 'At least'} ${formatCount(e.calls)} API ${e.calls === 1 ? 'call' : 'calls'}`;
  const time = e.seconds < 60 ? 'under a minute' : `about ${formatDuration(e.seconds)}`;
  return `${calls}, ${time} at ${e.ratePer10s} calls per 10 seconds (${tierName(e.ratePer10s)}).`;
}
