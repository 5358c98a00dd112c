import type { BatchDecision, BatchOutcome } from '@taskrouter/event-store';
import type { BatchControl } from '@taskrouter/messaging';
import { DecisionBatch, type PendingState } from './decision-batch';

const ALWAYS_OWNED: BatchControl = { heartbeat: () => Promise.resolve(), stillOwned: () => true };

export interface BatchItem {
  /** The stream key of the record: once one of its records fails, the rest of that stream waits. */
  readonly key: string | null;
  readonly handle: () => Promise<void>;
}

/** done: handled (its decisions committed, or it decided nothing); retry: handle it again alone, in order. */
export type BatchItemResult = { readonly kind: 'done' } | { readonly kind: 'retry'; readonly error?: unknown };

export interface BatchCommit {
  commit(decisions: BatchDecision[]): Promise<BatchOutcome[]>;
  /** After the transaction: what the batch read and produced, and what became of each decision. */
  committed?(decisions: readonly BatchDecision[], pending: ReadonlyMap<string, PendingState>, outcomes: readonly BatchOutcome[]): void;
}

/**
 * Runs the handlers of a batch one after another, each until it has handed in its decision,
 * then commits every decision in one transaction and lets each handler finish, in order. A
 * handler that failed, and the later records of its stream, are handed back to be handled
 * again alone (the consumer's retries and dead letters apply there); a decision that lost a
 * version race is decided again by its own handler, directly, as it would be outside a batch.
 */
export async function decideBatch(items: readonly BatchItem[], target: BatchCommit, control: BatchControl = ALWAYS_OWNED): Promise<BatchItemResult[]> {
  const batch = new DecisionBatch();
  const results: BatchItemResult[] = new Array(items.length);
  const running: Array<Promise<void> | undefined> = new Array(items.length);
  const decisionsOf: number[][] = items.map(() => []);
  const failedKeys = new Set<string>();

  for (let i = 0; i < items.length; i++) {
    const { key, handle } = items[i];
    if ((key !== null && failedKeys.has(key)) || !control.stillOwned()) {
      results[i] = { kind: 'retry' };
      continue;
    }
    let handedIn: () => void = () => undefined;
    const decided = new Promise<void>((resolve) => (handedIn = resolve));
    batch.onCollected = () => {
      decisionsOf[i].push(batch.size - 1);
      handedIn();
    };
    batch.currentKey = key;
    running[i] = batch.run(handle).then(
      () => void (results[i] ??= { kind: 'done' }),
      (error) => void (results[i] = { kind: 'retry', error }),
    );
    await Promise.race([running[i], decided]);
    if (results[i]?.kind === 'retry' && key !== null) failedKeys.add(key);
    await control.heartbeat();
  }
  batch.onCollected = () => undefined;

  const { decisions, pending } = batch.close();
  let outcomes: BatchOutcome[];
  try {
    outcomes = decisions.length === 0 ? [] : await target.commit(decisions);
  } catch (error) {
    // Every handler waiting on the batch gets the error (and is handed back), none waits forever.
    outcomes = decisions.map(() => ({ committed: false, error: error as Error }));
  }
  target.committed?.(decisions, pending, outcomes);
  // In record order: a handler's work after its append (a retry, Redis) never overtakes an earlier record's.
  const failedAfterCommit = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    for (const index of decisionsOf[i]) batch.settle(index, outcomes[index]);
    await running[i];
    const key = items[i].key;
    if (key === null) continue;
    // A record handed back after its commit is handled again alone, so the later records of its
    // stream are too, after it, in order (handlers are idempotent: what they did is not done twice).
    if (failedAfterCommit.has(key)) results[i] = { kind: 'retry' };
    else if (results[i]?.kind === 'retry' && running[i] !== undefined && !failedKeys.has(key)) failedAfterCommit.add(key);
    await control.heartbeat();
  }
  return results;
}
