import { concurrentByKey } from './concurrent-by-key';
import type { ConsumedRecord } from './messages';

const owned = { heartbeat: () => Promise.resolve(), stillOwned: () => true };

const record = (key: string | null, offset: number): ConsumedRecord => ({ topic: 't', partition: 0, offset: String(offset), key, value: null, headers: {} });

describe('concurrentByKey', () => {
  it('runs different keys at the same time and one key in order', async () => {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const handle = async (r: ConsumedRecord) => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${r.key}${r.offset}`);
      await new Promise((resolve) => setTimeout(resolve, r.key === 'slow' ? 30 : 5));
      log.push(`end ${r.key}${r.offset}`);
      running--;
    };

    const results = await concurrentByKey(8)([record('slow', 1), record('a', 2), record('slow', 3), record('a', 4), record(null, 5)], handle, owned);

    expect(results.every((r) => r.kind === 'done')).toBe(true);
    expect(most).toBe(3);
    expect(log.indexOf('end slow1')).toBeLessThan(log.indexOf('start slow3'));
    expect(log.indexOf('end a2')).toBeLessThan(log.indexOf('start a4'));
    // The fast key did not wait for the slow one.
    expect(log.indexOf('end a4')).toBeLessThan(log.indexOf('end slow1'));
  });

  it('never runs more keys at once than the limit', async () => {
    let running = 0;
    let most = 0;
    const handle = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
    };
    await concurrentByKey(3)(Array.from({ length: 20 }, (_, i) => record(`k${i}`, i)), handle, owned);
    expect(most).toBe(3);
  });

  it('hands back a failed record and the later records of its key, not the others', async () => {
    const handle = async (r: ConsumedRecord) => {
      if (r.offset === '2') throw new Error('poison');
    };
    const results = await concurrentByKey(4)([record('p', 1), record('p', 2), record('q', 3), record('p', 4)], handle, owned);
    expect(results.map((r) => r.kind)).toEqual(['done', 'retry', 'done', 'retry']);
  });

  it('starts nothing more once the partition is lost, and heartbeats after each record', async () => {
    let owned2 = true;
    let beats = 0;
    const handled: string[] = [];
    const handle = async (r: ConsumedRecord) => {
      handled.push(r.offset);
      if (r.offset === '2') owned2 = false;
    };
    const results = await concurrentByKey(1)([record('a', 1), record('a', 2), record('a', 3), record('b', 4)], handle, {
      heartbeat: async () => void beats++, stillOwned: () => owned2,
    });
    expect(handled).toEqual(['1', '2']);
    expect(results.map((r) => r.kind)).toEqual(['done', 'done', 'retry', 'retry']);
    expect(beats).toBe(2);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => concurrentByKey(0)).toThrow(/positive whole/);
  });
});
