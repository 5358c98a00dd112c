import type { RecordBatchHandler } from '@taskrouter/messaging';
import { timerChangeOf } from './timer-change-of-event';
import { TimerChanges, type TimerChangeTarget } from './timer-changes';

/**
 * The consumer's batch handler: the timer changes of a partition's records, netted in record
 * order and written in one statement before any record is reported done (so no offset is
 * committed ahead of its change, and a crash loses nothing acknowledged). It works out each
 * record's change itself, as the controller does for a record handled alone (`timerChangeOf`
 * for both): the handlers decide nothing, so neither the decision batch nor Nest's dispatch has
 * anything to add per record but their cost. A record whose event is refused is handed back
 * with the later records of its stream (they follow it, in order, alone: its retries and dead
 * letter apply); when the write fails every record is handed back.
 */
export function timerChangeBatches(target: TimerChangeTarget): RecordBatchHandler {
  return async (records, _handleOne, control) => {
    if (!control.stillOwned()) return records.map(() => ({ kind: 'retry' as const }));
    const netted = new TimerChanges();
    const failedKeys = new Set<string>();
    const results = records.map((record): { kind: 'done' } | { kind: 'retry'; error?: unknown } => {
      if (record.key !== null && failedKeys.has(record.key)) return { kind: 'retry' };
      try {
        const change = record.value === null ? null : timerChangeOf(JSON.parse(record.value) as { type: string; data: unknown });
        if (change) netted.add(change);
        return { kind: 'done' };
      } catch (error) {
        if (record.key !== null) failedKeys.add(record.key);
        return { kind: 'retry', error };
      }
    });
    await control.heartbeat();
    try {
      await target.apply(netted);
    } catch (error) {
      return results.map((result) => (result.kind === 'done' ? { kind: 'retry' as const, error } : result));
    }
    await control.heartbeat();
    return results;
  };
}
