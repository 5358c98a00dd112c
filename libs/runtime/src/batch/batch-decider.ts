import type { ConsumedRecord, RecordBatchHandler } from '@taskrouter/messaging';
import type { AggregateStore, ObservedEvent } from '../aggregate-store';
import type { BatchDecision, BatchOutcome, Projector, PostgresEventStore } from '@taskrouter/event-store';
import { decideBatch } from './decide-batch';

/** What a consumer's batches are decided against: the aggregate cache, the log and its projection. */
export interface BatchDecisionTarget {
  readonly aggregates: AggregateStore;
  readonly eventStore: PostgresEventStore;
  readonly project: Projector;
}

/**
 * A consumer's batch handler: each record's event is folded into the aggregate cache just before
 * its handler runs (so the handler decides without reading the stream), every decision of the
 * batch goes to the log in one transaction with its projection, and the cache takes what committed.
 */
export function batchDecider(target: BatchDecisionTarget): RecordBatchHandler {
  const commit = {
    commit: (decisions: BatchDecision[]): Promise<BatchOutcome[]> => target.eventStore.appendBatch(decisions, target.project),
    committed: target.aggregates.acceptBatch,
  };
  return (records, handleOne, control) => decideBatch(records.map((record) => ({
    key: record.key,
    handle: async () => {
      const event = observedEventOf(record);
      if (event) target.aggregates.observe(event);
      await handleOne(record);
    },
  })), commit, control);
}

/** The stored event a record carries, if it looks like one; anything else is left to the handler to refuse. */
export function observedEventOf(record: ConsumedRecord): ObservedEvent | undefined {
  if (record.value === null) return undefined;
  try {
    const event = JSON.parse(record.value) as Partial<ObservedEvent> | null;
    if (!event || typeof event.streamId !== 'string' || typeof event.streamVersion !== 'number' || typeof event.type !== 'string') return undefined;
    return event as ObservedEvent;
  } catch {
    return undefined;
  }
}
