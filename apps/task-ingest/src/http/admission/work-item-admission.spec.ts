import { holdWorkItemsWhileShedding } from './work-item-admission';

describe('work items while task creations are shed', () => {
  it('go through at once while creations are admitted', async () => {
    const hold = holdWorkItemsWhileShedding(() => true, { pollMs: 10_000, maxWaitMs: 10_000 });
    await hold.waitForCreates(new AbortController().signal);
  });

  it('wait until creations are admitted again', async () => {
    let admitted = false;
    let looks = 0;
    const hold = holdWorkItemsWhileShedding(() => {
      looks++;
      if (looks === 3) admitted = true;
      return admitted;
    }, { pollMs: 1, maxWaitMs: 10_000 });
    await hold.waitForCreates(new AbortController().signal);
    expect(looks).toBe(3);
  });

  it('wait no longer than the bound, nor once the intake stops', async () => {
    await holdWorkItemsWhileShedding(() => false, { pollMs: 1, maxWaitMs: 20 }).waitForCreates(new AbortController().signal);
    const stopping = new AbortController();
    const waiting = holdWorkItemsWhileShedding(() => false, { pollMs: 10_000, maxWaitMs: 60_000 }).waitForCreates(stopping.signal);
    stopping.abort();
    await waiting;
  });
});
