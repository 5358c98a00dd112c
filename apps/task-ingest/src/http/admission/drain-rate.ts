/** One sample of the pipeline: the routing backlog, and the log's head position (how much was ever appended). */
export interface DrainSample {
  readonly atMs: number;
  readonly backlog: number;
  /** Highest event position in the log (bigserial): its growth is what arrived. */
  readonly logHead: number;
}

/** Weight of the newest observation in the moving average (about the last 3-4 samples count). */
const SMOOTHING = 0.3;

/**
 * How fast the pipeline works the backlog off, in events per second. The backlog alone cannot
 * tell: it grows when arrivals outpace routing even though routing works at full speed. What
 * was appended to the log in the interval entered the backlog, so what left it is
 * `appended - growth`; a moving average smooths it. Positions can skip (a rolled-back append
 * spends its sequence numbers), which overstates the rate slightly; the result only sets a
 * bounded `Retry-After`. Undefined until two samples with work waiting exist; an idle interval
 * or a clock that did not move keeps the previous rate.
 */
export function nextDrainRate(previousRate: number | undefined, before: DrainSample | undefined, now: DrainSample): number | undefined {
  // With nothing waiting at either end the pipeline was idle: that says nothing of its speed.
  if (!before || (before.backlog === 0 && now.backlog === 0)) return previousRate;
  const seconds = (now.atMs - before.atMs) / 1000;
  if (!(seconds > 0)) return previousRate;
  const appended = Math.max(0, now.logHead - before.logHead);
  const observed = Math.max(0, (appended - (now.backlog - before.backlog)) / seconds);
  return previousRate === undefined ? observed : previousRate + SMOOTHING * (observed - previousRate);
}
