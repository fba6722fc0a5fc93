// What the welcome screen says about the database file.
import type { AppInfo } from '../api';

export function describeDatabase(info: Pick<AppInfo, 'databaseExists'>): string {
  return info.databaseExists
    ? 'Your extracted data is in this file. Only your user account can read it.'
    : 'This file does not exist yet: your first extraction creates it, readable only by your user account.';
}

/** Why the app uses this database file (workspace.Database.origin), in words; "" for the default. */
export function describeOrigin(origin: string): string {
  switch (origin) {
    case 'env':
      return 'Set by the HUBEXTRACT_DB environment variable: Settings cannot change it.';
    case 'settings':
      return 'Chosen in Settings.';
    case 'sample':
      return 'The sample data’s own file, apart from your HubSpot data.';
  }
  return '';
}
