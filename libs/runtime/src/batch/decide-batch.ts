import type { BatchDecision, BatchOutcome } from '@taskrouter/event-store';
import { DecisionBatch, type PendingState } from './decision-batch';

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
export async function decideBatch(items: readonly BatchItem[], target: BatchCommit): Promise<BatchItemResult[]> {
  const batch = new DecisionBatch();
  const results: BatchItemResult[] = new Array(items.length);
  const running: Array<Promise<void> | undefined> = new Array(items.length);
  const decisionsOf: number[][] = items.map(() => []);
  const failedKeys = new Set<string>();

  for (let i = 0; i < items.length; i++) {
    const { key, handle } = items[i];
    if (key !== null && failedKeys.has(key)) {
      results[i] = { kind: 'retry' };
      continue;
    }
    let handedIn: () => void = () => undefined;
    const decided = new Promise<void>((resolve) => (handedIn = resolve));
    batch.onCollected = () => {
      decisionsOf[i].push(batch.size - 1);
      handedIn();
    };
    running[i] = batch.run(handle).then(
      () => void (results[i] ??= { kind: 'done' }),
      (error) => void (results[i] = { kind: 'retry', error }),
    );
    await Promise.race([running[i], decided]);
    if (results[i]?.kind === 'retry' && key !== null) failedKeys.add(key);
  }
  batch.onCollected = () => undefined;

  const { decisions, pending } = batch.close();
  const outcomes = decisions.length === 0 ? [] : await target.commit(decisions);
  target.committed?.(decisions, pending, outcomes);
  // In record order: a handler's work after its append (a retry, Redis) never overtakes an earlier record's.
  for (let i = 0; i < items.length; i++) {
    for (const index of decisionsOf[i]) batch.settle(index, outcomes[index]);
    await running[i];
  }
  return results;
}
