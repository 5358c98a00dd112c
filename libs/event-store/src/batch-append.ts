import type { SerializedEvents } from './append-plan';
import type { BatchPlan } from './batch-append-plan';
import type { StoredEvent, StreamAppend } from './events';
import type { Transaction } from './postgres-event-store';

/** One decision of a batch: appends that commit together, and the decider's own effect in the same transaction. */
export interface BatchDecision {
  readonly appends: readonly StreamAppend[];
  readonly alsoInTransaction?: (tx: Transaction, events: StoredEvent[]) => Promise<void>;
}

export type BatchOutcome = { readonly committed: true; readonly events: StoredEvent[] } | { readonly committed: false; readonly error: Error };

/** Raised inside a batch's transaction to roll it back: these streams' heads did not advance, and why. */
export class HeadsNotAdvanced extends Error {
  constructor(readonly conflicts: ReadonlyMap<string, Error>) {
    super(`Stream heads not advanced: ${[...conflicts.keys()].join(', ')}`);
  }
}

/**
 * The serialised data and metadata of the merged appends, in their order, taken from each
 * decision's own serialisation (each event is serialised once, when its decision is checked).
 */
export function mergedSerialization(
  decisions: ReadonlyArray<{ appends: readonly StreamAppend[] }>, plan: BatchPlan, serialized: ReadonlyArray<SerializedEvents | null>,
): SerializedEvents {
  // Where the next event of each decision's append to each stream sits in that decision's serialisation.
  const cursor = new Map<string, number>();
  for (const index of plan.included) {
    let offset = 0;
    for (const append of decisions[index].appends) {
      cursor.set(`${index}\u0000${append.streamId}`, offset);
      offset += append.events.length;
    }
  }
  const out: SerializedEvents = { data: [], metadata: [] };
  for (const stream of plan.merged) {
    for (const index of stream.decisionOf) {
      const key = `${index}\u0000${stream.streamId}`;
      const at = cursor.get(key);
      const own = serialized[index];
      if (at === undefined || !own) throw new Error(`Decision ${index} is in the plan without its serialisation`);
      cursor.set(key, at + 1);
      out.data.push(own.data[at]);
      out.metadata.push(own.metadata[at]);
    }
  }
  return out;
}
