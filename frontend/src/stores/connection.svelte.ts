// The connection to HubSpot: the saved key's status, testing a key, the
// sample data. Shared by the header, the Welcome screen and the screens
// that need a connection.
import * as api from '../api';
import { runAction } from './action';

export class ConnectionStore {
  status = $state<api.Status | null>(null);
  /** The last test of a key (shown under the key field). */
  result = $state<api.ConnectionResult | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  get connected(): boolean {
    return this.status?.connected ?? false;
  }

  get sample(): boolean {
    return this.status?.source === 'sample';
  }

  async load(): Promise<void> {
    await this.run(async () => {
      this.status = await api.getStatus();
    });
  }

  /** Tests a key; HubSpot accepting it saves it. */
  async test(token: string): Promise<void> {
    this.result = null;
    await this.run(async () => {
      this.result = await api.testConnection(token);
      this.status = await api.getStatus();
    });
  }

  async disconnect(): Promise<void> {
    await this.run(async () => {
      this.status = await api.disconnect();
      this.result = null;
    });
  }

  async useSample(): Promise<boolean> {
    return this.run(async () => {
      this.status = await api.useSampleData();
    });
  }

  async leaveSample(): Promise<void> {
    await this.run(async () => {
      this.status = await api.leaveSampleData();
    });
  }

  /** Runs one action, recording its failure; true when it succeeded. */
  private run(action: () => Promise<void>): Promise<boolean> {
    return runAction(this, action);
  }
}

export const connection = new ConnectionStore();
