import { pause } from './backoff';
import type { AppendNotifications, CommittedEventSource, ExclusiveLease, ExclusiveLeases, StoredEventLike } from './committed-event-source';
import type { DeadLetterPolicy } from './dead-letters';
import type { RecordPublisher } from './event-publisher';
import type { MessagingLogger, OutgoingRecord } from './messages';
import { EVENT_POSITION_HEADER, stderrLogger } from './messages';
import { RelayDeadLetters } from './relay-dead-letters';

export interface OutboxRelayOptions {
  source: CommittedEventSource;
  /** Only the lease holder publishes, so two relays never interleave their output. */
  leases: ExclusiveLeases;
  /** Wakes the relay as soon as an append commits, instead of at the next poll. */
  notifications?: AppendNotifications;
  publisher: RecordPublisher;
  /** The topic, or which topic each event goes to (events of one stream must share a topic). */
  topic: string | ((event: StoredEventLike) => string);
  /** Names both the checkpoint and the lease; default `outbox-relay:<topic>` (required with a topic function). */
  name?: string;
  /** Events read and published per round; default 1000. */
  batchSize?: number;
  /** Idle wait between reads when nothing was new; default 50 ms. */
  pollIntervalMs?: number;
  /** Wait before trying again for a lease someone else holds, or after an error; default 1 s. */
  retryIntervalMs?: number;
  logger?: MessagingLogger;
  /**
   * Parks an event Kafka refuses (too large, invalid) after its attempts, under the relay's name,
   * and holds its stream's later events behind it, so one event never stops the relay.
   */
  deadLetters?: DeadLetterPolicy;
}

/** What the relay's metrics read: kept per round, never per event. */
export interface RelayStatus {
  /** This process holds the relay's lease (the others stand by). */
  readonly leaseHeld: boolean;
  /** The position of the last event published, while the lease is held. */
  readonly publishedUpTo: string | null;
  /** Events published since start. */
  readonly published: number;
}

/** The published record for a stored event: keyed by stream so each stream stays in order. */
export function eventRecord(topic: string, event: StoredEventLike): OutgoingRecord {
  return { topic, key: event.streamId, value: JSON.stringify(event), headers: { 'event-type': event.type, [EVENT_POSITION_HEADER]: event.position } };
}

/**
 * Publishes committed events to Kafka in commit order and records how far it got, only
 * after Kafka acknowledged. After a crash it resumes from the checkpoint, so the last round
 * may be published twice: consumers are idempotent (at-least-once delivery).
 */
export class OutboxRelay {
  private readonly name: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryIntervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly deadLetters: RelayDeadLetters | undefined;
  private stopping = new AbortController();
  private wakeUp = new AbortController();
  private running: Promise<void> | undefined;
  private leaseHeld = false;
  private publishedUpTo: string | null = null;
  private published = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    if (typeof options.topic !== 'string' && !options.name) throw new Error('OutboxRelay needs a name when events go to several topics');
    this.name = options.name ?? `outbox-relay:${options.topic as string}`;
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.retryIntervalMs = options.retryIntervalMs ?? 1000;
    this.logger = options.logger ?? stderrLogger;
    this.deadLetters = options.deadLetters && new RelayDeadLetters(this.name, options.deadLetters, options.publisher, this.logger);
  }

  /** Starts relaying in the background; resolves once the loop runs (not once it holds the lease). */
  async start(): Promise<void> {
    if (this.running) return;
    this.stopping = new AbortController();
    const unlisten = await this.options.notifications?.onAppended(() => this.wakeUp.abort());
    this.running = this.run().finally(() => unlisten?.());
  }

  /** Finishes the round in progress, releases the lease and stops. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp.abort();
    await this.running;
    this.running = undefined;
  }

  status(): RelayStatus {
    return { leaseHeld: this.leaseHeld, publishedUpTo: this.publishedUpTo, published: this.published };
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let lease: ExclusiveLease | null = null;
      try {
        lease = await this.options.leases.tryAcquireLease(this.name);
        if (lease) await this.relayWhileHeld(lease);
      } catch (error) {
        this.logger({ level: 'error', source: 'OutboxRelay', message: 'Relaying failed; resuming from the checkpoint', details: { name: this.name, error: String(error) } });
      } finally {
        this.leaseHeld = false;
        this.publishedUpTo = null;
        await lease?.release();
      }
      await pause(this.retryIntervalMs, this.stopping.signal);
    }
  }

  private async relayWhileHeld(lease: ExclusiveLease): Promise<void> {
    const { source, publisher, topic } = this.options;
    let checkpoint = await source.loadCheckpoint(this.name);
    this.leaseHeld = true;
    this.publishedUpTo = checkpoint?.position ?? null;
    await this.deadLetters?.loadKeys();
    while (!this.stopping.signal.aborted && lease.isHeld()) {
      // Off the hot path: looks at the table at most once per poll interval.
      await this.deadLetters?.retryMarked();
      // A notification arriving while we read must still wake the next wait: reset first.
      this.wakeUp = new AbortController();
      const events = await source.readAll({ after: checkpoint, limit: this.batchSize });
      if (events.length === 0) {
        await pause(this.pollIntervalMs, AbortSignal.any([this.wakeUp.signal, this.stopping.signal]));
        continue;
      }
      const items = events.map((event) => ({ event, record: eventRecord(typeof topic === 'string' ? topic : topic(event), event) }));
      if (this.deadLetters) await this.deadLetters.publish(items);
      else await publisher.publish(items.map((item) => item.record));
      const last = events[events.length - 1];
      checkpoint = { transactionId: last.transactionId, position: last.position };
      await source.saveCheckpoint(this.name, checkpoint);
      this.publishedUpTo = last.position;
      this.published += events.length;
    }
  }
}
