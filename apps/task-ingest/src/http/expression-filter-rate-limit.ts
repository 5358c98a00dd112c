import { SlidingWindowRateLimit } from './sliding-window-rate-limit';

/**
 * TaskRouter limits `TargetWorkersExpression`, `EvaluateTaskAttributes` and
 * `EvaluateWorkerAttributes` to 3 requests per second per account, averaged over 10 seconds:
 * 30 requests in any 10-second window. Beyond that: 429, code 20429.
 */
export class ExpressionFilterRateLimit extends SlidingWindowRateLimit {
  constructor(perWindow = 30, windowMs = 10_000, nowMs?: () => number) {
    super(perWindow, windowMs, nowMs);
  }
}
