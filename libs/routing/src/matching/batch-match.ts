import type { MatchingTask } from './matching-input';

/** Who was passed over on the way to the decision, counted among the workers looked at in rank order. */
export interface MatchExplanation {
  /** The target's `order_by` when it ranked the workers; otherwise the longest idle came first. */
  readonly orderBy?: string;
  /**
   * Workers with free capacity on the task's channel (and named by the known-worker rule, if
   * any) ranked before the chosen one, or all of them when none was chosen, who had declined it.
   */
  readonly declined: number;
  /** The same workers whose target expression was false. */
  readonly notQualified: number;
}

export interface MatchedReservation {
  readonly task: MatchingTask;
  readonly workerSid: string;
  /** The task's channel, on which one unit of the worker's capacity is taken. */
  readonly channel: string;
  readonly explanation: MatchExplanation;
}

/**
 * `no-free-capacity`: no worker of the queue had free capacity on the channel when the task's
 * turn came; `no-qualified-worker`: some had, but each declined it or failed the target.
 */
export type WaitingReason = 'no-free-capacity' | 'no-qualified-worker';

export interface TaskLeftWaiting {
  readonly task: MatchingTask;
  readonly reason: WaitingReason;
  readonly explanation: MatchExplanation;
}

/** What one batch decided. Every input task is in exactly one of the three lists. */
export interface BatchMatch {
  /** In decision order (TaskRouter's order of waiting tasks): append them in this order. */
  readonly reservations: readonly MatchedReservation[];
  readonly waiting: readonly TaskLeftWaiting[];
  /** Later copies of a task SID already decided in this batch. */
  readonly duplicates: readonly MatchingTask[];
}
