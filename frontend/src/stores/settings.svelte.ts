// The Settings screen: the settings in force and the draft being edited.
import * as api from '../api';

export class SettingsStore {
  saved = $state<api.AppSettings | null>(null);
  draft = $state<api.AppSettings | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  saving = $state(false);
  /** The API versions the backend offers (Settings → Advanced). */
  apiVersions = $state<api.APIVersionChoice[]>([]);

  get dirty(): boolean {
    return JSON.stringify(this.saved) !== JSON.stringify(this.draft);
  }

  /**
   * The API version options: the backend's, plus the version in force if it
   * is none of them (a settings file written by hand), so the select never
   * shows a blank choice the user cannot explain.
   */
  get versionChoices(): api.APIVersionChoice[] {
    const v = this.draft?.api_version ?? '';
    if (this.apiVersions.some((c) => c.value === v)) return this.apiVersions;
    return [...this.apiVersions, { value: v, label: v }];
  }

  /** Whether a version other than the recommended one is chosen. */
  get nonDefaultVersion(): boolean {
    return (this.saved?.api_version ?? '') !== '';
  }

  async load(): Promise<void> {
    try {
      const [saved, versions] = await Promise.all([api.getSettings(), api.apiVersions()]);
      this.apiVersions = versions;
      this.saved = saved;
      this.draft = structuredClone($state.snapshot(this.saved));
      this.error = null;
    } catch (err) {
      this.error = api.messageOf(err);
    }
  }

  /** Saves the draft; on error nothing changes and the message says why. */
  async save(): Promise<boolean> {
    if (!this.draft) return false;
    this.saving = true;
    this.notice = null;
    try {
      this.saved = await api.saveSettings($state.snapshot(this.draft));
      this.draft = structuredClone($state.snapshot(this.saved));
      this.error = null;
      this.notice = 'Saved.';
      return true;
    } catch (err) {
      this.error = api.messageOf(err);
      return false;
    } finally {
      this.saving = false;
    }
  }

  revert(): void {
    this.draft = this.saved ? structuredClone($state.snapshot(this.saved)) : null;
    this.error = null;
  }

  /** Picks a database file with the native dialog, into the draft. */
  async chooseDatabase(create: boolean): Promise<void> {
    if (!this.draft) return;
    try {
      const path = await api.chooseDatabase(create);
      if (path) this.draft.database_path = path;
    } catch (err) {
      this.error = api.messageOf(err);
    }
  }
}

export const appSettings = new SettingsStore();
