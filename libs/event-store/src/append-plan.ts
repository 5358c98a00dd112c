import { EventTooLargeError, StreamOrderConflictError, WrongExpectedVersionError } from './errors';
import { MAX_EVENT_BYTES } from './event-size';
import type { ExpectedVersion, StreamAppend } from './events';

/** Marks "no expectation" in the SQL arrays, where versions are plain integers. */
export const ANY_VERSION = -1;

/** Parameters of the one statement that checks and advances every stream head. */
export interface StreamHeadColumns {
  streamIds: string[];
  expectedVersions: number[];
  eventCounts: number[];
}

/** Parameters of the one multi-row INSERT of all events of an append call. */
export interface EventColumns {
  streamIds: string[];
  streamVersions: number[];
  types: string[];
  schemaVersions: number[];
  data: string[];
  metadata: string[];
}

/** What the stream-head statement returned for one stream it advanced (or created). */
export interface AdvancedHead {
  version: number;
  created: boolean;
}

/** Rejects malformed appends before any SQL runs: these are programming errors, not conflicts. */
export function validateAppends(appends: readonly StreamAppend[]): void {
  const seen = new Set<string>();
  for (const append of appends) {
    const { streamId, expectedVersion, events } = append;
    if (typeof streamId !== 'string' || streamId.length === 0) throw new Error('An append needs a non-empty streamId');
    if (seen.has(streamId)) throw new Error(`Stream ${streamId} appears twice in one append; merge its events`);
    seen.add(streamId);
    if (expectedVersion !== 'any' && !(Number.isInteger(expectedVersion) && expectedVersion >= 0)) {
      throw new Error(`Invalid expected version ${String(expectedVersion)} for stream ${streamId}`);
    }
    if (append.checkOnly) {
      if (events.length > 0 || expectedVersion === 'any') throw new Error(`A version check of stream ${streamId} needs an expected version and no events`);
      continue;
    }
    if (events.length === 0) throw new Error(`An append to stream ${streamId} has no events`);
    for (const event of events) {
      if (typeof event.type !== 'string' || event.type.length === 0) throw new Error(`An event for stream ${streamId} has no type`);
      const schemaVersion = event.schemaVersion ?? 1;
      if (!(Number.isInteger(schemaVersion) && schemaVersion > 0)) {
        throw new Error(`Invalid schema version ${String(event.schemaVersion)} for ${event.type}`);
      }
    }
  }
}

/**
 * Streams sorted by id: the statement locks their heads in this order, so two appends that
 * touch the same streams can never deadlock each other.
 */
export function streamHeadColumns(appends: readonly StreamAppend[]): StreamHeadColumns {
  const sorted = [...appends].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  return {
    streamIds: sorted.map((a) => a.streamId),
    expectedVersions: sorted.map((a) => (a.expectedVersion === 'any' ? ANY_VERSION : a.expectedVersion)),
    eventCounts: sorted.map((a) => a.events.length),
  };
}

/**
 * The first stream whose head was not advanced as asked, if any. A created head is also a
 * failure when an existing stream was expected: the statement cannot tell "missing" from
 * "present" before it inserts, and the rollback that follows removes the head again.
 */
export function firstUnadvancedStream(
  appends: readonly StreamAppend[],
  advanced: ReadonlyMap<string, AdvancedHead>,
): { append: StreamAppend; createdUnexpectedly: boolean } | undefined {
  for (const append of appends) {
    const head = advanced.get(append.streamId);
    if (!head) return { append, createdUnexpectedly: false };
    if (head.created && typeof append.expectedVersion === 'number' && append.expectedVersion > 0) {
      return { append, createdUnexpectedly: true };
    }
  }
  return undefined;
}

/**
 * Why a stream head was not advanced, given its committed version: either another decision
 * came first (wrong version), or the versions agree and only commit order forbade it.
 */
export function conflictFor(streamId: string, expected: ExpectedVersion, actualVersion: number): Error {
  if (expected === 'any' || expected === actualVersion) return new StreamOrderConflictError(streamId);
  return new WrongExpectedVersionError(streamId, expected, actualVersion);
}

/** Every event's data and metadata as the JSON text the INSERT sends, in the caller's order. */
export interface SerializedEvents {
  data: string[];
  metadata: string[];
}

/**
 * Serialises every event once and refuses any whose data and metadata exceed `maxEventBytes`
 * (UTF-8): an event larger than the event topics accept could never be relayed, so it must
 * never be committed. Runs before any SQL, so a refused append changes nothing.
 */
export function serializeEvents(appends: readonly StreamAppend[], maxEventBytes = MAX_EVENT_BYTES): SerializedEvents {
  const serialized: SerializedEvents = { data: [], metadata: [] };
  for (const { streamId, events } of appends) {
    for (const event of events) {
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata ?? {});
      // String length is a lower bound of the UTF-8 size: only near the limit is it worth counting bytes.
      const size = data.length + metadata.length > maxEventBytes / 4 ? Buffer.byteLength(data) + Buffer.byteLength(metadata) : 0;
      if (size > maxEventBytes) throw new EventTooLargeError(streamId, event.type, size, maxEventBytes);
      serialized.data.push(data);
      serialized.metadata.push(metadata);
    }
  }
  return serialized;
}

/** One row per event, in the caller's order; stream versions follow each stream's new head. */
export function eventColumns(
  appends: readonly StreamAppend[],
  newHeads: ReadonlyMap<string, number>,
  serialized: SerializedEvents = serializeEvents(appends),
): EventColumns {
  const columns: EventColumns = { streamIds: [], streamVersions: [], types: [], schemaVersions: [], data: serialized.data, metadata: serialized.metadata };
  for (const { streamId, events } of appends) {
    if (events.length === 0) continue;
    const head = newHeads.get(streamId);
    if (head === undefined) throw new Error(`No new head for stream ${streamId}`);
    let version = head - events.length;
    for (const event of events) {
      version += 1;
      columns.streamIds.push(streamId);
      columns.streamVersions.push(version);
      columns.types.push(event.type);
      columns.schemaVersions.push(event.schemaVersion ?? 1);
    }
  }
  return columns;
}
