import { setMaxListeners } from 'node:events';
import type { Pool } from 'pg';
import type { TaskRouterTestClient } from '@taskrouter/testing';
import { reportProgress } from '../support/bench-results';
import type { BenchWorkspace } from './bench-workspace';
import type { CallbackServer } from './callback-server';
import { readLoggedTasks } from './event-log-latency';
import { summarizeLatencies, type LatencySummary } from './latency-summary';

export type ScenarioKind = 'closed' | 'open' | 'reserve';

/** What one scenario measured. Rates are per second of its window (the time it offered work). */
export interface ScenarioResult {
  readonly name: string;
  readonly kind: ScenarioKind;
  readonly parameters: Record<string, number>;
  readonly windowS: number;
  /** Open loop: creates the schedule called for. */
  readonly offered: number;
  /** Creates answered 201 (within the window, for the rate). */
  readonly created: number;
  readonly createdPerS: number;
  /** Tasks completed over REST within the window (loops only). */
  readonly completed: number;
  readonly completedPerS: number;
  /** Tasks created in the window that the log shows reserved, per second from the window's start to the last reservation. */
  readonly reserved: number;
  readonly reservedPerS: number;
  /** Tasks created in the window not reserved within `reserveWithinS` of their creation (log clock), or not at all. */
  readonly notReservedInTime: number;
  /** 429/503 answers with Retry-After (admission control): load refused on purpose, not errors. */
  readonly shed: number;
  /** Open loop: offers not sent because `maxOutstanding` creates were already waiting for an answer. */
  readonly droppedByClient: number;
  /** Open loop: creates still unanswered `reserveWithinS` after the window (then abandoned). */
  readonly unanswered: number;
  /** Other failures (non-2xx answers, broken connections, callbacks that never came). */
  readonly errors: number;
  /** Completions answered 409 because the accept from the callback was not applied yet, and retried. */
  readonly completeRetries: number;
  /** Loops: the longest time in the window (and the drain after it) without any task completed: a stall shows here. */
  readonly longestGapS: number;
  /** TaskCreated → first TaskReserved, from the event log's recorded_at. */
  readonly latencyLog: LatencySummary;
  /** Client side: POST sent → assignment callback received (loops only). */
  readonly latencyClient: LatencySummary;
  readonly errorSamples: readonly string[];
}

export interface ScenarioContext {
  readonly api: TaskRouterTestClient;
  readonly pool: Pool;
  readonly schema: string;
  readonly callbacks: CallbackServer;
  readonly reserveWithinS: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long an agent waits after its callback before completing, and the first retry's wait. */
const COMPLETE_RETRY_MS = 20;

/** One signal that every waiting lane listens to (thousands in an open loop). */
function stopSignal(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

type CreateOutcome =
  | { kind: 'created'; sid: string; postedAt: number }
  | { kind: 'shed'; retryAfterMs: number }
  | { kind: 'error'; message: string };

/** Counters one scenario shares among its lanes. */
class Tally {
  created = 0;
  createdInWindow = 0;
  completed = 0;
  completedInWindow = 0;
  shed = 0;
  errors = 0;
  completeRetries = 0;
  lastCompletionAt = Date.now();
  longestGapMs = 0;
  readonly taskSids: string[] = [];
  readonly clientLatencies: number[] = [];
  readonly errorSamples: string[] = [];

  constructor(readonly windowEnd: () => number) {}

  error(message: string): void {
    this.errors++;
    if (this.errorSamples.length < 5) this.errorSamples.push(message);
  }
}

function retryAfterMs(headers: Headers): number | null {
  const value = headers.get('retry-after');
  if (value === null) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : 1000;
}

async function createTask(ctx: ScenarioContext, ws: BenchWorkspace, n: number): Promise<CreateOutcome> {
  const postedAt = Date.now();
  try {
    const answer = await ctx.api.request('POST', `Workspaces/${ws.sid}/Tasks`, { WorkflowSid: ws.workflowSid, Attributes: ws.attributesFor(n) });
    if (answer.status === 201 || answer.status === 200) return { kind: 'created', sid: answer.body.sid, postedAt };
    const wait = retryAfterMs(answer.headers);
    if ((answer.status === 429 || answer.status === 503) && wait !== null) return { kind: 'shed', retryAfterMs: wait };
    return { kind: 'error', message: `create answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}` };
  } catch (error) {
    return { kind: 'error', message: `create failed: ${(error as Error).message}` };
  }
}

/** Counts a create's outcome; returns the sid when one was made. */
function record(tally: Tally, outcome: CreateOutcome): string | null {
  if (outcome.kind === 'created') {
    tally.created++;
    if (outcome.postedAt <= tally.windowEnd()) tally.createdInWindow++;
    tally.taskSids.push(outcome.sid);
    return outcome.sid;
  }
  if (outcome.kind === 'shed') tally.shed++;
  else tally.error(outcome.message);
  return null;
}

/** Completes an assigned task, retrying the 409 answered while the callback's accept is still being applied. */
async function completeTask(ctx: ScenarioContext, ws: BenchWorkspace, sid: string, tally: Tally, abort: AbortSignal): Promise<void> {
  // The accept is applied just after the callback answers: a first try at once would mostly be refused.
  let delay = COMPLETE_RETRY_MS;
  await sleep(COMPLETE_RETRY_MS);
  while (!abort.aborted) {
    try {
      const answer = await ctx.api.request('POST', `Workspaces/${ws.sid}/Tasks/${sid}`, { AssignmentStatus: 'completed' });
      if (answer.status < 300) {
        const now = Date.now();
        tally.longestGapMs = Math.max(tally.longestGapMs, now - tally.lastCompletionAt);
        tally.lastCompletionAt = now;
        tally.completed++;
        if (Date.now() <= tally.windowEnd()) tally.completedInWindow++;
        return;
      }
      const wait = retryAfterMs(answer.headers);
      if ((answer.status === 429 || answer.status === 503) && wait !== null) {
        tally.shed++;
        await sleep(Math.min(wait, 1000));
        continue;
      }
      if (answer.status !== 409) return tally.error(`complete answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
      tally.completeRetries++;
    } catch (error) {
      return tally.error(`complete failed: ${(error as Error).message}`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
}

/** One task through the loop: created over REST, reserved, accepted by the callback, completed over REST. */
async function loopOnce(ctx: ScenarioContext, ws: BenchWorkspace, n: number, tally: Tally, abort: AbortSignal, outcome?: CreateOutcome): Promise<CreateOutcome> {
  const created = outcome ?? (await createTask(ctx, ws, n));
  const sid = record(tally, created);
  if (sid === null || created.kind !== 'created') return created;
  const calledAt = await ctx.callbacks.waitFor(sid, 120_000, abort);
  if (calledAt === null) {
    if (!abort.aborted) tally.error(`no assignment callback for ${sid} within 120 s`);
    return created;
  }
  tally.clientLatencies.push(calledAt - created.postedAt);
  await completeTask(ctx, ws, sid, tally, abort);
  return created;
}

function progress(label: string, started: number, windowMs: number, tally: Tally): NodeJS.Timeout {
  return setInterval(() => {
    const elapsed = Math.min(windowMs, Date.now() - started);
    const extra = `s; created ${tally.created}, completed ${tally.completed}${tally.shed ? `, shed ${tally.shed}` : ''}${tally.errors ? `, errors ${tally.errors}` : ''}`;
    reportProgress(label, Math.round(elapsed / 1000), Math.round(windowMs / 1000), extra);
  }, 1000);
}

type ScenarioBase = Pick<ScenarioResult, 'name' | 'kind' | 'parameters' | 'windowS' | 'offered' | 'droppedByClient' | 'unanswered'>;

/** Figures as they stand now: whatever answers later (abandoned requests) is not counted. */
async function summarize(ctx: ScenarioContext, base: ScenarioBase, started: number, live: Tally): Promise<ScenarioResult> {
  const tally = { ...live, taskSids: [...live.taskSids], clientLatencies: [...live.clientLatencies], errorSamples: [...live.errorSamples] };
  // A loop that stopped completing before it was abandoned: the gap runs until now.
  const longestGapMs = base.kind === 'reserve' ? 0 : Math.max(tally.longestGapMs, Date.now() - tally.lastCompletionAt);
  const logged = await readLoggedTasks(ctx.pool, ctx.schema, tally.taskSids);
  const reserved = logged.filter((t) => t.reservedAt !== null);
  const lastReserved = Math.max(started, ...reserved.map((t) => t.reservedAt as number));
  const limitMs = ctx.reserveWithinS * 1000;
  const window = base.windowS;
  return {
    ...base,
    created: tally.created,
    createdPerS: tally.createdInWindow / window,
    completed: tally.completed,
    completedPerS: tally.completedInWindow / window,
    reserved: reserved.length,
    reservedPerS: reserved.length / Math.max(0.001, (lastReserved - started) / 1000),
    notReservedInTime: logged.filter((t) => t.reservedAt === null || t.reservedAt - t.createdAt > limitMs).length + (tally.taskSids.length - logged.length),
    shed: tally.shed,
    errors: tally.errors,
    completeRetries: tally.completeRetries,
    longestGapS: Math.round(longestGapMs / 100) / 10,
    latencyLog: summarizeLatencies(reserved.map((t) => (t.reservedAt as number) - t.createdAt)),
    latencyClient: summarizeLatencies(tally.clientLatencies),
    errorSamples: tally.errorSamples,
  };
}

/**
 * Sends one task per agent through the whole loop before measuring, so every agent is indexed
 * and every code path warmed; fails loudly if the assignment callback does not arrive.
 */
export async function warmUpLoop(ctx: ScenarioContext, ws: BenchWorkspace): Promise<void> {
  const tally = new Tally(() => Number.MAX_SAFE_INTEGER);
  const abort = stopSignal();
  const timer = setTimeout(() => abort.abort(), 60_000);
  try {
    await Promise.all(ws.agentSids.map((_, i) => loopOnce(ctx, ws, i, tally, abort.signal)));
  } finally {
    clearTimeout(timer);
  }
  if (tally.completed < ws.agentSids.length) {
    throw new Error(`warm-up: ${tally.completed} of ${ws.agentSids.length} tasks went through the loop within 60 s (callbacks received: ${ctx.callbacks.calls}); ${tally.errorSamples.join('; ') || 'no assignment callback arrived: is the callback URL allowed (OUTGOING_URL_ALLOW)?'}`);
  }
}

/** Closed loop: `inFlight` lanes, each creating a task, waiting for its callback, completing it, and again, for `durationS`. */
export async function runClosedLoop(ctx: ScenarioContext, ws: BenchWorkspace, inFlight: number, durationS: number): Promise<ScenarioResult> {
  const windowMs = durationS * 1000;
  const started = Date.now();
  const stopAt = started + windowMs;
  const tally = new Tally(() => stopAt);
  const abort = stopSignal();
  // After the window, lanes finish the task they hold; whatever is still open then is abandoned.
  const hardStop = setTimeout(() => abort.abort(), windowMs + Math.max(10_000, ctx.reserveWithinS * 2000));
  const label = `closed loop, ${inFlight} in flight`;
  const ticker = progress(label, started, windowMs, tally);
  let n = 0;
  try {
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (Date.now() < stopAt && !abort.signal.aborted) {
        const outcome = await loopOnce(ctx, ws, n++, tally, abort.signal);
        if (outcome.kind === 'shed') await sleep(Math.min(outcome.retryAfterMs, Math.max(0, stopAt - Date.now())));
        else if (outcome.kind === 'error') await sleep(100);
      }
    }));
  } finally {
    clearTimeout(hardStop);
    clearInterval(ticker);
  }
  reportProgress(label, durationS, durationS, `s; created ${tally.created}, completed ${tally.completed}`);
  return summarize(ctx, { name: `closed ${inFlight}`, kind: 'closed', parameters: { inFlight, agents: ws.agentSids.length, queues: ws.queueSids.length }, windowS: durationS, offered: 0, droppedByClient: 0, unanswered: 0 }, started, tally);
}

/**
 * Open loop: `rate` creates per second on a fixed schedule for `durationS`, whatever the answers;
 * each created task goes through the loop. Then `reserveWithinS` more for the last ones, and
 * whatever is still open is abandoned.
 */
export async function runOpenLoop(ctx: ScenarioContext, ws: BenchWorkspace, rate: number, durationS: number, maxOutstanding: number): Promise<ScenarioResult> {
  const windowMs = durationS * 1000;
  const started = Date.now();
  const stopAt = started + windowMs;
  const tally = new Tally(() => stopAt);
  const abort = stopSignal();
  const lifecycles = new Set<Promise<unknown>>();
  let outstandingCreates = 0;
  let sent = 0;
  let dropped = 0;
  const label = `open loop, ${rate}/s offered`;
  const ticker = progress(label, started, windowMs, tally);
  try {
    for (let now = Date.now(); now < stopAt; now = Date.now()) {
      const due = Math.min(Math.floor((rate * (now - started)) / 1000), Math.floor(rate * durationS));
      for (; sent < due; sent++) {
        if (outstandingCreates >= maxOutstanding) {
          dropped++;
          continue;
        }
        outstandingCreates++;
        const n = sent;
        const life = createTask(ctx, ws, n)
          .then((outcome) => {
            outstandingCreates--;
            return loopOnce(ctx, ws, n, tally, abort.signal, outcome);
          })
          .finally(() => lifecycles.delete(life));
        lifecycles.add(life);
      }
      await sleep(5);
    }
    await Promise.race([Promise.all(lifecycles), sleep(ctx.reserveWithinS * 1000)]);
  } finally {
    abort.abort();
    clearInterval(ticker);
  }
  reportProgress(label, durationS, durationS, `s; created ${tally.created}, completed ${tally.completed}`);
  const offered = Math.floor(rate * durationS);
  return summarize(ctx, { name: `open ${rate}/s`, kind: 'open', parameters: { rate, agents: ws.agentSids.length, queues: ws.queueSids.length, maxOutstanding }, windowS: durationS, offered, droppedByClient: dropped, unanswered: outstandingCreates }, started, tally);
}

/**
 * "Creation → reservation alone": `concurrency` lanes create tasks for `durationS` (at most the
 * agents' free capacity) for agents that never finish and no callback; then waits until every
 * task is reserved (at most 30 s, or `reserveWithinS` if longer) and reads the rate from the log.
 */
export async function runReserveOnly(ctx: ScenarioContext, ws: BenchWorkspace, slots: number, concurrency: number, durationS: number): Promise<ScenarioResult> {
  const windowMs = durationS * 1000;
  const started = Date.now();
  const stopAt = started + windowMs;
  const tally = new Tally(() => stopAt);
  const label = `creation → reservation alone, ${concurrency} concurrent creates`;
  const ticker = progress(label, started, windowMs, tally);
  let n = 0;
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < stopAt && n < slots) {
        const outcome = await createTask(ctx, ws, n++);
        record(tally, outcome);
        if (outcome.kind === 'shed') await sleep(Math.min(outcome.retryAfterMs, Math.max(0, stopAt - Date.now())));
        else if (outcome.kind === 'error') await sleep(100);
      }
    }));
  } finally {
    clearInterval(ticker);
  }
  // Throughput is read from the log, so wait for the reservations to catch up (bounded).
  const deadline = Date.now() + Math.max(ctx.reserveWithinS, 30) * 1000;
  for (;;) {
    const { rows } = await ctx.pool.query(`SELECT count(*)::int AS n FROM "${ctx.schema}".events WHERE type = 'TaskReserved' AND data->>'workspaceSid' = $1 AND recorded_at >= to_timestamp($2 / 1000.0)`, [ws.sid, started]);
    reportProgress(label, rows[0].n, tally.created, 'reserved');
    if (rows[0].n >= tally.created || Date.now() > deadline) break;
    await sleep(250);
  }
  return summarize(ctx, { name: 'reserve only', kind: 'reserve', parameters: { concurrency, agents: ws.agentSids.length, capacity: Math.round(slots / ws.agentSids.length), queues: ws.queueSids.length }, windowS: durationS, offered: 0, droppedByClient: 0, unanswered: 0 }, started, tally);
}

/** Creates one task per queue and waits until each is reserved (no callback, nothing completed). */
export async function warmUpReserveOnly(ctx: ScenarioContext, ws: BenchWorkspace): Promise<number> {
  const sids: string[] = [];
  for (let i = 0; i < ws.queueSids.length; i++) {
    const outcome = await createTask(ctx, ws, i);
    if (outcome.kind !== 'created') throw new Error(`warm-up: ${outcome.kind === 'error' ? outcome.message : 'create shed'}`);
    sids.push(outcome.sid);
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const logged = await readLoggedTasks(ctx.pool, ctx.schema, sids);
    const reserved = logged.filter((t) => t.reservedAt !== null).length;
    if (reserved === sids.length) return sids.length;
    if (Date.now() > deadline) throw new Error(`warm-up: ${reserved} of ${sids.length} tasks (one per queue) reserved within 60 s`);
    await sleep(200);
  }
}
