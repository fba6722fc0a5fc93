// The overview's engagement chart as Chart.js data: the records stored now
// per engagement type, or what each recent run fetched.
import type { EngagementChart } from '../api';
import { formatTime } from './format';

export type ChartMode = 'stored' | 'runs';

export interface ChartSeries {
  label: string;
  data: number[];
}

export interface ChartData {
  labels: string[];
  datasets: ChartSeries[];
}

/** The chart's data for a mode; a type a run did not fetch counts 0. */
export function engagementData(chart: EngagementChart, mode: ChartMode): ChartData {
  if (mode === 'stored') {
    return { labels: [...chart.labels], datasets: [{ label: 'Stored now', data: [...chart.stored] }] };
  }
  return {
    labels: [...chart.labels],
    datasets: chart.runs.map((r) => ({
      label: `Run ${r.runId} (${formatTime(r.startedAt)})`,
      data: r.records.map((n) => Math.max(0, n)),
    })),
  };
}

/** A text alternative of the chart for screen readers and tests. */
export function describeChart(data: ChartData): string {
  return data.datasets
    .map((d) => `${d.label}: ${data.labels.map((l, i) => `${l} ${d.data[i] ?? 0}`).join(', ')}`)
    .join('; ');
}

/** Bar colours that read in both themes (the accent first). */
export const seriesColours = ['#e8590c', '#1c7ed6', '#2f9e44', '#9c36b5', '#f08c00', '#0c8599'];
