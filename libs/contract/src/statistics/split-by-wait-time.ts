import { badRequest } from '../errors/taskrouter-error';

/** At most this many thresholds per request (docs/limits.md). */
export const MAX_WAIT_THRESHOLDS = 10;
/** A threshold is at most the statistics' history: 30 days in seconds. */
export const MAX_WAIT_THRESHOLD_SECONDS = 30 * 24 * 60 * 60;
/** "TaskRouter will calculate statistics on up to 10,000 Tasks/Reservations for any given threshold": the latest ones of the window. */
export const SPLIT_SAMPLE_LIMIT = 10_000;

/**
 * `SplitByWaitTime`: a comma-separated list of thresholds in whole seconds (`5,30`). Returned in
 * ascending order without repeats; empty when the parameter is absent. Anything but 1 to 10
 * integers from 0 to 2,592,000 is refused by name.
 */
export function parseSplitByWaitTime(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return [];
  const parts = raw.split(',').map((part) => part.trim());
  const refuse = () => badRequest(
    `SplitByWaitTime must be a comma-separated list of 1 to ${MAX_WAIT_THRESHOLDS} whole numbers of seconds from 0 to ${MAX_WAIT_THRESHOLD_SECONDS}, got '${raw.slice(0, 64)}'`,
  );
  if (parts.length > MAX_WAIT_THRESHOLDS || parts.some((part) => !/^\d{1,7}$/.test(part))) throw refuse();
  const thresholds = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (thresholds.some((t) => t > MAX_WAIT_THRESHOLD_SECONDS)) throw refuse();
  return thresholds;
}

/** How many canceled tasks and accepted reservations waited up to a threshold (`below`) and longer (`above`). */
export interface WaitSplit {
  readonly threshold: number;
  readonly below: { readonly tasksCanceled: number; readonly reservationsAccepted: number };
  readonly above: { readonly tasksCanceled: number; readonly reservationsAccepted: number };
}

/** One accepted reservation's or canceled task's wait, as split_by_wait_time counts it. */
export interface WaitSample {
  readonly kind: 'accepted' | 'canceled';
  readonly waitMs: number;
}

/**
 * The split of samples by each threshold: a wait of at most the threshold is `below` (accepted
 * within it), a longer one `above`. The queries count the same rule in SQL; this is its definition.
 */
export function splitByWaitTime(thresholds: readonly number[], samples: readonly WaitSample[]): WaitSplit[] {
  return thresholds.map((threshold) => {
    const split = { threshold, below: { tasksCanceled: 0, reservationsAccepted: 0 }, above: { tasksCanceled: 0, reservationsAccepted: 0 } };
    for (const sample of samples) {
      const side = sample.waitMs <= threshold * 1000 ? split.below : split.above;
      if (sample.kind === 'accepted') side.reservationsAccepted++;
      else side.tasksCanceled++;
    }
    return split;
  });
}

/** TaskRouter's shape: `{"5": {"above": {...}, "below": {...}}, ...}`. */
export function renderWaitSplits(splits: readonly WaitSplit[]): Record<string, unknown> {
  return Object.fromEntries(splits.map((split) => [String(split.threshold), {
    above: { tasks_canceled: split.above.tasksCanceled, reservations_accepted: split.above.reservationsAccepted },
    below: { tasks_canceled: split.below.tasksCanceled, reservations_accepted: split.below.reservationsAccepted },
  }]));
}
