// The app's screens, in navigation order, and the mapping between a screen
// and the location hash (#/records), so a screen can be linked and reloaded.

export type ScreenId = 'welcome' | 'extract' | 'overview' | 'history' | 'records' | 'export' | 'settings';

export interface Screen {
  id: ScreenId;
  label: string;
  /** False for a screen of a later release: shown, but not selectable. */
  available: boolean;
}

export const screens: readonly Screen[] = [
  { id: 'welcome', label: 'Welcome', available: true },
  { id: 'extract', label: 'Extract', available: true },
  { id: 'overview', label: 'Overview', available: true },
  { id: 'history', label: 'Run history', available: true },
  { id: 'records', label: 'Records', available: true },
  { id: 'export', label: 'Export', available: true },
  { id: 'settings', label: 'Settings', available: true },
];

export const homeScreen: ScreenId = 'welcome';

/** The available screen a hash such as "#/records" names, or the home screen. */
export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '');
  const screen = screens.find((s) => s.id === id);
  return screen?.available ? screen.id : homeScreen;
}

export function hashFor(id: ScreenId): string {
  return `#/${id}`;
}
