import { byTopic, recordBatches } from './record-batches';

const record = (topic: string, value: string) => ({ topic, key: 'k', value });

describe('recordBatches', () => {
  it('splits by record count, keeping order', () => {
    const records = ['1', '2', '3', '4', '5'].map((v) => record('t', v));

    expect(recordBatches(records, { maxRecords: 2, maxBytes: 1e6 }).map((b) => b.map((r) => r.value))).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('splits by size, giving an oversized record a batch of its own', () => {
    const records = [record('t', 'aaaa'), record('t', 'bbbb'), record('t', 'x'.repeat(50)), record('t', 'c')];

    expect(recordBatches(records, { maxRecords: 100, maxBytes: 12 }).map((b) => b.map((r) => r.value[0]))).toEqual([['a', 'b'], ['x'], ['c']]);
  });

  it('returns no batch for no records', () => {
    expect(recordBatches([], { maxRecords: 10, maxBytes: 10 })).toEqual([]);
  });
});

describe('byTopic', () => {
  it('groups records by topic in their original order', () => {
    const grouped = byTopic([record('a', '1'), record('b', '2'), record('a', '3')]);

    expect([...grouped].map(([topic, list]) => [topic, list.map((r) => r.value)])).toEqual([
      ['a', ['1', '3']],
      ['b', ['2']],
    ]);
  });
});
