import type { MessagingLogger } from './messages';

/** How long a handled record's offset may wait to be committed together with the offsets handled after it. */
export const OFFSET_COMMIT_INTERVAL_MS = 100;

/** An offset to commit: the next record of the partition to consume (the last handled one plus one). */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export type CommitOffsets = (offsets: PartitionOffset[]) => Promise<void>;

/**
 * A consumer's handled offsets, committed at most once per interval in one request for every
 * partition, instead of a request after every partition's batch (kafkajs's eachBatch mode commits
 * after each one, which was about five commits per task on the hot path). Offsets are still
 * committed only after their records were handled; what a crash or a lost partition leaves
 * uncommitted is delivered again (at most an interval's records), and handlers are idempotent.
 */
export class PendingOffsetCommits {
  private readonly pending = new Map<string, PartitionOffset>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly commit: CommitOffsets,
    private readonly logger: MessagingLogger,
    private readonly groupId: string,
    private readonly intervalMs = OFFSET_COMMIT_INTERVAL_MS,
  ) {}

  /** The record at `offset` of the partition is done with: commit it within the interval. */
  handled(topic: string, partition: number, offset: string): void {
    this.commitNext(topic, partition, (BigInt(offset) + 1n).toString());
  }

  /** Everything of the partition before `nextOffset` is done with: commit `nextOffset` within the interval. */
  commitNext(topic: string, partition: number, nextOffset: string): void {
    // Work held past the consumer's stop may end later: its records are the next owner's again.
    if (this.closed) return;
    this.pending.set(`${topic}\u0000${partition}`, { topic, partition, offset: nextOffset });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
  }

  /** Partitions this member no longer owns: their offsets are the new owner's to commit. */
  keepOnly(owned: (topic: string, partition: number) => boolean): void {
    for (const [key, offset] of this.pending) if (!owned(offset.topic, offset.partition)) this.pending.delete(key);
  }

  /** The last flush before the consumer leaves its group: what is handled after it is not committed. */
  async close(): Promise<void> {
    // Closed first: nothing handled while the last request is under way may start a timer after it.
    const last = this.flush();
    this.closed = true;
    await last;
  }

  /** A consumer that starts again commits again. */
  reopen(): void {
    this.closed = false;
  }

  /** Commits what is pending now (before leaving the group, or on a rebalance); never throws. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    if (offsets.length === 0) return this.flushing;
    // One request at a time, in order: a later commit of a partition never lands before an earlier one.
    this.flushing = this.flushing.then(() => this.commit(offsets)).catch((error: unknown) => {
      this.logger({
        level: 'warn',
        source: 'EventConsumer',
        message: 'Offsets not committed; their records will be delivered again',
        details: { groupId: this.groupId, partitions: offsets.length, error: error instanceof Error ? error.message : String(error) },
      });
    });
    return this.flushing;
  }
}
