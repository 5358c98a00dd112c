import {
  acceptReservation, cancelTask, completeTask, decideTask, decideTaskQueue, decideWorker, decideWorkflow, decideWorkspace, evolveTask, evolveTaskQueue,
  evolveWorker, evolveWorkflow, evolveWorkspace, initialTaskQueueState, initialTaskState, initialWorkerState, initialWorkflowState, initialWorkspaceState,
  liveReservation, rejectReservation, reservationsOnChannel, reserveWorker, streamIds, timeOutReservation, type DomainEvent, type TaskAndWorkerEvents,
  type TaskState, type WorkerState, type WorkflowState, type WorkspaceState,
} from '@taskrouter/domain';
import type { StreamAppend } from '@taskrouter/event-store';
import { firstRoutingStep, parseWorkflowConfiguration, type WorkflowDefinition } from '@taskrouter/routing';

/** What the seeded workspace is made of. */
export interface WorkloadOptions {
  readonly workers: number;
  readonly tasks: number;
  /** Tasks arrive over this many minutes before `end`. */
  readonly minutes: number;
  /** The last moment the simulation reaches (ms since the epoch): the log's newest event is before it. */
  readonly end: number;
  readonly seed: number;
}

/** The ids a benchmark asks about, and what the simulation left behind (to check the answers against). */
export interface WorkloadSummary {
  readonly accountSid: string;
  readonly workspaceSid: string;
  readonly workflowSid: string;
  readonly queues: ReadonlyArray<{ sid: string; name: string }>;
  /** A worker that took tasks all hour. */
  readonly busyWorkerSid: string;
  /** When the first task arrived (ms since the epoch). */
  readonly firstTaskAt: number;
  readonly tasksByStatus: Record<string, number>;
  readonly reservations: Record<'created' | 'accepted' | 'rejected' | 'timedOut' | 'canceled', number>;
  readonly workersByActivity: Record<string, number>;
  readonly activityChanges: number;
}

const ACCOUNT_SID = 'AC00000000000000000000000000000001';
const METADATA = { source: 'statistics-bench' };
const SKILLS = ['sales', 'support', 'billing', 'spanish'] as const;
/** Task types and their shares; `vip` goes to a queue with 1% of the workers, so tasks wait there. */
const TASK_TYPES = [['sales', 0.25], ['support', 0.35], ['billing', 0.2], ['spanish', 0.15], ['vip', 0.05]] as const;
const RESERVATION_TIMEOUT_S = 30;

interface Entity<S> {
  readonly sid: string;
  state: S;
  version: number;
}

interface SimTask extends Entity<TaskState> {
  queue: number;
  /** Canceled if still unassigned at this time (ms), if ever. */
  patienceUntil: number | null;
}

interface SimWorker extends Entity<WorkerState> {
  readonly queues: readonly number[];
}

/** A binary min-heap of actions by time, first come first served at equal times. */
class Agenda {
  private readonly heap: Array<{ at: number; seq: number; run: (at: number) => StreamAppend[][] }> = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, run: (at: number) => StreamAppend[][]): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, run });
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (this.less(parent, i)) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  peekAt(): number {
    return this.heap[0].at;
  }

  pop(): { at: number; run: (at: number) => StreamAppend[][] } {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.less(l, m)) m = l;
        if (r < heap.length && this.less(r, m)) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

/**
 * One workspace's last hour, decision by decision, made by the domain's own decide functions and
 * the routing library (the events the services would append): activities (the three defaults and
 * Break), five queues by skill (`vip` with 1% of the workers, so its tasks wait and some are
 * canceled), one workflow, `workers` workers (75% Available, the rest Offline, Unavailable or on
 * Break; some go on break and come back during the hour), and `tasks` tasks arriving evenly over
 * `minutes`, each routed, reserved by a free eligible worker, accepted (90%; 6% rejected, 4% timed
 * out, which sends the worker Offline for a few minutes), worked on for 45–240 s, wrapped up (30%)
 * and completed; 5% of callers hang up after a few seconds. Whatever is under way at `end` stays
 * so: pending, reserved, assigned and wrapping tasks. A discrete-event simulation, so every
 * stream's events are in time order; seeded, so the same options give the same log.
 */
export class StatisticsWorkload {
  private readonly random: () => number;
  private readonly agenda = new Agenda();
  private readonly counters = new Map<string, number>();
  private readonly workspace: Entity<WorkspaceState>;
  private readonly queues: Array<Entity<unknown> & { name: string; waiting: SimTask[]; head: number; eligible: number[]; cursor: number }> = [];
  private workflow!: Entity<WorkflowState>;
  private definition!: WorkflowDefinition;
  private readonly workers: SimWorker[] = [];
  private readonly workersBySid = new Map<string, SimWorker>();
  private readonly tasks: SimTask[] = [];
  private readonly reservations = { created: 0, accepted: 0, rejected: 0, timedOut: 0, canceled: 0 };
  private activityChanges = 0;
  private readonly start: number;

  constructor(private readonly options: WorkloadOptions) {
    this.random = mulberry32(options.seed);
    this.start = options.end - options.minutes * 60_000;
    this.workspace = { sid: this.sid('WS'), state: initialWorkspaceState, version: 0 };
  }

  /** Every decision in time order: each one the appends a service call would make, with the versions it read. */
  *decisions(): Generator<StreamAppend[]> {
    yield* this.setUp(new Date(this.start - 10 * 60_000));
    const span = this.options.end - this.start - 30_000;
    for (let i = 0; i < this.options.tasks; i++) {
      const at = Math.floor(this.start + 20_000 + ((i + this.random()) * span) / this.options.tasks);
      this.agenda.push(at, (now) => this.arrive(now));
    }
    for (let i = 0; i < Math.floor(this.workers.length * 0.3); i++) {
      const worker = this.workers[Math.floor(this.random() * this.workers.length)];
      this.agenda.push(this.start + this.random() * (this.options.end - this.start), (now) => this.takeBreak(worker, now));
    }
    while (this.agenda.size > 0 && this.agenda.peekAt() < this.options.end) {
      const { at, run } = this.agenda.pop();
      yield* run(at);
    }
  }

  summary(): WorkloadSummary {
    const tasksByStatus: Record<string, number> = {};
    for (const task of this.tasks) tasksByStatus[task.state.status] = (tasksByStatus[task.state.status] ?? 0) + 1;
    const workersByActivity: Record<string, number> = {};
    for (const worker of this.workers) workersByActivity[worker.state.activity.name] = (workersByActivity[worker.state.activity.name] ?? 0) + 1;
    const support = this.queues[1].eligible.map((w) => this.workers[w]);
    return {
      accountSid: ACCOUNT_SID, workspaceSid: this.workspace.sid, workflowSid: this.workflow.sid, queues: this.queues.map((q) => ({ sid: q.sid, name: q.name })),
      busyWorkerSid: support.find((w) => w.state.activity.name === 'Available')?.sid ?? this.workers[0].sid,
      firstTaskAt: this.tasks[0]?.state.createdAt ? Date.parse(this.tasks[0].state.createdAt) : this.start, tasksByStatus,
      reservations: { ...this.reservations }, workersByActivity, activityChanges: this.activityChanges,
    };
  }

  // ---- set-up ---------------------------------------------------------------------------------

  private *setUp(at: Date): Generator<StreamAppend[]> {
    const ws = this.workspace;
    const created = decideWorkspace({
      type: 'CreateWorkspace', workspaceSid: ws.sid, accountSid: ACCOUNT_SID, friendlyName: 'Statistics bench', newSid: (prefix) => this.sid(prefix),
    }, ws.state, at);
    yield [this.decide(ws, streamIds.workspace(ws.sid), created, evolveWorkspace)];
    const onBreak = decideWorkspace({ type: 'CreateActivity', activitySid: this.sid('WA'), friendlyName: 'Break', available: false }, ws.state, at);
    yield [this.decide(ws, streamIds.workspace(ws.sid), onBreak, evolveWorkspace)];
    for (const [name, skill] of [['Sales', 'sales'], ['Support', 'support'], ['Billing', 'billing'], ['Spanish', 'spanish'], ['VIP', 'vip']]) {
      const queue = { sid: this.sid('WQ'), state: initialTaskQueueState, version: 0, name, waiting: [] as SimTask[], head: 0, eligible: [] as number[], cursor: 0 };
      const events = decideTaskQueue({ type: 'CreateTaskQueue', taskQueueSid: queue.sid, friendlyName: name, targetWorkers: `skills HAS "${skill}"` }, queue.state, ws.state, at);
      yield [this.decide(queue, streamIds.taskQueue(queue.sid), events, evolveTaskQueue)];
      this.queues.push(queue);
    }
    const configuration = JSON.stringify({
      task_routing: {
        filters: TASK_TYPES.map(([type], i) => ({ filter_friendly_name: type, expression: `type == "${type}"`, targets: [{ queue: this.queues[i].sid }] })),
        default_filter: { queue: this.queues[1].sid },
      },
    });
    this.workflow = { sid: this.sid('WW'), state: initialWorkflowState, version: 0 };
    const workflowEvents = decideWorkflow({
      type: 'CreateWorkflow', workflowSid: this.workflow.sid, friendlyName: 'By type', configuration, taskReservationTimeout: RESERVATION_TIMEOUT_S,
    }, this.workflow.state, ws.state, new Set(this.queues.map((q) => q.sid)), at);
    yield [this.decide(this.workflow, streamIds.workflow(this.workflow.sid), workflowEvents, evolveWorkflow)];
    this.definition = parseWorkflowConfiguration(configuration);
    const activities = Object.values(ws.state.activities);
    const activity = (name: string) => activities.find((a) => a.friendlyName === name)!.activitySid;
    for (let i = 0; i < this.options.workers; i++) {
      const skills: string[] = [SKILLS[i % 4], SKILLS[(i + 1 + (Math.floor(i / 4) % 3)) % 4]];
      if (i % 100 === 0) skills.push('vip');
      const r = this.random();
      const start = r < 0.75 ? 'Available' : r < 0.87 ? 'Offline' : r < 0.95 ? 'Unavailable' : 'Break';
      const queues = this.queues.map((_, q) => q).filter((q) => skills.includes(q === 4 ? 'vip' : SKILLS[q]));
      const worker: SimWorker = { sid: this.sid('WK'), state: initialWorkerState, version: 0, queues };
      const events = decideWorker({
        type: 'CreateWorker', workerSid: worker.sid, friendlyName: `agent ${i + 1}`, attributes: { skills, level: 1 + (i % 5), team: `team-${i % 20}` },
        activitySid: activity(start), newSid: (prefix) => this.sid(prefix),
      }, worker.state, ws.state, new Date(at.getTime() + i));
      yield [this.decide(worker, streamIds.worker(worker.sid), events, evolveWorker)];
      for (const q of queues) this.queues[q].eligible.push(this.workers.length);
      this.workers.push(worker);
      this.workersBySid.set(worker.sid, worker);
    }
  }

  // ---- a task's life --------------------------------------------------------------------------

  private arrive(now: number): StreamAppend[][] {
    const r = this.random();
    let type: string = TASK_TYPES[0][0];
    for (let i = 0, sum = 0; i < TASK_TYPES.length; i++) {
      sum += TASK_TYPES[i][1];
      if (r < sum) {
        type = TASK_TYPES[i][0];
        break;
      }
    }
    const channel = this.workspace.state.channels[this.random() < 0.8 ? 'default' : 'chat'];
    const task: SimTask = { sid: this.sid('WT'), state: initialTaskState, version: 0, queue: -1, patienceUntil: null };
    const attributes = { type, customer: `C${Math.floor(this.random() * 100_000)}` };
    const events = decideTask({
      type: 'CreateTask', taskSid: task.sid, workflow: this.workflow.state, channel, attributes, priority: this.random() < 0.2 ? 1 + Math.floor(this.random() * 5) : undefined,
    }, task.state, this.workspace.state, new Date(now));
    this.tasks.push(task);
    // Callers who hang up: 5% within seconds; in the VIP queue, a third of those still waiting after minutes.
    if (this.random() < 0.05) task.patienceUntil = now + 1_000 + this.random() * 8_000;
    else if (type === 'vip' && this.random() < 0.33) task.patienceUntil = now + 120_000 + this.random() * 600_000;
    if (task.patienceUntil !== null) this.agenda.push(task.patienceUntil, (at) => this.hangUp(task, at));
    const append = this.decideTask(task, events);
    this.agenda.push(now + 5 + Math.floor(this.random() * 20), (at) => this.route(task, at));
    return [[append]];
  }

  /** The workflow-evaluator's answer to the task's latest trigger (its creation, or a failed reservation). */
  private route(task: SimTask, now: number): StreamAppend[][] {
    if (task.state.status !== 'pending') return [];
    const outcome = firstRoutingStep(this.definition, task.state.attributes);
    if (outcome.kind !== 'routed') throw new Error(`the bench workflow did not route ${JSON.stringify(task.state.attributes)}`);
    const events = decideTask({
      type: 'RouteTask', triggerVersion: task.version,
      outcome: {
        kind: 'routed', step: outcome.step, filterName: outcome.filterName, queueSid: outcome.target.queueSid, priority: outcome.target.priority,
        timeout: outcome.target.timeout, explanation: outcome.explanation, workflowVersion: this.workflow.version,
        target: { queue: outcome.target.queueSid, expression: outcome.target.expression?.source },
      },
    }, task.state, this.workspace.state, new Date(now));
    const append = this.decideTask(task, events);
    task.queue = this.queues.findIndex((q) => q.sid === outcome.target.queueSid);
    this.queues[task.queue].waiting.push(task);
    this.soon(now, task.queue);
    return [[append]];
  }

  /** The matcher looks at the queue shortly. */
  private soon(now: number, queue: number): void {
    this.agenda.push(now + 20 + Math.floor(this.random() * 200), (at) => this.match(queue, at));
  }

  /** Offers the queue's oldest waiting tasks to free eligible workers, as long as there are both. */
  private match(q: number, now: number): StreamAppend[][] {
    const queue = this.queues[q];
    const decisions: StreamAppend[][] = [];
    while (queue.head < queue.waiting.length && !this.waitingNow(queue.waiting[queue.head], q)) queue.head++;
    if (queue.head > 1_000) {
      queue.waiting.splice(0, queue.head);
      queue.head = 0;
    }
    for (let i = queue.head, looked = 0; i < queue.waiting.length && looked < 50; i++, looked++) {
      const task = queue.waiting[i];
      if (!this.waitingNow(task, q)) continue;
      const worker = this.freeWorker(q, task.state.channel);
      if (!worker) continue;
      decisions.push(this.reserve(task, worker, now));
    }
    return decisions;
  }

  private waitingNow(task: SimTask, q: number): boolean {
    return task.state.status === 'pending' && task.queue === q && task.state.routing !== null;
  }

  private freeWorker(q: number, channel: string): SimWorker | null {
    const queue = this.queues[q];
    for (let n = 0; n < queue.eligible.length; n++) {
      queue.cursor = (queue.cursor + 1) % queue.eligible.length;
      const worker = this.workers[queue.eligible[queue.cursor]];
      const state = worker.state;
      const own = state.channels[channel];
      if (state.activity.available && own?.available && reservationsOnChannel(state, channel) < own.capacity) return worker;
    }
    return null;
  }

  private reserve(task: SimTask, worker: SimWorker, now: number): StreamAppend[] {
    const reservationSid = this.sid('WR');
    const command = { reservationSid, queueSid: this.queues[task.queue].sid, reservationTimeout: RESERVATION_TIMEOUT_S };
    const decided = reserveWorker(command, task.state, worker.state, this.workspace.state, new Date(now));
    this.reservations.created++;
    const r = this.random();
    if (r < 0.9) this.agenda.push(now + 1_000 + this.random() * 14_000, (at) => this.answer(task, worker, reservationSid, 'accept', at));
    else if (r < 0.96) this.agenda.push(now + 1_000 + this.random() * 9_000, (at) => this.answer(task, worker, reservationSid, 'reject', at));
    else this.agenda.push(now + RESERVATION_TIMEOUT_S * 1_000, (at) => this.answer(task, worker, reservationSid, 'timeout', at));
    return this.taskAndWorker(task, worker, decided);
  }

  private answer(task: SimTask, worker: SimWorker, reservationSid: string, how: 'accept' | 'reject' | 'timeout', now: number): StreamAppend[][] {
    if (task.state.reservations[reservationSid]?.status !== 'pending') return [];
    const at = new Date(now);
    if (how === 'accept') {
      this.reservations.accepted++;
      const handle = 45_000 + this.random() * 195_000;
      if (this.random() < 0.3) this.agenda.push(now + handle, (t) => this.wrapUp(task, worker, t));
      else this.agenda.push(now + handle, (t) => this.complete(task, worker, t));
      return [this.taskAndWorker(task, worker, acceptReservation(reservationSid, task.state, worker.state, at))];
    }
    const failed = how === 'reject'
      ? rejectReservation(reservationSid, undefined, task.state, worker.state, this.workspace.state, at)
      : timeOutReservation(reservationSid, task.state, worker.state, this.workspace.state, at);
    if (how === 'reject') this.reservations.rejected++;
    else {
      this.reservations.timedOut++;
      // Sent Offline by the timeout; back a few minutes later.
      this.agenda.push(now + 120_000 + this.random() * 180_000, (t) => this.changeActivity(worker, 'Available', t));
    }
    const appends = this.taskAndWorker(task, worker, failed);
    // The task waits again: the workflow answers the failed reservation, and the worker may take other work.
    this.agenda.push(now + 5 + Math.floor(this.random() * 20), (t) => this.route(task, t));
    this.freed(worker, now);
    return [appends];
  }

  private wrapUp(task: SimTask, worker: SimWorker, now: number): StreamAppend[][] {
    if (task.state.status !== 'assigned') return [];
    this.agenda.push(now + 5_000 + this.random() * 25_000, (t) => this.complete(task, worker, t));
    return [[this.decideTask(task, decideTask({ type: 'WrapUpTask', reason: null }, task.state, this.workspace.state, new Date(now)))]];
  }

  private complete(task: SimTask, worker: SimWorker, now: number): StreamAppend[][] {
    if (task.state.status !== 'assigned' && task.state.status !== 'wrapping') return [];
    const appends = this.taskAndWorker(task, worker, completeTask(this.random() < 0.5 ? 'resolved' : null, task.state, worker.state, new Date(now)));
    this.freed(worker, now);
    return [appends];
  }

  private hangUp(task: SimTask, now: number): StreamAppend[][] {
    if (task.state.status !== 'pending' && task.state.status !== 'reserved') return [];
    const reservation = liveReservation(task.state);
    const worker = reservation ? this.workersBySid.get(reservation.workerSid) ?? null : null;
    if (reservation) this.reservations.canceled++;
    const decided = cancelTask('caller hung up', 'api', task.state, worker?.state ?? null, new Date(now));
    const appends = worker ? this.taskAndWorker(task, worker, decided) : [this.decideTask(task, decided.task)];
    if (worker) this.freed(worker, now);
    return [appends];
  }

  // ---- workers --------------------------------------------------------------------------------

  /** An idle Available worker goes on Break for 5–15 minutes. */
  private takeBreak(worker: SimWorker, now: number): StreamAppend[][] {
    if (worker.state.activity.name !== 'Available' || Object.keys(worker.state.reservations).length > 0) return [];
    this.agenda.push(now + 300_000 + this.random() * 600_000, (t) => this.changeActivity(worker, 'Available', t));
    return this.changeActivity(worker, 'Break', now);
  }

  private changeActivity(worker: SimWorker, name: string, now: number): StreamAppend[][] {
    if (worker.state.activity.name === name) return [];
    const activity = Object.values(this.workspace.state.activities).find((a) => a.friendlyName === name)!;
    this.activityChanges++;
    const events = decideWorker({ type: 'UpdateWorker', activitySid: activity.activitySid }, worker.state, this.workspace.state, new Date(now));
    const append = this.decide(worker, streamIds.worker(worker.sid), events, evolveWorker);
    if (activity.available) this.freed(worker, now);
    return [[append]];
  }

  /** The worker may have capacity again: its queues look for work. */
  private freed(worker: SimWorker, now: number): void {
    for (const q of worker.queues) if (this.queues[q].head < this.queues[q].waiting.length) this.soon(now, q);
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private taskAndWorker(task: SimTask, worker: SimWorker, decided: TaskAndWorkerEvents): StreamAppend[] {
    const appends: StreamAppend[] = [];
    if (decided.task.length > 0) appends.push(this.decideTask(task, decided.task));
    if (decided.worker.length > 0) appends.push(this.decide(worker, streamIds.worker(worker.sid), decided.worker, evolveWorker));
    return appends;
  }

  private decideTask(task: SimTask, events: readonly DomainEvent<string, object>[]): StreamAppend {
    return this.decide(task, streamIds.task(task.sid), [...events] as Parameters<typeof evolveTask>[1][], evolveTask);
  }

  private decide<S, E extends DomainEvent<string, object>>(entity: Entity<S>, streamId: string, events: readonly E[], evolve: (state: S, event: E) => S): StreamAppend {
    const append: StreamAppend = {
      streamId, expectedVersion: entity.version,
      events: events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, schemaVersion: e.schemaVersion, metadata: METADATA })),
    };
    entity.state = events.reduce(evolve, entity.state);
    entity.version += events.length;
    return append;
  }

  private sid(prefix: string): string {
    const next = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, next);
    return prefix + next.toString(16).padStart(32, '0');
  }
}

/** A small, fast, seeded PRNG (public domain); Math.random cannot be seeded. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
