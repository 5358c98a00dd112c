import { validateAppends } from './append-plan';
import { WrongExpectedVersionError } from './errors';
import type { NewEvent, StreamAppend } from './events';

/**
 * Why a decision of a batch was left out before any SQL ran: it built on an earlier decision of
 * the same batch that lost, so the state it decided on will never be committed.
 */
export class DependsOnLostDecisionError extends WrongExpectedVersionError {
  constructor(streamId: string, expected: number, reason: string) {
    super(streamId, expected, -1);
    this.message = `Stream ${streamId}: the decision built on an earlier decision of its batch that was not committed (${reason})`;
  }
}

/** One stream's events from every decision of the batch that appends to it, in decision order. */
export interface MergedStreamAppend extends StreamAppend {
  /** For each event, the index of the decision it came from. */
  decisionOf: number[];
  /** The decisions that only checked this stream's version (appends without events), in batch order. */
  checkedBy: number[];
}

export interface BatchPlan {
  /** One append per stream, expecting the version the first included decision read. */
  merged: MergedStreamAppend[];
  /** Decisions whose events are in `merged`, in batch order. */
  included: number[];
  /** Decisions left out, with the error each one's caller gets. */
  lost: Map<number, Error>;
}

/**
 * Plans one transaction for a batch of independent decisions, each a set of stream appends that
 * must commit together. Decisions of the batch may build on one another (the second decision on
 * a task read the state the first one produced): their appends chain, and one append per stream
 * carries them all. A decision is left out when it was already lost (`excluded`, from an earlier
 * try of the same batch), when its versions do not chain onto the decisions before it, or when
 * it shares a stream with a decision left out before it: whatever it read of that stream
 * included events that will not be committed, so it must be decided again, alone.
 */
export function planBatch(decisions: ReadonlyArray<{ appends: readonly StreamAppend[] }>, excluded: ReadonlyMap<number, Error> = new Map()): BatchPlan {
  const merged = new Map<string, MergedStreamAppend>();
  /** The version each stream reaches after the included decisions so far; null once unknown ('any'). */
  const projected = new Map<string, number | null>();
  const tainted = new Map<string, string>();
  const included: number[] = [];
  const lost = new Map<number, Error>();
  const leaveOut = (index: number, appends: readonly StreamAppend[], error: Error) => {
    lost.set(index, error);
    // A stream it only checked got nothing from it that a later decision could have built on.
    for (const { streamId, checkOnly } of appends) if (!checkOnly && !tainted.has(streamId)) tainted.set(streamId, error.message);
  };

  decisions.forEach(({ appends }, index) => {
    const earlier = excluded.get(index);
    if (earlier) return leaveOut(index, appends, earlier);
    validateAppends(appends as StreamAppend[]);
    const taintedStream = appends.find((a) => tainted.has(a.streamId));
    if (taintedStream) {
      const expected = taintedStream.expectedVersion === 'any' ? -1 : taintedStream.expectedVersion;
      return leaveOut(index, appends, new DependsOnLostDecisionError(taintedStream.streamId, expected, tainted.get(taintedStream.streamId)!));
    }
    for (const { streamId, expectedVersion } of appends) {
      if (!projected.has(streamId) || expectedVersion === 'any') continue;
      const head = projected.get(streamId);
      // After an 'any' append the version is only known once committed: an exact expectation then loses.
      if (head !== expectedVersion) return leaveOut(index, appends, new WrongExpectedVersionError(streamId, expectedVersion, head ?? -1));
    }
    included.push(index);
    for (const { streamId, expectedVersion, events } of appends) {
      const stream = merged.get(streamId) ?? { streamId, expectedVersion, events: [] as NewEvent[], decisionOf: [], checkedBy: [] };
      merged.set(streamId, stream);
      stream.events.push(...events);
      for (let i = 0; i < events.length; i++) stream.decisionOf.push(index);
      if (events.length === 0) stream.checkedBy.push(index);
      const before = projected.has(streamId) ? projected.get(streamId)! : expectedVersion === 'any' ? null : expectedVersion;
      projected.set(streamId, before === null ? null : before + events.length);
    }
  });
  return { merged: [...merged.values()], included, lost };
}

/**
 * The decisions that append to, or check, any of `streamIds`: what a stream head that did not
 * advance, or a check that failed, takes down.
 */
export function decisionsTouching(plan: BatchPlan, streamIds: ReadonlySet<string>): Set<number> {
  const touching = new Set<number>();
  for (const stream of plan.merged) {
    if (!streamIds.has(stream.streamId)) continue;
    for (const index of stream.decisionOf) touching.add(index);
    for (const index of stream.checkedBy) touching.add(index);
  }
  return touching;
}
