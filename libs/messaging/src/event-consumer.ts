import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { BackoffOptions } from './backoff';
import { attemptBounded, type AttemptOutcome } from './bounded-attempts';
import { ConsumerDeadLetters } from './consumer-dead-letters';
import { DEFAULT_MAX_ATTEMPTS, type DeadLetterPolicy } from './dead-letters';
import { describeFailure, isTransientFailure } from './failure-kinds';
import { kafkaClientOf, type ConsumerMembership, type KafkaConnection } from './kafka-connection';
import type { ConsumedRecord, MessagingLogger } from './messages';
import { PendingOffsetCommits } from './pending-offset-commits';
import { UnfinishedRecords } from './unfinished-records';

export type RecordHandler = (record: ConsumedRecord) => Promise<void>;

/**
 * Handles a run of one partition's records at once (`handleOne` is the record handler). Per
 * record: done, or to be handled again alone, in order, with the consumer's retries and dead
 * letters; a record handed back must not have had an effect that handling it again would repeat
 * wrongly (handlers are idempotent).
 */
export type RecordBatchHandler = (records: ConsumedRecord[], handleOne: RecordHandler, control: BatchControl) => Promise<Array<{ kind: 'done' } | { kind: 'retry'; error?: unknown }>>;

/** What a batch handler must call while it works: Kafka evicts a member that stays silent past its session timeout. */
export interface BatchControl {
  /** After each record: sends a heartbeat when one is due (cheap otherwise). */
  heartbeat(): Promise<void>;
  /** False once the consumer stops or loses the partition: start nothing more (what is left is handed back). */
  stillOwned(): boolean;
}

/** The most records of a partition decided together: bounds one transaction's size. */
export const MAX_RECORDS_PER_DECISION_BATCH = 500;

export interface EventConsumerOptions {
  groupId: string;
  topics: string[];
  handler: RecordHandler;
  /** Where a group without committed offsets starts; default false (only new records). */
  fromBeginning?: boolean;
  /** Partitions handled at the same time (each one still strictly in order); default 1. */
  partitionsConsumedConcurrently?: number;
  /** Delays between retries of a failing record; default 100 ms doubling up to 10 s. */
  retryBackoff?: BackoffOptions;
  /**
   * Parks a record that keeps failing (after `maxAttempts`) so its partition goes on, holding back
   * only its stream's later records. Without it a failing record is retried forever.
   */
  deadLetters?: DeadLetterPolicy;
  /** Decides a partition's records in batches (see RecordBatchHandler); without it, one record at a time. */
  batchHandler?: RecordBatchHandler;
  /**
   * Records of one partition a handler may hold at once (`holdUntilFinished`) before the
   * partition waits for one to finish; default 10,000.
   */
  maxUnfinishedPerPartition?: number;
  /**
   * Whether the service's readiness and lag metrics include this consumer; default true. A consumer
   * started on demand for a passing client (a live stream) says false.
   */
  serviceMember?: boolean;
}

/**
 * How long the group waits for a member that stopped heartbeating before giving its partitions
 * to the others (kafkajs's default is 30 s): after a crash, a restarted or standby member gets
 * them this much later. Heartbeats go out every second from the consumer loop and from batch
 * handlers (BatchControl.heartbeat), so a member is dropped only after 10 s without one; the
 * broker accepts 6 s at the least (group.min.session.timeout.ms).
 */
export const CONSUMER_SESSION_TIMEOUT_MS = 10_000;
export const CONSUMER_HEARTBEAT_INTERVAL_MS = 1_000;

/** The default bound of records held per partition: memory for their work, not a throughput knob. */
export const DEFAULT_MAX_UNFINISHED_PER_PARTITION = 10_000;

/**
 * A consumer group member that hands records to `handler` one at a time per partition (so
 * per key, in order) and commits a record's offset only after its handler resolved. A
 * failing record is retried with backoff, never skipped: its partition waits for it, unless
 * dead letters are configured, in which case it is parked after its attempts (the offset
 * committed once the park is) and only its stream's later records wait, parked behind it.
 * If the consumer stops or loses the partition meanwhile, the record stays uncommitted and is
 * delivered again to whoever consumes the partition next, from the last committed offset.
 */
export class EventConsumer implements ConsumerMembership {
  private readonly consumer: Consumer;
  private readonly logger: MessagingLogger;
  private readonly retryBackoff: BackoffOptions;
  private readonly deadLetters: ConsumerDeadLetters | undefined;
  private readonly maxAttempts: number;
  private readonly isTransient: (error: unknown) => boolean;
  private stopping = new AbortController();
  private readonly commits: PendingOffsetCommits;
  private readonly unfinished: UnfinishedRecords;
  private readonly maxUnfinished: number;
  private readonly batchesInHand = new Set<Promise<void>>();
  private readonly firstJoin: Promise<void>;
  private inGroup = false;
  /** Records done per topic since start: the `events consumed` metric reads it at scrape time. */
  private readonly doneByTopic = new Map<string, number>();

  constructor(
    private readonly connection: KafkaConnection,
    private readonly options: EventConsumerOptions,
  ) {
    this.logger = connection.logger;
    this.retryBackoff = options.retryBackoff ?? { initialMs: 100, maxMs: 10_000 };
    this.consumer = kafkaClientOf(connection).consumer({
      groupId: options.groupId, allowAutoTopicCreation: false, sessionTimeout: CONSUMER_SESSION_TIMEOUT_MS, heartbeatInterval: CONSUMER_HEARTBEAT_INTERVAL_MS,
    });
    this.maxAttempts = options.deadLetters ? options.deadLetters.maxAttempts ?? DEFAULT_MAX_ATTEMPTS : Infinity;
    this.isTransient = options.deadLetters?.isTransient ?? isTransientFailure;
    this.commits = new PendingOffsetCommits((offsets) => this.consumer.commitOffsets(offsets), this.logger, options.groupId);
    this.unfinished = new UnfinishedRecords((topic, partition, next) => this.commits.commitNext(topic, partition, next));
    this.maxUnfinished = options.maxUnfinishedPerPartition ?? DEFAULT_MAX_UNFINISHED_PER_PARTITION;
    this.firstJoin = new Promise((resolve) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()));
    // A crash (kafkajs restarts the consumer and joins again) or a stop leaves the group until the next join.
    this.consumer.on(this.consumer.events.CRASH, () => void (this.inGroup = false));
    this.consumer.on(this.consumer.events.STOP, () => void (this.inGroup = false));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.inGroup = true;
      // Every partition is consumed again from its committed offset: what was held is delivered again.
      this.unfinished.reset();
      const assigned = payload.memberAssignment as Record<string, number[]>;
      this.commits.keepOnly((topic, partition) => assigned[topic]?.includes(partition) ?? false);
    });
    // Best effort while our generation may still commit; what fails is delivered again.
    this.consumer.on(this.consumer.events.REBALANCING, () => void this.commits.flush());
    if (options.deadLetters) {
      const deadLetters = new ConsumerDeadLetters(options.groupId, options.deadLetters, this.logger);
      this.deadLetters = deadLetters;
      // Emitted after each join, before fetching: new partitions may carry keys parked by their previous owner.
      this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
        deadLetters.assigned(payload.memberAssignment);
        deadLetters.reloadKeys(this.stopping.signal);
      });
      this.consumer.on(this.consumer.events.REBALANCING, () => deadLetters.revoked());
    }
  }

  /** Joins the group and starts consuming; resolves once consumption has started. */
  async start(): Promise<void> {
    this.stopping = new AbortController();
    this.commits.reopen();
    if (this.options.serviceMember !== false) this.connection.members.add(this);
    await this.consumer.connect();
    if (this.deadLetters) {
      this.deadLetters.reloadKeys(this.stopping.signal);
      await this.deadLetters.keysReady();
      this.deadLetters.startRetrying((record, stillOwned) => this.attempt(record, stillOwned), this.stopping.signal);
    }
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? false });
    await this.consumer.run({
      // Offsets are committed by hand (PendingOffsetCommits), record by record after the handler
      // resolved, many partitions' batches in one request.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.inHand(this.handleBatch(payload)),
    });
  }

  /** Resolves once this member has joined its group the first time (so it has partitions to fetch). */
  joined(): Promise<void> {
    return this.firstJoin;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get topics(): readonly string[] {
    return this.options.topics;
  }

  /** True from a join of its group until a crash or a stop (a rebalance in between keeps it: it joins again). */
  isInGroup(): boolean {
    return this.inGroup;
  }

  /** Records handled (or parked) per topic since start. */
  consumedByTopic(): ReadonlyMap<string, number> {
    return this.doneByTopic;
  }

  /**
   * Called by the handler while it handles `record`: the record's effect goes on after the
   * handler returns (an outgoing call), so the partition goes on too, but its offset (and every
   * later one of the partition) is committed only after the returned function is called. What is
   * held at a crash, a stop or a rebalance is delivered again.
   */
  holdUntilFinished(record: ConsumedRecord): () => void {
    return this.unfinished.hold(record.topic, record.partition, record.offset);
  }

  private inHand(batch: Promise<void>): Promise<void> {
    this.batchesInHand.add(batch);
    return batch.finally(() => this.batchesInHand.delete(batch));
  }

  /**
   * Leaves the group after the record in hand; what was not handled stays uncommitted. `drain`:
   * work held past its record (holdUntilFinished) gets this long to finish, still committed, before
   * the last commit.
   */
  async stop(drain?: () => Promise<void>): Promise<void> {
    this.stopping.abort();
    // The batches in hand (one per partition consumed at once) end at their next record
    // (stillOwned turns false); then what they and the batches before handled is committed while
    // this member is still in the group.
    await Promise.allSettled([...this.batchesInHand]);
    await drain?.();
    await this.commits.close();
    await this.consumer.disconnect();
    await this.deadLetters?.stopRetrying();
    this.inGroup = false;
    this.connection.members.delete(this);
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    await this.deadLetters?.keysReady();
    const stillOwned = () => !this.stopping.signal.aborted && isRunning() && !isStale();
    const records = batch.messages.map((message) => toConsumedRecord(batch.topic, batch.partition, message));
    const batchHandler = this.options.batchHandler;
    for (let start = 0; start < records.length; start += batchHandler ? MAX_RECORDS_PER_DECISION_BATCH : records.length) {
      if (!stillOwned()) return;
      const chunk = batchHandler ? records.slice(start, start + MAX_RECORDS_PER_DECISION_BATCH) : records.slice(start);
      const done = batchHandler ? await this.decideTogether(chunk, batchHandler, { heartbeat, stillOwned }) : new Set<ConsumedRecord>();
      for (const record of chunk) {
        if (!stillOwned()) return;
        await this.whileTooManyHeld(batch.topic, batch.partition, stillOwned, heartbeat);
        if (!stillOwned()) return;
        if (!done.has(record) && !(await this.handleRecord(record, stillOwned, heartbeat))) return;
        resolveOffset(record.offset);
        this.doneByTopic.set(batch.topic, (this.doneByTopic.get(batch.topic) ?? 0) + 1);
        const next = this.unfinished.done(batch.topic, batch.partition, record.offset);
        if (next !== undefined) this.commits.commitNext(batch.topic, batch.partition, next);
        // Heartbeats (sent at most once per interval) keep our partitions.
        await heartbeat();
      }
    }
  }

  /** Bounds what a partition holds: past the bound, it waits (heartbeating) for held records to finish. */
  private async whileTooManyHeld(topic: string, partition: number, stillOwned: () => boolean, heartbeat: () => Promise<void>): Promise<void> {
    while (this.unfinished.heldCount(topic, partition) >= this.maxUnfinished && stillOwned()) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.unfinished.whenFewerThan(topic, partition, this.maxUnfinished), new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
      await heartbeat();
    }
  }

  /**
   * The records of a chunk that the batch handler got done. Records of a stream with dead
   * letters are left out (they go one at a time, behind their letters), as is any record the
   * handler hands back: the caller handles those alone, in order.
   */
  private async decideTogether(records: ConsumedRecord[], batchHandler: RecordBatchHandler, control: BatchControl): Promise<Set<ConsumedRecord>> {
    const together = records.filter((record) => record.key === null || !this.deadLetters?.mayHold(record.key));
    if (together.length === 0) return new Set();
    const results = await batchHandler(together, this.options.handler, control);
    const done = new Set<ConsumedRecord>();
    together.forEach((record, i) => {
      if (results[i]?.kind === 'done') done.add(record);
    });
    return done;
  }

  /**
   * True once the record is done with (handled, parked, or held behind its stream's dead letter),
   * so its offset may be committed; false when the consumer stopped or lost the partition first.
   */
  private async handleRecord(record: ConsumedRecord, stillOwned: () => boolean, heartbeat: () => Promise<void>): Promise<boolean> {
    const deadLetters = this.deadLetters;
    const signal = this.stopping.signal;
    if (deadLetters) {
      const held = await deadLetters.holdIfBehind(record, stillOwned, signal, heartbeat);
      if (held !== false) return held === true;
    }
    const outcome = await this.attempt(record, stillOwned, heartbeat);
    if (outcome.kind === 'done') return true;
    if (outcome.kind === 'stopped' || !deadLetters) return false;
    return deadLetters.park(record, outcome.failure, stillOwned, signal, heartbeat);
  }

  /** The handler with retries and backoff: bounded with dead letters, unbounded without. */
  private attempt(record: ConsumedRecord, stillOwned: () => boolean, heartbeat?: () => Promise<void>): Promise<AttemptOutcome> {
    return attemptBounded(() => this.options.handler(record), {
      maxAttempts: this.maxAttempts, backoff: this.retryBackoff, isTransient: this.isTransient, stillOwned, signal: this.stopping.signal, afterWait: heartbeat,
      onRetry: (error, attempt, delayMs, transient) => this.logger({
        level: 'error',
        source: 'EventConsumer',
        message: `Handler failed; retrying the record in ${delayMs} ms`,
        details: { groupId: this.options.groupId, topic: record.topic, partition: record.partition, offset: record.offset, attempt, transient, error: describeFailure(error) },
      }),
    });
  }
}

function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}
