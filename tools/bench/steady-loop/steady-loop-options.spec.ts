import { summarizeLatencies } from './latency-summary';
import { readSteadyLoopOptions } from './steady-loop-options';
import { barChartSvg } from './svg-chart';

describe('steady-loop options', () => {
  it('defaults to the issue\'s scenarios, and --quick to smaller ones that flags still override', () => {
    const full = readSteadyLoopOptions([], {});
    expect(full).toMatchObject({ quick: false, agents: 100, queues: 10, inFlight: [32, 128], rates: [150, 500], durationS: 20, bullmqConcurrency: 50 });
    const quick = readSteadyLoopOptions(['--quick', '--agents=30'], {});
    expect(quick).toMatchObject({ quick: true, agents: 30, durationS: 3 });
  });

  it('reads STEADY_* variables, flags win, and refuses what it cannot use', () => {
    expect(readSteadyLoopOptions(['--rates', '50,75'], { STEADY_RATES: '10', STEADY_IN_FLIGHT: '8' })).toMatchObject({ rates: [50, 75], inFlight: [8] });
    expect([...readSteadyLoopOptions(['--only=closed,bullmq'], {}).only]).toEqual(['closed', 'bullmq']);
    expect(() => readSteadyLoopOptions(['--agnets=5'], {})).toThrow(/unknown flag --agnets/);
    expect(() => readSteadyLoopOptions(['--agents=5'], {})).toThrow(/at least --queues/);
    expect(() => readSteadyLoopOptions(['--reserve-capacity=1000'], {})).toThrow(/at most 50/);
    expect(() => readSteadyLoopOptions(['--only=fast'], {})).toThrow(/--only takes/);
  });
});

describe('latency summary', () => {
  it('takes nearest-rank percentiles', () => {
    const summary = summarizeLatencies(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect(summary).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(summarizeLatencies([])).toEqual({ count: 0, p50: null, p90: null, p99: null, max: null });
  });
});

describe('svg chart', () => {
  it('draws one bar per figure and escapes labels', () => {
    const svg = barChartSvg('t', 's', [{ title: 'p', bars: [{ label: 'a<b', value: 2, text: '2/s' }, { label: 'BullMQ', value: 0, text: '0', reference: true }] }]);
    expect(svg.match(/<rect x=/g)).toHaveLength(2 + 2);
    expect(svg).toContain('a&lt;b');
    expect(svg.startsWith('<svg')).toBe(true);
  });
});
