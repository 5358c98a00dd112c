import { backoffDelay, pause } from './backoff';
import type { AttemptOutcome } from './bounded-attempts';
import { DeadLetterAlarm } from './dead-letter-alarm';
import { DeadLetterCounters } from './dead-letter-counters';
import { DEFAULT_RETRY_POLL_MS, type DeadLetterPolicy, type DeadLetterSource, type DeadLetterStore, type StoredDeadLetter } from './dead-letters';
import { describeFailure } from './failure-kinds';
import { EVENT_POSITION_HEADER, type ConsumedRecord, type MessagingLogger } from './messages';

/** Runs the consumer's handler on a record with its bounded attempts. */
export type RecordAttempt = (record: ConsumedRecord, stillOwned: () => boolean) => Promise<AttemptOutcome>;

/** Waits between tries of a dead-letter table operation while Postgres does not answer. */
const STORE_BACKOFF = { initialMs: 100, maxMs: 5_000 };

/**
 * The dead letter for a consumed record. A redelivery has the same offset, but the relay may also
 * publish an event again at a later offset (it republishes a round Kafka partly refused): an
 * event's log position names it across both, so a copy of a parked event is never held behind it.
 */
export function consumedLetter(consumer: string, record: ConsumedRecord): DeadLetterSource {
  const position = record.headers[EVENT_POSITION_HEADER];
  return {
    consumer, topic: record.topic, partition: record.partition, offset: record.offset,
    sourceRef: position ? `${record.topic}/log/${position}` : `${record.topic}/${record.partition}/${record.offset}`,
    // A key stays on one partition, so its offsets are its order.
    streamKey: record.key, streamSequence: record.offset,
    eventType: record.headers['event-type'] ?? null, value: record.value, headers: record.headers,
  };
}

function recordOf(letter: StoredDeadLetter): ConsumedRecord {
  return { topic: letter.topic, partition: letter.partition ?? -1, offset: letter.offset ?? '-1', key: letter.streamKey, value: letter.value, headers: letter.headers };
}

/**
 * One consumer group's side of the dead letters: the hot path's check whether a record's stream
 * is held back (an in-memory set of parked keys, confirmed by the table only on a hit), parking,
 * and the loop that re-handles what an operator marked for retry, in stream order.
 */
export class ConsumerDeadLetters {
  private readonly store: DeadLetterStore;
  private readonly retryPollMs: number;
  private readonly alarm: DeadLetterAlarm;
  /** Keys with a dead letter, or that had one: a stale key costs one table look-up, a missing one would break order. */
  private readonly parkedKeys = new Set<string>();
  private keysLoaded: Promise<void> = Promise.resolve();
  private assignment = new Map<string, Set<number>>();
  private retryLoop: Promise<void> | undefined;

  constructor(
    private readonly groupId: string,
    policy: DeadLetterPolicy,
    private readonly logger: MessagingLogger,
  ) {
    this.store = policy.store;
    this.retryPollMs = policy.retryPollMs ?? DEFAULT_RETRY_POLL_MS;
    this.alarm = new DeadLetterAlarm(logger, policy.counters ?? new DeadLetterCounters());
  }

  /**
   * Adds the table's parked keys to the set: at start, and after every rebalance, because the
   * member that owned our new partitions before may have parked keys we have not seen.
   * Only added, never replaced: a replace could drop a key parked while the read ran.
   */
  reloadKeys(signal: AbortSignal): void {
    this.keysLoaded = this.keysLoaded.then(async () => {
      const keys = await this.withStore('load the parked keys', () => this.store.parkedKeys(this.groupId), () => !signal.aborted, signal);
      for (const key of keys ?? []) this.parkedKeys.add(key);
    });
  }

  /** True when the key has, or had, a dead letter: its records must go one at a time, through `holdIfBehind`. */
  mayHold(key: string): boolean {
    return this.parkedKeys.has(key);
  }

  /** The hot path waits for this before each batch: cheap once loaded. */
  keysReady(): Promise<void> {
    return this.keysLoaded;
  }

  assigned(assignment: Record<string, number[]>): void {
    this.assignment = new Map(Object.entries(assignment).map(([topic, partitions]) => [topic, new Set(partitions)]));
  }

  revoked(): void {
    this.assignment = new Map();
  }

  /**
   * True when the record was set aside behind its stream's dead letter (commit it, do not handle
   * it), false when it must be handled, undefined when the consumer stopped meanwhile.
   */
  async holdIfBehind(record: ConsumedRecord, stillOwned: () => boolean, signal: AbortSignal, heartbeat?: () => Promise<void>): Promise<boolean | undefined> {
    if (record.key === null || !this.parkedKeys.has(record.key)) return false;
    const letter = consumedLetter(this.groupId, record);
    const outcome = await this.withStore('check the dead letters of a stream', () => this.store.holdIfBehind(letter), stillOwned, signal, heartbeat);
    if (outcome === undefined) return undefined;
    // Only the hot path forgets a key: it knows no record of that key is in flight elsewhere.
    if (outcome === 'clear') this.parkedKeys.delete(record.key);
    if (outcome === 'held') this.alarm.held(letter);
    return outcome === 'held' || outcome === 'already-there';
  }

  /** Parks a record that failed too often; false when the consumer stopped before the park committed. */
  async park(record: ConsumedRecord, failure: Parameters<DeadLetterStore['park']>[1], stillOwned: () => boolean, signal: AbortSignal, heartbeat?: () => Promise<void>): Promise<boolean> {
    const letter = consumedLetter(this.groupId, record);
    const stored = await this.withStore('park a record', () => this.store.park(letter, failure), stillOwned, signal, heartbeat);
    if (stored === undefined) return false;
    if (record.key !== null) this.parkedKeys.add(record.key);
    if (stored) this.alarm.parked(letter, failure, 'parked');
    return true;
  }

  /** Polls for letters marked for retry until the signal aborts. */
  startRetrying(attempt: RecordAttempt, signal: AbortSignal): void {
    this.retryLoop ??= (async () => {
      while (!signal.aborted) {
        await pause(this.retryPollMs, signal);
        if (signal.aborted) break;
        try {
          await this.retryMarked(attempt, signal);
        } catch (error) {
          this.logger({ level: 'warn', source: 'DeadLetters', message: 'Retrying dead letters failed; trying again', details: { consumer: this.groupId, error: describeFailure(error) } });
        }
      }
    })().finally(() => (this.retryLoop = undefined));
  }

  async stopRetrying(): Promise<void> {
    await this.retryLoop;
  }

  /**
   * Re-handles each marked stream from its first letter on: deleted when handled, parked again
   * (and the rest of the stream left waiting) when it fails. Only the partition's owner does it,
   * so two members never retry one stream at once.
   */
  async retryMarked(attempt: RecordAttempt, signal: AbortSignal): Promise<void> {
    for (const head of await this.store.headsToRetry(this.groupId)) {
      let letter: StoredDeadLetter | null = head;
      while (letter !== null && !signal.aborted && this.owns(letter)) {
        const current: StoredDeadLetter = letter;
        const outcome = await attempt(recordOf(current), () => !signal.aborted && this.owns(current));
        if (outcome.kind === 'stopped') break;
        if (outcome.kind === 'failed') {
          await this.store.repark(current, outcome.failure);
          this.alarm.parked(current, outcome.failure, 'reparked');
          break;
        }
        letter = await this.store.resolve(current);
        this.alarm.retried(current);
      }
    }
  }

  private owns(letter: StoredDeadLetter): boolean {
    return letter.partition !== null && (this.assignment.get(letter.topic)?.has(letter.partition) ?? false);
  }

  /** A table operation, tried until it answers (Postgres may be restarting) or the owner stops. */
  /**
   * `heartbeat`, when the caller holds a batch: sent after each wait, so a database away for
   * longer than the session timeout (10 s) does not cost the member its partitions.
   */
  private async withStore<T>(what: string, operation: () => Promise<T>, stillOwned: () => boolean, signal: AbortSignal, heartbeat?: () => Promise<void>): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        const delayMs = backoffDelay(attempt, STORE_BACKOFF);
        this.logger({ level: 'error', source: 'DeadLetters', message: `Could not ${what}; trying again in ${delayMs} ms`, details: { consumer: this.groupId, attempt, error: describeFailure(error) } });
        await pause(delayMs, signal);
        if (!stillOwned()) return undefined;
        await heartbeat?.().catch(() => undefined);
      }
    }
  }
}
