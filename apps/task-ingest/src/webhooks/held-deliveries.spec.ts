import type { ConsumedRecord, EventConsumer } from '@taskrouter/messaging';
import { HeldDeliveries } from './held-deliveries';
import { KeyedLanes } from './keyed-lanes';

const record = (offset: number): ConsumedRecord => ({ topic: 't', partition: 0, offset: String(offset), key: 'k', value: null, headers: {} });

/** Just holdUntilFinished: which records are held, and which were released. */
function fakeConsumer() {
  const released: string[] = [];
  const held: string[] = [];
  const consumer = {
    holdUntilFinished: (r: ConsumedRecord) => {
      held.push(r.offset);
      return () => released.push(r.offset);
    },
  } as unknown as EventConsumer;
  return { consumer, held, released };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('HeldDeliveries', () => {
  it('holds the record while its delivery is under way and releases it once the delivery ended', async () => {
    const { consumer, held, released } = fakeConsumer();
    const deliveries = new HeldDeliveries(new KeyedLanes(), () => undefined);
    let finish!: () => void;
    deliveries.start(consumer, record(1), 'WT1', 'a call', () => new Promise<void>((resolve) => (finish = resolve)));
    await settle();
    expect(held).toEqual(['1']);
    expect(released).toEqual([]);
    finish();
    await settle();
    expect(released).toEqual(['1']);
  });

  it('runs one key after the other, other keys beside it', async () => {
    const { consumer } = fakeConsumer();
    const deliveries = new HeldDeliveries(new KeyedLanes(), () => undefined);
    const order: string[] = [];
    let finishFirst!: () => void;
    deliveries.start(consumer, record(1), 'WT1', 'first', async () => {
      await new Promise<void>((resolve) => (finishFirst = resolve));
      order.push('first');
    });
    deliveries.start(consumer, record(2), 'WT1', 'second', async () => void order.push('second'));
    deliveries.start(consumer, record(3), 'WT2', 'other', async () => void order.push('other'));
    await settle();
    expect(order).toEqual(['other']);
    finishFirst();
    await settle();
    expect(order).toEqual(['other', 'first', 'second']);
  });

  it('releases a failed delivery when told to, and logs that it was given up', async () => {
    const { consumer, released } = fakeConsumer();
    const lines: string[] = [];
    const deliveries = new HeldDeliveries(new KeyedLanes(), (line) => lines.push(line), 'release');
    deliveries.start(consumer, record(1), 'WT1', 'assignment callback for WR1', async () => {
      throw new Error('database away');
    });
    await settle();
    expect(released).toEqual(['1']);
    expect(lines).toEqual(['assignment callback for WR1 given up: database away']);
  });

  it('keeps a failed delivery held when it must be made again after a restart', async () => {
    const { consumer, released } = fakeConsumer();
    const lines: string[] = [];
    const deliveries = new HeldDeliveries(new KeyedLanes(), (line) => lines.push(line), 'redeliver');
    deliveries.start(consumer, record(1), 'WT1', 'event callbacks of task:WT1@3', async () => {
      throw new Error('database away');
    });
    await settle();
    expect(released).toEqual([]);
    expect(lines).toEqual(['event callbacks of task:WT1@3 left to be delivered again: database away']);
  });

  it('lets stop wait for what is under way, and says it is stopping', async () => {
    const { consumer, released } = fakeConsumer();
    const deliveries = new HeldDeliveries(new KeyedLanes(), () => undefined);
    deliveries.start(consumer, record(1), 'WT1', 'a call', () => new Promise<void>((resolve) => setTimeout(resolve, 20)));
    const stopped = deliveries.stop();
    expect(deliveries.stopping).toBe(true);
    await stopped;
    expect(released).toEqual(['1']);
  });
});
