/** An event about to be appended; the store assigns its position, version and time. */
export interface NewEvent {
  type: string;
  data: Record<string, unknown>;
  /** The version of this event type's data shape; defaults to 1. */
  schemaVersion?: number;
  /** Workspace/account, causation and correlation ids, the deciding clock's time. */
  metadata?: Record<string, unknown>;
}

/** An event as committed to the log. Stored events never change shape; see upcasters. */
export interface StoredEvent {
  /** Global position (bigint) as a decimal string. */
  position: string;
  /** Id of the writing transaction (xid8) as a decimal string. */
  transactionId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** ISO-8601 with milliseconds. */
  recordedAt: string;
}

/**
 * What a projection reads of a stored event. A replay reads only this, and skips the rest of
 * each row (metadata alone is a JSON document per event to parse).
 */
export type ProjectableEvent = Pick<StoredEvent, 'streamVersion' | 'type' | 'data'>;

/** An exact version (0 = the stream must not exist yet), or 'any' to skip the check. */
export type ExpectedVersion = number | 'any';

export interface StreamAppend {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
  /**
   * A stream the decision read and appends nothing to (its configuration, say): the append
   * commits only if the stream is still at `expectedVersion` (a number), and `events` is empty.
   * Read in the append's own statement, without a lock: a change committed before the append
   * began is always seen.
   */
  checkOnly?: boolean;
}

/** A version check of a stream read by a decision and not appended to (see StreamAppend.checkOnly). */
export function versionCheck(streamId: string, expectedVersion: number): StreamAppend {
  return { streamId, expectedVersion, events: [], checkOnly: true };
}

/**
 * How far a reader of the whole log got. Commit order is (transactionId, position), so a
 * checkpoint needs both: the position alone would skip a transaction that commits late.
 */
export interface GlobalCheckpoint {
  transactionId: string;
  position: string;
}
