import { describe, expect, it } from 'vitest';
import type { EngagementChart } from '../api';
import { describeChart, engagementData } from './chart';

const chart = {
  types: ['calls', 'emails', 'meetings', 'notes', 'tasks'],
  labels: ['Calls', 'Emails', 'Meetings', 'Notes', 'Tasks'],
  stored: [10, 20, 30, 40, 50],
  runs: [
    { runId: 1, startedAt: '2025-03-10T14:05:00Z', status: 'succeeded', records: [11, 21, 31, 41, 51] },
    { runId: 2, startedAt: '2025-03-11T09:00:00Z', status: 'partial', records: [1, -1, 0, 2, 3] },
  ],
} as EngagementChart;

describe('engagementData', () => {
  it('charts the stored counts', () => {
    const d = engagementData(chart, 'stored');
    expect(d.labels).toEqual(chart.labels);
    expect(d.datasets).toEqual([{ label: 'Stored now', data: [10, 20, 30, 40, 50] }]);
  });

  it('charts one series per run, a type not fetched as 0', () => {
    const d = engagementData(chart, 'runs');
    expect(d.datasets.map((s) => s.label)).toEqual(['Run 1 (2025-03-10 14:05)', 'Run 2 (2025-03-11 09:00)']);
    expect(d.datasets[1].data).toEqual([1, 0, 0, 2, 3]);
  });

  it('describes the chart in words', () => {
    expect(describeChart(engagementData(chart, 'stored'))).toBe(
      'Stored now: Calls 10, Emails 20, Meetings 30, Notes 40, Tasks 50',
    );
  });
});
