import type { WorkerFacts } from '@taskrouter/expression';
import type { WorkflowTarget } from '../workflow/workflow-definition';

/**
 * One TaskChannel of a worker as the availability index holds it (the shape of the index's
 * ChannelAvailability). In a single-tasking workspace the index gives every channel capacity 1
 * and `assigned` = the worker's reservations on all channels.
 */
export interface MatchingChannel {
  readonly capacity: number;
  /** Reservations the worker holds on the channel (pending or accepted). */
  readonly assigned: number;
  readonly available: boolean;
}

/**
 * A candidate worker: the availability index's entry (the fields of WorkerAvailability, so an
 * entry can be spread in) plus what expressions, known-worker rules and `order_by` read of it.
 */
export interface MatchingWorker {
  readonly workerSid: string;
  /** The worker's activity is an available one. */
  readonly available: boolean;
  /** Epoch ms since the worker has been idle: the smallest is the longest idle. */
  readonly idleSince: number;
  /** Per TaskChannel unique name. */
  readonly channels: Readonly<Record<string, MatchingChannel>>;
  /** TaskQueue SIDs whose target_workers the worker matches. */
  readonly queues: readonly string[];
  /** `sid` (the worker SID) and `friendly_name` must be set: known-worker rules compare them. */
  readonly facts: WorkerFacts;
}

/** A task waiting in a queue, with the routing step it waits in. */
export interface MatchingTask {
  readonly taskSid: string;
  readonly queueSid: string;
  /** TaskRouter priority, higher first. */
  readonly priority: number;
  /** Epoch ms the task entered the queue: older first among equal priorities. */
  readonly enteredAt: number;
  /** TaskChannel unique name. */
  readonly channel: string;
  readonly attributes: Record<string, unknown>;
  /**
   * The step's target, compiled once by the caller (parseWorkflowTarget, cached per distinct
   * target): worker expression, order_by, known worker. Absent: any worker of the queue.
   */
  readonly target?: WorkflowTarget;
  /** Workers who rejected this task, let it time out or had it canceled: never offered it again. */
  readonly declinedWorkerSids?: readonly string[];
}

export interface BatchMatchInput {
  /** In any order; each task SID once (a repeated SID is decided once, see BatchMatch.duplicates). */
  readonly tasks: readonly MatchingTask[];
  /** Every candidate worker of the tasks' queues, each once. Others are ignored. */
  readonly workers: readonly MatchingWorker[];
  /** The workspace's multitasking: off, a worker holds one reservation across all channels. */
  readonly multiTaskEnabled: boolean;
  /** The clock, for the `taskrouter.*` time-of-day variables of worker expressions. */
  readonly now: Date;
}
