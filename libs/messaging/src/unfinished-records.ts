/** Called when a partition's committable offset moves: the next record to consume after everything finished. */
export type OnCommittable = (topic: string, partition: number, nextOffset: string) => void;

interface PartitionState {
  /** Offsets the consumer is done with, in order, waiting behind an earlier one still held. */
  readonly queue: bigint[];
  head: number;
  /** Offsets a handler holds (how many holds each): taken, with their effect still under way. */
  readonly held: Map<bigint, number>;
  /** Waiting for `held` to shrink below a bound. */
  readonly waiters: Array<() => void>;
}

/**
 * Records a handler took and finishes later (an outgoing call under way while the partition goes
 * on). A partition's offset may be committed only up to the first record not finished, so a
 * record held at a crash is delivered again; records after it are taken meanwhile. One instance
 * per consumer; `reset` on every rebalance, after which what older holds release is ignored
 * (their records are delivered again to whoever owns the partition now).
 */
export class UnfinishedRecords {
  private partitions = new Map<string, PartitionState>();

  constructor(private readonly onCommittable: OnCommittable) {}

  /** The handler keeps the record beyond its return: its offset waits for the returned release. */
  hold(topic: string, partition: number, offset: string): () => void {
    const state = this.stateOf(topic, partition);
    const at = BigInt(offset);
    state.held.set(at, (state.held.get(at) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const holds = (state.held.get(at) ?? 1) - 1;
      if (holds > 0) state.held.set(at, holds);
      else state.held.delete(at);
      if (this.partitions.get(keyOf(topic, partition)) !== state) return;
      this.advance(topic, partition, state);
      this.wake(state);
    };
  }

  /**
   * The consumer is done with the record (its handler resolved), called in offset order per
   * partition. Returns the offset to commit now, or undefined while an earlier record is held.
   */
  done(topic: string, partition: number, offset: string): string | undefined {
    const state = this.partitions.get(keyOf(topic, partition));
    const at = BigInt(offset);
    if (!state || (state.held.size === 0 && state.head === state.queue.length)) return (at + 1n).toString();
    state.queue.push(at);
    return this.advance(topic, partition, state, false);
  }

  /** How many records of the partition are held now. */
  heldCount(topic: string, partition: number): number {
    return this.partitions.get(keyOf(topic, partition))?.held.size ?? 0;
  }

  /** Resolves once fewer than `bound` records of the partition are held (at once if so already, or after a reset). */
  async whenFewerThan(topic: string, partition: number, bound: number): Promise<void> {
    const state = this.partitions.get(keyOf(topic, partition));
    while (state && this.partitions.get(keyOf(topic, partition)) === state && state.held.size >= bound) {
      await new Promise<void>((resolve) => state.waiters.push(resolve));
    }
  }

  /** A rebalance: every partition starts over from its committed offset; earlier holds no longer count. */
  reset(): void {
    const old = this.partitions;
    this.partitions = new Map();
    for (const state of old.values()) this.wake(state);
  }

  private stateOf(topic: string, partition: number): PartitionState {
    const key = keyOf(topic, partition);
    let state = this.partitions.get(key);
    if (!state) {
      state = { queue: [], head: 0, held: new Map(), waiters: [] };
      this.partitions.set(key, state);
    }
    return state;
  }

  /** Moves past every finished record at the front; reports (or returns) the new committable offset. */
  private advance(topic: string, partition: number, state: PartitionState, report = true): string | undefined {
    let last: bigint | undefined;
    while (state.head < state.queue.length && !state.held.has(state.queue[state.head]!)) last = state.queue[state.head++];
    if (state.head > 1024 && state.head * 2 > state.queue.length) {
      state.queue.splice(0, state.head);
      state.head = 0;
    }
    if (last === undefined) return undefined;
    const next = (last + 1n).toString();
    if (report) this.onCommittable(topic, partition, next);
    return next;
  }

  private wake(state: PartitionState): void {
    for (const resolve of state.waiters.splice(0)) resolve();
  }
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
