import { CachedCheck } from './cached-check';

describe('CachedCheck', () => {
  let now = 0;
  const clock = () => now;

  it('passes when the check resolves and names the failure when it rejects', async () => {
    await expect(new CachedCheck('postgres', async () => 'fine', { now: clock }).result()).resolves.toMatchObject({ name: 'postgres', ok: true });
    const refused = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });
    const failed = await new CachedCheck('postgres', () => Promise.reject(refused), { now: clock }).result();
    expect(failed).toMatchObject({ name: 'postgres', ok: false, detail: 'ECONNREFUSED: connect failed' });
  });

  it('fails a check that does not answer within its timeout', async () => {
    const result = await new CachedCheck('kafka', () => new Promise(() => undefined), { timeoutMs: 20 }).result();
    expect(result).toMatchObject({ ok: false, detail: 'no answer within 20 ms' });
  });

  it('reuses a result for cacheMs, and shares one run between probes arriving together', async () => {
    let runs = 0;
    let healthy = true;
    const check = new CachedCheck('redis', async () => {
      runs++;
      if (!healthy) throw new Error('down');
    }, { cacheMs: 1000, now: clock });
    now = 10_000;
    const [a, b] = await Promise.all([check.result(), check.result()]);
    expect([a.ok, b.ok, runs]).toEqual([true, true, 1]);
    healthy = false;
    now += 999;
    expect((await check.result()).ok).toBe(true);
    expect(runs).toBe(1);
    now += 1;
    expect(await check.result()).toMatchObject({ ok: false, detail: 'down' });
    expect(runs).toBe(2);
  });
});
