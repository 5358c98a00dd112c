import { loadavg } from 'node:os';
import { migrateSchema, type StoredEvent } from '@taskrouter/event-store';
import { eventsProjection, readModelMigrations } from '@taskrouter/read-model';
import { RealisticEventLog, testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool, type PoolClient, type QueryConfig } from 'pg';
import { saveBenchResults } from '../support/bench-results';

/**
 * What the TaskRouter Events side projection costs an append:
 *   node -r ./tools/register.js tools/bench/events/events-projection-cost.bench.ts [--quick]
 * A realistic log (RealisticEventLog, 1,000 tasks created, 200 with --quick, and what their
 * workers, queues and workflows did meanwhile) is projected by the Events projection alone into a
 * fresh schema, twice: one decision per transaction (an edge's lone append) and batches of 300 log
 * events (a consumer's batch). Per mode: the Events written, the statements' time per Event, the
 * rows and index entries written, the write-ahead log the statements wrote (EXPLAIN ANALYZE's WAL
 * counters, a second run into another fresh schema: the machine's other sessions do not count).
 * The schemas are dropped after. Not a test: nothing is asserted.
 */
const QUICK = process.argv.includes('--quick');
const TASKS = Number(process.env.BENCH_EVENTS_TASKS ?? (QUICK ? 200 : 1_000));
const BATCH_EVENTS = 300;

interface Totals {
  transactions: number;
  statements: number;
  ms: number;
  walRecords: number;
  walBytes: number;
  walFpi: number;
  parameterBytes: number;
  /** Server-side execution time (EXPLAIN ANALYZE) per statement kind, ms. */
  serverMs: Record<string, number>;
}

/** The log as its decisions, each a list of stored events (stream versions as the log gives them). */
function realisticDecisions(tasks: number): StoredEvent[][] {
  const log = new RealisticEventLog({ seed: 20_260_105, workspaces: 4, queuesPerWorkspace: 5, workersPerWorkspace: 100, tasksInFlight: 60, variety: 0.03 });
  const decisions: StoredEvent[][] = [];
  let position = 0;
  let created = 0;
  while (created < tasks) {
    const decision: StoredEvent[] = [];
    for (const append of log.next()) {
      append.events.forEach((event, i) => {
        position++;
        if (event.type === 'TaskCreated') created++;
        decision.push({
          position: String(position), transactionId: String(position), streamId: append.streamId, streamVersion: append.expectedVersion + i + 1,
          type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata, recordedAt: new Date(0).toISOString(),
        });
      });
    }
    decisions.push(decision);
  }
  return decisions;
}

function batchesOf(decisions: StoredEvent[][], size: number): StoredEvent[][] {
  const batches: StoredEvent[][] = [];
  let batch: StoredEvent[] = [];
  for (const decision of decisions) {
    batch.push(...decision);
    if (batch.length >= size) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

async function freshSchema(pool: Pool, prefix: string): Promise<string> {
  const schema = uniqueName(prefix);
  await pool.query(`CREATE SCHEMA "${schema}"`);
  await migrateSchema(pool, schema, readModelMigrations);
  return schema;
}

/** Projects the transactions through the Events fold alone; `explain` runs each statement under EXPLAIN ANALYZE for its WAL. */
async function project(client: PoolClient, schema: string, transactions: StoredEvent[][], explain: boolean): Promise<Totals> {
  const totals: Totals = { transactions: 0, statements: 0, ms: 0, walRecords: 0, walBytes: 0, walFpi: 0, parameterBytes: 0, serverMs: {} };
  eventsProjection.forget(schema);
  for (const events of transactions) {
    const fold = eventsProjection.fold(schema);
    for (const event of events) fold.add(event);
    const statements = fold.statements();
    if (statements.length === 0) continue;
    await client.query('BEGIN');
    for (const statement of statements) {
      totals.statements++;
      totals.parameterBytes += (statement.values ?? []).reduce((n: number, v) => n + String(v).length, 0);
      const started = performance.now();
      if (explain) {
        const query: QueryConfig = { text: `EXPLAIN (ANALYZE, WAL, TIMING OFF, COSTS OFF, FORMAT JSON) ${statement.text}`, values: statement.values };
        const { rows } = await client.query(query);
        const explained = (rows[0]['QUERY PLAN'] as Array<{ Plan: Record<string, number>; 'Execution Time': number }>)[0];
        const plan = explained.Plan;
        const kind = kindOf(statement.text);
        totals.serverMs[kind] = (totals.serverMs[kind] ?? 0) + explained['Execution Time'];
        totals.walRecords += plan['WAL Records'] ?? 0;
        totals.walBytes += plan['WAL Bytes'] ?? 0;
        totals.walFpi += plan['WAL FPI'] ?? 0;
      } else await client.query(statement);
      totals.ms += performance.now() - started;
    }
    await client.query('COMMIT');
    totals.transactions++;
  }
  return totals;
}

const kindOf = (sql: string) => (sql.startsWith('DELETE') || sql.includes('DELETE FROM') ? 'prune' : sql.includes('rm_event_subjects AS f') ? 'facts upsert' : 'events insert');

/** What is left in GIN pending lists is merged into the index later (by autovacuum or an insert past the list's limit): measured here, so it is counted. */
async function cleanPendingLists(client: PoolClient, schema: string, totals: Totals): Promise<void> {
  const { rows } = await client.query<{ oid: string }>(
    `SELECT i.oid::text AS oid FROM pg_class i JOIN pg_am am ON am.oid = i.relam JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = $1 AND am.amname = 'gin'`,
    [schema],
  );
  for (const { oid } of rows) {
    const { rows: explained } = await client.query(`EXPLAIN (ANALYZE, WAL, TIMING OFF, COSTS OFF, FORMAT JSON) SELECT gin_clean_pending_list(${oid}::regclass)`);
    const plan = explained[0]['QUERY PLAN'][0];
    totals.serverMs['GIN pending list merge'] = (totals.serverMs['GIN pending list merge'] ?? 0) + plan['Execution Time'];
    totals.walRecords += plan.Plan['WAL Records'] ?? 0;
    totals.walBytes += plan.Plan['WAL Bytes'] ?? 0;
    totals.walFpi += plan.Plan['WAL FPI'] ?? 0;
  }
}

interface IndexEntries {
  readonly name: string;
  readonly definition: string;
  readonly entries: number;
  readonly bytes: number;
}

/** Each index of the Events tables with the entries it holds: a row per btree entry, a key per GIN entry. */
async function indexEntries(pool: Pool, schema: string): Promise<IndexEntries[]> {
  const { rows } = await pool.query<{ name: string; definition: string; table: string; method: string; predicate: string | null; first: string; bytes: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition, t.relname AS table, am.amname AS method,
        pg_get_expr(x.indpred, x.indrelid) AS predicate, pg_get_indexdef(x.indexrelid, 1, true) AS first, pg_relation_size(x.indexrelid)::text AS bytes
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_am am ON am.oid = i.relam
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname IN ('rm_events', 'rm_event_subjects') ORDER BY t.relname, i.relname`,
    [schema],
  );
  const out: IndexEntries[] = [];
  for (const row of rows) {
    const where = row.predicate ? `WHERE ${row.predicate}` : '';
    const counted = row.method === 'gin' ? `coalesce(sum(cardinality(array_remove(${row.first}, NULL))), 0)` : 'count(*)';
    const entries = Number((await pool.query(`SELECT ${counted} AS n FROM "${schema}".${row.table} ${where}`)).rows[0].n);
    out.push({ name: row.name, definition: row.definition.replace(`${schema}.`, '').replace(/ USING btree/, ''), entries, bytes: Number(row.bytes) });
  }
  return out;
}

async function tableCounts(pool: Pool, schema: string): Promise<Record<string, Record<string, number>>> {
  // Counters reach the shared statistics when a backend flushes them (at most once a second).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const { rows } = await pool.query(
    `SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, pg_table_size(relid)::bigint AS table_bytes
      FROM pg_stat_user_tables WHERE schemaname = $1 AND relname IN ('rm_events', 'rm_event_subjects')`,
    [schema],
  );
  return Object.fromEntries(rows.map((r) => [r.relname, {
    inserted: Number(r.n_tup_ins), updated: Number(r.n_tup_upd), hotUpdated: Number(r.n_tup_hot_upd), deleted: Number(r.n_tup_del), tableBytes: Number(r.table_bytes),
  }]));
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2, application_name: 'events-cost-bench' });
  const decisions = realisticDecisions(TASKS);
  const logEvents = decisions.reduce((n, d) => n + d.length, 0);
  const modes = { perDecision: decisions, batchesOf300: batchesOf(decisions, BATCH_EVENTS) };
  const schemas: string[] = [];
  const figures: Record<string, unknown> = { tasks: TASKS, logEvents, decisions: decisions.length, loadAverage: loadavg().map((l) => Math.round(l * 10) / 10) };
  try {
    for (const [mode, transactions] of Object.entries(modes)) {
      const timed = await freshSchema(pool, 'bench_evc');
      const walled = await freshSchema(pool, 'bench_evw');
      schemas.push(timed, walled);
      const client = await pool.connect();
      let time: Totals;
      let wal: Totals;
      try {
        time = await project(client, timed, transactions, false);
        wal = await project(client, walled, transactions, true);
        await cleanPendingLists(client, walled, wal);
      } finally {
        client.release();
      }
      const events = Number((await pool.query(`SELECT count(*) AS n FROM "${timed}".rm_events`)).rows[0].n);
      const subjects = Number((await pool.query(`SELECT count(*) AS n FROM "${timed}".rm_event_subjects`)).rows[0].n);
      const widths = (await pool.query(`SELECT avg(pg_column_size(e.*))::int AS row, avg(pg_column_size(e.event_data))::int AS data FROM "${timed}".rm_events e`)).rows[0];
      const indexes = await indexEntries(pool, timed);
      const counts = await tableCounts(pool, timed);
      const ofEvents = indexes.filter((i) => !i.name.startsWith('rm_event_subjects'));
      const eventBtreeEntries = ofEvents.filter((i) => !i.definition.includes('USING gin')).reduce((n, i) => n + i.entries, 0);
      const eventGinKeys = ofEvents.filter((i) => i.definition.includes('USING gin')).reduce((n, i) => n + i.entries, 0);
      figures[mode] = {
        transactions: time.transactions, statements: time.statements, events, subjects,
        msPerEvent: round3(time.ms / events), statementMs: Math.round(time.ms),
        btreeEntriesPerEvent: round3(eventBtreeEntries / events), ginKeysPerEvent: round3(eventGinKeys / events), indexes,
        bytesPerRow: widths.row, eventDataBytesPerRow: widths.data,
        tables: counts,
        wal: { bytesPerEvent: Math.round(wal.walBytes / events), recordsPerEvent: round3(wal.walRecords / events), fullPageImages: wal.walFpi, bytes: wal.walBytes },
        parameterBytesPerEvent: Math.round(time.parameterBytes / events),
        serverMsPerEvent: Object.fromEntries(Object.entries(wal.serverMs).map(([kind, ms]) => [kind, round3(ms / events)])),
      };
      const shown = figures[mode] as Record<string, unknown>;
      console.log(`${mode}: ${events} Events from ${logEvents} log events in ${time.transactions} transactions (${time.statements} statements)`);
      console.log(`  ${shown.msPerEvent} ms/Event (${Math.round(time.ms)} ms of statements), rm_events: ${shown.btreeEntriesPerEvent} btree entries and ${shown.ginKeysPerEvent} GIN keys/Event, rows of ${widths.row} B (${widths.data} B of data), WAL ${Math.round(wal.walBytes / events)} B/Event (${round3(wal.walRecords / events)} records/Event, ${wal.walFpi} FPI), parameters ${shown.parameterBytesPerEvent} B/Event`);
      console.log(`  server ms/Event by statement (EXPLAIN ANALYZE): ${JSON.stringify(shown.serverMsPerEvent)}`);
      console.log(`  rm_events ${JSON.stringify(counts.rm_events)}; rm_event_subjects ${subjects} rows ${JSON.stringify(counts.rm_event_subjects)}`);
      for (const index of indexes) console.log(`    ${String(index.entries).padStart(7)} entries ${String(Math.round(index.bytes / 1024)).padStart(6)} KiB  ${index.definition}`);
    }
    console.log(`saved ${saveBenchResults('events-projection-cost', figures)}`);
  } finally {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
