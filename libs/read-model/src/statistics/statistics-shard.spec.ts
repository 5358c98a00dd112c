import fc from 'fast-check';
import { STATISTICS_SHARDS, statisticsShard } from './statistics-shard';

describe('the statistics bucket shard of a task', () => {
  it('is a whole number below STATISTICS_SHARDS, the same every time for the same task', () => {
    fc.assert(fc.property(fc.string(), (taskSid) => {
      const shard = statisticsShard(taskSid);
      expect(Number.isInteger(shard) && shard >= 0 && shard < STATISTICS_SHARDS).toBe(true);
      expect(statisticsShard(taskSid)).toBe(shard);
    }));
  });

  it('spreads task SIDs over every shard, none holding more than twice its share', () => {
    const counts = new Array<number>(STATISTICS_SHARDS).fill(0);
    for (let n = 0; n < 16_000; n++) counts[statisticsShard(`WT${n.toString(16).padStart(32, '0')}`)]++;
    expect(Math.min(...counts)).toBeGreaterThan(500);
    expect(Math.max(...counts)).toBeLessThan(2_000);
  });

  it('is FNV-1a (32 bits) of the stream id: fixed values, as rows written live must be found by later appends', () => {
    // FNV-1a of 'task:' is 0xe42e9f62 (Python: h ^= byte; h = h * 0x01000193 % 2**32 from 0x811c9dc5).
    expect(statisticsShard('')).toBe(0xe42e9f62 % STATISTICS_SHARDS);
    expect([statisticsShard(`WT${'0'.repeat(32)}`), statisticsShard(`WT${'f'.repeat(32)}`)]).toEqual([1, 1]);
  });
});
