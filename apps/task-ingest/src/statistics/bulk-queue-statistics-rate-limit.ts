import { SlidingWindowRateLimit } from '../http/sliding-window-rate-limit';

/** What the refusal names. */
export const BULK_QUEUE_STATISTICS = 'POST TaskQueues/RealTimeStatistics';

/**
 * The bulk queue real-time statistics are limited to 5 requests per second (reference §11.3), per
 * account and averaged over 10 seconds as TaskRouter's limits are: 50 requests in any 10 seconds,
 * then 429 (20429) with `Retry-After` (docs/limits.md).
 */
export class BulkQueueStatisticsRateLimit extends SlidingWindowRateLimit {
  constructor(nowMs?: () => number) {
    super(50, 10_000, nowMs);
  }

  takeFor(accountSid: string): void {
    this.take(accountSid, BULK_QUEUE_STATISTICS);
  }
}
