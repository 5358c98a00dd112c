import { cpus, loadavg } from 'node:os';
import { PostgresEventStore, migrateSchema } from '@taskrouter/event-store';
import { ReadModelProjector, readModelMigrations } from '@taskrouter/read-model';
import { catchUpHistory } from '../support/catch-up-history';
import { eventRelayName } from '@taskrouter/runtime';
import { cleanUpTestStack, freePort, testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { reportProgress, saveBenchResults } from '../support/bench-results';
import { formatLatencies, summarizeLatencies, type LatencySummary } from '../steady-loop/latency-summary';
import { barChartSvg, type Bar } from '../steady-loop/svg-chart';
import { seedWorkload, type SeedResult } from './seed-workload';
import { statisticsEndpoints, type StatisticsEndpoint } from './statistics-endpoints';
import { StatisticsWorkload, type WorkloadSummary } from './statistics-workload';
import { startTaskIngest, type TaskIngestProcess } from './task-ingest-process';

/**
 * The Statistics resources on a large workspace, over HTTP (issue 12: "a request on a workspace with
 * 10,000 workers and 100,000 tasks in the window answers in under 50 ms"):
 *   node -r ./tools/register.js tools/bench/statistics/statistics.bench.ts [--quick]
 * Seeds a fresh schema with one workspace's last hour (StatisticsWorkload: 10,000 workers, 100,000
 * tasks in every state, rejected and timed-out reservations, breaks) through the event store's
 * batched append and the read model's projector, as the services write it, then the history projector; starts task-ingest alone
 * on it (its relay starts after the seeded log: nothing is sent to Kafka); then asks every statistics
 * endpoint once (first call), twice more to warm up, and `rounds` times in turn, one request at a time
 * over one keep-alive connection; prints p50/p90/p99 per endpoint against the 50 ms target.
 * Full: 30 rounds (some requests take seconds here). --quick: 1,000 workers, 5,000 tasks, 15 rounds (under a minute).
 * Environment: BENCH_STATISTICS_WORKERS,
 * BENCH_STATISTICS_TASKS, BENCH_STATISTICS_ROUNDS override the sizes; BENCH_KEEP=1 keeps the schema;
 * BENCH_STATISTICS_SCHEMA=<kept schema> measures a kept seed again without seeding (its figures age).
 */
const QUICK = process.argv.includes('--quick');
const WORKERS = Number(process.env.BENCH_STATISTICS_WORKERS ?? (QUICK ? 1_000 : 10_000));
const TASKS = Number(process.env.BENCH_STATISTICS_TASKS ?? (QUICK ? 5_000 : 100_000));
const ROUNDS = Number(process.env.BENCH_STATISTICS_ROUNDS ?? (QUICK ? 15 : 30));
const WARM_UP_ROUNDS = 2;
const TARGET_MS = 50;
/** Where a seed keeps what it made, so a kept schema can be measured again (a table of the benchmark's own). */
const SEED_TABLE = 'bench_statistics_seed';

const say = (line: string) => process.stderr.write(`statistics: ${line}\n`);

interface EndpointResult {
  readonly name: string;
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly firstCallMs: number;
  readonly warm: LatencySummary;
  readonly meetsTarget: boolean;
  readonly errors: number;
  readonly firstError?: string;
  readonly bytes: number;
}

async function main(): Promise<void> {
  const reused = process.env.BENCH_STATISTICS_SCHEMA;
  const schema = reused ?? uniqueName('bench_stats');
  const keep = process.env.BENCH_KEEP === '1' || reused !== undefined;
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2, application_name: 'statistics-bench' });
  const store = new PostgresEventStore(pool, { schema });
  let service: TaskIngestProcess | null = null;
  const started = Date.now();
  try {
    let seedFigures: (Omit<SeedResult, 'last'> & { seconds: number; eventsPerSecond: number }) | { keptSchema: string };
    let seed: WorkloadSummary;
    if (reused) {
      seed = (await pool.query<{ summary: WorkloadSummary }>(`SELECT summary FROM "${schema}".${SEED_TABLE}`)).rows[0].summary;
      seedFigures = { keptSchema: schema };
      say(`measuring the seed kept in ${schema}`);
    } else {
      say(`seeding ${WORKERS.toLocaleString('en')} workers and ${TASKS.toLocaleString('en')} tasks over the last hour into ${schema}${QUICK ? ' (--quick)' : ''}`);
      await store.migrate();
      await migrateSchema(pool, schema, readModelMigrations);
      const workload = new StatisticsWorkload({ workers: WORKERS, tasks: TASKS, minutes: 60, end: Date.now(), seed: 20_261_212 });
      const written = await seedWorkload(store, new ReadModelProjector(schema).project, workload.decisions(), TASKS * 9, () => analyze(pool, schema));
      seed = workload.summary();
      // As if the relay had published the seed already: task-ingest's relay starts after it and sends nothing to Kafka.
      if (written.last) await store.saveCheckpoint(eventRelayName(schema), written.last);
      // The history follows the log after the appends, as task-ingest's projector does; caught up here, before the measuring.
      const history = await catchUpHistory(pool, store);
      say(`history (Events, statistics) projected in ${round1(history.ms / 1000)} s`);
      await pool.query(`CREATE TABLE "${schema}".${SEED_TABLE} (summary jsonb NOT NULL)`);
      await pool.query(`INSERT INTO "${schema}".${SEED_TABLE} (summary) VALUES ($1)`, [JSON.stringify(seed)]);
      // Autovacuum would have analysed tables this size by now; a fresh seed is measured the same way.
      await analyze(pool, schema);
      const { last: _last, ...rest } = written;
      seedFigures = { ...rest, seconds: round1(written.ms / 1000), eventsPerSecond: Math.round((written.events / written.ms) * 1000) };
      const counts = `${written.decisions.toLocaleString('en')} decisions, ${written.transactions} transactions`;
      say(`seeded ${written.events.toLocaleString('en')} events (${counts}) in ${round1(written.ms / 1000)} s`);
    }
    say(`tasks now: ${JSON.stringify(seed.tasksByStatus)}; reservations: ${JSON.stringify(seed.reservations)}`);

    const serviceStarted = Date.now();
    service = await startTaskIngest({ schema, topicPrefix: schema, port: await freePort(), readyTimeoutMs: 120_000 });
    const serviceStartMs = Date.now() - serviceStarted;
    say(`task-ingest ready in ${round1(serviceStartMs / 1000)} s`);

    const endpoints = statisticsEndpoints(seed);
    const client = new StatisticsClient(service.baseUrl, seed.accountSid);
    const firsts = new Map<string, number>();
    const samples = new Map<string, number[]>(endpoints.map((e) => [e.name, []]));
    const errors = new Map<string, string[]>();
    const bytes = new Map<string, number>();
    const bodies = new Map<string, any>();
    const loadAtStart = loadavg();
    const record = async (endpoint: StatisticsEndpoint, into: (ms: number) => void) => {
      const answer = await client.send(endpoint);
      if (answer.status !== 200) errors.set(endpoint.name, [...(errors.get(endpoint.name) ?? []), `${answer.status} ${answer.text.slice(0, 200)}`]);
      else {
        into(answer.ms);
        bytes.set(endpoint.name, answer.text.length);
        if (!bodies.has(endpoint.name)) bodies.set(endpoint.name, JSON.parse(answer.text));
      }
    };
    for (const endpoint of endpoints) await record(endpoint, (ms) => firsts.set(endpoint.name, ms));
    for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const endpoint of endpoints) await record(endpoint, () => undefined);
    // Round after round over every endpoint: a burst of load on the shared machine falls on all of them alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const endpoint of endpoints) await record(endpoint, (ms) => samples.get(endpoint.name)!.push(ms));
      progress(round + 1);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    const loadAtEnd = loadavg();

    const results: EndpointResult[] = endpoints.map((e) => {
      const warm = summarizeLatencies(samples.get(e.name)!);
      const failed = errors.get(e.name) ?? [];
      return {
        name: e.name, label: e.label, method: e.method, path: e.path, firstCallMs: round1(firsts.get(e.name) ?? NaN), warm,
        meetsTarget: failed.length === 0 && warm.p99 !== null && warm.p99 < TARGET_MS, errors: failed.length, firstError: failed[0], bytes: bytes.get(e.name) ?? 0,
      };
    });
    const checks = answerChecks(seed, TASKS, WORKERS, bodies);
    const load = { atStart: loadAtStart.map(round1), atEnd: loadAtEnd.map(round1) };
    printResults(results, checks, load, seedFigures);
    const totalMs = Date.now() - started;
    const figures = {
      quick: QUICK, workers: WORKERS, tasks: TASKS, rounds: ROUNDS, targetMs: TARGET_MS, over: 'HTTP, one keep-alive connection, one request at a time',
      loadAverage: load, seed: seedFigures, workload: seed, serviceStartMs, totalMs, endpoints: results, checks,
      missed: results.filter((r) => !r.meetsTarget).map((r) => r.name),
    };
    console.log(`\n  whole run ${round1(totalMs / 1000)} s (task-ingest start ${round1(serviceStartMs / 1000)} s)`);
    console.log(`  saved ${saveBenchResults('statistics', figures)}`);
    console.log(`  saved ${saveBenchResults('statistics', {}, 'svg', chart(results))}`);
    if (results.some((r) => r.errors > 0)) process.exitCode = 1;
  } finally {
    await service?.stop();
    await pool.end();
    if (keep) say(`kept schema ${schema} (BENCH_STATISTICS_SCHEMA=${schema} measures it again)`);
    else await cleanUpTestStack(schema);
  }
}

/** ANALYZE every table of the schema, whatever they are. */
async function analyze(pool: Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1`, [schema]);
  for (const { name } of rows) await pool.query(`ANALYZE "${schema}"."${name}"`);
}

/** TaskRouter's Basic auth, one keep-alive connection (fetch's pool), one request at a time. */
class StatisticsClient {
  private readonly authorization: string;

  constructor(private readonly baseUrl: string, accountSid: string) {
    this.authorization = `Basic ${Buffer.from(`${accountSid}:any-token`).toString('base64')}`;
  }

  async send(endpoint: StatisticsEndpoint): Promise<{ status: number; text: string; ms: number }> {
    const headers: Record<string, string> = { authorization: this.authorization };
    if (endpoint.json !== undefined) headers['content-type'] = 'application/json';
    const sent = performance.now();
    const response = await fetch(`${this.baseUrl}/v1/${endpoint.path}`, {
      method: endpoint.method, headers, body: endpoint.json === undefined ? undefined : JSON.stringify(endpoint.json),
    });
    const text = await response.text();
    return { status: response.status, text, ms: performance.now() - sent };
  }
}

interface Check {
  readonly what: string;
  readonly expected: number;
  readonly answered: number | null;
  readonly ok: boolean;
}

/** The answers must count what was seeded, or the timings are of the wrong work. */
function answerChecks(seed: WorkloadSummary, tasks: number, workers: number, bodies: Map<string, any>): Check[] {
  const live = ['pending', 'reserved', 'assigned', 'wrapping'].reduce((n, s) => n + (seed.tasksByStatus[s] ?? 0), 0);
  const realtime = bodies.get('workspace RealTimeStatistics');
  const cumulative = bodies.get('workspace CumulativeStatistics');
  const check = (what: string, expected: number, answered: unknown): Check => ({ what, expected, answered: typeof answered === 'number' ? answered : null, ok: answered === expected });
  return [
    check('workspace CumulativeStatistics tasks_created = tasks seeded', tasks, cumulative?.tasks_created),
    check('workspace CumulativeStatistics reservations_created', seed.reservations.created, cumulative?.reservations_created),
    check('workspace CumulativeStatistics reservations_rejected', seed.reservations.rejected, cumulative?.reservations_rejected),
    check('workspace RealTimeStatistics total_tasks = live tasks', live, realtime?.total_tasks),
    check('workspace RealTimeStatistics total_workers', workers, realtime?.total_workers),
  ];
}

function printResults(results: readonly EndpointResult[], checks: readonly Check[], load: { atStart: number[]; atEnd: number[] }, seed: object): void {
  const size = `${WORKERS.toLocaleString('en')} workers, ${TASKS.toLocaleString('en')} tasks in the window${QUICK ? ' (--quick)' : ''}`;
  console.log(`\nstatistics over HTTP: ${size}; ${ROUNDS} rounds, one request at a time; target: p99 under ${TARGET_MS} ms`);
  console.log(`load average ${load.atStart.join(' ')} at the start, ${load.atEnd.join(' ')} at the end (${cpus().length} cores)`);
  if ('eventsPerSecond' in seed) console.log(`seed: ${JSON.stringify(seed)}`);
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const verdict = r.errors > 0 ? `FAILED (${r.errors} errors: ${r.firstError})` : r.meetsTarget ? 'pass' : 'MISS';
    console.log(`  ${r.name.padEnd(width)}  first ${ms(r.firstCallMs).padStart(6)} ms   ${formatLatencies(r.warm)}  ${verdict}`);
  }
  const missed = results.filter((r) => !r.meetsTarget);
  const names = missed.length ? `; missed: ${missed.map((r) => r.name).join(' | ')}` : '';
  console.log(`  ${results.length - missed.length} of ${results.length} endpoints within ${TARGET_MS} ms at p99${names}`);
  for (const c of checks) console.log(`  check ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: seeded ${c.expected}, answered ${c.answered}`);
}

function chart(results: readonly EndpointResult[]): string {
  const target: Bar = { label: 'target', value: TARGET_MS, text: `${TARGET_MS} ms`, reference: true };
  const bars = (pick: (r: EndpointResult) => number | null): Bar[] => [
    ...results.map((r) => ({ label: r.label, value: pick(r) ?? 0, text: pick(r) === null ? 'n/a' : ms(pick(r)!) })), target,
  ];
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const size = `${WORKERS.toLocaleString('en')} workers, ${TASKS.toLocaleString('en')} tasks in the window`;
  const subtitle = `${size}, ${ROUNDS} rounds over HTTP${QUICK ? ' (--quick)' : ''}, load ${loadavg()[0].toFixed(1)}, ${when} UTC`;
  return barChartSvg('Statistics endpoints: latency against the 50 ms target', subtitle, [
    { title: 'p50, ms', bars: bars((r) => r.warm.p50) },
    { title: 'p99, ms', bars: bars((r) => r.warm.p99) },
    { title: 'first call, ms', bars: bars((r) => r.firstCallMs) },
  ], { ours: 'open-taskrouter', reference: 'target' });
}

let lastProgress = 0;
function progress(round: number): void {
  const now = performance.now();
  if (now - lastProgress < 500 && round < ROUNDS) return;
  lastProgress = now;
  reportProgress('rounds    ', round, ROUNDS);
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const ms = (x: number) => (Number.isNaN(x) ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(`statistics benchmark failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
