import { backoffDelay, pause, type BackoffOptions } from './backoff';
import type { StoredEventLike } from './committed-event-source';
import { DeadLetterAlarm } from './dead-letter-alarm';
import { DeadLetterCounters } from './dead-letter-counters';
import {
  DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_POLL_MS, type DeadLetterFailure, type DeadLetterPolicy, type DeadLetterSource, type DeadLetterStore, type StoredDeadLetter,
} from './dead-letters';
import type { RecordPublisher } from './event-publisher';
import { describeFailure, isRecordRejection } from './failure-kinds';
import type { MessagingLogger, OutgoingRecord } from './messages';

/** A committed event and the record it is published as. */
export interface RelayItem {
  event: StoredEventLike;
  record: OutgoingRecord;
}

/** Waits between tries of a record Kafka refused: the refusal is usually final, so briefly. */
const REJECTION_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 2_000 };

/** The dead letter for an event the relay could not publish: a re-read of the same log position is the same letter. */
export function relayLetter(relayName: string, { event, record }: RelayItem): DeadLetterSource {
  return {
    consumer: relayName, topic: record.topic, partition: null, offset: null, sourceRef: `log/${event.position}`,
    // Per-stream commit order equals version order, so the version orders a stream's letters.
    streamKey: event.streamId, streamSequence: String(event.streamVersion),
    eventType: event.type, value: record.value, headers: record.headers ?? {},
  };
}

function recordOf(letter: StoredDeadLetter): OutgoingRecord {
  return { topic: letter.topic, key: letter.streamKey ?? '', value: letter.value ?? '', headers: letter.headers };
}

/**
 * The outbox relay's dead letters. A round is published as one batch as before; when Kafka refuses
 * a record of it (too large, invalid), the round is published again one record at a time, and a
 * record still refused after its attempts is parked, with the later events of its stream held
 * behind it, so the checkpoint moves on. Any other error (no broker, no leader) is thrown: the
 * relay then retries from its checkpoint, parking nothing.
 */
export class RelayDeadLetters {
  private readonly store: DeadLetterStore;
  private readonly maxAttempts: number;
  private readonly retryPollMs: number;
  private readonly alarm: DeadLetterAlarm;
  private readonly parkedKeys = new Set<string>();
  private lastRetryCheck = 0;

  constructor(
    private readonly relayName: string,
    policy: DeadLetterPolicy,
    private readonly publisher: RecordPublisher,
    private readonly logger: MessagingLogger,
    private readonly backoff: BackoffOptions = REJECTION_BACKOFF,
  ) {
    this.store = policy.store;
    this.maxAttempts = policy.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.retryPollMs = policy.retryPollMs ?? DEFAULT_RETRY_POLL_MS;
    this.alarm = new DeadLetterAlarm(logger, policy.counters ?? new DeadLetterCounters());
  }

  /** At every lease acquisition: only the lease holder parks, so the table then is the whole truth. */
  async loadKeys(): Promise<void> {
    for (const key of await this.store.parkedKeys(this.relayName)) this.parkedKeys.add(key);
  }

  /** Resolves once every item is published, parked or held; throws what the relay should retry. */
  async publish(items: RelayItem[]): Promise<void> {
    const free: RelayItem[] = [];
    for (const item of items) if (!(await this.heldBack(item))) free.push(item);
    if (free.length === 0) return;
    try {
      await this.publisher.publish(free.map((item) => item.record));
      return;
    } catch (error) {
      if (!isRecordRejection(error)) throw error;
      this.logger({ level: 'warn', source: 'OutboxRelay', message: 'Kafka refused a record of this round; publishing it one record at a time', details: { name: this.relayName, events: free.length, error: describeFailure(error) } });
    }
    // Records of the round that Kafka already took are published again: consumers are idempotent.
    for (const item of free) {
      if (await this.heldBack(item)) continue;
      const failure = await this.publishAlone(item.record);
      if (failure) await this.park(item, failure);
    }
  }

  /** Publishes what an operator marked for retry, each stream in order; at most once per poll interval. */
  async retryMarked(): Promise<void> {
    if (Date.now() - this.lastRetryCheck < this.retryPollMs) return;
    this.lastRetryCheck = Date.now();
    for (const head of await this.store.headsToRetry(this.relayName)) {
      let letter: StoredDeadLetter | null = head;
      while (letter !== null) {
        const failure = await this.publishAlone(recordOf(letter));
        if (failure) {
          await this.store.repark(letter, failure);
          this.alarm.parked(letter, failure, 'reparked');
          break;
        }
        const published: StoredDeadLetter = letter;
        letter = await this.store.resolve(published);
        this.alarm.retried(published);
      }
    }
  }

  /** True when the event waits behind an earlier dead letter of its stream (or is one). */
  private async heldBack(item: RelayItem): Promise<boolean> {
    if (!this.parkedKeys.has(item.event.streamId)) return false;
    const letter = relayLetter(this.relayName, item);
    const outcome = await this.store.holdIfBehind(letter);
    if (outcome === 'clear') this.parkedKeys.delete(item.event.streamId);
    if (outcome === 'held') this.alarm.held(letter);
    return outcome === 'held' || outcome === 'already-there';
  }

  private async park(item: RelayItem, failure: DeadLetterFailure): Promise<void> {
    const letter = relayLetter(this.relayName, item);
    const stored = await this.store.park(letter, failure);
    this.parkedKeys.add(item.event.streamId);
    if (stored) this.alarm.parked(letter, failure, 'parked');
  }

  /** Null once Kafka took the record; the failure once it refused it `maxAttempts` times; throws any other error. */
  private async publishAlone(record: OutgoingRecord): Promise<DeadLetterFailure | null> {
    let firstFailedAt: Date | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publisher.publish([record]);
        return null;
      } catch (error) {
        if (!isRecordRejection(error)) throw error;
        firstFailedAt ??= new Date();
        if (attempt >= this.maxAttempts) return { error: describeFailure(error), attempts: attempt, firstFailedAt };
        await pause(backoffDelay(attempt, this.backoff));
      }
    }
  }
}
