/**
 * What the queue-matcher knew when it reserved a worker, carried in `TaskReserved.choice`: the rule
 * that chose, and a bounded list of the workers it looked at with why each was or was not chosen.
 * Absent in reservations written before it was recorded.
 */
export interface ReservationChoice {
  readonly rule: ChoiceRule;
  /** The target's `order_by` text, when the rule is `order_by`. */
  readonly orderBy?: string;
  /** The chosen worker first, then the others looked at; at most MAX_CONSIDERED_WORKERS. */
  readonly considered: readonly ConsideredWorker[];
  /** How many more workers were looked at than are listed. */
  readonly notListed: number;
}

/**
 * - `longest_idle`: the qualified candidate idle the longest (the target has no `order_by`).
 * - `order_by`: the target's `order_by` ranked the qualified candidates (ties: longest idle).
 * - `known_worker`: the target names one worker (`known_worker_sid` / `known_worker_friendly_name`).
 * - `next_available`: the task was waiting; this worker was the first qualified one to become able to take it.
 */
export type ChoiceRule = 'longest_idle' | 'order_by' | 'known_worker' | 'next_available';

export const CHOICE_RULES: readonly ChoiceRule[] = ['longest_idle', 'order_by', 'known_worker', 'next_available'];

/** The chosen worker has the outcome `chosen` and its reason is the rule; every other one is `passed_over`. */
export interface ConsideredWorker {
  readonly workerSid: string;
  readonly outcome: 'chosen' | 'passed_over';
  readonly reason: ChoiceRule | PassedOverReason;
}

/**
 * Why a worker of the queue was not chosen:
 * - `unavailable`: its activity is not an available one;
 * - `channel_unavailable`: it is not available on the task's channel;
 * - `no_capacity`: its capacity on the task's channel is taken;
 * - `worker_expression_false`: the target's worker `expression` is false for it;
 * - `not_known_worker`: the target names another worker;
 * - `rejected_before` / `timed_out_before` / `canceled_before`: a reservation of this task for it ended so;
 * - `reserved_meanwhile`: it was the better candidate but could no longer be reserved (taken or changed meanwhile);
 * - `ranked_lower`: it qualified, and the rule put the chosen worker first.
 */
export type PassedOverReason =
  | 'unavailable' | 'channel_unavailable' | 'no_capacity' | 'worker_expression_false' | 'not_known_worker'
  | 'rejected_before' | 'timed_out_before' | 'canceled_before' | 'reserved_meanwhile' | 'ranked_lower';

export const PASSED_OVER_REASONS: readonly PassedOverReason[] = [
  'unavailable', 'channel_unavailable', 'no_capacity', 'worker_expression_false', 'not_known_worker',
  'rejected_before', 'timed_out_before', 'canceled_before', 'reserved_meanwhile', 'ranked_lower',
];

/** Workers listed per reservation (the chosen one included): the explanation stays small in every event. */
export const MAX_CONSIDERED_WORKERS = 10;
