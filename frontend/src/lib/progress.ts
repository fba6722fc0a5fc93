// What the Extract screen says about progress: phases in words, a stream's
// figures in one line, and the log kept to a bounded length.
import type { LogLine, StreamProgress } from '../api';
import { formatCount, formatETA } from './format';

/** How many log lines the screen keeps (the oldest go first). */
export const maxLogLines = 500;

/** Appends incoming lines, keeping the newest maxLogLines. */
export function mergeLogs(kept: readonly LogLine[], incoming: readonly LogLine[] | null | undefined): LogLine[] {
  if (!incoming || incoming.length === 0) return kept as LogLine[];
  const all = [...kept, ...incoming];
  return all.length > maxLogLines ? all.slice(all.length - maxLogLines) : all;
}

const phases: Record<string, string> = {
  waiting: 'Waiting its turn',
  planning: 'Reading property definitions',
  records: 'Reading records',
  archived: 'Reading archived records',
  associations: 'Completing associations',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Stopped',
  skipped: 'Already done by the interrupted run',
  unavailable: 'Not extracted: the key lacks its scope',
};

/** A stream's phase in words. */
export function phaseText(phase: string): string {
  return phases[phase] ?? phase;
}

/** "1,234 / 5,000 records · 56 calls · 120 records/s · about 1 min left" */
export function streamLine(s: StreamProgress): string {
  const parts = [s.total >= 0 ? `${formatCount(s.records)} / ${formatCount(s.total)} records` : `${formatCount(s.records)} records`];
  parts.push(`${formatCount(s.calls)} ${s.calls === 1 ? 'call' : 'calls'}`);
  if (!s.final && s.rate > 0) parts.push(`${formatCount(s.rate)} records/s`);
  const eta = s.final ? '' : formatETA(s.etaSeconds);
  if (eta) parts.push(eta);
  return parts.join(' · ');
}

/** Whether a run status is one a later extraction can resume from. */
export function resumable(status: string): boolean {
  return status === 'cancelled' || status === 'failed' || status === 'partial' || status === 'running';
}

/** What a final run status means, in words. */
export function statusText(status: string): string {
  switch (status) {
    case 'succeeded':
      return 'Everything selected was extracted.';
    case 'partial':
      return 'Some types could not be extracted; everything else was. The reasons are below.';
    case 'failed':
      return 'The extraction failed. Everything fetched before the failure is kept.';
    case 'cancelled':
      return 'Stopped. Everything fetched so far is kept, and the next extraction resumes where this one stopped.';
    case 'running':
      return 'Running.';
  }
  return status;
}
