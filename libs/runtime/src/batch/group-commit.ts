import { EventTooLargeError, WrongExpectedVersionError, type BatchDecision, type BatchOutcome, type StoredEvent, type StreamAppend } from '@taskrouter/event-store';

/** An error that is the request's own (its decision lost a version race, its event is too large): no retry alone changes it. */
function isOwnOutcome(error: Error): boolean {
  return error instanceof WrongExpectedVersionError || error instanceof EventTooLargeError;
}

/** How the group commit reaches the log: many decisions in one transaction, or one alone. */
export interface GroupCommitTarget {
  appendBatch(decisions: readonly BatchDecision[]): Promise<BatchOutcome[]>;
  appendAlone(appends: StreamAppend[]): Promise<StoredEvent[]>;
}

export interface GroupCommitOptions {
  /** Transactions in flight at once; what arrives meanwhile waits and goes in the next one. Default 4. */
  maxTransactionsInFlight?: number;
  /** The most decisions in one transaction. Default 200. */
  maxDecisionsPerTransaction?: number;
}

interface Waiting {
  readonly appends: StreamAppend[];
  readonly resolve: (events: StoredEvent[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the edge's concurrent requests. While a few transactions are in flight,
 * the decisions that arrive wait and then go to the log together, in one transaction (fsync
 * included, so nothing acknowledged can be lost). An idle system commits each request at once:
 * nothing waits for a timer. Each caller's promise settles with its own outcome, only after
 * its own events committed; a decision that lost a version race gets its conflict alone.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxPerTransaction: number;

  constructor(private readonly target: GroupCommitTarget, options: GroupCommitOptions = {}) {
    this.maxInFlight = options.maxTransactionsInFlight ?? 4;
    this.maxPerTransaction = options.maxDecisionsPerTransaction ?? 200;
  }

  readonly append = (appends: StreamAppend[]): Promise<StoredEvent[]> =>
    new Promise((resolve, reject) => {
      this.waiting.push({ appends, resolve, reject });
      this.startTransactions();
    });

  private startTransactions(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.maxPerTransaction);
      this.inFlight++;
      void this.commit(group).finally(() => {
        this.inFlight--;
        this.startTransactions();
      });
    }
  }

  private async commit(group: Waiting[]): Promise<void> {
    if (group.length === 1) return this.commitAlone(group[0]);
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.target.appendBatch(group.map((w) => ({ appends: w.appends })));
    } catch (error) {
      outcomes = group.map(() => ({ committed: false, error: error as Error }));
    }
    const alone: Waiting[] = [];
    group.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (outcome.committed) waiting.resolve(outcome.events);
      else if (isOwnOutcome(outcome.error)) waiting.reject(outcome.error);
      else alone.push(waiting);
    });
    // Any other error (a projection refusing one request's data, a dropped connection) may be
    // another request's fault: each of those goes alone, one after the other in this slot, so
    // only its own cause fails it and the transactions in flight stay bounded.
    for (const waiting of alone) await this.commitAlone(waiting);
  }

  private async commitAlone(waiting: Waiting): Promise<void> {
    try {
      waiting.resolve(await this.target.appendAlone(waiting.appends));
    } catch (error) {
      waiting.reject(error);
    }
  }
}
