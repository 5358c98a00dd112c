import { KeyedLanes } from './keyed-lanes';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('KeyedLanes', () => {
  it('settles at once for a key with no work', async () => {
    const inFlight = new KeyedLanes();
    await expect(inFlight.settled('WT1')).resolves.toBeUndefined();
  });

  it('makes a waiter on the key wait until its work has ended', async () => {
    const inFlight = new KeyedLanes();
    const accept = deferred();
    const order: string[] = [];
    const carried = inFlight.run('WT1', async () => {
      await accept.promise;
      order.push('accepted');
    });
    const command = inFlight.settled('WT1').then(() => order.push('completed'));
    await Promise.resolve();
    expect(order).toEqual([]);
    accept.resolve();
    await Promise.all([carried, command]);
    expect(order).toEqual(['accepted', 'completed']);
    expect(inFlight.size).toBe(0);
  });

  it('does not hold waiters on other keys', async () => {
    const inFlight = new KeyedLanes();
    const accept = deferred();
    const carried = inFlight.run('WT1', () => accept.promise);
    await inFlight.settled('WT2');
    expect(inFlight.size).toBe(1);
    accept.resolve();
    await carried;
  });

  it("runs one key's work one after the other and settles after the last", async () => {
    const inFlight = new KeyedLanes();
    const first = deferred();
    const order: string[] = [];
    const one = inFlight.run('WT1', async () => {
      await first.promise;
      order.push('first');
    });
    const two = inFlight.run('WT1', async () => {
      order.push('second');
    });
    const waited = inFlight.settled('WT1').then(() => order.push('command'));
    first.resolve();
    await Promise.all([one, two, waited]);
    expect(order).toEqual(['first', 'second', 'command']);
  });

  it('lets the next work go on when one failed, and reports the failure to its caller', async () => {
    const inFlight = new KeyedLanes();
    const carried = inFlight.run('WT1', async () => {
      throw new Error('database gone');
    });
    await expect(inFlight.settled('WT1')).resolves.toBeUndefined();
    await expect(carried).rejects.toThrow('database gone');
    expect(inFlight.size).toBe(0);
  });
});
