import { afterEach, describe, expect, it, vi } from 'vitest';
import { settings, workspace } from '../../wailsjs/go/models';
import { ApiError, BackendUnavailableError, exportCSV, extract, frontendReady, getInfo, getPage, messageOf, saveSettings } from './index';

// A stand-in for what the Wails runtime injects: window.go.main.App.<Method>.
function fakeBackend(app: Record<string, (...args: unknown[]) => Promise<unknown>>) {
  vi.stubGlobal('window', { go: { main: { App: app } } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('getInfo', () => {
  it('returns what the Go side returns', async () => {
    const info = { version: 'v1.2.3', databasePath: '/home/u/.config/hubextract/hubextract.db', databaseExists: true };
    const Info = vi.fn().mockResolvedValue(info);
    fakeBackend({ Info });

    await expect(getInfo()).resolves.toEqual(info);
    expect(Info).toHaveBeenCalledOnce();
  });

  it('turns a Go error (a rejected string) into an ApiError with its text', async () => {
    fakeBackend({ Info: () => Promise.reject('locate the database: $HOME is not defined') });

    const err = await getInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('locate the database: $HOME is not defined');
  });

  it('says the backend is missing outside the app instead of a TypeError', async () => {
    vi.stubGlobal('window', {});
    await expect(getInfo()).rejects.toBeInstanceOf(BackendUnavailableError);
  });
});

describe('frontendReady', () => {
  it('calls the bound method', async () => {
    const FrontendReady = vi.fn().mockResolvedValue(undefined);
    fakeBackend({ FrontendReady });

    await expect(frontendReady('overview')).resolves.toBeUndefined();
    expect(FrontendReady).toHaveBeenCalledExactlyOnceWith('overview');
  });

  it('reports a failure to write the ready file', async () => {
    fakeBackend({ FrontendReady: () => Promise.reject('write ready file: permission denied') });
    await expect(frontendReady('welcome')).rejects.toThrow('write ready file: permission denied');
  });
});

describe('messageOf', () => {
  it.each([
    ['an Error', new Error('boom'), 'boom'],
    ['a string', 'plain', 'plain'],
    ['an object', { code: 7 }, '{"code":7}'],
    ['undefined', undefined, 'undefined'],
  ])('gives the text of %s', (_name, input, want) => {
    expect(messageOf(input)).toBe(want);
  });

  it('survives a value JSON cannot encode', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(messageOf(cyclic)).toBe('[object Object]');
  });
});

describe('the services of backend/workspace', () => {
  it('are called at window.go.workspace with requests built as the generated models', async () => {
    const Page = vi.fn().mockResolvedValue({ type: 'deals', columns: [], rows: [], next: null });
    const Start = vi.fn().mockResolvedValue({ files: [], folder: '/out', rows: 0, cancelled: false });
    const ExtractStart = vi.fn().mockResolvedValue({ run: { id: 1 } });
    const Save = vi.fn(async (s: unknown) => s);
    vi.stubGlobal('window', {
      go: {
        main: { App: {} },
        workspace: { RecordsService: { Page }, ExportService: { Start }, ExtractService: { Start: ExtractStart }, SettingsService: { Save } },
      },
      runtime: { EventsOnMultiple: () => () => {} },
    });

    await getPage({ type: 'deals', search: 'acme', columns: ['dealname'], limit: 50, after: { updatedAt: 7, id: '12', undated: false } });
    const q = Page.mock.calls[0][0];
    expect(q).toBeInstanceOf(workspace.PageQuery);
    expect(q.after).toBeInstanceOf(workspace.Cursor);
    expect(JSON.parse(JSON.stringify(q))).toEqual({ type: 'deals', search: 'acme', columns: ['dealname'], limit: 50, after: { updatedAt: 7, id: '12', undated: false } });

    await exportCSV({ type: '', path: '/out', labels: true, associations: false, excel: false, includeSensitive: false, replace: false }, () => {});
    expect(Start.mock.calls[0][0]).toBeInstanceOf(workspace.ExportRequest);

    await extract({ objects: ['deals'], fresh: false, full: true }, () => {});
    expect(ExtractStart.mock.calls[0][0]).toBeInstanceOf(workspace.ExtractRequest);
    expect(ExtractStart.mock.calls[0][0]).toEqual({ objects: ['deals'], fresh: false, full: true });

    const s = { rate_per_10s: 100, search_rate: 4, concurrency: 6, database_path: '', full_run_every_days: 7, source: 'hubspot', objects: [], api_version: '', history_types: [], economy: '' };
    await saveSettings(s);
    expect(Save.mock.calls[0][0]).toBeInstanceOf(settings.Settings);
  });

  it('turn a refused request into an ApiError with the Go error\'s text', async () => {
    vi.stubGlobal('window', { go: { workspace: { RecordsService: { Page: () => Promise.reject('page: "widgets" is not a record type') } } } });
    const err = await getPage({ type: 'widgets', search: '', columns: [], limit: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('page: "widgets" is not a record type');
  });
});
