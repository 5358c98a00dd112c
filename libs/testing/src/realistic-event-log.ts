import {
  acceptReservation, cancelReservation, cancelTask, completeTask, decideTask, decideTaskQueue, decideWorker, decideWorkflow, decideWorkspace,
  DomainError, evolveTask, evolveTaskQueue, evolveWorker, evolveWorkflow, evolveWorkspace, initialTaskQueueState, initialTaskState,
  initialWorkerState, initialWorkflowState, initialWorkspaceState, liveReservation, rejectReservation, reservationsOnChannel, reserveWorker,
  streamIds, timeOutReservation, type DomainEvent, type RouteTask, type TaskAndWorkerEvents, type TaskQueueState, type TaskState,
  type WorkerState, type WorkflowState, type WorkspaceState,
} from '@taskrouter/domain';
import { firstRoutingStep, nextRoutingStep, parseWorkflowConfiguration, type RoutingOutcome, type WorkflowDefinition } from '@taskrouter/routing';

/** One stream's part of a decision, in the shape of the event store's `StreamAppend`. */
export interface RealisticAppend {
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: Array<{ type: string; data: Record<string, unknown>; schemaVersion: number; metadata: Record<string, unknown> }>;
}

export interface RealisticLogOptions {
  /** Same seed, same log. */
  readonly seed: number;
  readonly workspaces?: number;
  /** Queues that workflows route to (language queues and a general one). */
  readonly queuesPerWorkspace?: number;
  readonly workersPerWorkspace?: number;
  /** Unfinished tasks per workspace the log keeps going at once. */
  readonly tasksInFlight?: number;
  /**
   * Share of decisions (0 to 1) that are not the plain created-routed-reserved-accepted-completed
   * path: rejections, timeouts, cancels, attribute and priority updates, renames, capacity
   * changes, new channels and activities, queue, workflow and workspace edits and deletions.
   */
  readonly variety?: number;
  /** The log's clock starts here (ISO); every decision moves it on by a few milliseconds. */
  readonly start?: string;
}

interface Entity<S> {
  readonly sid: string;
  state: S;
  version: number;
}

interface Workspace extends Entity<WorkspaceState> {
  /** Queues the workflows route to. */
  readonly routingQueues: Entity<TaskQueueState>[];
  /** Queues no workflow names: these may be edited freely and deleted. */
  readonly spareQueues: Entity<TaskQueueState>[];
  readonly workflows: Entity<WorkflowState>[];
  readonly spareWorkflows: Entity<WorkflowState>[];
  readonly workers: Entity<WorkerState>[];
  readonly workersBySid: Map<string, Entity<WorkerState>>;
  /** Tasks not yet completed or canceled. */
  readonly openTasks: OpenTask[];
}

interface OpenTask extends Entity<TaskState> {
  /** The task stream version the workflow has yet to answer (created, re-attributed, reservation failed), if any. */
  trigger: number | null;
}

const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt'] as const;
const EVENT_SOURCE = { source: 'realistic-event-log' };

/**
 * An endless, realistic event log, decision by decision, made by the domain's own decide
 * functions and the routing library: workspaces with their activities and channels, queues,
 * workflows routing by language, workers, and tasks going through created, routed, reserved,
 * accepted, wrapping and completed (with, as `variety` asks, everything else that happens to
 * them). Each decision is the appends one service call would make, with the expected versions
 * the services would hold; decisions on different streams may share one append call.
 *
 * Pure and seeded: the same options give the same log, so a failing property names its seed.
 */
export class RealisticEventLog {
  private readonly random: () => number;
  private readonly workspaces: Workspace[] = [];
  private readonly queued: Array<() => RealisticAppend[]> = [];
  private readonly counters = new Map<string, number>();
  private readonly definitions = new Map<string, WorkflowDefinition>();
  private readonly variety: number;
  private readonly tasksInFlight: number;
  private clock: number;

  constructor(private readonly options: RealisticLogOptions) {
    this.random = mulberry32(options.seed);
    this.variety = options.variety ?? 0.02;
    this.tasksInFlight = options.tasksInFlight ?? 200;
    this.clock = Date.parse(options.start ?? '2026-01-05T08:00:00.000Z');
    for (let w = 0; w < (options.workspaces ?? 1); w++) this.queued.push(() => this.createWorkspace());
  }

  /** The next decision's appends (never empty). */
  next(): RealisticAppend[] {
    for (let attempt = 0; ; attempt++) {
      this.clock += 1 + Math.floor(this.random() * 20);
      // Should every open task wait for a worker that will not come, new work still arrives.
      const stuck = attempt > 1_000 && this.queued.length === 0;
      const decision = this.queued.shift()
        ?? (stuck ? () => this.createTask(this.pick(this.workspaces)) : this.random() < this.variety ? this.pick(this.rareDecisions) : () => this.lifecycleStep());
      try {
        const appends = decision();
        if (appends.length > 0) return appends;
      } catch (error) {
        // A decision the domain refuses (no capacity left, a name taken) is simply not made.
        if (!(error instanceof DomainError)) throw error;
      }
    }
  }

  private get now(): Date {
    return new Date(this.clock);
  }

  // ---- set-up ---------------------------------------------------------------------------------

  private createWorkspace(): RealisticAppend[] {
    const sid = this.sid('WS');
    const workspace: Workspace = {
      sid, state: initialWorkspaceState, version: 0, routingQueues: [], spareQueues: [], workflows: [], spareWorkflows: [],
      workers: [], workersBySid: new Map(), openTasks: [],
    };
    const events = decideWorkspace({
      type: 'CreateWorkspace', workspaceSid: sid, accountSid: 'AC00000000000000000000000000000001', friendlyName: `Support ${this.workspaces.length + 1}`,
      newSid: (prefix) => this.sid(prefix),
    }, workspace.state, this.now);
    this.workspaces.push(workspace);
    const queues = this.options.queuesPerWorkspace ?? 4;
    for (let q = 0; q < queues; q++) this.queued.push(() => this.createQueue(workspace, q === 0 ? '1==1' : `languages HAS "${LANGUAGES[(q - 1) % LANGUAGES.length]}"`, 'routing'));
    this.queued.push(() => this.createWorkflow(workspace, 'routing'));
    for (let n = 0; n < (this.options.workersPerWorkspace ?? 50); n++) this.queued.push(() => this.createWorker(workspace));
    return [this.decide(workspace, streamIds.workspace(sid), events, evolveWorkspace)];
  }

  private createQueue(workspace: Workspace, targetWorkers: string, kind: 'routing' | 'spare'): RealisticAppend[] {
    const queue: Entity<TaskQueueState> = { sid: this.sid('WQ'), state: initialTaskQueueState, version: 0 };
    const events = decideTaskQueue({
      type: 'CreateTaskQueue', taskQueueSid: queue.sid, friendlyName: `${kind} queue ${this.count('queue name')}`, targetWorkers,
      maxReservedWorkers: 1 + Math.floor(this.random() * 3), taskOrder: this.random() < 0.8 ? 'FIFO' : 'LIFO',
    }, queue.state, workspace.state, this.now);
    (kind === 'routing' ? workspace.routingQueues : workspace.spareQueues).push(queue);
    return [this.decide(queue, streamIds.taskQueue(queue.sid), events, evolveTaskQueue)];
  }

  /** Filters per language to the language queues, the general queue as default; some targets time out to the next. */
  private configuration(workspace: Workspace): string {
    const [general, ...languages] = workspace.routingQueues.map((q) => q.sid);
    const filters = languages.map((queue, i) => ({
      filter_friendly_name: `language ${LANGUAGES[i % LANGUAGES.length]}`,
      expression: `language == "${LANGUAGES[i % LANGUAGES.length]}"`,
      targets: [{ queue, priority: 1 + i, timeout: 30 + i }, { queue: general }],
    }));
    return JSON.stringify({ task_routing: { filters, default_filter: { queue: general } } });
  }

  private createWorkflow(workspace: Workspace, kind: 'routing' | 'spare'): RealisticAppend[] {
    const workflow: Entity<WorkflowState> = { sid: this.sid('WW'), state: initialWorkflowState, version: 0 };
    const queues = new Set([...workspace.routingQueues, ...workspace.spareQueues].map((q) => q.sid));
    const events = decideWorkflow({
      type: 'CreateWorkflow', workflowSid: workflow.sid, friendlyName: `${kind} workflow ${this.count('workflow name')}`,
      configuration: this.configuration(workspace), taskReservationTimeout: 60 + Math.floor(this.random() * 120),
      assignmentCallbackUrl: this.random() < 0.5 ? 'https://example.com/assignment' : undefined,
    }, workflow.state, workspace.state, queues, this.now);
    (kind === 'routing' ? workspace.workflows : workspace.spareWorkflows).push(workflow);
    return [this.decide(workflow, streamIds.workflow(workflow.sid), events, evolveWorkflow)];
  }

  private createWorker(workspace: Workspace): RealisticAppend[] {
    const worker: Entity<WorkerState> = { sid: this.sid('WK'), state: initialWorkerState, version: 0 };
    const available = Object.values(workspace.state.activities).find((a) => a.available && a.friendlyName === 'Available');
    const events = decideWorker({
      type: 'CreateWorker', workerSid: worker.sid, friendlyName: `agent ${this.count('worker name')}`,
      attributes: { languages: this.languages(), level: 1 + Math.floor(this.random() * 5), team: `team-${Math.floor(this.random() * 10)}` },
      activitySid: this.random() < 0.9 ? available?.activitySid : undefined, newSid: (prefix) => this.sid(prefix),
    }, worker.state, workspace.state, this.now);
    workspace.workers.push(worker);
    workspace.workersBySid.set(worker.sid, worker);
    return [this.decide(worker, streamIds.worker(worker.sid), events, evolveWorker)];
  }

  // ---- the task's life ------------------------------------------------------------------------

  private lifecycleStep(): RealisticAppend[] {
    const workspace = this.pick(this.workspaces);
    if (workspace.workflows.length === 0) return [];
    const open = workspace.openTasks;
    if (open.length === 0 || (open.length < this.tasksInFlight && this.random() < 0.25)) return this.createTask(workspace);
    const task = this.pick(open);
    const state = task.state;
    if (state.status === 'pending') {
      if (task.trigger !== null) return this.route(workspace, task);
      if (state.routing && !state.routing.stepExpired) return this.reserve(workspace, task);
      return [];
    }
    const reservation = liveReservation(state);
    if (!reservation) return [];
    const worker = this.workerOf(workspace, reservation.workerSid);
    if (state.status === 'reserved') {
      const r = this.random();
      if (r < 0.9) return this.taskAndWorker(workspace, task, worker, acceptReservation(reservation.reservationSid, state, worker.state, this.now));
      if (r < 0.95) return this.afterFailedReservation(task, this.taskAndWorker(workspace, task, worker, rejectReservation(reservation.reservationSid, undefined, state, worker.state, workspace.state, this.now)));
      return this.afterFailedReservation(task, this.taskAndWorker(workspace, task, worker, timeOutReservation(reservation.reservationSid, state, worker.state, workspace.state, this.now)));
    }
    if (state.status === 'assigned' && this.random() < 0.5) {
      return [this.decideTask(task, decideTask({ type: 'WrapUpTask', reason: null }, state, workspace.state, this.now))];
    }
    return this.taskAndWorker(workspace, task, worker, completeTask(this.random() < 0.5 ? 'done' : null, state, worker.state, this.now));
  }

  private createTask(workspace: Workspace): RealisticAppend[] {
    const workflow = this.pick(workspace.workflows);
    const channels = Object.values(workspace.state.channels);
    const channel = this.random() < 0.8 ? workspace.state.channels['default'] ?? channels[0] : this.pick(channels);
    const task: OpenTask = { sid: this.sid('WT'), state: initialTaskState, version: 0, trigger: null };
    const events = decideTask({
      type: 'CreateTask', taskSid: task.sid, workflow: workflow.state, channel,
      attributes: { language: this.pick(LANGUAGES), customer: `C${Math.floor(this.random() * 100_000)}`, topic: this.pick(['billing', 'orders', 'returns', 'account']) },
      priority: this.random() < 0.2 ? Math.floor(this.random() * 10) : undefined,
      timeout: this.random() < 0.1 ? 3600 : undefined,
    }, task.state, workspace.state, this.now);
    workspace.openTasks.push(task);
    const append = this.decideTask(task, events);
    task.trigger = task.version;
    return [append];
  }

  private route(workspace: Workspace, task: OpenTask): RealisticAppend[] {
    const trigger = task.trigger;
    if (trigger === null) return [];
    const workflow = [...workspace.workflows, ...workspace.spareWorkflows].find((w) => w.sid === task.state.workflowSid);
    const definition = workflow?.state.exists ? this.definition(workflow.state) : undefined;
    const outcome: RoutingOutcome = workflow && definition
      ? (task.state.routing?.stepExpired
        ? nextRoutingStep(definition, task.state.attributes, task.state.routing.step)
        : firstRoutingStep(definition, task.state.attributes))
      : { kind: 'fell-out', explanation: ['the workflow was deleted'] };
    const command: RouteTask = {
      type: 'RouteTask', triggerVersion: trigger,
      outcome: outcome.kind === 'fell-out' ? outcome : {
        kind: 'routed', step: outcome.step, filterName: outcome.filterName, queueSid: outcome.target.queueSid, priority: outcome.target.priority,
        timeout: outcome.target.timeout, explanation: outcome.explanation, workflowVersion: workflow?.version,
        target: { queue: outcome.target.queueSid, expression: outcome.target.expression?.source },
      },
    };
    task.trigger = null;
    const append = this.decideTask(task, decideTask(command, task.state, workspace.state, this.now));
    this.dropIfFinished(workspace, task);
    return [append];
  }

  private reserve(workspace: Workspace, task: OpenTask): RealisticAppend[] {
    const channel = task.state.channel;
    const routing = task.state.routing;
    if (!routing) return [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const worker = this.pick(workspace.workers);
      const state = worker.state;
      if (!state.exists || !state.activity.available) continue;
      const own = state.channels[channel];
      if (!own?.available) continue;
      const held = workspace.state.multiTaskEnabled ? reservationsOnChannel(state, channel) : Object.keys(state.reservations).length;
      if (held >= (workspace.state.multiTaskEnabled ? own.capacity : 1)) continue;
      const queue = routing.queueSid;
      const workflow = workspace.workflows.find((w) => w.sid === task.state.workflowSid);
      const decided = reserveWorker({ reservationSid: this.sid('WR'), queueSid: queue, reservationTimeout: workflow?.state.taskReservationTimeout ?? 120 },
        task.state, state, workspace.state, this.now);
      return this.taskAndWorker(workspace, task, worker, decided);
    }
    // Nobody free: an agent comes back (as after a reservation timeout sent them offline).
    return this.workerBecomes(workspace, true);
  }

  private afterFailedReservation(task: OpenTask, appends: RealisticAppend[]): RealisticAppend[] {
    if (task.state.status === 'pending') task.trigger = task.version;
    return appends;
  }

  private taskAndWorker(workspace: Workspace, task: OpenTask, worker: Entity<WorkerState>, decided: TaskAndWorkerEvents): RealisticAppend[] {
    const appends: RealisticAppend[] = [];
    if (decided.task.length > 0) appends.push(this.decideTask(task, decided.task));
    if (decided.worker.length > 0) appends.push(this.decide(worker, streamIds.worker(worker.sid), decided.worker, evolveWorker));
    this.dropIfFinished(workspace, task);
    return appends;
  }

  private decideTask(task: OpenTask, events: readonly DomainEvent<string, object>[]): RealisticAppend {
    return this.decide(task, streamIds.task(task.sid), [...events] as Parameters<typeof evolveTask>[1][], evolveTask);
  }

  private dropIfFinished(workspace: Workspace, task: OpenTask): void {
    if (task.state.status !== 'completed' && task.state.status !== 'canceled') return;
    const index = workspace.openTasks.indexOf(task);
    if (index >= 0) workspace.openTasks.splice(index, 1);
  }

  // ---- everything else ------------------------------------------------------------------------

  private readonly rareDecisions: Array<() => RealisticAppend[]> = [
    () => this.workerBecomes(this.pick(this.workspaces), this.random() < 0.5),
    () => {
      const workspace = this.pick(this.workspaces);
      const worker = this.pick(workspace.workers);
      return [this.decide(worker, streamIds.worker(worker.sid), decideWorker({
        type: 'UpdateWorker',
        friendlyName: this.random() < 0.5 ? `agent ${this.count('worker name')}` : undefined,
        attributes: this.random() < 0.7 ? { languages: this.languages(), level: Math.floor(this.random() * 5) } : undefined,
      }, worker.state, workspace.state, this.now), evolveWorker)];
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const worker = this.pick(workspace.workers);
      const channel = this.pick(Object.keys(worker.state.channels));
      return [this.decide(worker, streamIds.worker(worker.sid), decideWorker({
        type: 'UpdateWorkerChannel', channel: channel ?? 'default',
        capacity: this.random() < 0.6 ? Math.floor(this.random() * 4) : undefined,
        available: this.random() < 0.5 ? this.random() < 0.7 : undefined,
      }, worker.state, workspace.state, this.now), evolveWorker)];
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const worker = this.pick(workspace.workers);
      const appends = [this.decide(worker, streamIds.worker(worker.sid), decideWorker({ type: 'DeleteWorker' }, worker.state, workspace.state, this.now), evolveWorker)];
      workspace.workers.splice(workspace.workers.indexOf(worker), 1);
      this.queued.push(() => this.createWorker(workspace));
      return appends;
    },
    () => this.createWorker(this.pick(this.workspaces)),
    () => {
      const workspace = this.pick(this.workspaces);
      const task = this.pick(workspace.openTasks);
      if (!task) return [];
      const changes = this.random() < 0.5 ? { attributes: { ...task.state.attributes, language: this.pick(LANGUAGES), updated: true } } : {};
      const append = this.decideTask(task, decideTask({ type: 'UpdateTaskAttributes', ...changes, priority: this.random() < 0.6 ? Math.floor(this.random() * 20) : undefined },
        task.state, workspace.state, this.now));
      if (changes.attributes && task.state.status === 'pending') task.trigger = task.version;
      return [append];
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const task = this.pick(workspace.openTasks);
      if (!task) return [];
      const reservation = liveReservation(task.state);
      const worker = reservation ? this.workerOf(workspace, reservation.workerSid) : null;
      return this.taskAndWorker(workspace, task, worker ?? this.pick(workspace.workers), cancelTask(this.random() < 0.5 ? 'hung up' : null, 'api', task.state, worker?.state ?? null, this.now));
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const task = this.pick(workspace.openTasks);
      const routing = task?.state.routing;
      if (!task || !routing) return [];
      const append = this.decideTask(task, decideTask({ type: 'TimeOutTarget', step: routing.step, enteredAt: routing.enteredAt }, task.state, workspace.state, this.now));
      if (task.state.status === 'pending') task.trigger = task.version;
      return [append];
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const task = this.pick(workspace.openTasks);
      const reservation = task && liveReservation(task.state);
      if (!task || !reservation || reservation.status !== 'pending') return [];
      const worker = this.workerOf(workspace, reservation.workerSid);
      return this.afterFailedReservation(task, this.taskAndWorker(workspace, task, worker, cancelReservation(reservation.reservationSid, 'callback failed', task.state, worker.state, this.now)));
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const activities = Object.keys(workspace.state.activities);
      return [this.decide(workspace, streamIds.workspace(workspace.sid), decideWorkspace({
        type: 'UpdateWorkspace',
        friendlyName: this.random() < 0.3 ? `Support ${this.count('workspace name')}` : undefined,
        eventCallbackUrl: this.random() < 0.3 ? this.pick(['https://example.com/events', '']) : undefined,
        eventsFilter: this.random() < 0.2 ? 'task.created,task.completed' : undefined,
        prioritizeQueueOrder: this.random() < 0.2 ? this.pick(['FIFO', 'LIFO'] as const) : undefined,
        timeoutActivitySid: this.random() < 0.2 ? this.pick(activities) : undefined,
      }, workspace.state, this.now), evolveWorkspace)];
    },
    () => {
      const workspace = this.pick(this.workspaces);
      return [this.decide(workspace, streamIds.workspace(workspace.sid), decideWorkspace({
        type: 'CreateActivity', activitySid: this.sid('WA'), friendlyName: `Break ${this.count('activity name')}`, available: this.random() < 0.3,
      }, workspace.state, this.now), evolveWorkspace)];
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const uniqueName = `channel_${this.count('channel name')}`;
      const appends = [this.decide(workspace, streamIds.workspace(workspace.sid), decideWorkspace({
        type: 'CreateTaskChannel', taskChannelSid: this.sid('TC'), uniqueName, friendlyName: `Channel ${uniqueName}`, channelOptimizedRouting: false,
      }, workspace.state, this.now), evolveWorkspace)];
      // Every worker then gets its WorkerChannel, one decision each, as the services do it.
      for (const worker of workspace.workers) {
        this.queued.push(() => worker.state.exists
          ? [this.decide(worker, streamIds.worker(worker.sid), decideWorker({ type: 'AddWorkerChannel', uniqueName, workerChannelSid: this.sid('WC') }, worker.state, workspace.state, this.now), evolveWorker)]
          : []);
      }
      return appends;
    },
    () => this.createQueue(this.pick(this.workspaces), 'level > 2', 'spare'),
    () => {
      const workspace = this.pick(this.workspaces);
      const queue = this.pick(workspace.spareQueues.filter((q) => q.state.exists));
      if (!queue) return [];
      const activities = Object.keys(workspace.state.activities);
      return [this.decide(queue, streamIds.taskQueue(queue.sid), decideTaskQueue({
        type: 'UpdateTaskQueue', changes: {
          friendlyName: this.random() < 0.3 ? `spare queue ${this.count('queue name')}` : undefined,
          targetWorkers: this.random() < 0.4 ? this.pick(['level > 3', '1==1', null]) : undefined,
          maxReservedWorkers: this.random() < 0.3 ? 1 + Math.floor(this.random() * 5) : undefined,
          taskOrder: this.random() < 0.3 ? this.pick(['FIFO', 'LIFO'] as const) : undefined,
          reservationActivitySid: this.random() < 0.3 ? this.pick([...activities, null]) : undefined,
          assignmentActivitySid: this.random() < 0.3 ? this.pick([...activities, null]) : undefined,
        },
      }, queue.state, workspace.state, this.now), evolveTaskQueue)];
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const queue = this.pick(workspace.spareQueues.filter((q) => q.state.exists));
      if (!queue) return [];
      return [this.decide(queue, streamIds.taskQueue(queue.sid), decideTaskQueue({ type: 'DeleteTaskQueue' }, queue.state, workspace.state, this.now), evolveTaskQueue)];
    },
    () => this.createWorkflow(this.pick(this.workspaces), 'spare'),
    () => {
      const workspace = this.pick(this.workspaces);
      const workflow = this.pick([...workspace.workflows, ...workspace.spareWorkflows.filter((w) => w.state.exists)]);
      const queues = new Set([...workspace.routingQueues, ...workspace.spareQueues].filter((q) => q.state.exists).map((q) => q.sid));
      return [this.decide(workflow, streamIds.workflow(workflow.sid), decideWorkflow({
        type: 'UpdateWorkflow', reEvaluateTasks: false, changes: {
          friendlyName: this.random() < 0.3 ? `workflow ${this.count('workflow name')}` : undefined,
          taskReservationTimeout: this.random() < 0.3 ? 30 + Math.floor(this.random() * 300) : undefined,
          assignmentCallbackUrl: this.random() < 0.3 ? this.pick(['https://example.com/assign', null]) : undefined,
          fallbackAssignmentCallbackUrl: this.random() < 0.3 ? this.pick(['https://example.com/fallback', null]) : undefined,
          configuration: this.random() < 0.2 ? this.configuration(workspace) : undefined,
        },
      }, workflow.state, workspace.state, queues, this.now), evolveWorkflow)];
    },
    () => {
      const workspace = this.pick(this.workspaces);
      const workflow = this.pick(workspace.spareWorkflows.filter((w) => w.state.exists));
      if (!workflow) return [];
      return [this.decide(workflow, streamIds.workflow(workflow.sid), decideWorkflow({ type: 'DeleteWorkflow' }, workflow.state, workspace.state, new Set(), this.now), evolveWorkflow)];
    },
  ];

  /** A worker goes Available (or away), as agents do between tasks. */
  private workerBecomes(workspace: Workspace, available: boolean): RealisticAppend[] {
    const worker = this.pick(workspace.workers);
    if (!worker || worker.state.activity.available === available) return [];
    const activity = Object.values(workspace.state.activities).find((a) => a.available === available);
    if (!activity) return [];
    return [this.decide(worker, streamIds.worker(worker.sid), decideWorker({ type: 'UpdateWorker', activitySid: activity.activitySid }, worker.state, workspace.state, this.now), evolveWorker)];
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private workerOf(workspace: Workspace, workerSid: string): Entity<WorkerState> {
    const worker = workspace.workersBySid.get(workerSid);
    if (!worker) throw new Error(`the log reserved worker ${workerSid}, which it never created`);
    return worker;
  }

  private decide<S, E extends DomainEvent<string, object>>(entity: Entity<S>, streamId: string, events: E[], evolve: (state: S, event: E) => S): RealisticAppend {
    if (events.length === 0) throw new DomainError('conflict', 'nothing to decide');
    const append: RealisticAppend = {
      streamId, expectedVersion: entity.version,
      events: events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, schemaVersion: e.schemaVersion, metadata: EVENT_SOURCE })),
    };
    entity.state = events.reduce(evolve, entity.state);
    entity.version += events.length;
    return append;
  }

  private definition(workflow: WorkflowState): WorkflowDefinition {
    let definition = this.definitions.get(workflow.configuration);
    if (!definition) this.definitions.set(workflow.configuration, (definition = parseWorkflowConfiguration(workflow.configuration)));
    return definition;
  }

  private languages(): string[] {
    return LANGUAGES.filter(() => this.random() < 0.4);
  }

  /** A random item; none to pick refuses the decision, as the domain would. */
  private pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new DomainError('conflict', 'nothing to pick');
    return items[Math.floor(this.random() * items.length)];
  }

  private count(name: string): number {
    const next = (this.counters.get(name) ?? 0) + 1;
    this.counters.set(name, next);
    return next;
  }

  private sid(prefix: string): string {
    return prefix + this.count(`sid ${prefix}`).toString(16).padStart(32, '0');
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
