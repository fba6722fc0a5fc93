// What the welcome screen says about the database file.
import type { AppInfo } from '../api';

export function describeDatabase(info: Pick<AppInfo, 'databaseExists'>): string {
  return info.databaseExists
    ? 'Your extracted data is in this file. Only your user account can read it.'
    : 'This file does not exist yet: your first extraction creates it, readable only by your user account.';
}
