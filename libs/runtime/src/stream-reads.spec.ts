import type { StoredEvent } from '@taskrouter/event-store';
import { MAX_STREAMS_PER_READ, StreamReads } from './stream-reads';

type Request = { streamId: string; fromVersion: number };

describe('StreamReads', () => {
  const answering = (calls: Request[][], fail?: Error) => ({
    readStreams: async (requests: readonly Request[]) => {
      calls.push([...requests]);
      if (fail) throw fail;
      return requests.map((r) => ({ version: r.fromVersion + 10, events: [] as StoredEvent[] }));
    },
  });

  it('sends the reads of one turn as one query, and answers each its own', async () => {
    const calls: Request[][] = [];
    const reads = new StreamReads(answering(calls));
    const answers = await Promise.all([reads.read('task:a', 1), reads.read('worker:b', 4), reads.read('task:a', 7)]);
    expect(calls).toEqual([[{ streamId: 'task:a', fromVersion: 1 }, { streamId: 'worker:b', fromVersion: 4 }, { streamId: 'task:a', fromVersion: 7 }]]);
    expect(answers.map((a) => a.version)).toEqual([11, 14, 17]);
    await reads.read('task:c', 1);
    expect(calls).toHaveLength(2);
  });

  it(`splits more than ${MAX_STREAMS_PER_READ} reads over several queries`, async () => {
    const calls: Request[][] = [];
    const reads = new StreamReads(answering(calls));
    const answers = await Promise.all(Array.from({ length: MAX_STREAMS_PER_READ + 1 }, (_, i) => reads.read(`task:${i}`, i)));
    expect(calls.map((c) => c.length)).toEqual([MAX_STREAMS_PER_READ, 1]);
    expect(answers[MAX_STREAMS_PER_READ].version).toBe(MAX_STREAMS_PER_READ + 10);
  });

  it('fails every read of a query that failed', async () => {
    const reads = new StreamReads(answering([], new Error('connection lost')));
    const results = await Promise.allSettled([reads.read('task:a', 1), reads.read('task:b', 1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
