import { InstructionsInFlight } from './instructions-in-flight';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('InstructionsInFlight', () => {
  it('settles at once for a task with no instruction', async () => {
    const inFlight = new InstructionsInFlight();
    await expect(inFlight.settled('WT1')).resolves.toBeUndefined();
  });

  it('makes a command on the task wait until its instruction is carried out', async () => {
    const inFlight = new InstructionsInFlight();
    const accept = deferred();
    const order: string[] = [];
    const carried = inFlight.carryOut('WT1', async () => {
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

  it('does not hold commands on other tasks', async () => {
    const inFlight = new InstructionsInFlight();
    const accept = deferred();
    const carried = inFlight.carryOut('WT1', () => accept.promise);
    await inFlight.settled('WT2');
    expect(inFlight.size).toBe(1);
    accept.resolve();
    await carried;
  });

  it('runs a task instructions one after the other and settles after the last', async () => {
    const inFlight = new InstructionsInFlight();
    const first = deferred();
    const order: string[] = [];
    const one = inFlight.carryOut('WT1', async () => {
      await first.promise;
      order.push('first');
    });
    const two = inFlight.carryOut('WT1', async () => {
      order.push('second');
    });
    const waited = inFlight.settled('WT1').then(() => order.push('command'));
    first.resolve();
    await Promise.all([one, two, waited]);
    expect(order).toEqual(['first', 'second', 'command']);
  });

  it('lets the command go on when the instruction failed, and reports the failure to its caller', async () => {
    const inFlight = new InstructionsInFlight();
    const carried = inFlight.carryOut('WT1', async () => {
      throw new Error('database gone');
    });
    await expect(inFlight.settled('WT1')).resolves.toBeUndefined();
    await expect(carried).rejects.toThrow('database gone');
    expect(inFlight.size).toBe(0);
  });
});
