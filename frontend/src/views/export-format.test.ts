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
  exporter.format = 'csv';
  exporter.result = null;
  vi.unstubAllGlobals();
});

const types = [
  { type: 'deals', label: 'Deals', group: 'crm', rows: 4 },
  { type: 'forms', label: 'Forms', group: 'marketing', rows: 2 },
];
const written = { files: [{ type: 'deals', label: 'Deals', path: '/out/deals.parquet', rows: 4 }], folder: '/out', rows: 4, cancelled: false, existing: [] };

describe('Export format', () => {
  it('exports Parquet with raw values, proposes a .parquet name, and offers no marketing stream', async () => {
    const Start = vi.fn(async () => written);
    const ChooseExportFile = vi.fn(async () => '/out/deals.parquet');
    fakeBackend({ RecordsService: { Types: async () => types }, ExportService: { Start }, App: { ChooseExportFile } });
    const target = document.createElement('div');
    document.body.appendChild(target);
    mounted.push(mount(Export, { target }));
    await vi.waitFor(() => {
      flushSync();
      expect(exporter.types).toHaveLength(2);
    });
    exporter.type = 'forms';
    flushSync();
    target.querySelector<HTMLInputElement>('[data-testid="export-format-parquet"]')!.click();
    flushSync();
    // Forms have no Parquet export: the choice moves to a type that has one.
    expect(exporter.type).toBe('deals');
    const forms = target.querySelector<HTMLOptionElement>('[data-testid="export-type"] option[value="forms"]')!;
    expect(forms.disabled).toBe(true);
    expect(target.querySelector<HTMLInputElement>('[data-testid="export-labels"]')!.disabled).toBe(true);
    target.querySelector<HTMLButtonElement>('[data-testid="export-start"]')!.click();
    await vi.waitFor(() => {
      flushSync();
      expect(target.querySelector('[data-testid="export-result"]')).not.toBeNull();
    });
    expect(ChooseExportFile).toHaveBeenCalledWith('deals.parquet');
    expect(Start).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'deals', path: '/out/deals.parquet', format: 'parquet', labels: false, excel: false }),
    );
  });

  it('sends no format for CSV, the default', async () => {
    const Start = vi.fn(async () => written);
    fakeBackend({ ExportService: { Start } });
    exporter.type = 'deals';
    await exporter.exportTo('/out/deals.csv');
    // Left out (undefined), so the request reaches Go as it always did: CSV.
    expect((Start.mock.calls[0] as unknown[])[0]).toMatchObject({ format: undefined, labels: true });
  });
});
