// The connected HubSpot accounts: the header's switcher, the current one's
// scheduled refresh (Settings → Refresh automatically), and the failures of
// scheduled refreshes the app announces. Switching bumps `epoch`, so the
// screens reload with the other account's data and never show the two mixed.
import * as api from '../api';
import { runAction } from './action';

export class AccountsStore {
  list = $state<api.AccountInfo[]>([]);
  /** The sample data is shown (it is no account, but the switcher offers it). */
  sample = $state(false);
  error = $state<string | null>(null);
  busy = $state(false);
  /** The last scheduled refresh that failed, until dismissed. */
  failure = $state<api.RefreshFailure | null>(null);
  /** Bumped at every switch: the screens are remounted under it. */
  epoch = $state(0);

  get current(): api.AccountInfo | null {
    return this.list.find((a) => a.current) ?? null;
  }

  async load(): Promise<void> {
    await this.run(async () => {
      const l = await api.listAccounts();
      this.list = l.list;
      this.sample = l.sample;
    });
  }

  /** Shows account id; true when it did. */
  async switchTo(id: number): Promise<boolean> {
    const ok = await this.run(async () => {
      await api.switchAccount(id);
    });
    if (ok) {
      this.epoch++;
      await this.load();
    }
    return ok;
  }

  /** Shows the sample data instead of an account. */
  async showSample(): Promise<boolean> {
    const ok = await this.run(async () => {
      await api.useSampleData();
    });
    if (ok) {
      this.epoch++;
      await this.load();
    }
    return ok;
  }

  /** Forgets account id's key; its database file is deleted only when asked. */
  async remove(id: number, deleteDatabase: boolean): Promise<boolean> {
    const ok = await this.run(async () => {
      await api.removeAccount(id, deleteDatabase);
    });
    if (ok) {
      this.epoch++;
      await this.load();
    }
    return ok;
  }

  /** Saves the schedule of account id; true when saved. */
  async setSchedule(id: number, spec: api.Fields<api.ScheduleSpec>): Promise<boolean> {
    return this.run(async () => {
      const saved = await api.setSchedule(id, spec);
      this.list = this.list.map((a) => (a.id === saved.id ? saved : a));
    });
  }

  /** Listens for failed scheduled refreshes; returns the function that stops. */
  listen(): () => void {
    return api.onRefreshFailed((f) => (this.failure = f));
  }

  private run(action: () => Promise<void>): Promise<boolean> {
    return runAction(this, action);
  }
}

export const accounts = new AccountsStore();
