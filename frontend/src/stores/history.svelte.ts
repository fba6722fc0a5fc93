// The run history and the run opened from it.
import * as api from '../api';

export class HistoryStore {
  runs = $state<api.Run[]>([]);
  /** Scheduled refreshes that skipped their slot (another extraction ran). */
  skipped = $state<api.SkippedSlot[]>([]);
  open = $state<api.Run | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);

  async load(limit = 100): Promise<void> {
    this.loading = true;
    try {
      this.runs = await api.listRuns(limit);
      this.error = null;
      // Secondary to the runs: a failure here leaves them shown.
      this.skipped = await api.listSkipped(limit).catch(() => []);
    } catch (err) {
      this.error = api.messageOf(err);
    } finally {
      this.loading = false;
    }
  }

  /** Opens a run's per-stream figures (the same run again closes it). */
  async toggle(id: number): Promise<void> {
    if (this.open?.id === id) {
      this.open = null;
      return;
    }
    try {
      this.open = await api.getRun(id);
      this.error = null;
    } catch (err) {
      this.error = api.messageOf(err);
    }
  }
}

export const history = new HistoryStore();
