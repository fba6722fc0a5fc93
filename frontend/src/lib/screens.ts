// The app's screens, in navigation order, and the mapping between a screen
// and the location hash (#/records), so a screen can be linked and reloaded.

export type ScreenId = 'welcome' | 'extract' | 'overview' | 'history' | 'records' | 'export' | 'settings';

export interface Screen {
  id: ScreenId;
  label: string;
  /** False for screens of a later release: shown, but not selectable. */
  available: boolean;
}

export const screens: readonly Screen[] = [
  { id: 'welcome', label: 'Welcome', available: true },
  { id: 'extract', label: 'Extract', available: false },
  { id: 'overview', label: 'Overview', available: false },
  { id: 'history', label: 'Run history', available: false },
  { id: 'records', label: 'Records', available: false },
  { id: 'export', label: 'Export', available: false },
  { id: 'settings', label: 'Settings', available: false },
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
