import { prometheusSamples, sampleSum } from '@taskrouter/testing';
import { ServiceMetrics } from './service-metrics';

describe('ServiceMetrics', () => {
  it('counts appended events by type and reservation changes by outcome', async () => {
    const metrics = new ServiceMetrics();
    metrics.countAppended([
      { type: 'TaskReserved', data: {} }, { type: 'WorkerReserved', data: {} }, { type: 'ReservationTimedOut', data: {} },
      { type: 'TaskCanceled', data: { reservationSid: 'WR1' } }, { type: 'TaskCanceled', data: { reservationSid: null } }, { type: 'TaskReserved', data: {} },
    ]);
    const samples = prometheusSamples(await metrics.registry.metrics());
    expect(sampleSum(samples, 'taskrouter_events_appended_total', { type: 'TaskReserved' })).toBe(2);
    expect(sampleSum(samples, 'taskrouter_events_appended_total', { type: 'TaskCanceled' })).toBe(2);
    expect(sampleSum(samples, 'taskrouter_reservations_total', { outcome: 'created' })).toBe(2);
    expect(sampleSum(samples, 'taskrouter_reservations_total', { outcome: 'timed_out' })).toBe(1);
    expect(sampleSum(samples, 'taskrouter_reservations_total', { outcome: 'canceled' })).toBe(1);
  });

  it('writes two-label counters and cumulative histogram buckets in the text format', async () => {
    const metrics = new ServiceMetrics();
    metrics.decisions.add('routing', 'committed');
    metrics.decisions.add('routing', 'committed');
    metrics.decisions.add('routing', 'conflict');
    metrics.redisCommands.record(0.0007, 'evalsha');
    metrics.redisCommands.record(0.003, 'evalsha');
    metrics.redisCommands.record(100, 'evalsha');
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE taskrouter_decisions_total counter');
    expect(text).toContain('# TYPE taskrouter_redis_command_seconds histogram');
    const samples = prometheusSamples(text);
    expect(sampleSum(samples, 'taskrouter_decisions_total', { kind: 'routing', outcome: 'committed' })).toBe(2);
    expect(sampleSum(samples, 'taskrouter_decisions_total', { kind: 'routing', outcome: 'conflict' })).toBe(1);
    const bucket = (le: string) => sampleSum(samples, 'taskrouter_redis_command_seconds_bucket', { command: 'evalsha', le });
    expect([bucket('0.0005'), bucket('0.001'), bucket('0.005'), bucket('30'), bucket('+Inf')]).toEqual([0, 1, 2, 2, 3]);
    expect(sampleSum(samples, 'taskrouter_redis_command_seconds_count', { command: 'evalsha' })).toBe(3);
    expect(sampleSum(samples, 'taskrouter_redis_command_seconds_sum', { command: 'evalsha' })).toBeCloseTo(100.0037, 6);
  });
});
