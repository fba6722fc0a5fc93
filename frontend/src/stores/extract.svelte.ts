// The Extract screen's state: the types to choose, the estimate, the running
// extraction's progress and log, how it ended, and the offer to resume.
// It lives outside the screen, so a run keeps its state when the user looks
// at another screen meanwhile.
import * as api from '../api';
import { mergeLogs } from '../lib/progress';

export class ExtractStore {
  groups = $state<api.Group[]>([]);
  selected = $state<string[]>([]);
  full = $state(false);
  estimate = $state<api.Estimate | null>(null);
  estimateError = $state<string | null>(null);
  running = $state(false);
  cancelling = $state(false);
  streams = $state<api.StreamProgress[]>([]);
  overall = $state<api.Overall | null>(null);
  logs = $state<api.LogLine[]>([]);
  summary = $state<api.Summary | null>(null);
  error = $state<string | null>(null);
  resume = $state<api.ResumeOffer | null>(null);
  loaded = $state(false);

  private estimateSeq = 0;

  /** Every type the engine offers, in screen order. */
  get types(): string[] {
    return this.groups.flatMap((g) => g.types.map((t) => t.type));
  }

  /** Loads the types and the selection, the resume offer, and a run in progress. */
  async load(): Promise<void> {
    try {
      const [groups, snapshot, resume] = await Promise.all([api.getGroups(), api.getSnapshot(), api.getResumeOffer()]);
      if (!this.loaded) {
        this.groups = groups;
        this.selected = groups.flatMap((g) => g.types.filter((t) => t.selected).map((t) => t.type));
      } else {
        this.takeGroups(groups);
      }
      this.resume = resume ?? null;
      if (snapshot.running && !this.running) {
        this.attach(snapshot);
      } else if (!this.running && !this.summary && snapshot.summary) {
        this.apply(snapshot.update, true);
        this.summary = snapshot.summary;
      }
      this.loaded = true;
      this.error = null;
    } catch (err) {
      this.error = api.messageOf(err);
    }
  }

  /**
   * The scope that would add a type the last run found the key cannot read
   * (it is left out of "everything"), or null when it is available.
   */
  unavailable(type: string): string | null {
    for (const g of this.groups) {
      const t = g.types.find((x) => x.type === type);
      if (t) return t.unavailable ? t.scope || 'a scope' : null;
    }
    return null;
  }

  /**
   * Whether the selection is "everything": every type but the unavailable
   * ones. Such a run asks for the default, which the app remembers as
   * everything, so a type available again is ticked again.
   */
  get isDefault(): boolean {
    const available = this.types.filter((t) => this.unavailable(t) === null);
    return available.length > 0 && available.length === this.selected.length && available.every((t) => this.isSelected(t));
  }

  isSelected(type: string): boolean {
    return this.selected.includes(type);
  }

  toggle(type: string): void {
    this.selected = this.isSelected(type) ? this.selected.filter((t) => t !== type) : this.ordered([...this.selected, type]);
  }

  /**
   * Selects or clears a whole group. "All" leaves out the unavailable types,
   * as the default does; ticking one by itself still tries it.
   */
  setGroup(id: string, on: boolean): void {
    const members = this.groups.find((g) => g.id === id)?.types.map((t) => t.type) ?? [];
    const rest = this.selected.filter((t) => !members.includes(t));
    const added = members.filter((t) => this.unavailable(t) === null);
    this.selected = this.ordered(on ? [...rest, ...added] : rest);
  }

  private ordered(types: string[]): string[] {
    return this.types.filter((t) => types.includes(t));
  }

  /** Recomputes the estimate for the selection (a newer call wins). */
  async refreshEstimate(): Promise<void> {
    const seq = ++this.estimateSeq;
    if (this.selected.length === 0) {
      this.estimate = null;
      return;
    }
    try {
      const e = await api.getEstimate(this.selected);
      if (seq === this.estimateSeq) {
        this.estimate = e;
        this.estimateError = null;
      }
    } catch (err) {
      if (seq === this.estimateSeq) this.estimateError = api.messageOf(err);
    }
  }

  /**
   * Runs an extraction of the selection (or of the resume offer's) to its
   * end. fresh starts over instead of resuming an unfinished run.
   */
  async start(opts: { fresh?: boolean; resume?: boolean } = {}): Promise<void> {
    if (this.running) return;
    const resuming = opts.resume && this.resume;
    const objects = resuming ? [...this.resume!.objects] : [...this.selected];
    if (objects.length === 0) {
      this.error = 'Choose at least one type to extract.';
      return;
    }
    // The default selection goes as "everything" (no list): the app then
    // leaves out what it knows the key cannot read, and remembers it so.
    const asked = !resuming && this.isDefault ? [] : objects;
    this.running = true;
    this.cancelling = false;
    this.summary = null;
    this.error = null;
    this.streams = [];
    this.overall = null;
    this.logs = [];
    try {
      this.summary = await api.extract({ objects: asked, fresh: opts.fresh ?? false, full: this.full }, (u) => this.apply(u));
      // The last progress event can arrive after the call returns (events and
      // results travel apart): take the final state from the snapshot.
      const last = await api.getSnapshot();
      if (!last.running && last.update.streams?.length) this.apply(last.update, true);
    } catch (err) {
      this.error = api.messageOf(err);
    } finally {
      this.running = false;
      this.cancelling = false;
      await this.afterRun();
    }
  }

  /** Stops the run; it ends within moments, keeping what it fetched. */
  async cancel(): Promise<void> {
    if (!this.running) return;
    this.cancelling = true;
    try {
      await api.cancelExtraction();
    } catch (err) {
      this.error = api.messageOf(err);
      this.cancelling = false;
    }
  }

  /** Takes one progress update (all streams, new log lines). */
  apply(u: api.Update, replaceLogs = false): void {
    this.streams = u.streams ?? [];
    this.overall = u.overall ?? null;
    this.logs = replaceLogs ? (u.logs ?? []) : mergeLogs(this.logs, u.logs);
  }

  /**
   * Follows a run started before this page opened until its "extract:ended"
   * event. The run may end between the snapshot and the subscription, so
   * one more snapshot, taken once subscribed, catches that end.
   */
  private attach(snapshot: api.Snapshot): void {
    this.running = true;
    this.apply(snapshot.update, true);
    let ended = false;
    let offProgress = () => {};
    let offEnded = () => {};
    const end = async (s: api.Snapshot) => {
      if (ended) return;
      ended = true;
      offProgress();
      offEnded();
      this.running = false;
      this.cancelling = false;
      this.summary = s.summary ?? null;
      this.error = s.error || null;
      this.apply(s.update, true);
      await this.afterRun();
    };
    offProgress = api.onExtractProgress((u) => {
      if (!ended) this.apply(u);
    });
    offEnded = api.onExtractEnded((s) => void end(s));
    void api.getSnapshot().then(
      (s) => {
        if (!s.running) void end(s);
      },
      () => {
        // The event still ends it; a failed look changes nothing.
      },
    );
  }

  /**
   * Shows groups read again. A type new since (a custom object a run found
   * in the account's schemas) is ticked when everything was: it is part of
   * everything, as the app says.
   */
  private takeGroups(groups: api.Group[]): void {
    const everything = this.isDefault;
    const known = new Set(this.types);
    this.groups = groups;
    if (!everything) return;
    const fresh = groups.flatMap((g) => g.types.filter((t) => t.selected && !known.has(t.type)).map((t) => t.type));
    if (fresh.length > 0) this.selected = this.ordered([...this.selected, ...fresh]);
  }

  private async afterRun(): Promise<void> {
    try {
      const [groups, resume] = await Promise.all([api.getGroups(), api.getResumeOffer()]);
      const before = new Set(this.types.filter((t) => this.unavailable(t) !== null));
      this.takeGroups(groups);
      this.resume = resume ?? null;
      // A type this run found unavailable is unticked, as it would be by
      // default; one already unavailable and ticked by hand stays ticked.
      this.selected = this.selected.filter((t) => before.has(t) || this.unavailable(t) === null);
    } catch (err) {
      this.error ??= api.messageOf(err);
    }
    void this.refreshEstimate();
  }
}

export const extraction = new ExtractStore();
