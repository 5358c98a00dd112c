import { EventTooLargeError } from './errors';
import { MAX_EVENT_BYTES } from './event-size';
import { isolatedEventStore, type IsolatedEventStore } from './test-support/isolated-event-store';

describe('the size of one event', () => {
  let db: IsolatedEventStore;
  beforeAll(async () => (db = await isolatedEventStore()));
  afterAll(() => db.dispose());

  // {"text":"..."} around the payload: 11 bytes.
  const withBytes = (bytes: number, char = 'x') => ({ text: char.repeat(Math.floor((bytes - 11) / Buffer.byteLength(char))) });

  it('refuses an event over the limit before writing anything, in any stream of the append', async () => {
    const append = db.store.append([
      { streamId: 'small', expectedVersion: 0, events: [{ type: 'Fine', data: { ok: true } }] },
      { streamId: 'huge', expectedVersion: 0, events: [{ type: 'Huge', data: withBytes(MAX_EVENT_BYTES + 3, '€') }] },
    ]);
    await expect(append).rejects.toBeInstanceOf(EventTooLargeError);
    await expect(append).rejects.toThrow(/Huge for huge is \d+ bytes, over the 4194304-byte limit/);
    expect((await db.store.readStream('small')).version).toBe(0);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".streams`)).rows[0].n).toBe(0);
  });

  it('accepts an event just under the limit, counted in UTF-8 bytes', async () => {
    const data = withBytes(MAX_EVENT_BYTES - 2, '€');
    expect(Buffer.byteLength(JSON.stringify(data)) + 2).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    const [stored] = await db.store.append([{ streamId: 'big', expectedVersion: 0, events: [{ type: 'Big', data }] }]);
    expect(stored.streamVersion).toBe(1);
  });
});
