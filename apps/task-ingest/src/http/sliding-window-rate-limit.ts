import { ErrorCodes, TaskRouterError } from '@taskrouter/contract';

/**
 * At most `perWindow` requests of one kind per account in any `windowMs` (TaskRouter averages its
 * rate limits over 10 seconds). Beyond that: 429, code 20429, with the whole seconds until the
 * oldest request of the window leaves it as `Retry-After`.
 */
export class SlidingWindowRateLimit {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  take(accountSid: string, what: string): void {
    const key = `${accountSid}:${what}`;
    const now = this.nowMs();
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length >= this.perWindow) {
      // A request is allowed again once the oldest in the window leaves it.
      const retryAfter = Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000));
      throw new TaskRouterError(429, ErrorCodes.tooManyRequests, `Too many requests: ${what} is limited to ${this.perWindow} requests per ${this.windowMs / 1000} seconds per account`, {
        'Retry-After': String(retryAfter),
      });
    }
    times.push(now);
    this.recent.set(key, times);
  }
}
