import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConsumedRecord, RecordBatchHandler } from '@taskrouter/messaging';
import { TimerChanges } from './timer-changes';
import type { NewTimer } from './timer-store';

type TimerChange = (changes: TimerChanges) => void;

/** The changes one record's handler made while its batch collects them. */
interface RecordChanges {
  readonly changes: TimerChange[];
  collecting: boolean;
}

/** Where the changes go in the end: `TimerStore.apply`. */
export interface TimerChangeTarget {
  apply(changes: TimerChanges): Promise<void>;
}

const scope = new AsyncLocalStorage<RecordChanges>();

/**
 * Schedules and cancels timers for the scheduler's handlers. Inside a consumed batch (see
 * `inBatches`) a change is only collected, and the whole batch's changes are written in one
 * statement once its handlers are done, before the batch handler reports any record done: the
 * consumer commits no offset of a record whose changes are not written, so a crash loses nothing
 * acknowledged. A record handled alone (a retry, a dead letter's) writes its change at once.
 */
export class TimerWriter {
  /** `batches` takes a batch's changes (a group commit across partitions, say); `alone` a record's handled alone. */
  constructor(private readonly alone: TimerChangeTarget, private readonly batches: TimerChangeTarget = alone) {}

  schedule(timer: NewTimer): Promise<void> {
    return this.change((changes) => changes.schedule(timer));
  }

  cancelTask(taskSid: string): Promise<void> {
    return this.change((changes) => changes.cancelTask(taskSid));
  }

  cancelReservation(taskSid: string, reservationSid: string): Promise<void> {
    return this.change((changes) => changes.cancelReservation(taskSid, reservationSid));
  }

  /**
   * Wraps the consumer's batch handler: each record's changes are collected while `decide` runs
   * it, then those of the records it got done are netted in record order and written together.
   * A record handed back keeps none of its changes (it makes them again when handled alone, in
   * order); when the write fails, every record is handed back, to be handled alone.
   */
  inBatches(decide: RecordBatchHandler): RecordBatchHandler {
    return async (records, handleOne, control) => {
      const collected = new Map<ConsumedRecord, RecordChanges>();
      const collecting = (record: ConsumedRecord) => {
        const own: RecordChanges = { changes: [], collecting: true };
        collected.set(record, own);
        return scope.run(own, () => handleOne(record));
      };
      const results = await decide(records, collecting, control);
      const netted = new TimerChanges();
      records.forEach((record, i) => {
        const own = collected.get(record);
        if (!own) return;
        // From here on a change of this record's handler (none is expected) goes to the store directly.
        own.collecting = false;
        if (results[i]?.kind === 'done') for (const change of own.changes) change(netted);
      });
      try {
        await this.batches.apply(netted);
        return results;
      } catch (error) {
        return results.map((result) => (result.kind === 'done' ? { kind: 'retry' as const, error } : result));
      }
    };
  }

  private change(change: TimerChange): Promise<void> {
    const batch = scope.getStore();
    if (batch?.collecting) {
      batch.changes.push(change);
      return Promise.resolve();
    }
    const alone = new TimerChanges();
    change(alone);
    return this.alone.apply(alone);
  }
}
