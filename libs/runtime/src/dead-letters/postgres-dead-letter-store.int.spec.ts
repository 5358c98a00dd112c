import type { DeadLetterSource, StoredDeadLetter } from '@taskrouter/messaging';
import { testDatabaseUrl } from '@taskrouter/testing';
import { Pool } from 'pg';
import { DeadLetterAdmin } from './dead-letter-admin';
import { PostgresDeadLetterStore } from './postgres-dead-letter-store';
import { freshDeadLetterSchema } from './test-support/dead-letter-fixture';

const letter = (streamKey: string | null, offset: number, overrides: Partial<DeadLetterSource> = {}): DeadLetterSource => ({
  // Each stream of these specs has its own offsets, so the source names the stream too.
  consumer: 'group', topic: 'events', partition: 0, offset: String(offset), sourceRef: `events/${streamKey}/${offset}`,
  streamKey, streamSequence: String(offset), eventType: 'Counted', value: `{"n":${offset}}`, headers: { 'event-type': 'Counted' }, ...overrides,
});
const failure = { error: 'Error: poison', attempts: 5, firstFailedAt: new Date() };

describe('PostgresDeadLetterStore', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 10 });
  let schema: string;
  let store: PostgresDeadLetterStore;
  let admin: DeadLetterAdmin;

  beforeAll(async () => {
    schema = await freshDeadLetterSchema(pool, 'dl_store');
    store = new PostgresDeadLetterStore(pool, schema);
    admin = new DeadLetterAdmin(pool, schema);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('parks what Postgres text refuses (NUL, lone surrogates), keeping key and value byte for byte', async () => {
    const key = 'work-item:\u0000bad';
    const value = 'raw \u0000 bytes \u00e9';
    const poison = letter(key, 1, { value, headers: { 'x-note': 'a\u0000b\ud800' }, eventType: '\udc00' });

    expect(await store.park(poison, { ...failure, error: 'invalid byte sequence for encoding "UTF8": 0x00 in "\u0000"' })).toBe(true);
    expect(await store.parkedKeys('group')).toContain(key);
    expect(await store.holdIfBehind(letter(key, 2))).toBe('held');
    const [parked] = await admin.list({ stream: key });

    expect(parked).toMatchObject({ streamKey: key, value, headers: { 'x-note': 'a\ufffdb\ufffd' }, eventType: '\ufffd', error: expect.stringContaining('\ufffd') });
  });

  it('tells a record ahead of the dead letters from one behind them, and a redelivery from both', async () => {
    await store.park(letter('task:s', 10), failure);

    expect(await store.holdIfBehind(letter('task:s', 9))).toBe('ahead');
    expect(await store.holdIfBehind(letter('task:s', 10))).toBe('already-there');
    expect(await store.holdIfBehind(letter('task:s', 11))).toBe('held');
    expect(await store.holdIfBehind(letter('task:s', 11))).toBe('already-there');
    expect(await store.holdIfBehind(letter('task:other', 11))).toBe('clear');
    expect(await store.holdIfBehind(letter(null, 12))).toBe('clear');
    expect(await store.park(letter('task:s', 10), failure)).toBe(false);
  });

  it('walks a marked stream in order and reparks, unmarking it', async () => {
    await store.park(letter('task:w', 1), failure);
    await store.holdIfBehind(letter('task:w', 2));
    await store.holdIfBehind(letter('task:w', 3));
    expect(await admin.markForRetry({ stream: 'task:w' })).toBe(3);

    const [head] = (await store.headsToRetry('group')).filter((l) => l.streamKey === 'task:w');
    const second = await store.resolve(head);
    await store.repark(second as StoredDeadLetter, { ...failure, attempts: 2 });
    const rows = await admin.list({ stream: 'task:w' });

    expect([head.streamSequence, second?.streamSequence]).toEqual(['1', '2']);
    expect(rows.map((r) => [r.streamSequence, r.status, r.attempts, r.retryRequestedAt])).toEqual([['2', 'parked', 2, null], ['3', 'held', 0, null]]);
    expect((await store.headsToRetry('group')).filter((l) => l.streamKey === 'task:w')).toEqual([]);
  });

  it('keeps a stream in numeric order where its sequence gains a digit (9 before 10, 99 before 100)', async () => {
    const key = 'task:digits';
    await store.park(letter(key, 8), failure);
    for (const offset of [9, 10, 99, 100]) expect(await store.holdIfBehind(letter(key, offset))).toBe('held');

    expect((await admin.list({ stream: key })).map((l) => l.streamSequence)).toEqual(['8', '9', '10', '99', '100']);
    const order: string[] = [];
    let next: StoredDeadLetter | null = (await admin.list({ stream: key }))[0];
    while (next) {
      order.push(next.streamSequence);
      next = await store.resolve(next);
    }
    expect(order).toEqual(['8', '9', '10', '99', '100']);
  });

  it('never lets a record overtake the stream it races into while the retry loop clears it', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `task:race${round}`;
      await store.park(letter(key, 1), failure);
      const retried: number[] = [];
      const direct: number[] = [];
      // The retry loop: handle, resolve, continue with whatever is next, until the stream is clear.
      const retryLoop = (async () => {
        let next: StoredDeadLetter | null = (await admin.list({ stream: key }))[0];
        while (next) {
          retried.push(Number(next.streamSequence));
          next = await store.resolve(next);
        }
      })();
      // The hot path, at the same time: each later record is held, until the stream is found clear.
      const hotPath = (async () => {
        for (let offset = 2; offset <= 30; offset++) {
          const outcome = direct.length > 0 ? 'clear' : await store.holdIfBehind(letter(key, offset));
          if (outcome === 'clear') direct.push(offset);
        }
      })();
      await Promise.all([retryLoop, hotPath]);
      // Whatever the retry loop missed is stranded; it must have missed nothing.
      const stranded = await admin.list({ stream: key });

      expect(stranded).toEqual([]);
      expect([...retried, ...direct]).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }
  });

  it('drops one letter (marking the rest of its stream), a stream, or everything of a consumer', async () => {
    await store.park(letter('task:d', 1, { consumer: 'dropper' }), failure);
    await store.holdIfBehind(letter('task:d', 2, { consumer: 'dropper' }));
    await store.park(letter('task:e', 1, { consumer: 'dropper' }), failure);
    await store.park(letter(null, 7, { consumer: 'dropper' }), failure);
    const [headD] = await admin.list({ consumer: 'dropper', stream: 'task:d' });
    const [heldD] = (await admin.list({ consumer: 'dropper', stream: 'task:d' })).slice(1);

    expect(await admin.drop({ id: heldD.id })).toEqual({ dropped: 1, markedForRetry: 0 });
    await store.holdIfBehind(letter('task:d', 3, { consumer: 'dropper' }));
    expect(await admin.drop({ id: headD.id, consumer: 'dropper' })).toEqual({ dropped: 1, markedForRetry: 1 });
    expect(await admin.drop({ stream: 'task:e', consumer: 'other' })).toEqual({ dropped: 0, markedForRetry: 0 });
    expect(await admin.drop({ all: true, consumer: 'dropper' })).toEqual({ dropped: 3, markedForRetry: 0 });
    expect(await admin.list({ consumer: 'dropper' })).toEqual([]);
    expect(await admin.drop({ id: '999999' })).toEqual({ dropped: 0, markedForRetry: 0 });
  });
});
