/**
 * The `Retry-After` of a 503, in whole seconds: how long the backlog above the low mark takes
 * to drain at the rate it has been draining, so that a client coming back then finds admission
 * open again. Bounded to 1..`maxSeconds`; when nothing is draining (a stopped evaluator, or no
 * rate measured yet) it is `maxSeconds`.
 */
export function retryAfterSeconds(backlog: number, drainPerSecond: number | undefined, lowMark: number, maxSeconds: number): number {
  const above = Math.max(0, backlog - lowMark);
  if (above === 0) return 1;
  if (drainPerSecond === undefined || !(drainPerSecond > 0)) return maxSeconds;
  const seconds = Math.ceil(above / drainPerSecond);
  return Math.min(maxSeconds, Math.max(1, Number.isFinite(seconds) ? seconds : maxSeconds));
}
