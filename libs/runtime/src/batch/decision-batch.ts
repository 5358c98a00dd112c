import { AsyncLocalStorage } from 'node:async_hooks';
import type { BatchDecision, BatchOutcome, StoredEvent } from '@taskrouter/event-store';

/** An aggregate state a decision of the batch read or produced, not yet committed. */
export interface PendingState {
  readonly kind: string;
  readonly state: unknown;
  readonly version: number;
}

interface CollectedDecision {
  readonly decision: BatchDecision;
  readonly resolve: (events: StoredEvent[]) => void;
  readonly reject: (error: Error) => void;
}

const scope = new AsyncLocalStorage<DecisionBatch>();

/**
 * The decisions of one consumer batch while its handlers run: each handler's append is collected
 * (its promise settles once the batch's transaction has), and the states it read and produced
 * are kept so that the next handler of the batch decides on them without a read. Handlers stay
 * what they were: load, decide, append. Once the batch is committed the scope turns direct, and
 * what a handler does after its append (a retry after a lost decision, a later step) goes to the
 * database as it would outside a batch.
 */
export class DecisionBatch {
  /** True while the batch's handlers are deciding; false once its transaction was sent. */
  private collectingDecisions = true;
  private readonly collected: CollectedDecision[] = [];
  private readonly pending = new Map<string, PendingState>();
  /** Called when the running handler hands in a decision: the batch moves on to the next record. */
  onCollected: () => void = () => undefined;
  /**
   * The stream of the record whose handler runs now. Only its own stream is decided from the
   * batch's and the cache's states without a read: the consumer receives that stream's events in
   * order, up to this record. Any other stream (another partition's, maybe another member's now)
   * is read, so that no decision, and no Redis update, rests on a state nobody checks.
   */
  currentKey: string | null = null;

  /** The batch the calling handler runs in, if any. */
  static current(): DecisionBatch | undefined {
    return scope.getStore();
  }

  run<T>(handler: () => Promise<T>): Promise<T> {
    return scope.run(this, handler);
  }

  get collecting(): boolean {
    return this.collectingDecisions;
  }

  get size(): number {
    return this.collected.length;
  }

  pendingState(streamId: string): PendingState | undefined {
    return this.collectingDecisions ? this.pending.get(streamId) : undefined;
  }

  /** A state a handler of this batch read: later handlers of the batch start from it. */
  noteLoaded(streamId: string, state: PendingState): void {
    if (this.collectingDecisions) this.pending.set(streamId, state);
  }

  /**
   * Takes a decision for the batch's transaction. `evolve` folds its events onto the state the
   * decision read, so the next handler sees it; a stream appended without a state read here is
   * forgotten, and a later decision on it is checked by its version at commit as any other.
   */
  collect(decision: BatchDecision, evolve: (streamId: string, pending: PendingState, events: BatchDecision['appends'][number]['events']) => PendingState): Promise<StoredEvent[]> {
    for (const append of decision.appends) {
      const before = this.pending.get(append.streamId);
      if (before && before.version === append.expectedVersion) this.pending.set(append.streamId, evolve(append.streamId, before, append.events));
      else this.pending.delete(append.streamId);
    }
    const committed = new Promise<StoredEvent[]>((resolve, reject) => this.collected.push({ decision, resolve, reject }));
    this.onCollected();
    return committed;
  }

  /** Stops collecting and hands back what was collected, in order, for one `appendBatch`. */
  close(): { decisions: BatchDecision[]; pending: ReadonlyMap<string, PendingState> } {
    this.collectingDecisions = false;
    return { decisions: this.collected.map((c) => c.decision), pending: this.pending };
  }

  /** Settles the collected decisions' appends with their outcomes, the i-th decision with the i-th outcome. */
  settle(index: number, outcome: BatchOutcome): void {
    const { resolve, reject } = this.collected[index];
    if (outcome.committed) resolve(outcome.events);
    else reject(outcome.error);
  }
}
