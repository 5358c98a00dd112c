import { randomBytes } from 'node:crypto';
import { EventConsumer, type KafkaConnection } from '@taskrouter/messaging';
import { observedEventOf, type ObservedEvent } from '@taskrouter/runtime';

export type LiveListener = (event: ObservedEvent) => void;

/** A feed that has not joined its group by then (Kafka away) fails the stream that started it. */
const JOIN_TIMEOUT_MS = 15_000;

/**
 * Every event of the log as this process consumes it, for the live streams its clients hold
 * open. Each task-ingest process needs all of them (a client may be connected to any), so the
 * feed is a consumer group of its own, started from the newest records when the first stream
 * opens: a process nobody watches decodes nothing. Listeners are per workspace.
 */
export class LiveFeed {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private consumer: EventConsumer | undefined;
  private starting: Promise<void> | undefined;

  constructor(private readonly connection: KafkaConnection, private readonly options: { groupPrefix: string; topics: string[] }) {}

  /** Calls `listener` with each event of the workspace from now on; returns what stops it. */
  async subscribe(workspaceSid: string, listener: LiveListener): Promise<() => void> {
    let set = this.listeners.get(workspaceSid);
    if (!set) {
      set = new Set();
      this.listeners.set(workspaceSid, set);
    }
    set.add(listener);
    const unsubscribe = () => {
      set!.delete(listener);
      if (set!.size === 0 && this.listeners.get(workspaceSid) === set) this.listeners.delete(workspaceSid);
    };
    try {
      await this.start();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  get subscriptions(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.consumer?.stop();
    this.consumer = undefined;
    this.starting = undefined;
  }

  private start(): Promise<void> {
    // A start that failed (Kafka away) is tried again by the next stream, not kept failed.
    this.starting ??= this.startConsumer().catch(async (error: unknown) => {
      this.starting = undefined;
      await this.consumer?.stop().catch(() => undefined);
      this.consumer = undefined;
      throw error;
    });
    return this.starting;
  }

  private async startConsumer(): Promise<void> {
    const consumer = new EventConsumer(this.connection, {
      groupId: `${this.options.groupPrefix}.${process.pid}-${randomBytes(4).toString('hex')}`, topics: this.options.topics, fromBeginning: false,
      partitionsConsumedConcurrently: 6,
      // Started by the first live stream, not part of what makes the service ready.
      serviceMember: false,
      handler: async (record) => {
        const event = observedEventOf(record);
        const workspaceSid = (event?.data as { workspaceSid?: unknown } | undefined)?.workspaceSid;
        if (!event || typeof workspaceSid !== 'string') return;
        for (const listener of this.listeners.get(workspaceSid) ?? []) listener(event);
      },
    });
    this.consumer = consumer;
    await consumer.start();
    // From the newest records at the join: what a stream's client sees from then on.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the live feed did not join its group within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS)));
    try {
      await Promise.race([consumer.joined(), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
