import { attemptBounded, type AttemptRules } from './bounded-attempts';

const rules = (overrides: Partial<AttemptRules> = {}): AttemptRules & { retries: [number, boolean][] } => {
  const retries: [number, boolean][] = [];
  return {
    maxAttempts: 3, backoff: { initialMs: 1, maxMs: 1 }, isTransient: (e) => (e as Error).message === 'down',
    stillOwned: () => true, signal: new AbortController().signal, onRetry: (_e, attempt, _d, transient) => retries.push([attempt, transient]),
    retries, ...overrides,
  };
};

const failing = (...messages: string[]) => {
  let call = 0;
  return async () => {
    const message = messages[call++];
    if (message !== undefined) throw new Error(message);
  };
};

describe('attemptBounded', () => {
  it('is done as soon as the work succeeds', async () => {
    const r = rules();
    expect(await attemptBounded(failing('poison', 'poison'), r)).toEqual({ kind: 'done' });
    expect(r.retries).toEqual([[1, false], [2, false]]);
  });

  it('gives up after maxAttempts non-transient failures, counting every try', async () => {
    const r = rules();
    const outcome = await attemptBounded(failing('poison', 'down', 'poison', 'down', 'poison', 'never reached'), r);

    expect(outcome).toEqual({ kind: 'failed', failure: { error: 'Error: poison', attempts: 5, firstFailedAt: expect.any(Date) } });
    expect(r.retries).toEqual([[1, false], [2, true], [3, false], [4, true]]);
  });

  it('never gives up on transient failures', async () => {
    const outcome = await attemptBounded(failing(...Array.from({ length: 20 }, () => 'down')), rules());
    expect(outcome).toEqual({ kind: 'done' });
  });

  it('stops without a verdict when the owner stops or loses the partition', async () => {
    let owned = true;
    const r = rules({ stillOwned: () => owned, onRetry: () => (owned = false) });
    expect(await attemptBounded(failing('poison', 'poison', 'poison'), r)).toEqual({ kind: 'stopped' });
  });

  it('does not park the last failure of a consumer that no longer owns the record', async () => {
    let tries = 0;
    const r = rules({ maxAttempts: 1, stillOwned: () => tries === 0 });
    expect(await attemptBounded(async () => { tries++; throw new Error('poison'); }, r)).toEqual({ kind: 'stopped' });
  });
});
