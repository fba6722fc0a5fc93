// The Settings screen: the settings in force and the draft being edited.
import * as api from '../api';

/** The groups of record types: every CRM record has a property history (marketing data has none). */
const historyGroups = ['crm', 'commerce', 'engagements', 'custom'];

export class SettingsStore {
  saved = $state<api.AppSettings | null>(null);
  draft = $state<api.AppSettings | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  saving = $state(false);
  /** The API versions the backend offers (Settings → Advanced). */
  apiVersions = $state<api.APIVersionChoice[]>([]);
  /** The record types whose property history can be extracted (Settings → Property history). */
  recordTypes = $state<api.TypeInfo[]>([]);

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
      // Without the types only the history checkboxes are missing: the
      // rest of the screen still works.
      const [saved, versions, types] = await Promise.all([
        api.getSettings(),
        api.apiVersions(),
        api.getTypes().catch((): api.TypeInfo[] => []),
      ]);
      this.apiVersions = versions;
      this.recordTypes = types.filter((t) => historyGroups.includes(t.group));
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

  /** Whether a type's property history is ticked in the draft. */
  hasHistory(type: string): boolean {
    return this.draft?.history_types?.includes(type) ?? false;
  }

  /** Ticks or unticks a type's property history, kept in the screen's order. */
  setHistory(type: string, on: boolean): void {
    if (!this.draft) return;
    const chosen = new Set(this.draft.history_types ?? []);
    if (on) chosen.add(type);
    else chosen.delete(type);
    this.draft.history_types = this.recordTypes.map((t) => t.type).filter((t) => chosen.has(t));
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
