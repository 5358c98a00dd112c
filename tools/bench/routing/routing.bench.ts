import { Pool } from 'pg';
import { cleanUpTestStack, freePort, eventually, startServices, TaskRouterTestClient, testDatabaseUrl, uniqueName } from '@taskrouter/testing';

/**
 * Creation-to-reservation through the whole stack (four services, Kafka, Postgres, Redis):
 * creates TASKS tasks over HTTP with CONCURRENCY requests in flight against WORKERS workers of
 * capacity CAPACITY, and reads latencies from the event log (TaskCreated → TaskReserved).
 *   node -r ./tools/register.js tools/bench/routing/routing.bench.ts
 * Environment: BENCH_TASKS (2000), BENCH_WORKERS (100), BENCH_CAPACITY (50), BENCH_CONCURRENCY (32),
 * BENCH_NODE_ARGS (extra node flags for the services, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`),
 * BENCH_KEEP=1 (keep the run's schema for inspection; it is dropped otherwise).
 */
const TASKS = Number(process.env.BENCH_TASKS ?? 2000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 100);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

async function main() {
  const name = uniqueName('bench');
  const services = await startServices({ schema: name, topicPrefix: name, port: await freePort(), env: { KAFKAJS_NO_PARTITIONER_WARNING: '1' }, nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) });
  const pool = new Pool({ connectionString: testDatabaseUrl() });
  try {
    const api = new TaskRouterTestClient(services.baseUrl);
    const ws = (await api.ok('POST', 'Workspaces', { FriendlyName: 'bench' })).sid;
    const available = (await api.ok('GET', `Workspaces/${ws}/Activities?FriendlyName=Available`)).activities[0].sid;
    const queue = (await api.ok('POST', `Workspaces/${ws}/TaskQueues`, { FriendlyName: 'all', TargetWorkers: 'skills HAS "bench"' })).sid;
    const workflow = (await api.ok('POST', `Workspaces/${ws}/Workflows`, {
      FriendlyName: 'bench', Configuration: JSON.stringify({ task_routing: { filters: [{ expression: 'kind == "bench"', targets: [{ queue }] }] } }),
    })).sid;
    for (let i = 0; i < WORKERS; i++) {
      const worker = (await api.ok('POST', `Workspaces/${ws}/Workers`, { FriendlyName: `w${i}`, Attributes: JSON.stringify({ skills: ['bench'] }) })).sid;
      await api.ok('POST', `Workspaces/${ws}/Workers/${worker}/Channels/default`, { Capacity: CAPACITY });
      await api.ok('POST', `Workspaces/${ws}/Workers/${worker}`, { ActivitySid: available });
    }
    // Let the matcher index every worker before the clock starts.
    await eventually(async () => ((await pool.query(`SELECT count(*)::int AS n FROM "${name}".events WHERE type = 'WorkerActivityChanged'`)).rows[0].n >= WORKERS ? true : undefined), { timeoutMs: 120_000 });
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const started = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < TASKS) {
        next++;
        await api.ok('POST', `Workspaces/${ws}/Tasks`, { WorkflowSid: workflow, Attributes: '{"kind":"bench"}' });
      }
    }));
    const createdIn = Date.now() - started;
    await eventually(async () => ((await pool.query(`SELECT count(*)::int AS n FROM "${name}".events WHERE type = 'TaskReserved'`)).rows[0].n >= Math.min(TASKS, WORKERS * CAPACITY) ? true : undefined), { timeoutMs: 600_000, intervalMs: 250 });
    const { rows } = await pool.query(`
      SELECT extract(epoch FROM (r.recorded_at - c.recorded_at)) * 1000 AS ms, r.recorded_at AS reserved_at
      FROM "${name}".events c JOIN "${name}".events r ON r.stream_id = c.stream_id AND r.type = 'TaskReserved' AND c.type = 'TaskCreated'`);
    const latencies = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    const lastReserved = Math.max(...rows.map((r) => new Date(r.reserved_at).getTime()));
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
    console.log(`routing bench: ${TASKS} tasks, ${WORKERS} workers x capacity ${CAPACITY}, ${CONCURRENCY} concurrent HTTP creates`);
    console.log(`  created over HTTP:     ${(TASKS / (createdIn / 1000)).toFixed(0)} tasks/s (${createdIn} ms)`);
    console.log(`  reserved end to end:   ${(latencies.length / ((lastReserved - started) / 1000)).toFixed(0)} tasks/s (${latencies.length} reservations in ${lastReserved - started} ms)`);
    console.log(`  creation→reservation:  p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
  } finally {
    await pool.end();
    await services.stop();
    if (!process.env.BENCH_KEEP) await cleanUpTestStack(name);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
