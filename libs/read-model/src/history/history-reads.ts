import type { GlobalCheckpoint } from '@taskrouter/event-store';

/**
 * What readers of the history wait on: the history follows the log after the append
 * (history-projector.ts), so a read that must see a change first waits for it to be projected.
 * Each resolves false when the history did not get there within its timeout (the projector is
 * down or far behind): the reader then answers with what is there.
 */
export interface HistoryReads {
  /** Everything committed before the call is in the history (the API's reads of Events and statistics). */
  settled(): Promise<boolean>;
  /** Everything up to this point of the log is in the history (a consumed event's Events are there). */
  reached(point: GlobalCheckpoint): Promise<boolean>;
}

/** A consumed event's own point of the log (a published event carries it), or undefined for one without. */
export function logPointOf(event: object): GlobalCheckpoint | undefined {
  const { transactionId, position } = event as { transactionId?: unknown; position?: unknown };
  return typeof transactionId === 'string' && typeof position === 'string' ? { transactionId, position } : undefined;
}

/** Waits until the history holds a consumed event's Events. */
export function historyHolds(history: HistoryReads, event: object): Promise<boolean> {
  const point = logPointOf(event);
  return point ? history.reached(point) : history.settled();
}
