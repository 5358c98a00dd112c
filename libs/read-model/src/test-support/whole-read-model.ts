import type { StoredEvent, Transaction } from '@taskrouter/event-store';
import { HistoryProjection } from '../history/history-projection';
import { ReadModelProjector } from '../read-model-projector';

/**
 * For specs: the current state and the history projected together, batch by batch, as the
 * append and the history projector do one after the other (a schema made anew: no prunes remembered).
 */
export function wholeReadModel(schema: string): (tx: Transaction, events: StoredEvent[]) => Promise<void> {
  const current = new ReadModelProjector(schema);
  const history = new HistoryProjection(schema);
  history.forget();
  return async (tx, events) => {
    await current.project(tx, events);
    await history.project(tx, events);
  };
}
