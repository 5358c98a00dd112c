// Properties of the batch step on random batches: the guarantees the queue-matcher relies on
// (one reservation per task, no worker over capacity, only qualified workers, nobody left waiting
// while a qualified worker had room, priority first) and exact agreement with the plain
// reference (testing-support/reference-match.ts), explanations included.
import fc from 'fast-check';
import { timeOfDayVariables } from '@taskrouter/expression';
import type { WorkflowTarget } from '../workflow/workflow-definition';
import { factsAfterReservations, freeCapacityOf } from './channel-facts';
import { isKnownWorker } from './known-worker';
import { CandidateIndex } from './candidate-index';
import { matchBatch, matchBatchOn } from './match-batch';
import type { BatchMatchInput, MatchingChannel, MatchingTask, MatchingWorker } from './matching-input';
import { aTarget, aTask, aWorker, NOW, QUEUE_A, QUEUE_B } from './testing-support/matching-fixtures';
import { referenceMatch } from './testing-support/reference-match';
import { compareTurns } from './turn-order';

const QUEUE_C = `WQ${'c'.repeat(32)}`;
const QUEUES = [QUEUE_A, QUEUE_B, QUEUE_C];
const CHANNELS = ['voice', 'chat'];
const SKILLS = ['a', 'b', 'c'];

/** Compiled once, as the matcher's cache holds them: every kind of target the step treats apart. */
const TARGETS: ReadonlyArray<WorkflowTarget | undefined> = [
  undefined,
  aTarget(),
  aTarget({ expression: 'skills HAS "a"' }),
  aTarget({ expression: 'level >= 2 AND taskrouter.currentHour == 10' }),
  aTarget({ expression: 'worker.level >= task.level' }),
  aTarget({ expression: 'worker.channel.chat.available_capacity_percentage >= 50 OR worker.channel.voice.available_capacity_percentage >= 50' }),
  aTarget({ expression: '1 == 2' }),
  aTarget({ order_by: 'worker.level DESC' }),
  aTarget({ expression: 'skills HAS "b"', order_by: 'worker.level ASC' }),
  aTarget({ known_worker_sid: 'task.agent' }),
  aTarget({ known_worker_friendly_name: 'agent_name', expression: 'level >= 1', order_by: 'worker.level DESC' }),
  aTarget({ known_worker_sid: 'agent', order_by: 'worker.level DESC' }),
];

const workerSid = (index: number) => `WK${index}`;

const mostly = <T>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) => fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: rare, weight: 1 });
/** Mostly present, available and with room, so that batches reserve and compete. */
const channelState = mostly(
  fc.record({ capacity: mostly(fc.integer({ min: 1, max: 3 }), fc.constant(0)), assigned: mostly(fc.constant(0), fc.nat({ max: 3 })), available: mostly(fc.constant(true), fc.constant(false)) }),
  fc.constant(null),
);

const worker = (index: number) => fc.record({
  idleSince: fc.nat({ max: 4 }),
  available: mostly(fc.constant(true), fc.constant(false)),
  queues: fc.subarray(QUEUES, { minLength: 1 }),
  channels: fc.record({ voice: channelState, chat: channelState }).map((channels) => Object.fromEntries(Object.entries(channels).filter((entry): entry is [string, MatchingChannel] => entry[1] !== null))),
  level: fc.option(fc.nat({ max: 4 })),
  skills: fc.subarray(SKILLS),
  // Friendly names may repeat: a known-worker rule by name then names several workers.
  friendlyName: fc.constantFrom('ann', 'bo', 'cy', 'di'),
}).map((w): MatchingWorker => aWorker({
  sid: workerSid(index), idleSince: w.idleSince, available: w.available, queues: w.queues, channels: w.channels, friendlyName: w.friendlyName,
  attributes: { skills: w.skills, ...(w.level === null ? {} : { level: w.level }) }, channelFacts: true,
}));

const task = (workerCount: number, targets: readonly number[]) => fc.record({
  sid: fc.nat({ max: 14 }).map((n) => `WT${n}`), // a few repeats: duplicates in a batch
  queueSid: fc.constantFrom(...QUEUES),
  priority: fc.nat({ max: 3 }),
  enteredAt: fc.nat({ max: 5 }),
  channel: fc.constantFrom(...CHANNELS),
  target: fc.constantFrom(...targets),
  level: fc.nat({ max: 4 }),
  agent: fc.nat({ max: workerCount + 1 }),
  agentName: fc.constantFrom('ann', 'bo', 'zed'),
  declined: fc.subarray(Array.from({ length: workerCount }, (_, i) => workerSid(i)), { maxLength: Math.min(3, workerCount) }),
}).map((t): MatchingTask => aTask(t.sid, {
  queueSid: t.queueSid, priority: t.priority, enteredAt: t.enteredAt, channel: t.channel, target: TARGETS[t.target],
  attributes: { level: t.level, agent: workerSid(t.agent), agent_name: t.agentName }, declinedWorkerSids: t.declined,
}));

// A batch draws its tasks' targets from a few, so tasks share targets (and remembered answers) as in a real queue.
const targetChoice = fc.subarray(TARGETS.map((_, i) => i), { minLength: 1, maxLength: 3 });
const workersOf = (workerCount: number) => fc.tuple(...Array.from({ length: workerCount }, (_, i) => worker(i))).map((workers) => [...workers]);
const batchOf = (workerCount: number, targets: readonly number[]) => ({
  workers: workersOf(workerCount),
  tasks: fc.array(task(workerCount, targets), { maxLength: 12 }),
  multiTaskEnabled: fc.boolean(),
  now: fc.constantFrom(NOW, new Date('2024-05-06T23:59:00Z')),
});
const batch: fc.Arbitrary<BatchMatchInput> = fc.tuple(fc.nat({ max: 12 }), targetChoice).chain(([workerCount, targets]) => fc.record(batchOf(workerCount, targets)));

/** Batches, and between them what happens to each worker: kept, changed (a new entry), removed. */
type Fate = 'kept' | 'changed' | 'removed';
const evolvingBatches = fc.tuple(fc.nat({ max: 12 }), targetChoice).chain(([workerCount, targets]) => fc.record({
  ...batchOf(workerCount, targets),
  steps: fc.array(fc.record({
    tasks: fc.array(task(workerCount, targets), { maxLength: 8 }),
    replacements: workersOf(workerCount),
    fates: fc.array(fc.constantFrom<Fate>('kept', 'kept', 'kept', 'changed', 'removed'), { minLength: workerCount, maxLength: workerCount }),
  }), { minLength: 1, maxLength: 3 }),
}));

const RUNS = { numRuns: 1_000 };

/** Replays the decisions in turn order, with the capacity and facts each task saw when its turn came. */
function replay(input: BatchMatchInput, result: ReturnType<typeof matchBatch>, check: (task: MatchingTask, chosen: string | undefined, world: World) => void): void {
  const world = new World(input);
  const chosenFor = new Map(result.reservations.map((r) => [r.task, r.workerSid]));
  const turns = [...result.reservations.map((r) => r.task), ...result.waiting.map((w) => w.task)].sort(compareTurns);
  for (const turn of turns) {
    const chosen = chosenFor.get(turn);
    check(turn, chosen, world);
    if (chosen) world.take(chosen, turn.channel);
  }
}

class World {
  private readonly taken = new Map<string, Map<string, number>>();
  private readonly facts = new Map<string, MatchingWorker['facts']>();
  readonly taskrouter: Record<string, unknown>;

  constructor(private readonly input: BatchMatchInput) {
    this.taskrouter = { ...timeOfDayVariables(input.now) };
    for (const w of input.workers) this.facts.set(w.workerSid, w.facts);
  }

  worker(sid: string): MatchingWorker {
    return this.input.workers.find((w) => w.workerSid === sid)!;
  }

  free(sid: string, channel: string): number {
    const w = this.worker(sid);
    const taken = this.taken.get(sid) ?? new Map<string, number>();
    if (!this.input.multiTaskEnabled && [...taken.values()].some((n) => n > 0)) return 0;
    return freeCapacityOf(w.available, Object.hasOwn(w.channels, channel) ? w.channels[channel] : undefined) - (taken.get(channel) ?? 0);
  }

  qualifies(task: MatchingTask, sid: string): boolean {
    const facts = this.facts.get(sid)!;
    if (task.declinedWorkerSids?.includes(sid)) return false;
    if (!this.worker(sid).queues.includes(task.queueSid)) return false;
    if (task.target?.expression && !task.target.expression.evaluate({ task: task.attributes, worker: facts, taskrouter: this.taskrouter })) return false;
    return isKnownWorker(task.target, task.attributes, facts);
  }

  take(sid: string, channel: string): void {
    const taken = this.taken.get(sid) ?? new Map<string, number>();
    taken.set(channel, (taken.get(channel) ?? 0) + 1);
    this.taken.set(sid, taken);
    if (this.input.multiTaskEnabled) this.facts.set(sid, factsAfterReservations(this.facts.get(sid)!, channel, this.worker(sid).channels[channel], taken.get(channel)!));
  }
}

describe('matchBatch on random batches', () => {
  it('decides exactly what the plain reference decides, explanations included', () => {
    fc.assert(fc.property(batch, (input) => {
      expect(matchBatch(input)).toEqual(referenceMatch(input));
    }), RUNS);
  });

  it('decides every task once: reserved, waiting, or a later copy of one already decided', () => {
    fc.assert(fc.property(batch, (input) => {
      const result = matchBatch(input);
      const sids = [...result.reservations.map((r) => r.task.taskSid), ...result.waiting.map((w) => w.task.taskSid)];
      expect(new Set(sids).size).toBe(sids.length);
      expect(sids.length + result.duplicates.length).toBe(input.tasks.length);
      expect(new Set(sids)).toEqual(new Set(input.tasks.map((t) => t.taskSid)));
    }), RUNS);
  });

  it('never takes more of a worker channel than it had free (one task per worker without multitasking)', () => {
    fc.assert(fc.property(batch, (input) => {
      const result = matchBatch(input);
      for (const w of input.workers) {
        const mine = result.reservations.filter((r) => r.workerSid === w.workerSid);
        if (!input.multiTaskEnabled) expect(mine.length).toBeLessThanOrEqual(1);
        for (const channel of CHANNELS) {
          const free = freeCapacityOf(w.available, Object.hasOwn(w.channels, channel) ? w.channels[channel] : undefined);
          expect(mine.filter((r) => r.channel === channel).length).toBeLessThanOrEqual(free);
        }
      }
    }), RUNS);
  });

  it('reserves only workers who qualify and have room, and leaves a task waiting only when none did at its turn', () => {
    fc.assert(fc.property(batch, (input) => {
      replay(input, matchBatch(input), (turn, chosen, world) => {
        if (chosen) {
          expect(world.qualifies(turn, chosen)).toBe(true);
          expect(world.free(chosen, turn.channel)).toBeGreaterThan(0);
        } else {
          const couldHave = input.workers.filter((w) => world.free(w.workerSid, turn.channel) > 0 && world.qualifies(turn, w.workerSid));
          expect(couldHave.map((w) => w.workerSid)).toEqual([]);
        }
      });
    }), RUNS);
  });

  it('serves a queue in priority order: when tasks only compete for capacity, the reserved ones come first', () => {
    const plainBatch = batch.map((input) => ({ ...input, tasks: input.tasks.map((t) => ({ ...t, target: undefined, declinedWorkerSids: undefined })) }));
    fc.assert(fc.property(plainBatch, (input) => {
      const result = matchBatch(input);
      const reserved = new Set(result.reservations.map((r) => r.task));
      for (const queueSid of QUEUES) {
        for (const channel of CHANNELS) {
          const turns = [...result.reservations.map((r) => r.task), ...result.waiting.map((w) => w.task)].filter((t) => t.queueSid === queueSid && t.channel === channel).sort(compareTurns);
          const firstWaiting = turns.findIndex((t) => !reserved.has(t));
          if (firstWaiting >= 0) expect(turns.slice(firstWaiting).filter((t) => reserved.has(t))).toEqual([]);
        }
      }
    }), RUNS);
  });

  it('on a kept index: leaves it unchanged, and after a batch\'s reservations decides as if the workers held them', () => {
    fc.assert(fc.property(batch, fc.nat(), (input, cut) => {
      const index = CandidateIndex.build(input.workers, input.multiTaskEnabled);
      const split = input.tasks.length === 0 ? 0 : cut % (input.tasks.length + 1);
      const [first, second] = [input.tasks.slice(0, split), input.tasks.slice(split)];
      const firstResult = matchBatchOn(index, first, input.now);
      expect(matchBatchOn(index, first, input.now)).toEqual(firstResult);
      const holding = input.workers.map((w) => holdingReservations(w, firstResult.reservations.filter((r) => r.workerSid === w.workerSid), input.multiTaskEnabled));
      expect(matchBatchOn(index.afterReservations(firstResult.reservations), second, input.now)).toEqual(referenceMatch({ ...input, tasks: second, workers: holding }));
    }), RUNS);
  });

  it('on a kept index kept up to date: decides as an index built from the workers as they now are', () => {
    fc.assert(fc.property(evolvingBatches, ({ workers, tasks, steps, multiTaskEnabled, now }) => {
      let index = CandidateIndex.build(workers, multiTaskEnabled);
      const current = new Map(workers.map((w) => [w.workerSid, w]));
      let pending = tasks;
      for (const { tasks: next, replacements, fates } of steps) {
        const held = matchBatchOn(index, pending, now).reservations;
        for (const reservation of held) current.set(reservation.workerSid, holdingReservations(current.get(reservation.workerSid)!, [reservation], multiTaskEnabled));
        const changed = replacements.filter((_, i) => fates[i] === 'changed');
        const removed = replacements.filter((_, i) => fates[i] === 'removed').map((w) => w.workerSid);
        for (const w of changed) current.set(w.workerSid, w);
        for (const workerSid of removed) current.delete(workerSid);
        index = index.afterReservations(held).withWorkers(changed, removed);
        pending = next;
      }
      expect(matchBatchOn(index, pending, now)).toEqual(referenceMatch({ tasks: pending, workers: [...current.values()], multiTaskEnabled, now }));
    }), RUNS);
  });
});

/**
 * The worker as the availability index would show it once it holds these reservations too
 * (single-tasking: every channel's one slot taken).
 */
function holdingReservations(worker: MatchingWorker, reservations: ReadonlyArray<{ channel: string }>, multiTaskEnabled: boolean): MatchingWorker {
  if (reservations.length === 0) return worker;
  const channels = Object.fromEntries(Object.entries(worker.channels).map(([name, channel]) => [name, multiTaskEnabled
    ? { ...channel, assigned: channel.assigned + reservations.filter((r) => r.channel === name).length }
    : { ...channel, capacity: 1, assigned: 1 }]));
  let facts = worker.facts;
  if (multiTaskEnabled) for (const name of Object.keys(worker.channels)) facts = factsAfterReservations(facts, name, worker.channels[name], reservations.filter((r) => r.channel === name).length);
  return { ...worker, channels, facts };
}
