import type { ExpectedVersion } from './events';

/** Someone else decided first: re-read the stream and decide again. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${expected}`);
  }
}

/**
 * The stream's last event was written by a transaction with a higher id than ours, which
 * committed while ours was already running. Appending now would place our event before it
 * in commit order (transactionId, position), inverting the stream's order for every reader
 * of the whole log. Retrying in a fresh transaction (a higher id) is always safe; `append`
 * does it by itself, callers of `appendWithin` retry their whole transaction.
 */
export class StreamOrderConflictError extends Error {
  override readonly name = 'StreamOrderConflictError';

  constructor(readonly streamId: string) {
    super(`Stream ${streamId} was written by a later transaction that committed first; retry in a new transaction`);
  }
}

/** One transaction per command: a second one opened inside the first can deadlock the pool. */
export class NestedTransactionError extends Error {
  override readonly name = 'NestedTransactionError';

  constructor() {
    super('A transaction was opened inside another one of the same event store; pass the open transaction instead');
  }
}

/**
 * An event over the size every part of the pipeline can carry (see MAX_EVENT_BYTES). The
 * edge bounds its inputs so that no accepted request gets here; reaching it is a bug, refused
 * before anything is written instead of stopping the relay for every account later.
 */
export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError';

  constructor(
    readonly streamId: string,
    readonly type: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`Event ${type} for ${streamId} is ${bytes} bytes, over the ${limit}-byte limit of one event`);
  }
}
