import type { RecordBatchHandler } from './event-consumer';
import type { ConsumedRecord } from './messages';

/**
 * A batch handler that runs the records of different keys at the same time (at most `limit`
 * keys at once) and each key's records one after another, in order. For a consumer whose work
 * waits on the outside world (an HTTP callback): one slow answer no longer holds up every other
 * entity's records, and per-entity order (rule 4) still holds. A record whose handler throws is
 * handed back, with the later records of its key, to the consumer's one-at-a-time path.
 */
export function concurrentByKey(limit: number): RecordBatchHandler {
  if (!(Number.isInteger(limit) && limit > 0)) throw new Error(`concurrentByKey needs a positive whole limit, not ${limit}`);
  return async (records, handleOne, control) => {
    const results: Array<{ kind: 'done' } | { kind: 'retry'; error?: unknown }> = records.map(() => ({ kind: 'retry' }));
    const byKey = new Map<string | null, number[]>();
    records.forEach((record, i) => {
      // Records without a key have no order to keep with each other: each is its own lane.
      const key = record.key ?? null;
      const lane = key === null ? undefined : byKey.get(key);
      if (lane) lane.push(i);
      else byKey.set(key === null ? `\u0000${i}` : key, [i]);
    });
    const lanes = [...byKey.values()];
    let next = 0;
    const runLane = async (lane: number[]) => {
      for (const i of lane) {
        // A partition lost meanwhile: its next owner handles what is left.
        if (!control.stillOwned()) return;
        try {
          await handleOne(records[i] as ConsumedRecord);
          results[i] = { kind: 'done' };
        } catch (error) {
          results[i] = { kind: 'retry', error };
          return;
        }
        await control.heartbeat();
      }
    };
    const worker = async () => {
      while (next < lanes.length && control.stillOwned()) await runLane(lanes[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, lanes.length) }, worker));
    return results;
  };
}
