import { readinessReport } from './readiness-report';

describe('readinessReport', () => {
  it('is ready when every check passed', () => {
    const report = readinessReport([{ name: 'postgres', ok: true, ms: 2 }, { name: 'kafka', ok: true, ms: 5 }]);
    expect(report.ready).toBe(true);
    expect(report.body).toEqual({ status: 'ready', failed: [], checks: { postgres: { ok: true, ms: 2 }, kafka: { ok: true, ms: 5 } } });
  });

  it('names every failed check and why', () => {
    const report = readinessReport([
      { name: 'postgres', ok: false, detail: 'ECONNREFUSED', ms: 1 }, { name: 'redis', ok: true, ms: 1 }, { name: 'consumers', ok: false, detail: 'not in their group yet: g', ms: 0 },
    ]);
    expect(report.ready).toBe(false);
    expect(report.body.status).toBe('not ready');
    expect(report.body.failed).toEqual(['postgres', 'consumers']);
    expect(report.body.checks.postgres).toEqual({ ok: false, detail: 'ECONNREFUSED', ms: 1 });
  });

  it('is not ready with no check at all', () => {
    expect(readinessReport([]).ready).toBe(false);
  });
});
