// The Overview screen's figures.
import * as api from '../api';

export class OverviewStore {
  data = $state<api.Overview | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.data = await api.getOverview();
      this.error = null;
    } catch (err) {
      this.error = api.messageOf(err);
    } finally {
      this.loading = false;
    }
  }
}

export const overview = new OverviewStore();
