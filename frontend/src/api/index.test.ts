import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, BackendUnavailableError, frontendReady, getInfo, messageOf } from './index';

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
