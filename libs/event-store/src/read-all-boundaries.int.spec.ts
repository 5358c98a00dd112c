import { Pool } from 'pg';
import { startScratchPostgres, type ScratchPostgres } from '@taskrouter/testing';
import { compareCheckpoints } from './checkpoint-order';
import type { GlobalCheckpoint, StoredEvent } from './events';
import { PostgresEventStore } from './postgres-event-store';

// Decimal strings sort differently from numbers exactly where a number gains a digit: the log
// must be read in numeric commit order across transaction id 1,000,000 and across positions
// gaining a digit inside one page. The shared database's counter is wherever earlier runs left
// it, so this spec runs its own cluster with the counter set just below the boundary.
describe('readAll across numbers that gain a digit', () => {
  let scratch: ScratchPostgres;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    scratch = await startScratchPostgres({ nextTransactionId: 999_000 });
    pool = new Pool({ connectionString: scratch.url, max: 8 });
    store = new PostgresEventStore(pool, { schema: 'boundaries' });
    await store.migrate();
    // Positions 99,995.. cross 100,000 inside the first pages read below.
    await pool.query(`SELECT setval('boundaries.events_position_seq', 99994)`);
    await scratch.advanceTransactionIdTo(999_980n);
  });
  afterAll(async () => {
    await pool?.end();
    await scratch?.stop();
  });

  async function readEverything(pageSize: number): Promise<StoredEvent[]> {
    const read: StoredEvent[] = [];
    let after: GlobalCheckpoint | null = null;
    for (;;) {
      const page = await store.readAll({ after, limit: pageSize });
      if (page.length === 0) return read;
      read.push(...page);
      after = page[page.length - 1];
    }
  }

  it('pages through every committed event once, in numeric commit order, across xid 1,000,000', async () => {
    const appended: StoredEvent[] = [];
    // 40 transactions of 1 to 3 events: transaction ids run from below 999,999 to above 1,000,000.
    for (let i = 0; i < 40; i++) {
      const events = Array.from({ length: (i % 3) + 1 }, (_, k) => ({ type: 'Labelled', data: { label: `${i}.${k}` } }));
      appended.push(...(await store.append([{ streamId: `s:${i % 7}`, expectedVersion: 'any', events }])));
    }
    const transactionIds = appended.map((e) => BigInt(e.transactionId));
    expect(transactionIds[0]).toBeLessThan(1_000_000n);
    expect(transactionIds[transactionIds.length - 1]).toBeGreaterThanOrEqual(1_000_000n);
    expect(BigInt(appended[0].position)).toBeLessThan(100_000n);
    expect(BigInt(appended[appended.length - 1].position)).toBeGreaterThanOrEqual(100_000n);
    await scratch.advanceTransactionIdTo((await scratch.currentTransactionId()) + 2n); // nothing left open below

    for (const pageSize of [1, 4, 7, 1000]) {
      const read = await readEverything(pageSize);
      expect(read.map((e) => e.position)).toEqual(appended.map((e) => e.position));
      expect(read.every((e, i) => i === 0 || compareCheckpoints(read[i - 1], e) < 0)).toBe(true);
    }
  });

  it('reads one transaction whose positions gain a digit in stream order, page by page', async () => {
    const before = await readEverything(1000);
    await pool.query(`SELECT setval('boundaries.events_position_seq', 999994)`);
    const events = Array.from({ length: 12 }, (_, v) => ({ type: 'Step', data: { v } }));
    const appended = await store.append([{ streamId: 'ordered', expectedVersion: 0, events }]);
    expect(appended[0].position).toBe('999995');
    expect(appended[11].position).toBe('1000006');
    await scratch.advanceTransactionIdTo((await scratch.currentTransactionId()) + 2n);
    const read: StoredEvent[] = [];
    let after: GlobalCheckpoint = before[before.length - 1];
    for (;;) {
      const page = await store.readAll({ after, limit: 5 });
      if (page.length === 0) break;
      read.push(...page);
      after = page[page.length - 1];
    }
    expect(read.map((e) => e.data.v)).toEqual(events.map((e) => e.data.v));
  });
});
