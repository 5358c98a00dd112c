import type { DeadLetterSource, StoredDeadLetter } from '@taskrouter/messaging';
import type { PoolClient } from 'pg';

/** A dead letter as the operator command lists it. */
export interface DeadLetterRow extends StoredDeadLetter {
  error: string | null;
  attempts: number;
  firstFailedAt: Date | null;
  lastFailedAt: Date | null;
  parkedAt: Date;
  retryRequestedAt: Date | null;
  retries: number;
}

export const DEAD_LETTER_COLUMNS = `id::text AS id, consumer, status, topic, kafka_partition, kafka_offset::text AS kafka_offset, source_ref,
  stream_key, stream_sequence::text AS stream_sequence, event_type, value, headers, error, attempts, first_failed_at, last_failed_at,
  parked_at, retry_requested_at, retries`;

/**
 * A stream's letters in order, by the table's numeric columns of alias `d`: DEAD_LETTER_COLUMNS
 * selects `id` and `stream_sequence` as text aliases, and an ORDER BY naming them unqualified sorts
 * those aliases as text (offset 10 before 9), which let a record overtake its stream.
 */
export const IN_STREAM_ORDER = 'd.stream_sequence, d.id';

export interface DeadLetterRecord {
  id: string; consumer: string; status: 'parked' | 'held'; topic: string; kafka_partition: number | null; kafka_offset: string | null;
  source_ref: string; stream_key: Buffer | null; stream_sequence: string; event_type: string | null; value: Buffer | null;
  headers: Record<string, string>; error: string | null; attempts: number; first_failed_at: Date | null; last_failed_at: Date | null;
  parked_at: Date; retry_requested_at: Date | null; retries: number;
}

export function toDeadLetterRow(r: DeadLetterRecord): DeadLetterRow {
  return {
    id: r.id, consumer: r.consumer, status: r.status, topic: r.topic, partition: r.kafka_partition, offset: r.kafka_offset, sourceRef: r.source_ref,
    streamKey: r.stream_key === null ? null : r.stream_key.toString('utf8'), streamSequence: r.stream_sequence, eventType: r.event_type, value: r.value === null ? null : r.value.toString('utf8'),
    headers: r.headers, error: r.error, attempts: r.attempts, firstFailedAt: r.first_failed_at, lastFailedAt: r.last_failed_at,
    parkedAt: r.parked_at, retryRequestedAt: r.retry_requested_at, retries: r.retries,
  };
}

const NUL = String.fromCharCode(0);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text Postgres accepts: NUL and lone surrogates become U+FFFD. The poison record may well carry
 * them (in its headers or error), and a park that Postgres refuses would hold the partition
 * again. Only for what is shown, never matched: keys and values are stored as bytes.
 */
export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null): string | null {
  return text === null ? null : text.replaceAll(NUL, '\ufffd').replace(LONE_SURROGATE, '\ufffd');
}

export function storableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [storableText(name), storableText(value)]));
}

/** Keys are compared as bytes (see the migration). */
export function keyBytes(streamKey: string): Buffer;
export function keyBytes(streamKey: string | null): Buffer | null;
export function keyBytes(streamKey: string | null): Buffer | null {
  return streamKey === null ? null : Buffer.from(streamKey, 'utf8');
}

/** The columns of a new letter, in the order of INSERT_COLUMNS. */
export const INSERT_COLUMNS = 'consumer, status, topic, kafka_partition, kafka_offset, source_ref, stream_key, stream_sequence, event_type, value, headers';

export function insertValues(letter: DeadLetterSource, status: 'parked' | 'held'): unknown[] {
  return [
    storableText(letter.consumer), status, storableText(letter.topic), letter.partition, letter.offset, storableText(letter.sourceRef),
    keyBytes(letter.streamKey), letter.streamSequence, storableText(letter.eventType),
    letter.value === null ? null : Buffer.from(letter.value, 'utf8'), JSON.stringify(storableHeaders(letter.headers)),
  ];
}

/**
 * Serialises everything that adds to, clears or walks one stream's dead letters of one consumer
 * (a hold against the retry loop's last delete), for the rest of the transaction.
 */
export async function lockStream(client: PoolClient, schema: string, consumer: string, streamKey: string | null): Promise<void> {
  if (streamKey === null) return;
  // Two keys that only differ by a NUL share a lock: harmless.
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`dead-letters:${schema}:${storableText(consumer)}:${storableText(streamKey)}`]);
}
