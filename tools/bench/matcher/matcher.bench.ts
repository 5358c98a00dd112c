// Decisions per second of the queue-matcher's decision step alone, in process (issue 11): the
// batch step (libs/routing/src/matching) next to the same tasks decided one at a time the way
// AssignmentService decides them today (Redis's idle-ordered candidates, then the declined,
// expression and known-worker filters, rankWorkers, the first), checked to agree pair for pair.
//   node -r ./tools/register.js tools/bench/matcher/matcher.bench.ts [--quick]
// 10,000 workers with 5 skills each out of 1,000, one queue per skill (`skills HAS "sNNN"`, so
// about 50 workers per queue), multitasking (voice capacity 1, chat 3); batches of waiting tasks
// over all queues with a mix of targets. Three ways to run the batch step:
//   matchBatch      one call from the workers: indexes all 10,000 candidates every time;
//   kept index      matchBatchOn over a CandidateIndex kept between batches, with its upkeep timed
//                   too: withWorkers (as many changed workers as the batch before reserved) and
//                   afterReservations (this batch's);
//   one at a time   the per-task logic, over candidate sets kept for free (as Redis keeps them).
// Rates are decisions per CPU-second of this process (steady on a machine shared with other work),
// medians of several rounds after a warm-up; per elapsed second too. Inputs are parsed from JSON,
// as the matcher reads them from events (V8 compares and hashes strings built by concatenation
// much more slowly). --quick: fewer tasks and rounds (under 20 s).
import { compileExpression, timeOfDayVariables, type WorkerFacts } from '@taskrouter/expression';
import {
  CandidateIndex, compareTurns, hasWorkerConditions, matchBatch, matchBatchOn, parseOrderBy, parseWorkflowTarget, qualifies, rankWorkers,
  type MatchedReservation, type MatchingTask, type MatchingWorker, type WorkflowTarget,
} from '@taskrouter/routing';
import { cpus, loadavg } from 'node:os';
import { saveBenchResults } from '../support/bench-results';

const QUICK = process.argv.includes('--quick');
const WORKERS = 10_000;
const QUEUES = 1_000;
const SKILLS_PER_WORKER = 5;
const BATCH_SIZES = [500, 2_000, 10_000];
/** Tasks decided per measured round and batch size: several distinct batches, so no one shape is learnt. */
const TASKS_PER_ROUND = QUICK ? 4_000 : 20_000;
/** After the first pass, which checks that the ways agree. */
const WARM_UP_ROUNDS = 1;
const ROUNDS = QUICK ? 3 : 7;
/** AssignmentService's candidate depths: 50 without worker conditions, 1,000 with. */
const CANDIDATES_PER_ATTEMPT = 50;
const CANDIDATES_WITH_CONDITIONS = 1_000;
const NOW = new Date('2024-05-06T10:30:00Z');
const CHANNELS = ['voice', 'chat'] as const;

// A deterministic pseudo-random sequence, so every run measures the same inputs.
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}
const next = sequence(7);
const below = (n: number) => Math.floor(next() * n);
const hex = (n: number, prefix: string) => `${prefix}${n.toString(16).padStart(32, '0')}`;

const fromJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const queueSids = fromJson(Array.from({ length: QUEUES }, (_, i) => hex(i, 'WQ')));

function makeWorkers(): MatchingWorker[] {
  const drafts = Array.from({ length: WORKERS }, (_, i) => {
    const skills = new Set<string>();
    while (skills.size < SKILLS_PER_WORKER) skills.add(`s${String(below(QUEUES)).padStart(3, '0')}`);
    const chatAssigned = below(4) === 0 ? 1 : 0;
    const channels = { voice: { capacity: 1, assigned: below(10) === 0 ? 1 : 0, available: true }, chat: { capacity: 3, assigned: chatAssigned, available: true } };
    const facts: WorkerFacts = {
      sid: hex(i, 'WK'), friendly_name: `worker-${i}`, activity_sid: hex(1, 'WA'), activity_name: 'Available',
      attributes: { skills: [...skills], level: below(10), languages: ['en', ...(below(2) ? ['es'] : [])] },
      channels: Object.fromEntries(Object.entries(channels).map(([name, c]) => [name, {
        available: c.available, configured_capacity: c.capacity, assigned_tasks: c.assigned, available_capacity_percentage: Math.floor((100 * (c.capacity - c.assigned)) / c.capacity),
      }])),
    };
    return { workerSid: facts.sid!, available: below(20) !== 0, idleSince: 1_714_990_000_000 + below(3_600_000), channels, facts };
  });
  // Queue membership: the queues whose TargetWorkers (`skills HAS "sNNN"`) read a skill the worker
  // has, as the matcher indexes membership by what the expression reads, then each evaluated.
  const queueExpressions = queueSids.map((_, q) => compileExpression(`skills HAS "s${String(q).padStart(3, '0')}"`, { bareKeys: 'worker' }));
  return fromJson(drafts.map((draft) => {
    const possible = (draft.facts.attributes.skills as string[]).map((skill) => Number(skill.slice(1)));
    return { ...draft, queues: possible.filter((q) => queueExpressions[q].evaluate({ worker: draft.facts })).map((q) => queueSids[q]) };
  }));
}

/** The targets tasks wait in, compiled once as the matcher's cache holds them. */
function makeTargets(queueSid: string): Array<{ target: WorkflowTarget | undefined; share: number; knownWorker?: boolean }> {
  return [
    { target: undefined, share: 0.5 },
    { target: parseWorkflowTarget({ queue: queueSid, expression: 'level >= 3' }), share: 0.2 },
    { target: parseWorkflowTarget({ queue: queueSid, expression: 'task.required_level <= worker.level AND worker.languages HAS task.language' }), share: 0.15 },
    { target: parseWorkflowTarget({ queue: queueSid, order_by: 'worker.level DESC' }), share: 0.1 },
    { target: parseWorkflowTarget({ queue: queueSid, known_worker_sid: 'task.agent' }), share: 0.05, knownWorker: true },
  ];
}

function makeBatch(size: number, batchIndex: number, workers: readonly MatchingWorker[], members: ReadonlyMap<string, MatchingWorker[]>, targets: ReturnType<typeof makeTargets>): MatchingTask[] {
  const drafts = Array.from({ length: size }, (_, i) => {
    const queueSid = queueSids[below(QUEUES)];
    let roll = next();
    const target = targets.findIndex((t) => (roll -= t.share) < 0);
    const queueMembers = members.get(queueSid) ?? workers;
    return {
      task: {
        taskSid: `WT${String(batchIndex).padStart(4, '0')}${String(i).padStart(28, '0')}`, queueSid,
        priority: below(4) === 0 ? below(10) : 0, enteredAt: 1_714_990_000_000 + below(600_000), channel: CHANNELS[below(5) < 3 ? 0 : 1],
        attributes: { required_level: below(10), language: below(3) ? 'en' : 'es', agent: queueMembers[below(queueMembers.length)].workerSid },
      },
      target: target < 0 ? 0 : target,
    };
  });
  return fromJson(drafts).map(({ task, target }) => ({ ...task, target: targets[target].target }));
}

/** A worker's entry once it holds these reservations too (what its next event brings to the matcher). */
function holding(worker: MatchingWorker, reservations: readonly MatchedReservation[]): MatchingWorker {
  const channels = { ...worker.channels };
  for (const { channel } of reservations) channels[channel] = { ...channels[channel], assigned: channels[channel].assigned + 1 };
  return { ...worker, channels };
}

/**
 * The per-task decision as AssignmentService makes it, over an in-process stand-in for the Redis
 * index (per queue and channel, workers in idle order; built once, outside the timing, as Redis
 * keeps it): candidates with free capacity up to the service's depth, then `qualified()`.
 */
class OneAtATime {
  private readonly candidateSets = new Map<string, MatchingWorker[]>();

  constructor(workers: readonly MatchingWorker[]) {
    const ordered = workers.filter((w) => w.available).sort((a, b) => a.idleSince - b.idleSince || (a.workerSid < b.workerSid ? -1 : 1));
    for (const worker of ordered) {
      for (const queueSid of worker.queues) {
        for (const channel of CHANNELS) {
          const key = `${queueSid}:${channel}`;
          const set = this.candidateSets.get(key) ?? [];
          set.push(worker);
          this.candidateSets.set(key, set);
        }
      }
    }
  }

  decide(tasks: readonly MatchingTask[]): Array<[string, string]> {
    const taken = new Map<string, number>();
    const free = (worker: MatchingWorker, channel: string) => worker.channels[channel].capacity - worker.channels[channel].assigned - (taken.get(`${worker.workerSid}:${channel}`) ?? 0);
    const pairs: Array<[string, string]> = [];
    for (const task of [...tasks].sort(compareTurns)) {
      const target = task.target;
      // The service looks 50 deep for an order_by without worker conditions, which can miss the best
      // ranked of a longer queue; here it sees every candidate, as the batch step does.
      const limit = hasWorkerConditions(target) || target?.orderBy ? CANDIDATES_WITH_CONDITIONS : CANDIDATES_PER_ATTEMPT;
      const candidates: MatchingWorker[] = [];
      for (const worker of this.candidateSets.get(`${task.queueSid}:${task.channel}`) ?? []) {
        if (free(worker, task.channel) > 0 && candidates.push(worker) >= limit) break;
      }
      const declined = new Set(task.declinedWorkerSids ?? []);
      let ranked: MatchingWorker[];
      if (!hasWorkerConditions(target) && !target?.orderBy) {
        ranked = candidates.filter((w) => !declined.has(w.workerSid));
      } else {
        const taskrouter = { ...timeOfDayVariables(new Date(NOW.getTime())) };
        const passing = candidates.filter((w) => !declined.has(w.workerSid)).filter((w) => qualifies(target, task.attributes, w.facts, taskrouter));
        const clauses = target?.orderBy ? parseOrderBy(target.orderBy) : [];
        ranked = rankWorkers(passing.map((w) => ({ worker: w, workerSid: w.workerSid, attributes: w.facts.attributes, idleSince: w.idleSince })), clauses).map((r) => r.worker);
      }
      const chosen = ranked[0];
      if (!chosen) continue;
      taken.set(`${chosen.workerSid}:${task.channel}`, (taken.get(`${chosen.workerSid}:${task.channel}`) ?? 0) + 1);
      pairs.push([task.taskSid, chosen.workerSid]);
    }
    return pairs;
  }
}

interface Rate {
  /** Decisions per second of this process's CPU time (user + system): what one core does, steady when other work shares the machine. */
  readonly perCpuSecond: number;
  /** Decisions per second of elapsed time. */
  readonly perSecond: number;
}

/** Decisions per second over the batches, one call per batch. */
function rate(batches: readonly MatchingTask[][], decide: (batch: MatchingTask[], position: number) => unknown): Rate {
  let decisions = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let position = 0; position < batches.length; position++) {
    decide(batches[position], position);
    decisions += batches[position].length;
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  const used = process.cpuUsage(cpu);
  return { perCpuSecond: (decisions * 1e6) / (used.user + used.system), perSecond: (decisions * 1e9) / elapsedNs };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')}/s`;

function main(): void {
  const setupStart = Date.now();
  const workers = makeWorkers();
  const bySid = new Map(workers.map((worker) => [worker.workerSid, worker]));
  const members = new Map<string, MatchingWorker[]>();
  for (const worker of workers) {
    for (const queueSid of worker.queues) {
      const list = members.get(queueSid) ?? [];
      list.push(worker);
      members.set(queueSid, list);
    }
  }
  const targets = makeTargets(queueSids[0]);
  const oneAtATime = new OneAtATime(workers);
  const indexStart = process.hrtime.bigint();
  const index = CandidateIndex.build(workers, true);
  const indexMs = Number(process.hrtime.bigint() - indexStart) / 1e6;
  const memberships = workers.reduce((sum, w) => sum + w.queues.length, 0);
  console.log(`node ${process.version}; ${WORKERS.toLocaleString('en-US')} workers (${workers.filter((w) => w.available).length.toLocaleString('en-US')} available), ${QUEUES.toLocaleString('en-US')} queues, ${(memberships / QUEUES).toFixed(0)} workers per queue on average; setup ${Date.now() - setupStart} ms`);
  console.log(`targets: 50% queue only, 20% "level >= 3", 15% an expression reading the task, 10% order_by, 5% known worker; median of ${ROUNDS} rounds of at least ${TASKS_PER_ROUND.toLocaleString('en-US')} tasks per batch size`);

  const rows: Array<{
    batchSize: number; matchBatchPerSecond: number; keptIndexPerSecond: number; oneAtATimePerSecond: number; matchBatchRatio: number; keptIndexRatio: number; reservedShare: number;
    wallClock: { matchBatchPerSecond: number; keptIndexPerSecond: number; oneAtATimePerSecond: number };
  }> = [];
  for (const size of BATCH_SIZES) {
    const batches = Array.from({ length: Math.max(1, Math.round(TASKS_PER_ROUND / size)) }, (_, b) => makeBatch(size, b, workers, members, targets));
    // All must decide the same pairs, or the comparison means nothing; the first pass checks, and
    // collects for each batch the workers the batch before it reserved, with their new entries.
    let reserved = 0;
    const changesBefore: MatchingWorker[][] = [];
    let previous: readonly MatchedReservation[] = [];
    for (const batch of batches) {
      const decided = matchBatch({ tasks: batch, workers, multiTaskEnabled: true, now: NOW }).reservations;
      const pairs = decided.map((r) => `${r.task.taskSid}>${r.workerSid}`).join();
      if (matchBatchOn(index, batch, NOW).reservations.map((r) => `${r.task.taskSid}>${r.workerSid}`).join() !== pairs) throw new Error(`batch of ${size}: a kept index decides otherwise`);
      if (oneAtATime.decide(batch).map(([task, worker]) => `${task}>${worker}`).join() !== pairs) throw new Error(`batch of ${size}: the batch step and the one-at-a-time decision disagree`);
      const byWorker = new Map<string, MatchedReservation[]>();
      for (const reservation of previous) byWorker.set(reservation.workerSid, [...(byWorker.get(reservation.workerSid) ?? []), reservation]);
      changesBefore.push([...byWorker].map(([sid, held]) => holding(bySid.get(sid)!, held)));
      previous = decided;
      reserved += decided.length;
    }
    const ways: Record<'matchBatch' | 'keptIndex' | 'oneAtATime', (batch: MatchingTask[], position: number) => unknown> = {
      matchBatch: (batch) => matchBatch({ tasks: batch, workers, multiTaskEnabled: true, now: NOW }),
      keptIndex: (batch, position) => {
        const current = index.withWorkers(changesBefore[position]);
        return current.afterReservations(matchBatchOn(current, batch, NOW).reservations);
      },
      oneAtATime: (batch) => oneAtATime.decide(batch),
    };
    const rates = { matchBatch: [] as Rate[], keptIndex: [] as Rate[], oneAtATime: [] as Rate[] };
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      for (const way of Object.keys(ways) as Array<keyof typeof ways>) {
        const measured = rate(batches, ways[way]);
        if (round >= WARM_UP_ROUNDS) rates[way].push(measured);
      }
    }
    const cpu = (way: keyof typeof rates) => median(rates[way].map((r) => r.perCpuSecond));
    const wall = (way: keyof typeof rates) => median(rates[way].map((r) => r.perSecond));
    rows.push({
      batchSize: size, matchBatchPerSecond: cpu('matchBatch'), keptIndexPerSecond: cpu('keptIndex'), oneAtATimePerSecond: cpu('oneAtATime'),
      matchBatchRatio: cpu('matchBatch') / cpu('oneAtATime'), keptIndexRatio: cpu('keptIndex') / cpu('oneAtATime'), reservedShare: reserved / (batches.length * size),
      wallClock: { matchBatchPerSecond: wall('matchBatch'), keptIndexPerSecond: wall('keptIndex'), oneAtATimePerSecond: wall('oneAtATime') },
    });
  }

  const header = ['batch size', 'matchBatch', 'kept index', 'one at a time', 'ratio', 'kept ratio', 'reserved'];
  const cells = rows.map((r) => [
    r.batchSize.toLocaleString('en-US'), format(r.matchBatchPerSecond), format(r.keptIndexPerSecond), format(r.oneAtATimePerSecond),
    `${r.matchBatchRatio.toFixed(1)}x`, `${r.keptIndexRatio.toFixed(1)}x`, `${Math.round(r.reservedShare * 100)}%`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of cells) console.log(line(row));
  console.log('decisions per CPU-second of this process (steady when other work shares the machine); ratio = matchBatch / one at a time, kept ratio = kept index / one at a time');
  console.log(`elapsed-time medians: ${rows.map((r) => `${r.batchSize}: ${format(r.wallClock.matchBatchPerSecond)}, ${format(r.wallClock.keptIndexPerSecond)}, ${format(r.wallClock.oneAtATimePerSecond)}`).join('; ')}`);
  console.log(`building the index once: ${indexMs.toFixed(1)} ms; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  const path = saveBenchResults('matcher', {
    quick: QUICK, loadAverage: loadavg(), rates: 'decisions per CPU-second (wallClock: per elapsed second)', workers: WORKERS, queues: QUEUES, skillsPerWorker: SKILLS_PER_WORKER, rounds: ROUNDS, tasksPerRound: TASKS_PER_ROUND, indexBuildMs: indexMs, now: NOW.toISOString(), rows,
  });
  console.log(`saved ${path}`);
}

main();
