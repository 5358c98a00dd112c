// Property tests of the task and worker state machines together. A model world holds a
// workspace, three tasks and two workers; random commands (reserve, accept, reject, time out,
// wrap up, complete, cancel, route, step timeout, activity and capacity changes) are decided
// with any reservation SID, the events applied with evolve, and a refusal (DomainError) leaves
// the world unchanged. After every step the invariants of architecture.md §5 must hold.
import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import { decideTask, type TaskCommand } from '../task/decide-task';
import type { TaskEvent } from '../task/task-events';
import { evolveTask, initialTaskState, liveReservation, type TaskState } from '../task/task-state';
import { aWorkflow, aWorkspace, AVAILABLE, later, OFFLINE, OTHER_QUEUE, QUEUE, sequentialSids, sidOf, UNAVAILABLE } from '../testing-support/fixtures';
import { fold } from '../testing-support/given-when-then';
import { decideWorker, type WorkerCommand } from '../worker/decide-worker';
import type { WorkerEvent } from '../worker/worker-events';
import { evolveWorker, initialWorkerState, reservationsOnChannel, type WorkerState } from '../worker/worker-state';
import type { WorkspaceState } from '../workspace/workspace-state';
import { acceptReservation, cancelTask, completeTask, rejectReservation, reserveWorker, timeOutReservation, type TaskAndWorkerEvents } from './assignment-decisions';

const TASKS = 3;
const WORKERS = 2;
const CHANNELS = ['default', 'chat'] as const;
type Channel = (typeof CHANNELS)[number];

// ---- the commands, as generated (indexes) and as decided (SIDs) ------------------------------

type GeneratedCommand =
  | { kind: 'reserve'; task: number; worker: number; inOtherQueue: boolean }
  | { kind: 'accept' | 'timeout'; task: number; reservation: ReservationPick }
  | { kind: 'reject'; task: number; reservation: ReservationPick; moveTo: 'stay' | 'available' | 'unavailable' }
  | { kind: 'wrap' | 'complete'; task: number }
  | { kind: 'cancel'; task: number; cause: 'api' | 'ttl' }
  | { kind: 'route'; task: number; toOtherQueue: boolean; targetIndex: number; fellOut: boolean; redelivered: boolean }
  | { kind: 'step-timeout'; task: number; stale: boolean }
  | { kind: 'activity'; worker: number; to: 'offline' | 'available' | 'unavailable' }
  | { kind: 'channel'; worker: number; channel: Channel; capacity: number; available: boolean };

const taskIndex = fc.nat({ max: TASKS - 1 });
const workerIndex = fc.nat({ max: WORKERS - 1 });
/** Mostly one of the task's own reservations; else any issued so far (of any task), or one never issued. */
const reservationIndex = fc.record({ own: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }), index: fc.nat({ max: 12 }) });
type ReservationPick = { readonly own: boolean; readonly index: number };
/** Mostly true: most commands should be decided, not refused, to reach deep states. */
const mostly = (weight: number) => fc.oneof({ arbitrary: fc.constant(true), weight }, { arbitrary: fc.constant(false), weight: 1 });

const generatedCommand: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('reserve' as const), task: taskIndex, worker: workerIndex, inOtherQueue: mostly(5).map((b) => !b) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('accept' as const), task: taskIndex, reservation: reservationIndex }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('timeout' as const), task: taskIndex, reservation: reservationIndex }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('reject' as const), task: taskIndex, reservation: reservationIndex, moveTo: fc.constantFrom('stay' as const, 'available' as const, 'unavailable' as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constantFrom('wrap' as const, 'complete' as const), task: taskIndex }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), task: taskIndex, cause: fc.constantFrom('api' as const, 'ttl' as const) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('route' as const), task: taskIndex, toOtherQueue: mostly(3).map((b) => !b), targetIndex: fc.nat({ max: 2 }), fellOut: mostly(6).map((b) => !b), redelivered: mostly(3).map((b) => !b) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('step-timeout' as const), task: taskIndex, stale: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('activity' as const), worker: workerIndex, to: fc.constantFrom('offline' as const, 'available' as const, 'unavailable' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('channel' as const), worker: workerIndex, channel: fc.constantFrom(...CHANNELS), capacity: fc.nat({ max: 3 }), available: fc.boolean() }), weight: 1 },
);

interface WorkerSetup { readonly available: boolean; readonly capacity: Record<Channel, number> }
interface Scenario {
  readonly multiTaskEnabled: boolean;
  readonly taskChannels: readonly Channel[];
  readonly workers: readonly WorkerSetup[];
  readonly commands: readonly GeneratedCommand[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  multiTaskEnabled: fc.boolean(),
  taskChannels: fc.array(fc.constantFrom(...CHANNELS), { minLength: TASKS, maxLength: TASKS }),
  workers: fc.array(fc.record({ available: mostly(3), capacity: fc.record({ default: fc.nat({ max: 3 }), chat: fc.nat({ max: 3 }) }) }), { minLength: WORKERS, maxLength: WORKERS }),
  commands: fc.array(generatedCommand, { minLength: 10, maxLength: 50 }),
});

// ---- the model world --------------------------------------------------------------------------

interface World {
  readonly workspace: WorkspaceState;
  readonly tasks: TaskState[];
  readonly workers: WorkerState[];
  readonly taskLogs: TaskEvent[][];
  readonly workerLogs: WorkerEvent[][];
  /** Every reservation SID handed out so far, to be named by later commands. */
  readonly reservationSids: string[];
}

const activitySid = { offline: OFFLINE, available: AVAILABLE, unavailable: UNAVAILABLE } as const;
const taskSid = (index: number) => sidOf('WT', index + 1);
const workerSid = (index: number) => sidOf('WK', index + 1);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function setUp(s: Scenario): World {
  const workspace = deepFreeze(aWorkspace({ multiTaskEnabled: s.multiTaskEnabled }));
  const workflow = aWorkflow();
  const world: World = { workspace, tasks: [], workers: [], taskLogs: [], workerLogs: [], reservationSids: [] };
  s.taskChannels.forEach((channel, index) => {
    const created = decideTask({ type: 'CreateTask', taskSid: taskSid(index), workflow, channel: workspace.channels[channel], attributes: {} }, initialTaskState, workspace, later(0));
    const routed = decideTask(
      { type: 'RouteTask', outcome: { kind: 'routed', step: { filterIndex: 0, targetIndex: 0 }, filterName: 'all', queueSid: QUEUE, timeout: 30, explanation: [] }, triggerVersion: 1 },
      fold(evolveTask, initialTaskState, created), workspace, later(0),
    );
    world.taskLogs.push([...created, ...routed]);
    world.tasks.push(deepFreeze(fold(evolveTask, initialTaskState, world.taskLogs[index])));
  });
  s.workers.forEach((setup, index) => {
    const commands: WorkerCommand[] = [
      { type: 'CreateWorker', workerSid: workerSid(index), friendlyName: `Worker ${index}`, attributes: {}, activitySid: setup.available ? AVAILABLE : OFFLINE, newSid: sequentialSids() },
      ...CHANNELS.map((channel): WorkerCommand => ({ type: 'UpdateWorkerChannel', channel, capacity: setup.capacity[channel] })),
    ];
    let state = initialWorkerState;
    const log: WorkerEvent[] = [];
    for (const command of commands) {
      const events = decideWorker(command, state, workspace, later(0));
      log.push(...events);
      state = fold(evolveWorker, state, events);
    }
    world.workerLogs.push(log);
    world.workers.push(deepFreeze(state));
  });
  return world;
}

/** A command with its SIDs resolved against the world as it is now, so it can be decided twice. */
interface ResolvedCommand {
  readonly generated: GeneratedCommand;
  readonly decide: (world: World, now: Date) => TaskAndWorkerEvents;
  /** The reservation a reserve creates. */
  readonly reservationSid?: string;
  /** The reservation an accept, reject or time-out names. */
  readonly namedReservation?: string;
}

const workerNamed = (world: World, sid: string | undefined) => world.workers.find((worker) => worker.workerSid === sid);
/** The worker a reservation command is routed to: the one the reservation names (the service loads it by that SID). */
const workerOfReservation = (world: World, task: TaskState, reservationSid: string) => workerNamed(world, task.reservations[reservationSid]?.workerSid) ?? world.workers[0];
const workerOfLiveReservation = (world: World, task: TaskState) => workerNamed(world, liveReservation(task)?.workerSid) ?? null;
const taskOnly = (task: TaskEvent[]): TaskAndWorkerEvents => ({ task, worker: [] });
const workerOnly = (worker: WorkerEvent[]): TaskAndWorkerEvents => ({ task: [], worker });

function resolve(command: GeneratedCommand, world: World, step: number): ResolvedCommand {
  const anyReservation = (pick: ReservationPick) => {
    const own = Object.keys(world.tasks['task' in command ? command.task : 0].reservations);
    if (pick.own && own.length > 0) return own[pick.index % own.length];
    return world.reservationSids[pick.index] ?? sidOf('WR', 0xdead + pick.index);
  };
  switch (command.kind) {
    case 'reserve': {
      const reservationSid = sidOf('WR', world.reservationSids.length + 1);
      const queueSid = command.inOtherQueue ? OTHER_QUEUE : QUEUE;
      return { generated: command, reservationSid, decide: (w, now) => reserveWorker({ reservationSid, queueSid, reservationTimeout: 120 }, w.tasks[command.task], w.workers[command.worker], w.workspace, now) };
    }
    case 'accept': {
      const sid = anyReservation(command.reservation);
      return { generated: command, namedReservation: sid, decide: (w, now) => acceptReservation(sid, w.tasks[command.task], workerOfReservation(w, w.tasks[command.task], sid), now) };
    }
    case 'reject': {
      const sid = anyReservation(command.reservation);
      const moveTo = command.moveTo === 'stay' ? undefined : activitySid[command.moveTo];
      return { generated: command, namedReservation: sid, decide: (w, now) => rejectReservation(sid, moveTo, w.tasks[command.task], workerOfReservation(w, w.tasks[command.task], sid), w.workspace, now) };
    }
    case 'timeout': {
      const sid = anyReservation(command.reservation);
      return { generated: command, namedReservation: sid, decide: (w, now) => timeOutReservation(sid, w.tasks[command.task], workerOfReservation(w, w.tasks[command.task], sid), w.workspace, now) };
    }
    case 'wrap':
      return { generated: command, decide: (w, now) => taskOnly(decideTask({ type: 'WrapUpTask', reason: null }, w.tasks[command.task], w.workspace, now)) };
    case 'complete':
      return { generated: command, decide: (w, now) => completeTask('done', w.tasks[command.task], workerOfLiveReservation(w, w.tasks[command.task]), now) };
    case 'cancel':
      return { generated: command, decide: (w, now) => cancelTask(null, command.cause, w.tasks[command.task], workerOfLiveReservation(w, w.tasks[command.task]), now) };
    case 'route': {
      const task = world.tasks[command.task];
      // The evaluator answers the latest event of the task stream; a redelivery repeats an answered one.
      const triggerVersion = command.redelivered ? task.routedForVersion : world.taskLogs[command.task].length;
      const routeCommand: TaskCommand = {
        type: 'RouteTask', triggerVersion,
        outcome: command.fellOut
          ? { kind: 'fell-out', explanation: [] }
          : { kind: 'routed', step: { filterIndex: 0, targetIndex: command.targetIndex }, filterName: 'all', queueSid: command.toOtherQueue ? OTHER_QUEUE : QUEUE, timeout: 30, explanation: [] },
      };
      return { generated: command, decide: (w, now) => taskOnly(decideTask(routeCommand, w.tasks[command.task], w.workspace, now)) };
    }
    case 'step-timeout': {
      const routing = world.tasks[command.task].routing ?? { step: { filterIndex: 0, targetIndex: 0 }, enteredAt: '' };
      const enteredAt = command.stale ? later(-step).toISOString() : routing.enteredAt;
      return { generated: command, decide: (w, now) => taskOnly(decideTask({ type: 'TimeOutTarget', step: routing.step, enteredAt }, w.tasks[command.task], w.workspace, now)) };
    }
    case 'activity':
      return { generated: command, decide: (w, now) => workerOnly(decideWorker({ type: 'UpdateWorker', activitySid: activitySid[command.to] }, w.workers[command.worker], w.workspace, now)) };
    case 'channel':
      return {
        generated: command,
        decide: (w, now) => workerOnly(decideWorker({ type: 'UpdateWorkerChannel', channel: command.channel, capacity: command.capacity, available: command.available }, w.workers[command.worker], w.workspace, now)),
      };
  }
}

type Outcome = { refused: DomainError } | { decided: TaskAndWorkerEvents };

function attempt(decide: () => TaskAndWorkerEvents): Outcome {
  try {
    return { decided: decide() };
  } catch (error) {
    if (error instanceof DomainError) return { refused: error };
    throw error;
  }
}

function apply(world: World, decided: TaskAndWorkerEvents): World {
  const tasks = [...world.tasks];
  const workers = [...world.workers];
  const taskLogs = world.taskLogs.map((log) => [...log]);
  const workerLogs = world.workerLogs.map((log) => [...log]);
  for (const e of decided.task) {
    const index = tasks.findIndex((task) => task.taskSid === e.data.taskSid);
    expect(index).toBeGreaterThanOrEqual(0);
    tasks[index] = deepFreeze(evolveTask(tasks[index], e));
    taskLogs[index].push(e);
  }
  for (const e of decided.worker) {
    const index = workers.findIndex((worker) => worker.workerSid === e.data.workerSid);
    expect(index).toBeGreaterThanOrEqual(0);
    workers[index] = deepFreeze(evolveWorker(workers[index], e));
    workerLogs[index].push(e);
  }
  return { ...world, tasks, workers, taskLogs, workerLogs };
}

// ---- invariants -------------------------------------------------------------------------------

const LIVE = new Set(['pending', 'accepted', 'wrapping']);
const isFinished = (task: TaskState) => task.status === 'completed' || task.status === 'canceled';

/** No task has two live reservations, and its status says what its reservations say. */
function checkTask(task: TaskState): void {
  const live = Object.values(task.reservations).filter((r) => LIVE.has(r.status));
  expect(live.length).toBeLessThanOrEqual(1);
  const expectedStatus = { pending: 'reserved', accepted: 'assigned', wrapping: 'wrapping' } as const;
  if (live.length === 1) expect(task.status).toBe(expectedStatus[live[0].status as keyof typeof expectedStatus]);
  else expect(['pending', 'completed', 'canceled']).toContain(task.status);
}

/** Each worker holds exactly the live reservations the tasks name it in, on the tasks' channels. */
function checkWorkerAgreesWithTasks(world: World): void {
  for (const worker of world.workers) {
    const expected = Object.fromEntries(
      world.tasks.flatMap((task) =>
        Object.values(task.reservations)
          .filter((r) => r.workerSid === worker.workerSid && LIVE.has(r.status))
          .map((r) => [r.reservationSid, { taskSid: task.taskSid, channel: task.channel, accepted: r.status !== 'pending' }]),
      ),
    );
    expect(worker.reservations).toEqual(expected);
  }
}

/** No step raises what a worker holds on a channel above that channel's capacity (1 in all when single-tasking). */
function checkCapacity(before: World, after: World): void {
  after.workers.forEach((worker, index) => {
    const previous = before.workers[index];
    if (after.workspace.multiTaskEnabled) {
      for (const channel of CHANNELS) {
        const held = reservationsOnChannel(worker, channel);
        if (held > reservationsOnChannel(previous, channel)) expect(held).toBeLessThanOrEqual(worker.channels[channel].capacity);
      }
    } else {
      const held = Object.keys(worker.reservations).length;
      if (held > Object.keys(previous.reservations).length) expect(held).toBeLessThanOrEqual(1);
    }
  });
}

/** What decide validated is what evolve shows once its events are applied. */
function checkPostcondition(command: ResolvedCommand, before: World, after: World, decided: TaskAndWorkerEvents): void {
  const g = command.generated;
  if (g.kind === 'activity' || g.kind === 'channel') return;
  const task = after.tasks[g.task];
  const anyEvents = decided.task.length + decided.worker.length > 0;
  /** The reservation the command created or named, and the worker holding it, before and after. */
  const reservation = () => {
    const found = task.reservations[command.reservationSid ?? command.namedReservation ?? ''];
    expect(found).toBeDefined();
    const [workerBefore, workerAfter] = [workerNamed(before, found.workerSid), workerNamed(after, found.workerSid)];
    if (!workerBefore || !workerAfter) throw new Error(`no worker ${found.workerSid} in the world`);
    return { status: found.status, sid: found.reservationSid, workerBefore, workerAfter };
  };
  switch (g.kind) {
    case 'reserve': {
      const { status, sid, workerAfter } = reservation();
      expect([task.status, status, workerAfter.workerSid]).toEqual(['reserved', 'pending', workerSid(g.worker)]);
      expect(workerAfter.reservations[sid]).toEqual({ taskSid: task.taskSid, channel: task.channel, accepted: false });
      expect(workerAfter.activity.available).toBe(true);
      break;
    }
    case 'accept':
      expect([task.status, reservation().status]).toEqual(['assigned', 'accepted']);
      break;
    case 'reject': {
      const { status, workerBefore, workerAfter } = reservation();
      expect([task.status, status]).toEqual(['pending', 'rejected']);
      expect(workerAfter.activity.sid).toBe(g.moveTo === 'stay' ? workerBefore.activity.sid : activitySid[g.moveTo]);
      break;
    }
    case 'timeout':
      if (anyEvents) {
        const { status, workerAfter } = reservation();
        expect([task.status, status]).toEqual(['pending', 'timeout']);
        expect(workerAfter.activity.sid).toBe(after.workspace.timeoutActivitySid);
      }
      break;
    case 'wrap':
      expect(task.status).toBe('wrapping');
      break;
    case 'complete':
      expect(task.status).toBe('completed');
      break;
    case 'cancel':
      if (anyEvents) expect(task.status).toBe('canceled');
      else expect(g.cause === 'ttl' && !['pending', 'reserved'].includes(before.tasks[g.task].status)).toBe(true);
      break;
    case 'route':
      if (anyEvents) expect(task.status === 'canceled' || task.routedForVersion > before.tasks[g.task].routedForVersion).toBe(true);
      break;
    case 'step-timeout':
      if (anyEvents) expect(task.routing?.stepExpired).toBe(true);
      break;
  }
}

/** A redelivered or repeated command decides nothing new: it is refused or decides no events. */
function checkRepeatDecidesNothing(command: ResolvedCommand, after: World, now: Date): void {
  const g = command.generated;
  if (g.kind === 'activity' || g.kind === 'channel') return;
  const again = attempt(() => command.decide(after, now));
  if ('decided' in again) expect(again.decided).toEqual({ task: [], worker: [] });
}

function run(s: Scenario): World {
  let world = setUp(s);
  s.commands.forEach((generated, index) => {
    const now = later(index + 1);
    const command = resolve(generated, world, index + 1);
    const outcome = attempt(() => command.decide(world, now));
    if ('refused' in outcome) return; // refused: the world is unchanged (it is frozen, so decide could not have changed it)
    const { decided } = outcome;
    expect(attempt(() => command.decide(world, now))).toEqual(outcome); // pure: same input, same decision
    for (const e of [...decided.task, ...decided.worker]) expect(e.data.at).toBe(now.toISOString());
    const after = apply(world, decided);
    if (command.reservationSid) after.reservationSids.push(command.reservationSid);
    world.tasks.forEach((task, t) => {
      if (isFinished(task)) expect(after.tasks[t]).toBe(task); // a finished task never changes
    });
    after.tasks.forEach(checkTask);
    checkWorkerAgreesWithTasks(after);
    checkCapacity(world, after);
    checkPostcondition(command, world, after, decided);
    checkRepeatDecidesNothing(command, after, now);
    world = after;
  });
  return world;
}

describe('the task and worker state machines under any sequence of commands', () => {
  it('keep every invariant: capacity, one live reservation per task, terminal states, worker and task agreeing', () => {
    fc.assert(fc.property(scenario, (s) => {
      run(s);
    }), { numRuns: 300 });
  });

  it('reproduce the live state when each stream is replayed from its first event', () => {
    fc.assert(fc.property(scenario, (s) => {
      const world = run(s);
      world.taskLogs.forEach((log, index) => expect(fold(evolveTask, initialTaskState, log)).toEqual(world.tasks[index]));
      world.workerLogs.forEach((log, index) => expect(fold(evolveWorker, initialWorkerState, log)).toEqual(world.workers[index]));
    }), { numRuns: 100 });
  });

  it('assign at most one worker to a task, whatever reservations are accepted', () => {
    fc.assert(fc.property(scenario, (s) => {
      const world = run(s);
      world.taskLogs.forEach((log) => {
        expect(log.filter((e) => e.type === 'ReservationAccepted').length).toBeLessThanOrEqual(1);
      });
    }), { numRuns: 100 });
  });
});
