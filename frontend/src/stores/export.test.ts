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
    expect(Start).toHaveBeenCalledWith({ type: '', path: '/out', labels: true, associations: true, excel: false });
    // Finished: 100% even though the last event seen said 50%.
    expect(e.progress).toEqual({ rows: 10, total: 10, percent: 100 });
    expect(e.result?.rows).toBe(10);
    expect(be.listeners('export:progress')).toBe(0);
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
});
