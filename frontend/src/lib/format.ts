// Formatting of numbers, sizes, durations and times for the screens: one
// place, so every screen says "1,234 records" and "4 min 05 s" the same way.

const count = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567"; a negative number (unknown) → "—". */
export function formatCount(n: number): string {
  return n < 0 ? '—' : count.format(Math.round(n));
}

/** "1 record", "2 records". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Seconds as "850 ms", "12 s", "4 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const total = Math.round(seconds);
  if (total < 3600) {
    return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
  }
  return `${Math.floor(total / 3600)} h ${String(Math.floor((total % 3600) / 60)).padStart(2, '0')} min`;
}

/** Bytes as "512 B", "1.5 KB", "12.3 MB", "1.02 GB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v} B`;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An RFC 3339 time as local "2025-03-10 14:05"; "" for "". */
export function formatTime(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Time left in words: "about 2 min left", "under a minute left"; "" when unknown. */
export function formatETA(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return 'under a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  return `about ${formatDuration(seconds)} left`;
}

/** A percentage for a bar: 0–100 rounded to one decimal, or null when unknown. */
export function clampPercent(p: number): number | null {
  if (!Number.isFinite(p) || p < 0) return null;
  return Math.min(100, Math.round(p * 10) / 10);
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A stored value for reading: ISO date-times (HubSpot's datetime properties) as local time, the rest unchanged. */
export function formatValue(v: string): string {
  return isoDateTime.test(v) ? formatTime(v) : v;
}

/**
 * The badge colour of a run's or a stream's status: the theme styles
 * succeeded, partial, cancelled, running and failed; a skipped stream (done
 * by the run it resumed) reads as succeeded, and an interrupted run (its
 * process died; the next run of its types resumes it) as cancelled: stopped,
 * not failed.
 */
export function statusBadge(status: string): string {
  switch (status) {
    case 'skipped':
      return 'succeeded';
    case 'interrupted':
      return 'cancelled';
    default:
      return status;
  }
}

/** What a run's status means, for its badge's tooltip. */
export function statusTitle(status: string): string {
  switch (status) {
    case 'succeeded':
      return 'Every type was extracted.';
    case 'partial':
      return 'Some types failed; the others were extracted.';
    case 'failed':
      return 'The extraction failed.';
    case 'cancelled':
      return 'Stopped before it finished; the next extraction of the same types resumes it.';
    case 'interrupted':
      return 'The program running it stopped unexpectedly (closed, killed or crashed); the next extraction of the same types resumes it.';
    case 'running':
      return 'Still running.';
    default:
      return '';
  }
}
