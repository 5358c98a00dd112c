import { Pool } from 'pg';
import { LOOPBACK_ALLOW_LIST_TEXT } from '@taskrouter/contract';
import { cleanUpTestStack, freePort, SERVICE_NAMES, startServices, TaskRouterTestClient, testDatabaseUrl, testRedisUrl, uniqueName, type RunningServices } from '@taskrouter/testing';
import { saveBenchResults } from '../support/bench-results';
import { createBenchWorkspace } from './bench-workspace';
import { runBullmqReference, type BullmqResult } from './bullmq-reference';
import { CallbackServer } from './callback-server';
import { waitForQuietLog } from './event-log-latency';
import { formatLatencies } from './latency-summary';
import { runClosedLoop, runOpenLoop, runReserveOnly, warmUpLoop, warmUpReserveOnly, type ScenarioContext, type ScenarioResult } from './scenario-driver';
import { readSteadyLoopOptions, type SteadyLoopOptions } from './steady-loop-options';
import { barChartSvg, type Bar } from './svg-chart';

/**
 * The steady loop through the whole stack (four services, Kafka, Postgres, Redis) next to BullMQ
 * on the same Redis:
 *   node -r ./tools/register.js tools/bench/steady-loop/steady-loop.bench.ts [--quick] [--agents=100] ...
 * Agents of capacity 1 in queues by skill take tasks created over REST, reserved by the system,
 * accepted by the assignment callback this process serves, and completed over REST; scenarios:
 * closed loops (tasks kept in flight), open loops (offered rates), creation → reservation alone.
 * Flags and STEADY_* variables: steady-loop-options.ts. Needs KAFKA_BROKERS (or the local broker).
 */
const say = (line: string) => process.stderr.write(`steady-loop: ${line}\n`);

function describePlan(options: SteadyLoopOptions): string {
  const parts: string[] = [];
  if (options.only.has('closed') && options.inFlight.length) parts.push(`closed loops with ${options.inFlight.join(', ')} in flight`);
  if (options.only.has('reserve')) parts.push(`creation → reservation alone (capacity ${options.reserveCapacity}, ${options.reserveConcurrency} concurrent creates)`);
  if (options.only.has('open') && options.rates.length) parts.push(`open loops at ${options.rates.join(', ')} tasks/s`);
  if (options.only.has('bullmq')) parts.push(`BullMQ (${options.bullmqJobs} jobs, addBulk of ${options.bullmqBatch}, concurrency ${options.bullmqConcurrency})`);
  return `${options.quick ? '--quick: ' : ''}${options.agents} agents in ${options.queues} queues, ${options.durationS} s per scenario; ${parts.join('; ')}`;
}

/** A scenario that could not be measured (its setup or warm-up failed); the others still run. */
interface ScenarioFailure {
  readonly scenario: string;
  readonly error: string;
}

async function runScenarios(options: SteadyLoopOptions, results: ScenarioResult[], failures: ScenarioFailure[], notes: string[]): Promise<{ serviceStartMs: number }> {
  const wanted = (options.only.has('closed') ? options.inFlight.length : 0) + (options.only.has('open') ? options.rates.length : 0) + (options.only.has('reserve') ? 1 : 0);
  if (wanted === 0) return { serviceStartMs: 0 };
  const name = uniqueName('steady');
  const callbacks = new CallbackServer();
  await callbacks.start();
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  let services: RunningServices | null = null;
  const startedAt = Date.now();
  try {
    say('starting the four services...');
    // The callback server listens on 127.0.0.1, which outgoing calls may reach only when allowed.
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort(), env: { OUTGOING_URL_ALLOW: LOOPBACK_ALLOW_LIST_TEXT, KAFKAJS_NO_PARTITIONER_WARNING: '1' }, readyTimeoutMs: 120_000, nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) });
    const serviceStartMs = Date.now() - startedAt;
    say(`services ready in ${(serviceStartMs / 1000).toFixed(1)} s`);
    const ctx: ScenarioContext = { api: new TaskRouterTestClient(services.baseUrl), pool, schema: name, callbacks, reserveWithinS: options.reserveWithinS };
    let first = true;
    const settle = async () => {
      if (first) return void (first = false);
      const quiet = await waitForQuietLog(pool, name, { quietMs: 1000, timeoutMs: options.settleS * 1000 });
      callbacks.forget();
      if (!quiet) notes.push(`the log was still growing ${options.settleS} s after the scenario before #${results.length + 1}: work left over from it overlapped the next`);
    };
    const loopShape = (label: string) => ({ name: label, agents: options.agents, queues: options.queues, capacity: 1, assignmentCallbackUrl: callbacks.url });
    const scenario = async (label: string, measure: () => Promise<ScenarioResult>) => {
      await settle();
      try {
        results.push(await measure());
      } catch (error) {
        say(`${label} could not be measured: ${(error as Error).message}`);
        failures.push({ scenario: label, error: (error as Error).message });
      }
    };

    if (options.only.has('closed')) {
      for (const inFlight of options.inFlight) {
        await scenario(`closed ${inFlight}`, async () => {
          say(`closed loop, ${inFlight} in flight: setting up ${options.agents} agents and warming up`);
          const ws = await createBenchWorkspace(ctx.api, pool, name, loopShape(`closed ${inFlight}`));
          await warmUpLoop(ctx, ws);
          return runClosedLoop(ctx, ws, inFlight, options.durationS);
        });
      }
    }
    if (options.only.has('reserve')) {
      await scenario('reserve only', async () => {
        say(`creation → reservation alone: setting up ${options.agents} agents of capacity ${options.reserveCapacity}`);
        const ws = await createBenchWorkspace(ctx.api, pool, name, { name: 'reserve only', agents: options.agents, queues: options.queues, capacity: options.reserveCapacity });
        const used = await warmUpReserveOnly(ctx, ws);
        return runReserveOnly(ctx, ws, options.agents * options.reserveCapacity - used, options.reserveConcurrency, options.durationS);
      });
    }
    if (options.only.has('open')) {
      // Lightest first: an overloaded open loop leaves a backlog that the next one would inherit.
      for (const rate of [...options.rates].sort((a, b) => a - b)) {
        await scenario(`open ${rate}/s`, async () => {
          say(`open loop, ${rate}/s offered: setting up ${options.agents} agents and warming up`);
          const ws = await createBenchWorkspace(ctx.api, pool, name, loopShape(`open ${rate}`));
          await warmUpLoop(ctx, ws);
          return runOpenLoop(ctx, ws, rate, options.durationS, options.maxOutstanding);
        });
      }
    }
    const stalled = results.filter((r) => r.kind !== 'reserve' && r.longestGapS >= STALL_S);
    if (stalled.length > 0 || failures.length > 0) {
      // What the services said, for whoever looks into it: the run's schema is gone afterwards (unless --keep).
      const running = services;
      const text = SERVICE_NAMES.map((service) => `--- ${service}\n${running.output(service).slice(-8000)}`).join('\n');
      const path = saveBenchResults('steady-loop-services', {}, 'log', text);
      notes.push(`${[...stalled.map((r) => `${r.name}: no completion for ${r.longestGapS} s`), ...failures.map((f) => `${f.scenario} failed`)].join(', ')}: the services' last output is in ${path}`);
    }
    return { serviceStartMs };
  } finally {
    await services?.stop();
    await callbacks.stop();
    await pool.end();
    if (options.keep) say(`--keep: schema and Redis prefix ${name} left in place`);
    else await cleanUpTestStack(name);
  }
}

/** A loop that completes nothing for this long has stalled, or (open loop) drowns in its offered load. */
const STALL_S = 5;

const rate = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

function headline(result: ScenarioResult): { value: number; what: string } {
  return result.kind === 'reserve' ? { value: result.reservedPerS, what: 'reserved/s' } : { value: result.completedPerS, what: 'completed/s' };
}

function printResults(options: SteadyLoopOptions, results: ScenarioResult[], bullmq: BullmqResult | null): void {
  console.log(`\nsteady loop: ${describePlan(options)}`);
  console.log('latency "log" is TaskCreated → first TaskReserved from the event log (recorded_at, database clock); "client" is POST sent → assignment callback received.');
  for (const r of results) {
    const { value, what } = headline(r);
    console.log(`\n  ${r.name}: ${rate(value)} ${what}`);
    if (r.kind === 'open') console.log(`    offered ${r.offered} in ${r.windowS} s, created ${r.created} (${rate(r.createdPerS)}/s), shed ${r.shed} (429/503 with Retry-After), dropped by the client ${r.droppedByClient} (${r.parameters.maxOutstanding} creates already outstanding), unanswered ${r.unanswered}, errors ${r.errors}`);
    else console.log(`    created ${r.created} (${rate(r.createdPerS)}/s), shed ${r.shed}, errors ${r.errors}`);
    if (r.kind !== 'reserve') console.log(`    completed ${r.completed} (${rate(r.completedPerS)}/s in the window; ${r.completeRetries} completions retried while the accept was applied); longest time without a completion ${r.longestGapS} s${r.longestGapS >= STALL_S ? (r.kind === 'closed' ? ' (STALLED)' : ' (overloaded or stalled)') : ''}`);
    console.log(`    reserved ${r.reserved} (${rate(r.reservedPerS)}/s), not reserved within ${options.reserveWithinS} s: ${r.notReservedInTime}`);
    console.log(`    creation → reservation (log):    ${formatLatencies(r.latencyLog)}`);
    if (r.kind !== 'reserve') console.log(`    creation → callback (client):    ${formatLatencies(r.latencyClient)}`);
    if (r.errorSamples.length) console.log(`    first errors: ${r.errorSamples.join(' | ')}`);
  }
  if (bullmq) {
    console.log(`\n  BullMQ ${bullmq.version} on the same Redis: ${rate(bullmq.processedPerS)} jobs/s add → processed (${bullmq.jobs} jobs, addBulk of ${bullmq.batch}: ${rate(bullmq.addedPerS)} added/s; Worker concurrency ${bullmq.concurrency}; ${bullmq.failed} failed)`);
    console.log(`    add → processed: ${formatLatencies(bullmq.latency)} (all jobs queued at once, so this is mostly waiting in the queue)`);
    if (results.length) {
      console.log('\n  ratios to BullMQ jobs/s:');
      for (const r of results) {
        const { value, what } = headline(r);
        console.log(`    ${r.name.padEnd(14)} ${rate(value).padStart(7)} ${what.padEnd(12)} = ${(value / bullmq.processedPerS).toFixed(4)}x BullMQ${value > 0 ? ` (BullMQ ${(bullmq.processedPerS / value).toFixed(0)}x faster)` : ''}`);
      }
    }
  }
}

function chart(options: SteadyLoopOptions, results: ScenarioResult[], bullmq: BullmqResult | null): string {
  const throughput: Bar[] = results.map((r) => {
    const { value, what } = headline(r);
    return { label: r.name, value, text: `${rate(value)} ${what}` };
  });
  const latency: Bar[] = results.map((r) => ({ label: r.name, value: r.latencyLog.p99 ?? 0, text: r.latencyLog.p99 === null ? 'n/a' : `${rate(r.latencyLog.p99)} ms` }));
  if (bullmq) {
    throughput.push({ label: 'BullMQ', value: bullmq.processedPerS, text: `${rate(bullmq.processedPerS)} jobs/s`, reference: true });
    latency.push({ label: 'BullMQ (burst)', value: bullmq.latency.p99 ?? 0, text: `${rate(bullmq.latency.p99 ?? 0)} ms`, reference: true });
  }
  const subtitle = `${options.agents} agents in ${options.queues} queues, ${options.durationS} s per scenario${options.quick ? ' (--quick)' : ''}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return barChartSvg('Steady loop: throughput and creation → reservation p99', subtitle, [
    { title: 'Throughput (completed/s in loops, reserved/s alone, BullMQ jobs/s)', bars: throughput, logScale: true },
    { title: 'Creation → reservation p99, ms (event log; BullMQ: add → processed)', bars: latency },
  ]);
}

async function main() {
  const options = readSteadyLoopOptions(process.argv.slice(2));
  const started = Date.now();
  say(describePlan(options));
  const notes: string[] = [];
  let bullmq: BullmqResult | null = null;
  if (options.only.has('bullmq')) {
    say('BullMQ reference on the same Redis...');
    bullmq = await runBullmqReference({ redisUrl: testRedisUrl(), jobs: options.bullmqJobs, batch: options.bullmqBatch, concurrency: options.bullmqConcurrency });
  }
  const results: ScenarioResult[] = [];
  const failures: ScenarioFailure[] = [];
  const { serviceStartMs } = await runScenarios(options, results, failures, notes);
  const totalMs = Date.now() - started;
  printResults(options, results, bullmq);
  for (const failure of failures) console.log(`  FAILED ${failure.scenario}: ${failure.error}`);
  for (const note of notes) console.log(`  note: ${note}`);
  const ratios = bullmq ? Object.fromEntries(results.map((r) => [r.name, headline(r).value / bullmq.processedPerS])) : {};
  const json = saveBenchResults('steady-loop', { options: { ...options, only: [...options.only] }, latencySource: 'event log recorded_at, TaskCreated → first TaskReserved', scenarios: results, failures, bullmq, ratiosToBullmq: ratios, notes, serviceStartMs, totalMs });
  const svg = saveBenchResults('steady-loop', {}, 'svg', chart(options, results, bullmq));
  console.log(`\n  whole run ${(totalMs / 1000).toFixed(1)} s (service start ${(serviceStartMs / 1000).toFixed(1)} s)`);
  console.log(`  saved ${json}`);
  console.log(`  saved ${svg}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
