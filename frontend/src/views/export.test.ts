// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { exporter } from '../stores/export.svelte';
import Export from './Export.svelte';

let mounted: Record<string, unknown>[] = [];

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
  exporter.type = '';
  exporter.confirm = null;
  exporter.result = null;
  exporter.progress = null;
  exporter.includeSensitive = false;
  vi.unstubAllGlobals();
});

const types = [{ type: 'deals', label: 'Deals', group: 'crm', rows: 4 }];

/** The Export screen with one type to export, exporting one file to a path typed in. */
async function exportScreen(Start: (...args: unknown[]) => Promise<unknown>, before?: (target: HTMLElement) => void) {
  fakeBackend({ RecordsService: { Types: async () => types }, ExportService: { Start } });
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(Export, { target }));
  await vi.waitFor(() => {
    flushSync();
    expect(target.querySelector<HTMLButtonElement>('[data-testid="export-start"]')!.disabled).toBe(false);
  });
  exporter.type = 'deals';
  flushSync();
  const input = target.querySelector<HTMLInputElement>('[data-testid="export-path"]')!;
  input.value = '/out/deals.csv';
  input.dispatchEvent(new Event('input'));
  flushSync();
  before?.(target);
  target.querySelector<HTMLButtonElement>('[data-testid="export-start"]')!.click();
  return target;
}

const existing = { files: [], folder: '/out', rows: 0, cancelled: false, existing: ['/out/deals.csv'] };
const written = { files: [{ type: 'deals', label: 'Deals', path: '/out/deals.csv', rows: 4 }], folder: '/out', rows: 4, cancelled: false, existing: [] };

describe('Export', () => {
  it('asks before replacing a file, names it, and replaces it only on Replace', async () => {
    const Start = vi.fn(async (req: unknown) => ((req as { replace: boolean }).replace ? written : existing));
    const target = await exportScreen(Start);
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="export-confirm"]')).not.toBeNull();
    });
    const box = target.querySelector('[data-testid="export-confirm"]')!;
    expect(box.getAttribute('role')).toBe('alertdialog');
    expect(box.textContent).toContain('/out/deals.csv');
    expect(box.textContent).toContain('This file already exists');
    expect(Start).toHaveBeenCalledTimes(1);
    expect(Start.mock.calls[0][0]).toMatchObject({ type: 'deals', path: '/out/deals.csv', replace: false });
    expect(target.querySelector('[data-testid="export-result"]')).toBeNull();

    target.querySelector<HTMLButtonElement>('[data-testid="export-replace"]')!.click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="export-result"]')).not.toBeNull();
    });
    expect(Start).toHaveBeenCalledTimes(2);
    expect(Start.mock.calls[1][0]).toMatchObject({ path: '/out/deals.csv', replace: true });
    expect(target.querySelector('[data-testid="export-confirm"]')).toBeNull();
  });

  it('keeps the file when told to, exporting nothing', async () => {
    const Start = vi.fn(async () => existing);
    const target = await exportScreen(Start);
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="export-keep"]')).not.toBeNull();
    });
    target.querySelector<HTMLButtonElement>('[data-testid="export-keep"]')!.click();
    flushSync();
    expect(target.querySelector('[data-testid="export-confirm"]')).toBeNull();
    expect(target.querySelector('[data-testid="export-result"]')).toBeNull();
    expect(Start).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['left unticked, leaves sensitive properties out', false],
    ['ticked, includes them', true],
  ])('offers "Include sensitive properties", off by default; %s', async (_, tick) => {
    const Start = vi.fn(async (_req: unknown) => written);
    const target = await exportScreen(Start, (t) => {
      const box = t.querySelector<HTMLInputElement>('[data-testid="export-sensitive"]')!;
      expect(box.checked).toBe(false);
      expect(box.closest('fieldset')!.textContent).toContain('Include sensitive properties');
      expect(box.closest('fieldset')!.textContent).toContain('left out unless you tick this');
      if (tick) {
        box.click();
        flushSync();
      }
    });
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="export-result"]')).not.toBeNull();
    });
    expect(Start.mock.calls[0][0]).toMatchObject({ type: 'deals', path: '/out/deals.csv', includeSensitive: tick });
  });
});
