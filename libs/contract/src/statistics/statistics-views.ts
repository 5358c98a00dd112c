import type { WaitSplit } from './split-by-wait-time';

/** Workers in one activity, for `activity_statistics`. */
export interface ActivityCount { readonly sid: string; readonly friendlyName: string; readonly workers: number }

/** The real-time figures of a set of tasks (a workspace's, a queue's, a workflow's), as of `now`. */
export interface TaskFigures {
  readonly tasksByStatus: Readonly<Record<string, number>>;
  readonly tasksByPriority: Readonly<Record<string, number>>;
  readonly totalTasks: number;
  /** The waiting (pending or reserved) task created first, and its age in seconds. */
  readonly longestWaiting: { readonly sid: string; readonly ageSeconds: number } | null;
  /** The waiting task that entered its queue first (queues only). */
  readonly longestInQueue?: { readonly sid: string; readonly ageSeconds: number } | null;
}

/** The real-time figures of a set of workers. */
export interface WorkerFigures {
  readonly activities: readonly ActivityCount[];
  readonly totalWorkers: number;
  /** Queues only: eligible workers in an available activity. */
  readonly availableWorkers?: number;
}

/** `{avg, min, max, total}` of waits, in milliseconds as summed; rendered in whole seconds. */
export interface WaitDurations { readonly count: number; readonly totalMs: number; readonly minMs: number | null; readonly maxMs: number | null }

/** One activity's time over a set of workers, in seconds: each worker's total, then across workers. */
export interface ActivityDuration {
  readonly sid: string; readonly friendlyName: string;
  readonly workers: number; readonly totalSeconds: number; readonly minSeconds: number; readonly maxSeconds: number;
}

/** The sums of the minute buckets a window covers. */
export interface CumulativeCounts {
  readonly tasksCreated: number; readonly tasksEntered: number; readonly tasksMoved: number; readonly tasksCanceled: number;
  readonly tasksCompleted: number; readonly tasksTimedOutInWorkflow: number;
  readonly reservationsCreated: number; readonly reservationsAccepted: number; readonly reservationsRejected: number;
  readonly reservationsTimedOut: number; readonly reservationsCanceled: number;
  readonly untilAccepted: WaitDurations; readonly untilCanceled: WaitDurations; readonly inQueueUntilAccepted: WaitDurations;
}

/** A cumulative statistics answer: the window, its counts, the split, and (workers) the activities' durations. */
export interface CumulativeFigures {
  readonly start: Date;
  readonly end: Date;
  readonly counts: CumulativeCounts;
  readonly splits: readonly WaitSplit[];
  readonly activityDurations?: readonly ActivityDuration[];
}

export const NO_WAITS: WaitDurations = { count: 0, totalMs: 0, minMs: null, maxMs: null };

export const NO_COUNTS: CumulativeCounts = {
  tasksCreated: 0, tasksEntered: 0, tasksMoved: 0, tasksCanceled: 0, tasksCompleted: 0, tasksTimedOutInWorkflow: 0,
  reservationsCreated: 0, reservationsAccepted: 0, reservationsRejected: 0, reservationsTimedOut: 0, reservationsCanceled: 0,
  untilAccepted: NO_WAITS, untilCanceled: NO_WAITS, inQueueUntilAccepted: NO_WAITS,
};
