import { migrateSchema } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { TimerChanges } from './timer-changes';
import { timerMigrations } from './timer-migrations';
import { TimerStore, type NewTimer } from './timer-store';

/** The one statement a batch's timer changes take, against the real Postgres. */
describe('TimerStore.apply', () => {
  const schema = uniqueName('timers');
  const pool = new Pool({ connectionString: testDatabaseUrl() });
  const store = new TimerStore(pool, schema);
  let sequence = 0;
  const newTask = () => `WT${(++sequence).toString(16).padStart(32, '0')}`;
  const timer = (taskSid: string, kind: NewTimer['kind'], ref: string, payload: Record<string, unknown> = {}): NewTimer =>
    ({ kind, workspaceSid: 'WS1', taskSid, ref, payload, dueAt: new Date('2026-01-01T10:00:00.123Z') });
  const timersOf = async (...taskSids: string[]) => (await pool.query(
    `SELECT task_sid, kind, ref, payload, due_at FROM "${schema}".timers WHERE task_sid = ANY($1) ORDER BY task_sid, kind, ref`, [taskSids],
  )).rows.map((r) => `${r.task_sid}/${r.kind}/${r.ref}`);

  beforeAll(async () => {
    await migrateSchema(pool, schema, timerMigrations);
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  it('schedules many timers at once, payloads and deadlines as given, and a timer already there stays as it was', async () => {
    const [a, b] = [newTask(), newTask()];
    await store.schedule(timer(a, 'ttl', 'ttl', { first: true }));
    await store.apply(new TimerChanges()
      .schedule(timer(a, 'ttl', 'ttl', { first: false }))
      .schedule(timer(a, 'reservation', 'WR1', { workerSid: 'WK1', quote: `it's "quoted" {x}` }))
      .schedule(timer(b, 'target', '0:1:2026-01-01T10:00:00.000Z', { step: { filterIndex: 0, targetIndex: 1 } })));
    expect(await timersOf(a, b)).toEqual([`${a}/reservation/WR1`, `${a}/ttl/ttl`, `${b}/target/0:1:2026-01-01T10:00:00.000Z`]);
    const rows = (await pool.query(`SELECT kind, payload, due_at FROM "${schema}".timers WHERE task_sid = $1 ORDER BY kind`, [a])).rows;
    expect(rows).toEqual([
      { kind: 'reservation', payload: { workerSid: 'WK1', quote: `it's "quoted" {x}` }, due_at: new Date('2026-01-01T10:00:00.123Z') },
      { kind: 'ttl', payload: { first: true }, due_at: new Date('2026-01-01T10:00:00.123Z') },
    ]);
  });

  it('cancels every timer of a task, or one reservation\'s, and leaves the others', async () => {
    const [a, b, c] = [newTask(), newTask(), newTask()];
    await store.apply(new TimerChanges()
      .schedule(timer(a, 'ttl', 'ttl')).schedule(timer(a, 'reservation', 'WR1')).schedule(timer(a, 'target', 's'))
      .schedule(timer(b, 'ttl', 'ttl')).schedule(timer(b, 'reservation', 'WR2')).schedule(timer(b, 'reservation', 'WR3'))
      .schedule(timer(c, 'ttl', 'ttl')));
    await store.apply(new TimerChanges().cancelTask(a).cancelReservation(b, 'WR2').cancelReservation(c, 'ttl'));
    expect(await timersOf(a, b, c)).toEqual([`${b}/reservation/WR3`, `${b}/ttl/ttl`, `${c}/ttl/ttl`]);
  });

  it('adds and cancels in the same statement, keeping a stored timer scheduled again after its cancel', async () => {
    const [a, b, c] = [newTask(), newTask(), newTask()];
    await store.apply(new TimerChanges().schedule(timer(a, 'ttl', 'ttl')).schedule(timer(a, 'reservation', 'WR1')).schedule(timer(b, 'ttl', 'ttl')));
    await store.apply(new TimerChanges()
      .cancelTask(a).schedule(timer(a, 'ttl', 'ttl'))
      .schedule(timer(c, 'ttl', 'ttl')).cancelTask(b));
    expect(await timersOf(a, b, c)).toEqual([`${a}/ttl/ttl`, `${c}/ttl/ttl`]);
  });

  it('changes nothing twice: the same changes again leave the same timers', async () => {
    const [a, b] = [newTask(), newTask()];
    const changes = new TimerChanges().schedule(timer(a, 'ttl', 'ttl')).schedule(timer(b, 'ttl', 'ttl')).schedule(timer(b, 'reservation', 'WR1')).cancelReservation(b, 'WR1');
    await store.apply(changes);
    await store.apply(changes);
    expect(await timersOf(a, b)).toEqual([`${a}/ttl/ttl`, `${b}/ttl/ttl`]);
  });

  it('has an index to cancel a task\'s timers by, rather than read the whole table', async () => {
    const client = await pool.connect();
    try {
      // A table this small is read whole whatever its indexes; forbidding that shows which index serves the cancel.
      await client.query('SET enable_seqscan = off');
      const plan = await client.query(`EXPLAIN DELETE FROM "${schema}".timers WHERE task_sid = ANY($1::text[])`, [['WT1']]);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('timers_task_sid_idx');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
