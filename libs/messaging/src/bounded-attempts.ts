import { backoffDelay, pause, type BackoffOptions } from './backoff';
import type { DeadLetterFailure } from './dead-letters';
import { describeFailure } from './failure-kinds';

export type AttemptOutcome =
  | { kind: 'done' }
  /** The consumer stopped or lost the partition before the work succeeded. */
  | { kind: 'stopped' }
  /** It failed `maxAttempts` times for reasons that were not transient: park it. */
  | { kind: 'failed'; failure: DeadLetterFailure };

export interface AttemptRules {
  /** Non-transient failures allowed before giving up; Infinity retries forever. */
  maxAttempts: number;
  backoff: BackoffOptions;
  isTransient: (error: unknown) => boolean;
  /** Checked after every wait: false ends the attempts without a verdict. */
  stillOwned: () => boolean;
  signal: AbortSignal;
  /** Called before each wait, to log it; `attempt` counts every try, transient or not. */
  onRetry: (error: unknown, attempt: number, delayMs: number, transient: boolean) => void;
  /** Called after each wait (the consumer heartbeats there to keep its partitions). */
  afterWait?: () => Promise<void>;
}

/** Runs `work` until it succeeds, the owner stops, or it failed too often for a non-transient reason. */
export async function attemptBounded(work: () => Promise<void>, rules: AttemptRules): Promise<AttemptOutcome> {
  let failures = 0;
  let firstFailedAt: Date | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await work();
      return { kind: 'done' };
    } catch (error) {
      firstFailedAt ??= new Date();
      const transient = rules.isTransient(error);
      if (!transient) failures++;
      if (failures >= rules.maxAttempts) {
        return rules.stillOwned() ? { kind: 'failed', failure: { error: describeFailure(error), attempts: attempt, firstFailedAt } } : { kind: 'stopped' };
      }
      const delayMs = backoffDelay(attempt, rules.backoff);
      rules.onRetry(error, attempt, delayMs, transient);
      await pause(delayMs, rules.signal);
      if (!rules.stillOwned()) return { kind: 'stopped' };
      await rules.afterWait?.();
    }
  }
}
