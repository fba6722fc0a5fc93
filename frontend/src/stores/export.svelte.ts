// The Export screen: what to export, how, the native dialog, progress and
// cancel, and the files written.
import * as api from '../api';

export class ExportStore {
  types = $state<api.TypeInfo[]>([]);
  /** One type, or "" for every type at once. */
  type = $state('');
  labels = $state(true);
  associations = $state(true);
  excel = $state(false);
  /**
   * Also write the properties HubSpot marks sensitive or highly sensitive.
   * Off by default: a CSV travels further than the database does.
   */
  includeSensitive = $state(false);
  /**
   * CSV for spreadsheets, or Parquet (typed columns, raw values) for
   * warehouses and dataframes; Parquet holds the CRM records only.
   */
  format = $state<'csv' | 'parquet'>('csv');
  running = $state(false);
  progress = $state<api.ExportProgress | null>(null);
  result = $state<api.ExportResult | null>(null);
  error = $state<string | null>(null);
  /**
   * Files already at the chosen place, which the backend did not touch:
   * the screen asks whether to replace them (replace / keep).
   */
  confirm = $state<{ type: string; path: string; existing: string[] } | null>(null);

  async load(): Promise<void> {
    try {
      this.types = await api.getTypes();
      this.error = null;
    } catch (err) {
      this.error = api.messageOf(err);
    }
  }

  /** The types with something to export (in Parquet, records only: not the marketing streams). */
  get exportable(): api.TypeInfo[] {
    return this.types.filter((t) => t.rows > 0 && this.writes(t));
  }

  /** Whether the chosen format writes type t. */
  writes(t: api.TypeInfo): boolean {
    return this.format === 'csv' || t.group !== 'marketing';
  }

  /** The file name the save dialog proposes for the chosen type. */
  get fileName(): string {
    return `${this.type}.${this.format}`;
  }

  /** Asks where to save with the native dialog, then exports there. */
  async chooseAndExport(): Promise<void> {
    let path: string;
    try {
      path = this.type ? await api.chooseExportFile(this.fileName) : await api.chooseExportFolder();
    } catch (err) {
      this.error = api.messageOf(err);
      return;
    }
    if (path) await this.exportTo(path);
  }

  /**
   * Exports to path: a file for one type, a folder for all. Files already
   * there are replaced only with replace; without it the backend writes
   * nothing and lists them, and the screen asks first (confirm).
   */
  async exportTo(path: string, replace = false): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.result = null;
    this.error = null;
    this.progress = null;
    this.confirm = null;
    try {
      const req = {
        type: this.type,
        path,
        labels: this.labels,
        associations: this.associations,
        excel: this.excel,
        includeSensitive: this.includeSensitive,
        replace,
      };
      // Labels and the byte-order mark are CSV matters: Parquet holds raw, typed values.
      const parquet = { ...req, labels: false, excel: false, format: 'parquet' };
      const result = await api.exportCSV(this.format === 'parquet' ? parquet : req, (p) => (this.progress = p));
      if (!replace && result.existing?.length) {
        this.progress = null;
        this.confirm = { type: this.type, path, existing: result.existing };
        return;
      }
      // The last progress event can arrive after the call returns (events
      // and results travel apart), so a finished export shows 100% itself.
      if (!result.cancelled) this.progress = { rows: result.rows, total: result.rows, percent: 100 };
      this.result = result;
    } catch (err) {
      this.error = api.messageOf(err);
    } finally {
      this.running = false;
    }
  }

  /** The user agreed to replace the files listed in confirm: the export asked then. */
  async replace(): Promise<void> {
    const c = this.confirm;
    if (!c) return;
    this.confirm = null;
    this.type = c.type;
    await this.exportTo(c.path, true);
  }

  /** The user keeps the files listed in confirm: nothing is exported. */
  keep(): void {
    this.confirm = null;
  }

  async cancel(): Promise<void> {
    try {
      await api.cancelExport();
    } catch (err) {
      this.error = api.messageOf(err);
    }
  }

  async openFolder(): Promise<void> {
    if (!this.result) return;
    try {
      await api.openFolder(this.result.folder);
    } catch (err) {
      this.error = api.messageOf(err);
    }
  }
}

export const exporter = new ExportStore();
