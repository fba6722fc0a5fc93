// @vitest-environment jsdom
import { flushSync, mount, unmount, type Component } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { workspace } from '../../wailsjs/go/models';
import type { Detail } from '../api';
import ProgressBar from './ProgressBar.svelte';
import RecordDetail from './RecordDetail.svelte';

let mounted: Record<string, unknown>[] = [];

function render<P extends Record<string, any>>(component: Component<P>, props: NoInfer<P>) {
  const target = document.createElement('div');
  document.body.appendChild(target);
  const c = mount(component, { target, props });
  mounted.push(c);
  flushSync();
  return target;
}

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
});

describe('ProgressBar', () => {
  it('reports its value to assistive technology', () => {
    const el = render(ProgressBar, { percent: 42.26, label: 'Contacts progress', testid: 'progress-contacts' });
    const bar = el.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('42.3');
    expect(bar.getAttribute('aria-valuetext')).toBe('42%');
    expect(bar.getAttribute('aria-label')).toBe('Contacts progress');
    expect(bar.getAttribute('data-testid')).toBe('progress-contacts');
  });

  it('has no value while the total is unknown', () => {
    const el = render(ProgressBar, { percent: -1, label: 'Metadata', testid: 'progress-metadata' });
    const bar = el.querySelector('[role="progressbar"]')!;
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(bar.getAttribute('aria-valuetext')).toBe('Not known yet');
    expect(el.querySelector('.indeterminate')).not.toBeNull();
  });
});

const hostile = '<script>window.__ran = true</script><img src="x" onerror="window.__ran = true"><p>Pasted</p>';

function detail(over: Partial<Detail> = {}): Detail {
  return workspace.Detail.createFrom({
    type: 'notes',
    typeLabel: 'Notes',
    typeSingular: 'Note',
    id: '42',
    title: '<b>Pasted</b>',
    createdAt: '2025-03-10T10:00:00Z',
    updatedAt: '2025-03-11T10:00:00Z',
    archived: false,
    properties: [
      { name: 'hs_note_body', label: 'Note body', value: 'Pasted', raw: hostile, html: true },
      { name: 'hubspot_owner_id', label: 'Owner', value: 'Ada Lovelace', raw: '123', html: false },
      { name: 'hs_empty', label: 'Empty one', value: '', raw: '', html: false },
    ],
    associations: [
      { type: 'contacts', label: 'Contacts', total: 3, records: [
        { type: 'contacts', id: '7', title: 'Grace Hopper', stored: true },
        { type: 'contacts', id: '8', title: 'Contact 8', stored: false },
      ] },
    ],
    ...over,
  });
}

describe('RecordDetail', () => {
  it('shows every value as text: markup from HubSpot never becomes elements', () => {
    (window as unknown as { __ran?: boolean }).__ran = false;
    const el = render(RecordDetail, { detail: detail(), canGoBack: false, onopen: vi.fn(), onback: vi.fn(), onclose: vi.fn() });
    expect(el.querySelector('[data-testid="record-title"]')!.textContent).toBe('<b>Pasted</b>');
    el.querySelector<HTMLButtonElement>('[data-testid="prop-hs_note_body"] button')!.click();
    flushSync();
    const source = el.querySelector('[data-testid="source-hs_note_body"]')!;
    expect(source.textContent).toBe(hostile);
    expect(source.children).toHaveLength(0);
    expect(el.querySelectorAll('script, img, b')).toHaveLength(0);
    expect((window as unknown as { __ran?: boolean }).__ran).toBe(false);
  });

  it('names the record with the singular Go sends, never one cut from the plural', () => {
    const company = detail({ type: 'companies', typeLabel: 'Companies', typeSingular: 'Company', id: '8', title: 'Company 8' });
    const el = render(RecordDetail, { detail: company, canGoBack: false, onopen: vi.fn(), onback: vi.fn(), onclose: vi.fn() });
    expect(el.querySelector('[data-testid="record-kind"]')!.textContent).toBe('Company 8');
    expect(el.querySelector('[data-testid="record-title"]')!.textContent).toBe('Company 8');
    expect(el.textContent).not.toContain('Companie');
    const archived = detail({ type: 'activities', typeLabel: 'Activities', typeSingular: 'Activity', id: '9', archived: true });
    const again = render(RecordDetail, { detail: archived, canGoBack: false, onopen: vi.fn(), onback: vi.fn(), onclose: vi.fn() });
    expect(again.querySelector('[data-testid="record-kind"]')!.textContent).toBe('Activity 9 · archived');
  });

  it('hides empty properties until asked, and filters by label', () => {
    const el = render(RecordDetail, { detail: detail(), canGoBack: false, onopen: vi.fn(), onback: vi.fn(), onclose: vi.fn() });
    const labels = () => [...el.querySelectorAll('dt')].map((d) => d.textContent);
    expect(labels()).toEqual(['Note body', 'Owner']);
    const [filter, showEmpty] = [el.querySelector<HTMLInputElement>('input[type="search"]')!, el.querySelector<HTMLInputElement>('input[type="checkbox"]')!];
    showEmpty.click();
    flushSync();
    expect(labels()).toEqual(['Note body', 'Owner', 'Empty one']);
    filter.value = 'own';
    filter.dispatchEvent(new Event('input'));
    flushSync();
    expect(labels()).toEqual(['Owner']);
  });

  it('marks sensitive and highly sensitive properties with a badge that says why', () => {
    const el = render(RecordDetail, {
      detail: detail({
        type: 'contacts',
        properties: [
          { name: 'email', label: 'Email', value: 'ada@example.com', raw: '', html: false, sensitivity: '', history: 0 },
          { name: 'health_notes', label: 'Health notes', value: 'Asthma', raw: '', html: false, sensitivity: 'sensitive', history: 0 },
          { name: 'national_id_number', label: 'National ID number', value: 'AB 12 34 56 C', raw: '', html: false, sensitivity: 'highly_sensitive', history: 0 },
        ],
      }),
      canGoBack: false, onopen: vi.fn(), onback: vi.fn(), onclose: vi.fn(),
    });
    const badges = [...el.querySelectorAll<HTMLElement>('[data-testid="sensitivity-badge"]')];
    expect(badges.map((b) => [b.closest('dt')!.getAttribute('title'), b.textContent, b.dataset.level])).toEqual([
      ['health_notes', 'sensitive', 'sensitive'],
      ['national_id_number', 'highly sensitive', 'highly_sensitive'],
    ]);
    expect(badges[0].title).toContain('HubSpot marks this property sensitive');
    expect(badges[1].title).toContain('Include sensitive properties');
    // The value itself is shown as usual.
    expect(el.querySelector('[data-testid="prop-health_notes"]')!.textContent).toContain('Asthma');
  });

  it('opens a stored associated record in one click and says how many more there are', () => {
    const onopen = vi.fn();
    const el = render(RecordDetail, { detail: detail(), canGoBack: true, onopen, onback: vi.fn(), onclose: vi.fn() });
    const links = el.querySelectorAll<HTMLButtonElement>('[data-testid="record-link"]');
    expect(links).toHaveLength(1);
    links[0].click();
    expect(onopen).toHaveBeenCalledWith('contacts', '7');
    expect(el.textContent).toContain('and 1 more');
    expect(el.querySelector('[data-testid="record-back"]')).not.toBeNull();
  });
});

describe('RecordDetail property history', () => {
  const changes = [
    { value: 'Customer', raw: 'customer', at: '2025-03-09T08:00:00Z', source: 'HubSpot (by Ada Lovelace)', sourceType: 'CRM_UI' },
    { value: 'Lead', raw: 'lead', at: '2024-01-02T08:00:00Z', source: 'Import (Spring list)', sourceType: 'IMPORT' },
    { value: '<b>x</b>', raw: '', at: '2023-05-06T08:00:00Z', source: 'API', sourceType: 'API' },
    { value: '', raw: '', at: '2023-01-01T08:00:00Z', source: 'Import', sourceType: 'IMPORT' },
  ];
  const withHistory = () =>
    detail({
      type: 'contacts',
      properties: [
        { name: 'lifecyclestage', label: 'Lifecycle stage', value: 'Customer', raw: 'customer', html: false, sensitivity: '', history: 4 },
        { name: 'email', label: 'Email', value: 'ada@example.com', raw: '', html: false, sensitivity: '', history: 1 },
        { name: 'phone', label: 'Phone', value: '1', raw: '', html: false, sensitivity: '', history: 0 },
      ],
    });

  it.each([
    { name: 'lifecyclestage', control: true },
    { name: 'email', control: false }, // one value: nothing to show over time
    { name: 'phone', control: false }, // its history was not extracted
  ])('offers a timeline only for a property with several values ($name)', ({ name, control }) => {
    const el = render(RecordDetail, { detail: withHistory(), canGoBack: false, onopen: vi.fn(), onback: vi.fn(), onclose: vi.fn(), loadHistory: vi.fn() });
    expect(el.querySelector(`[data-testid="history-${name}"]`) !== null).toBe(control);
  });

  it('opens the timeline, newest first, with value, time and source as text; reads it once', async () => {
    const loadHistory = vi.fn().mockResolvedValue(changes);
    const el = render(RecordDetail, { detail: withHistory(), canGoBack: false, onopen: vi.fn(), onback: vi.fn(), onclose: vi.fn(), loadHistory });
    const button = el.querySelector<HTMLButtonElement>('[data-testid="history-lifecyclestage"]')!;
    expect(button.textContent!.trim()).toBe('History (4 values)');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.click();
    await vi.waitFor(() => expect(el.querySelector('[data-testid="timeline-lifecyclestage"]')).not.toBeNull());
    flushSync();
    expect(loadHistory).toHaveBeenCalledWith('lifecyclestage');
    const entries = [...el.querySelectorAll('[data-testid="timeline-entry"]')];
    expect(entries).toHaveLength(4);
    expect(entries[0].textContent).toContain('Customer');
    expect(entries[0].textContent).toContain('(customer)');
    expect(entries[0].textContent).toContain('HubSpot (by Ada Lovelace)');
    expect(entries[1].textContent).toContain('Import (Spring list)');
    expect(entries[2].textContent).toContain('<b>x</b>');
    expect(entries[3].textContent).toContain('(empty)'); // a value cleared
    expect(el.querySelectorAll('.timeline b')).toHaveLength(0);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    button.click();
    flushSync();
    expect(el.querySelector('[data-testid="timeline-lifecyclestage"]')).toBeNull();
    button.click();
    flushSync();
    expect(el.querySelector('[data-testid="timeline-lifecyclestage"]')).not.toBeNull();
    expect(loadHistory).toHaveBeenCalledTimes(1);
  });

  it('says so when the history cannot be read', async () => {
    const loadHistory = vi.fn().mockRejectedValue(new Error('the database is closed'));
    const el = render(RecordDetail, { detail: withHistory(), canGoBack: false, onopen: vi.fn(), onback: vi.fn(), onclose: vi.fn(), loadHistory });
    el.querySelector<HTMLButtonElement>('[data-testid="history-lifecyclestage"]')!.click();
    await vi.waitFor(() => expect(el.querySelector('[role="alert"]')?.textContent).toBe('the database is closed'));
  });
});
