import { ErrorCodes, TaskRouterError } from '@taskrouter/contract';

/**
 * TaskRouter limits `TargetWorkersExpression`, `EvaluateTaskAttributes` and
 * `EvaluateWorkerAttributes` to 3 requests per second per account, averaged over 10 seconds:
 * 30 requests in any 10-second window. Beyond that: 429, code 20429.
 */
export class ExpressionFilterRateLimit {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perWindow = 30,
    private readonly windowMs = 10_000,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  take(accountSid: string, filter: string): void {
    const key = `${accountSid}:${filter}`;
    const now = this.nowMs();
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length >= this.perWindow) {
      // A request is allowed again once the oldest in the window leaves it.
      const retryAfter = Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000));
      throw new TaskRouterError(429, ErrorCodes.tooManyRequests, `Too many requests: ${filter} is limited to ${this.perWindow} requests per ${this.windowMs / 1000} seconds per account`, {
        'Retry-After': String(retryAfter),
      });
    }
    times.push(now);
    this.recent.set(key, times);
  }
}
