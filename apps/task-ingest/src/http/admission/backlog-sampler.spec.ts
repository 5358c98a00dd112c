import { BacklogSampler, type BacklogSources } from './backlog-sampler';
import type { RoutingBacklog } from './routing-backlog';

function setUp(sources: BacklogSources) {
  let now = 0;
  const readings: RoutingBacklog[] = [];
  const lines: string[] = [];
  const sampler = new BacklogSampler(sources, (reading) => readings.push(reading), { intervalMs: 60_000, staleAfterMs: 5000, nowMs: () => now, log: (line) => lines.push(line) });
  return { sampler, readings, lines, advance: (ms: number) => (now += ms) };
}

describe('the backlog sampler', () => {
  it('combines the relay’s backlog and both groups’ lag into one reading per tick', async () => {
    const { sampler, readings } = setUp({ relay: async () => ({ unrelayed: 3, logHead: 77 }), consumers: async () => [5, 9] });
    await sampler.start();
    await sampler.stop();
    expect(readings).toEqual([{ relay: 3, evaluator: 5, matcher: 9, logHead: 77, unknown: [] }]);
  });

  it('keeps a failing stage’s last value until it is stale, then counts it as unknown; says so once each way', async () => {
    let kafkaUp = true;
    const { sampler, readings, lines, advance } = setUp({
      relay: async () => ({ unrelayed: 1, logHead: 10 }),
      consumers: async () => {
        if (!kafkaUp) throw new Error('Connection timeout');
        return [40, 20];
      },
    });
    await sampler.start();
    kafkaUp = false;
    advance(1000);
    await sampler.tick();
    advance(1000);
    await sampler.tick();
    advance(5000);
    await sampler.tick();
    kafkaUp = true;
    advance(1000);
    await sampler.tick();
    await sampler.stop();
    expect(readings.map((r) => [r.evaluator, r.unknown])).toEqual([[40, []], [40, []], [40, []], [0, ['consumers']], [40, []]]);
    expect(lines).toEqual([
      expect.stringMatching(/^admission: could not measure the routing consumer groups' lag \(Kafka\): Connection timeout; using the last value for 5000 ms, then not counting it$/),
      "admission: measuring the routing consumer groups' lag (Kafka) again",
    ]);
  });

  it('never runs two samples at once', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const { sampler } = setUp({
      relay: () => {
        calls++;
        return new Promise((resolve) => (release = () => resolve({ unrelayed: 0, logHead: 0 })));
      },
      consumers: async () => [0, 0],
    });
    const first = sampler.tick();
    const second = sampler.tick();
    release();
    await Promise.all([first, second]);
    await sampler.stop();
    expect(calls).toBe(1);
  });
});
