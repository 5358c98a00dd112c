/**
 * The port through which consumers and the outbox relay set aside a record they cannot get
 * past (a dead letter), so that the rest of their partition goes on. A stream with a dead
 * letter holds back its own later records (per-entity order), and nothing else.
 * The Postgres implementation lives in the runtime library; messaging only knows this shape.
 */
import type { DeadLetterCounters } from './dead-letter-counters';

/** Where a dead letter came from and what it carries: enough to handle or publish it again. */
export interface DeadLetterSource {
  /** The consumer group, or the relay's name. */
  consumer: string;
  /** The topic it was consumed from, or (relay) the topic it was to be published to. */
  topic: string;
  /** Null for the relay: the event never reached a partition. */
  partition: number | null;
  /** Kafka offset (int64 as a decimal string); null for the relay. */
  offset: string | null;
  /** What makes a redelivery the same letter: topic/partition/offset, or (relay) the log position. */
  sourceRef: string;
  /** The record key, which is the stream id; null means nothing is held behind this letter. */
  streamKey: string | null;
  /**
   * The record's place among its stream's records as this consumer sees them (decimal string):
   * the offset for consumers (a key stays on one partition), the stream version for the relay.
   */
  streamSequence: string;
  eventType: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Why a letter was parked. */
export interface DeadLetterFailure {
  error: string;
  /** How many times it was tried before it was parked. */
  attempts: number;
  firstFailedAt: Date;
}

export interface StoredDeadLetter extends DeadLetterSource {
  id: string;
  /** `parked`: it failed; `held`: it waits behind an earlier dead letter of its stream. */
  status: 'parked' | 'held';
}

/**
 * `clear`: its stream has no dead letter (any more), handle it. `ahead`: the stream's dead letters
 * all come after it (a redelivery of what was handled before them), handle it. `held`: set aside
 * behind them. `already-there`: a redelivery of a dead letter, nothing to do.
 */
export type HoldOutcome = 'clear' | 'ahead' | 'held' | 'already-there';

export interface DeadLetterStore {
  /** The stream keys that have dead letters of this consumer (a superset is harmless, a subset is not). */
  parkedKeys(consumer: string): Promise<string[]>;
  /** Parks a letter that failed. False when it was there already (a redelivery). */
  park(letter: DeadLetterSource, failure: DeadLetterFailure): Promise<boolean>;
  /**
   * Holds the letter behind its stream's dead letters when one sits at or before it; atomic with
   * `resolve`, so a record arriving while the stream's last letter is retried is never overtaken.
   */
  holdIfBehind(letter: DeadLetterSource): Promise<HoldOutcome>;
  /** The first letter of each stream of this consumer that an operator marked for retry. */
  headsToRetry(consumer: string): Promise<StoredDeadLetter[]>;
  /** Deletes a letter that was handled; returns its stream's next letter, or null once the stream is clear. */
  resolve(letter: StoredDeadLetter): Promise<StoredDeadLetter | null>;
  /** A retried letter failed again: it becomes its stream's parked letter, and the stream waits for the operator. */
  repark(letter: StoredDeadLetter, failure: DeadLetterFailure): Promise<void>;
}

/** How a consumer or relay uses dead letters. Without a policy they retry a failing record forever. */
export interface DeadLetterPolicy {
  store: DeadLetterStore;
  /** Tries before a record is parked; default 5. Transient failures do not count. */
  maxAttempts?: number;
  /** How often marked-for-retry letters are looked for, off the hot path; default 1000 ms. */
  retryPollMs?: number;
  /**
   * Failures that say nothing about the record (a dependency is down): retried without limit and
   * never parked, or an outage would park everything in flight. Default `isTransientFailure`.
   */
  isTransient?: (error: unknown) => boolean;
  /** Counts what was parked, held and retried; shared by a service's consumers to report them. */
  counters?: DeadLetterCounters;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_POLL_MS = 1000;
