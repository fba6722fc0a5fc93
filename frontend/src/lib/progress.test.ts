import { describe, expect, it } from 'vitest';
import type { LogLine, StreamProgress } from '../api';
import { maxLogLines, mergeLogs, phaseText, resumable, statusText, streamLine } from './progress';

const line = (n: number): LogLine => ({ time: '', stream: 'contacts', level: 'warn', message: `line ${n}` });

function stream(p: Partial<StreamProgress>): StreamProgress {
  return {
    stream: 'contacts', label: 'Contacts', phase: 'records', records: 0, total: -1, calls: 0, rate: 0,
    etaSeconds: -1, percent: -1, final: false, ...p,
  } as StreamProgress;
}

describe('mergeLogs', () => {
  it('appends new lines', () => {
    expect(mergeLogs([line(1)], [line(2), line(3)]).map((l) => l.message)).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('returns the same array when nothing is new', () => {
    const kept = [line(1)];
    expect(mergeLogs(kept, [])).toBe(kept);
    expect(mergeLogs(kept, null)).toBe(kept);
  });

  it('keeps only the newest lines', () => {
    const kept = Array.from({ length: maxLogLines }, (_, i) => line(i));
    const merged = mergeLogs(kept, [line(maxLogLines)]);
    expect(merged).toHaveLength(maxLogLines);
    expect(merged[0].message).toBe('line 1');
    expect(merged.at(-1)?.message).toBe(`line ${maxLogLines}`);
  });
});

describe('streamLine', () => {
  it('shows records, total, calls, rate and time left while running', () => {
    expect(streamLine(stream({ records: 1234, total: 5000, calls: 13, rate: 120.4, etaSeconds: 90 }))).toBe(
      '1,234 / 5,000 records · 13 calls · 120 records/s · about 2 min left',
    );
  });

  it('leaves out an unknown total and time left', () => {
    expect(streamLine(stream({ records: 10, calls: 1 }))).toBe('10 records · 1 call');
  });

  it('drops rate and time left once the stream ended', () => {
    expect(streamLine(stream({ records: 50, total: 50, calls: 2, rate: 9, etaSeconds: 0, final: true }))).toBe(
      '50 / 50 records · 2 calls',
    );
  });
});

describe('words', () => {
  it('names every phase the engine reports', () => {
    for (const p of ['waiting', 'planning', 'records', 'archived', 'associations', 'done', 'failed', 'cancelled', 'skipped']) {
      expect(phaseText(p)).not.toBe(p);
    }
    expect(phaseText('something new')).toBe('something new');
  });

  it('explains every final status', () => {
    expect(statusText('cancelled')).toMatch(/resumes where this one stopped/);
    expect(statusText('partial')).toMatch(/Some types/);
  });

  it('offers resuming only unfinished runs', () => {
    expect(resumable('succeeded')).toBe(false);
    expect(resumable('cancelled')).toBe(true);
  });
});
