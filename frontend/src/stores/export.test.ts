import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../testing/backend';
import { ExportStore } from './export.svelte';

afterEach(() => vi.unstubAllGlobals());

describe('ExportStore', () => {
  it('asks for a folder first, exports there with progress, and unsubscribes', async () => {
    const Start = vi.fn(async (req: unknown) => {
      be.emit('export:progress', { rows: 5, total: 10, percent: 50 });
      return { files: [{ type: 'contacts', label: 'Contacts', path: `${(req as { path: string }).path}/contacts.csv`, rows: 10 }], folder: '/out', rows: 10, cancelled: false };
    });
    const be = fakeBackend({
      App: { ChooseExportFolder: async () => '/out', ChooseExportFile: async () => '' },
      ExportService: { Start },
      RecordsService: { Types: async () => [{ type: 'contacts', label: 'Contacts', group: 'crm', rows: 10 }, { type: 'forms', label: 'Forms', group: 'marketing', rows: 0 }] },
    });
    const e = new ExportStore();
    await e.load();
    expect(e.exportable.map((t) => t.type)).toEqual(['contacts']);
    await e.chooseAndExport();
    // Sensitive properties stay out unless the user asks for them.
    expect(Start).toHaveBeenCalledWith({ type: '', path: '/out', labels: true, associations: true, excel: false, includeSensitive: false, replace: false });
    // Finished: 100% even though the last event seen said 50%.
    expect(e.progress).toEqual({ rows: 10, total: 10, percent: 100 });
    expect(e.result?.rows).toBe(10);
    expect(be.listeners('export:progress')).toBe(0);
  });

  it('passes "Include sensitive properties" on when ticked', async () => {
    const Start = vi.fn(async (_req: unknown) => ({ files: [], folder: '/out', rows: 0, cancelled: false, existing: [] }));
    fakeBackend({ ExportService: { Start } });
    const e = new ExportStore();
    expect(e.includeSensitive).toBe(false);
    e.includeSensitive = true;
    await e.exportTo('/out');
    expect(Start.mock.calls[0][0]).toMatchObject({ path: '/out', includeSensitive: true });
  });

  it('does nothing when the dialog is cancelled', async () => {
    const Start = vi.fn();
    fakeBackend({ App: { ChooseExportFile: async () => '' }, ExportService: { Start } });
    const e = new ExportStore();
    e.type = 'deals';
    await e.chooseAndExport();
    expect(Start).not.toHaveBeenCalled();
    expect(e.running).toBe(false);
  });

  it('asks before replacing files already there, and replaces them only once told to', async () => {
    const Start = vi.fn(async (arg: unknown) => {
      const req = arg as { path: string; replace: boolean };
      return req.replace
        ? { files: [{ type: 'deals', label: 'Deals', path: req.path, rows: 4 }], folder: '/out', rows: 4, cancelled: false, existing: [] }
        : { files: [], folder: '/out', rows: 0, cancelled: false, existing: [req.path] };
    });
    fakeBackend({ ExportService: { Start } });
    const e = new ExportStore();
    e.type = 'deals';
    await e.exportTo('/out/deals.csv');
    expect(Start).toHaveBeenCalledTimes(1);
    expect(Start.mock.calls[0][0]).toMatchObject({ path: '/out/deals.csv', replace: false });
    expect(e.confirm).toEqual({ type: 'deals', path: '/out/deals.csv', existing: ['/out/deals.csv'] });
    expect(e.result).toBeNull();
    expect(e.progress).toBeNull();

    e.keep();
    expect(e.confirm).toBeNull();
    expect(Start).toHaveBeenCalledTimes(1);

    await e.exportTo('/out/deals.csv');
    e.type = 'contacts'; // changed meanwhile: Replace still exports what it asked about
    await e.replace();
    expect(Start).toHaveBeenCalledTimes(3);
    expect(Start.mock.calls[2][0]).toMatchObject({ type: 'deals', path: '/out/deals.csv', replace: true });
    expect(e.confirm).toBeNull();
    expect(e.result?.rows).toBe(4);
  });
});
