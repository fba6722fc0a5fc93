// One user action of a store that shows a busy state and an error in words.
import { messageOf } from '../api';

/** What runAction updates. */
export interface ActionState {
  busy: boolean;
  error: string | null;
}

/**
 * Runs action with state.busy set, recording its failure in words in
 * state.error; true when it succeeded.
 */
export async function runAction(state: ActionState, action: () => Promise<void>): Promise<boolean> {
  state.busy = true;
  state.error = null;
  try {
    await action();
    return true;
  } catch (err) {
    state.error = messageOf(err);
    return false;
  } finally {
    state.busy = false;
  }
}
