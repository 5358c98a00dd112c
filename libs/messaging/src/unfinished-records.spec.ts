import fc from 'fast-check';
import { UnfinishedRecords } from './unfinished-records';

describe('UnfinishedRecords', () => {
  const setUp = () => {
    const reported: string[] = [];
    const records = new UnfinishedRecords((topic, partition, next) => reported.push(`${topic}/${partition}@${next}`));
    return { records, reported };
  };

  it('lets a record nobody holds be committed at once', () => {
    const { records } = setUp();
    expect(records.done('t', 0, '41')).toBe('42');
  });

  it('holds back the offset behind a held record until it is released, then commits past everything finished', () => {
    const { records, reported } = setUp();
    const release = records.hold('t', 0, '5');
    expect(records.done('t', 0, '5')).toBeUndefined();
    expect(records.done('t', 0, '6')).toBeUndefined();
    expect(records.done('t', 0, '7')).toBeUndefined();
    expect(records.heldCount('t', 0)).toBe(1);
    release();
    expect(reported).toEqual(['t/0@8']);
    expect(records.done('t', 0, '8')).toBe('9');
  });

  it('keeps partitions apart', () => {
    const { records } = setUp();
    records.hold('t', 0, '1');
    records.done('t', 0, '1');
    expect(records.done('t', 1, '1')).toBe('2');
    expect(records.done('u', 0, '1')).toBe('2');
  });

  it('counts a release that comes before the consumer is done with the record', () => {
    const { records, reported } = setUp();
    records.hold('t', 0, '3')();
    expect(reported).toEqual([]);
    expect(records.done('t', 0, '3')).toBe('4');
  });

  it('waits for every hold of a record handled twice', () => {
    const { records, reported } = setUp();
    const first = records.hold('t', 0, '3');
    const second = records.hold('t', 0, '3');
    records.done('t', 0, '3');
    first();
    first();
    expect(reported).toEqual([]);
    second();
    expect(reported).toEqual(['t/0@4']);
  });

  it('ignores what holds from before a rebalance release, and wakes whoever waited on them', async () => {
    const { records, reported } = setUp();
    const release = records.hold('t', 0, '3');
    records.done('t', 0, '3');
    const waited = records.whenFewerThan('t', 0, 1);
    records.reset();
    await waited;
    release();
    expect(reported).toEqual([]);
    expect(records.done('t', 0, '3')).toBe('4');
  });

  it('makes a waiter wait until fewer records than the bound are held', async () => {
    const { records } = setUp();
    const releases = [records.hold('t', 0, '1'), records.hold('t', 0, '2')];
    let woke = false;
    const waited = records.whenFewerThan('t', 0, 2).then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    releases[1]!();
    await waited;
    expect(woke).toBe(true);
  });

  it('never reports an offset past a record still held, and reports every finished prefix', () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 60 }), (heldFlags, releaseOrder) => {
      const { records, reported } = setUp();
      const committed: bigint[] = [];
      const releases = new Map<number, () => void>();
      heldFlags.forEach((held, offset) => {
        if (held) releases.set(offset, records.hold('t', 0, String(offset)));
        const next = records.done('t', 0, String(offset));
        if (next) committed.push(BigInt(next));
      });
      const stillHeld = new Set(releases.keys());
      const order = [...releases.keys()].sort((a, b) => (releaseOrder[a % (releaseOrder.length || 1)] ?? a) - (releaseOrder[b % (releaseOrder.length || 1)] ?? b));
      const check = () => {
        const all = [...committed, ...reported.map((r) => BigInt(r.split('@')[1]!))];
        const highest = all.length === 0 ? 0n : all.reduce((a, b) => (a > b ? a : b));
        const firstHeld = Math.min(...stillHeld);
        expect(highest <= BigInt(Number.isFinite(firstHeld) ? firstHeld : heldFlags.length)).toBe(true);
        return highest;
      };
      check();
      for (const offset of order) {
        releases.get(offset)!();
        stillHeld.delete(offset);
        check();
      }
      expect(check()).toBe(BigInt(heldFlags.length));
    }));
  });
});
