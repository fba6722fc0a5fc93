// The record table's chosen columns, remembered per type in the page's
// local storage; anything stored that the type no longer has is dropped.
import type { Column } from '../api';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const key = (type: string) => `hubextract.columns.${type}`;

/** The remembered columns of type that still exist, or the defaults. */
export function chosenColumns(type: string, available: readonly Column[], store: KeyValueStore | null): string[] {
  const defaults = available.filter((c) => c.default).map((c) => c.name);
  const raw = store?.getItem(key(type));
  if (!raw) return defaults;
  try {
    const names: unknown = JSON.parse(raw);
    if (!Array.isArray(names)) return defaults;
    const known = new Set(available.map((c) => c.name));
    const kept = names.filter((n): n is string => typeof n === 'string' && known.has(n));
    return kept.length > 0 ? kept : defaults;
  } catch {
    return defaults;
  }
}

/** Remembers the columns of type; the defaults are remembered as nothing. */
export function rememberColumns(type: string, names: readonly string[], available: readonly Column[], store: KeyValueStore | null): void {
  if (!store) return;
  const defaults = available.filter((c) => c.default).map((c) => c.name);
  if (names.length === defaults.length && names.every((n, i) => n === defaults[i])) {
    store.removeItem(key(type));
  } else {
    store.setItem(key(type), JSON.stringify(names));
  }
}

/** Adds or removes one column, keeping the order the chooser lists them in. */
export function toggleColumn(names: readonly string[], name: string, available: readonly Column[]): string[] {
  const on = new Set(names);
  if (on.has(name)) {
    if (on.size === 1) return [...names]; // keep at least one column
    on.delete(name);
  } else {
    on.add(name);
  }
  return available.map((c) => c.name).filter((n) => on.has(n));
}
