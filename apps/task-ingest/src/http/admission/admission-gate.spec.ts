import { AdmissionGate } from './admission-gate';
import type { RoutingBacklog } from './routing-backlog';

const reading = (evaluator: number, logHead: number, extra: Partial<RoutingBacklog> = {}): RoutingBacklog => ({ relay: 0, evaluator, matcher: 0, logHead, unknown: [], ...extra });

function gate(overrides: Partial<ConstructorParameters<typeof AdmissionGate>[0]> = {}) {
  const lines: string[] = [];
  const g = new AdmissionGate({ limits: { maxInFlight: 4, maxCreatesInFlight: 2 }, marks: { high: 100, low: 40 }, retryAfterMaxSeconds: 30, log: (line) => lines.push(line), ...overrides });
  return { g, lines };
}

describe('the admission gate', () => {
  it('counts what it admits until released, and refuses beyond the bounds', () => {
    const { g } = gate();
    expect([g.admit('creates-work').admit, g.admit('creates-work').admit, g.admit('creates-work').admit]).toEqual([true, true, false]);
    expect([g.admit('other').admit, g.admit('other').admit, g.admit('other').admit]).toEqual([true, true, false]);
    g.release('creates-work');
    expect(g.admit('creates-work').admit).toBe(true);
    expect(g.snapshot()).toMatchObject({ inFlight: 4, createsInFlight: 2, admitted: 5, refusedInFlight: 2, shedForBacklog: 0 });
  });

  it('sheds task creations from the reading at the high mark until the one at the low mark, and says so once each way', () => {
    const { g, lines } = gate();
    g.observe(reading(10, 1000), 0);
    expect(g.createsAdmitted).toBe(true);
    g.observe(reading(150, 1200), 500);
    expect(g.createsAdmitted).toBe(false);
    expect(g.admit('creates-work')).toMatchObject({ admit: false, status: 503, reason: 'backlog' });
    expect(g.admit('other')).toEqual({ admit: true });
    g.observe(reading(60, 1200), 1000);
    expect(g.createsAdmitted).toBe(false);
    g.observe(reading(40, 1200), 1500);
    expect(g.createsAdmitted).toBe(true);
    expect(lines).toEqual([
      expect.stringMatching(/^admission: routing backlog 150 events \(relay 0, workflow-evaluator 150, queue-matcher 0\) reached ADMISSION_BACKLOG_HIGH \(100\): new tasks are refused with 503 \(Retry-After \d+ s\) until it is at most 40$/),
      'admission: routing backlog down to 40 events (relay 0, workflow-evaluator 40, queue-matcher 0): new tasks admitted again (1 refused meanwhile)',
    ]);
  });

  it('derives Retry-After from the drain rate it measures', () => {
    const { g } = gate();
    g.observe(reading(500, 10_000), 0);
    expect(g.snapshot().retryAfterSeconds).toBe(30); // no rate yet
    g.observe(reading(300, 10_000), 1000); // nothing appended, 200 left in 1 s
    expect(g.snapshot()).toMatchObject({ drainPerSecond: 200, retryAfterSeconds: 2 }); // (300 - 40) / 200
    expect(g.admit('creates-work')).toMatchObject({ status: 503, retryAfterSeconds: 2 });
  });

  it('counts the relay and the slower routing group', () => {
    const { g } = gate();
    g.observe(reading(30, 0, { relay: 60, matcher: 45 }), 0); // 60 + max(30, 45) = 105
    expect(g.createsAdmitted).toBe(false);
  });

  it('with backlog shedding off, only the in-flight bounds apply', () => {
    const { g, lines } = gate({ marks: null });
    g.observe(reading(1e9, 0), 0);
    expect(g.createsAdmitted).toBe(true);
    expect(g.admit('creates-work').admit).toBe(true);
    expect(lines).toEqual([]);
  });
});
