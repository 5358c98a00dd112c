import { backoffDelay, pause } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const options = { initialMs: 100, maxMs: 1000 };

    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('pause', () => {
  it('ends early when its signal aborts', async () => {
    const stop = new AbortController();
    const paused = pause(60_000, stop.signal);

    stop.abort();

    await expect(paused).resolves.toBeUndefined();
  });
});
