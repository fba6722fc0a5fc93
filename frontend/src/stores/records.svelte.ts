// The record browser: the type, its columns, the search, keyset paging, and
// the record opened in the detail panel with a trail back through the
// records reached from it.
import * as api from '../api';
import { chosenColumns, rememberColumns, toggleColumn, type KeyValueStore } from '../lib/columns';
import { back, current, firstPage, forward, type Pager } from '../lib/paging';

export const pageSize = 50;

export class RecordsStore {
  types = $state<api.TypeInfo[]>([]);
  type = $state('contacts');
  available = $state<api.Column[]>([]);
  columns = $state<string[]>([]);
  search = $state('');
  page = $state<api.Page | null>(null);
  pager = $state<Pager>(firstPage);
  loading = $state(false);
  error = $state<string | null>(null);
  detail = $state<api.Detail | null>(null);
  detailError = $state<string | null>(null);
  /** The records opened before the current detail, to go back to. */
  trail = $state<{ type: string; id: string }[]>([]);
  /** How long the last page took, in ms (shown discreetly; measured in tests). */
  pageMillis = $state(0);

  private seq = 0;

  constructor(private storage: KeyValueStore | null = null) {}

  /** Loads the types and the first page of the current type. */
  async load(): Promise<void> {
    try {
      const all = await api.getTypes();
      this.types = all.filter((t) => t.group === 'crm' || t.group === 'engagements');
      await this.setType(this.type);
    } catch (err) {
      this.error = api.messageOf(err);
    }
  }

  async setType(type: string): Promise<void> {
    this.type = type;
    this.page = null;
    try {
      this.available = await api.getColumns(type);
      this.columns = chosenColumns(type, this.available, this.storage);
    } catch (err) {
      this.error = api.messageOf(err);
      return;
    }
    await this.reload();
  }

  /** A new search starts from the first page. */
  async setSearch(text: string): Promise<void> {
    this.search = text;
    await this.reload();
  }

  async toggleColumn(name: string): Promise<void> {
    this.columns = toggleColumn(this.columns, name, this.available);
    rememberColumns(this.type, this.columns, this.available, this.storage);
    await this.fetch();
  }

  async resetColumns(): Promise<void> {
    this.columns = this.available.filter((c) => c.default).map((c) => c.name);
    rememberColumns(this.type, this.columns, this.available, this.storage);
    await this.fetch();
  }

  async next(): Promise<void> {
    if (!this.page?.next) return;
    this.pager = forward(this.pager, this.page.next);
    await this.fetch();
  }

  async previous(): Promise<void> {
    if (this.pager.index === 0) return;
    this.pager = back(this.pager);
    await this.fetch();
  }

  private async reload(): Promise<void> {
    this.pager = firstPage;
    await this.fetch();
  }

  /** Reads the current page; a slower, older request never overwrites a newer one. */
  private async fetch(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    const started = performance.now();
    try {
      const page = await api.getPage({
        type: this.type,
        search: this.search,
        columns: this.columns,
        limit: pageSize,
        after: current(this.pager) ?? undefined,
      });
      if (seq !== this.seq) return;
      this.page = page;
      this.pageMillis = performance.now() - started;
      this.error = null;
    } catch (err) {
      if (seq === this.seq) this.error = api.messageOf(err);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** The open record's history of one property, newest first. */
  history(property: string): Promise<api.Change[]> {
    if (!this.detail) return Promise.resolve([]);
    return api.getHistory(this.detail.type, this.detail.id, property);
  }

  /** Opens a record; from an open record, the previous one goes on the trail. */
  async open(type: string, id: string): Promise<void> {
    const from = this.detail;
    try {
      this.detail = await api.getDetail(type, id);
      this.detailError = null;
      if (from) this.trail = [...this.trail, { type: from.type, id: from.id }];
    } catch (err) {
      this.detailError = api.messageOf(err);
    }
  }

  /** Back to the record this one was opened from. */
  async backInTrail(): Promise<void> {
    const prev = this.trail.at(-1);
    if (!prev) return;
    try {
      this.detail = await api.getDetail(prev.type, prev.id);
      this.trail = this.trail.slice(0, -1);
    } catch (err) {
      this.detailError = api.messageOf(err);
    }
  }

  close(): void {
    this.detail = null;
    this.detailError = null;
    this.trail = [];
  }
}

function localStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export const records = new RecordsStore(localStore());
