import fc from 'fast-check';
import { DROPPED, DestinationQueues, destinationOf } from './destination-queues';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('DestinationQueues', () => {
  it('runs at most `concurrency` calls of one destination at once, the rest in order as room comes', async () => {
    const queues = new DestinationQueues({ concurrency: 2, maxQueued: 10 });
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const calls = gates.map((g, i) => queues.run('https://slow.example', async () => {
      started.push(i);
      await g.promise;
      return i;
    }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(queues.load('https://slow.example')).toEqual({ active: 2, waiting: 2 });
    gates[1]!.open();
    await calls[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.open());
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3]);
    expect(queues.size).toBe(0);
  });

  it('never makes another destination wait behind a full one', async () => {
    const queues = new DestinationQueues({ concurrency: 1, maxQueued: 1 });
    const stuck = gate();
    const first = queues.run('https://dead.example', () => stuck.promise);
    const second = queues.run('https://dead.example', () => Promise.resolve('second'));
    expect(await queues.run('https://alive.example', () => Promise.resolve('alive'))).toBe('alive');
    stuck.open();
    await first;
    expect(await second).toBe('second');
  });

  it('drops a call at once when its destination already has maxQueued waiting', async () => {
    const queues = new DestinationQueues({ concurrency: 1, maxQueued: 1 });
    const stuck = gate();
    const running = queues.run('https://dead.example', () => stuck.promise);
    const waiting = queues.run('https://dead.example', () => Promise.resolve('ran'));
    let ran = false;
    expect(await queues.run('https://dead.example', async () => void (ran = true))).toBe(DROPPED);
    expect(ran).toBe(false);
    stuck.open();
    await running;
    expect(await waiting).toBe('ran');
  });

  it('hands an ending call\'s room to the first waiting one, not to a call that arrives meanwhile', async () => {
    const queues = new DestinationQueues({ concurrency: 1, maxQueued: 5 });
    const first = gate();
    const order: string[] = [];
    const running = queues.run('d', async () => {
      await first.promise;
      order.push('first');
    });
    const waiting = queues.run('d', async () => void order.push('waiting'));
    first.open();
    await running;
    // The room is the waiting call's now: a newcomer queues behind it.
    expect(queues.load('d')).toEqual({ active: 1, waiting: 0 });
    const newcomer = queues.run('d', async () => void order.push('newcomer'));
    await Promise.all([waiting, newcomer]);
    expect(order).toEqual(['first', 'waiting', 'newcomer']);
  });

  it('frees the room of a call that failed', async () => {
    const queues = new DestinationQueues({ concurrency: 1, maxQueued: 0 });
    await expect(queues.run('d', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queues.run('d', () => Promise.resolve(1))).toBe(1);
  });

  it('keeps within its bounds for any mix of calls, and runs every call it did not drop', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(3)), { maxLength: 40 }),
      async (concurrency, maxQueued, calls) => {
        const queues = new DestinationQueues({ concurrency, maxQueued });
        const active = new Map<string, number>();
        let ran = 0;
        const outcomes = await Promise.all(calls.map(([destination, ticks]) => queues.run(destination, async () => {
          active.set(destination, (active.get(destination) ?? 0) + 1);
          expect(active.get(destination)).toBeLessThanOrEqual(concurrency);
          for (let i = 0; i < ticks; i++) await Promise.resolve();
          active.set(destination, active.get(destination)! - 1);
          ran++;
        })));
        expect(outcomes.filter((o) => o !== DROPPED)).toHaveLength(ran);
        for (const destination of ['a', 'b', 'c']) {
          const offered = calls.filter(([d]) => d === destination).length;
          expect(offered - outcomes.filter((o, i) => o === DROPPED && calls[i]![0] === destination).length).toBeGreaterThanOrEqual(Math.min(offered, concurrency + maxQueued));
        }
        expect(queues.size).toBe(0);
      },
    ));
  });
});

describe('destinationOf', () => {
  it('is the origin, so every path and query of one endpoint shares a queue', () => {
    expect(destinationOf('https://Hooks.Example.com/a?x=1')).toBe('https://hooks.example.com');
    expect(destinationOf('https://hooks.example.com:8443/b')).toBe('https://hooks.example.com:8443');
    expect(destinationOf('http://127.0.0.1:3000/cb')).toBe('http://127.0.0.1:3000');
  });
});
