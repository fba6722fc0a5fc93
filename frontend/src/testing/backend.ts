// A stand-in for what the Wails runtime injects into the page: the bound Go
// methods and window.runtime's events, so stores are tested through the real
// api layer and generated bindings. The App's methods are bound from package
// main (window.go.main.App.<Method>), the screens' services from
// backend/workspace (window.go.workspace.<Service>.<Method>).
import { vi } from 'vitest';

type Method = (...args: unknown[]) => Promise<unknown>;

export interface FakeBackend {
  /** Sends an event to the page's subscribers. */
  emit(event: string, data: unknown): void;
  /** How many subscribers an event has now. */
  listeners(event: string): number;
}

/** Where each bound service lives: the Go package that binds it. */
const packageOf = (service: string) => (service === 'App' ? 'main' : 'workspace');

export function fakeBackend(services: Record<string, Record<string, Method>>): FakeBackend {
  const handlers = new Map<string, Set<(data: unknown) => void>>();
  const runtime = {
    EventsOnMultiple(event: string, cb: (data: unknown) => void) {
      const set = handlers.get(event) ?? new Set();
      set.add(cb);
      handlers.set(event, set);
      return () => set.delete(cb);
    },
  };
  const go: Record<string, Record<string, Record<string, Method>>> = { main: {}, workspace: {} };
  for (const [name, methods] of Object.entries(services)) go[packageOf(name)][name] = methods;
  vi.stubGlobal('window', { go, runtime });
  return {
    emit: (event, data) => handlers.get(event)?.forEach((cb) => cb(data)),
    listeners: (event) => handlers.get(event)?.size ?? 0,
  };
}

/** A promise with its resolve and reject, for calls that end when a test says so. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
