import { TaskRouterError } from '@taskrouter/contract';
import { BulkQueueStatisticsRateLimit } from './bulk-queue-statistics-rate-limit';

describe('the bulk queue real-time statistics’ rate limit (5 per second, averaged over 10 seconds)', () => {
  it('allows 50 requests in 10 seconds per account, refuses the 51st with 429 / 20429 and Retry-After, and allows again once the window moves', () => {
    let now = 0;
    const limit = new BulkQueueStatisticsRateLimit(() => now);
    for (let i = 0; i < 50; i++) {
      now = i * 100;
      limit.takeFor('AC1');
    }
    let refusal: unknown;
    try {
      limit.takeFor('AC1');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TaskRouterError);
    expect((refusal as TaskRouterError).toBody()).toMatchObject({ status: 429, code: 20429, message: expect.stringContaining('TaskQueues/RealTimeStatistics') });
    // The oldest request (at 0 s) leaves the window at 10 s: 5.1 s from now.
    expect((refusal as TaskRouterError).headers).toEqual({ 'Retry-After': '6' });
    expect(() => limit.takeFor('AC2')).not.toThrow();
    now = 10_000;
    expect(() => limit.takeFor('AC1')).not.toThrow();
    expect(() => limit.takeFor('AC1')).toThrow(TaskRouterError);
  });
});
