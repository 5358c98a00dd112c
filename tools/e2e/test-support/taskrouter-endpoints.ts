/** The resources a fuzz run aims its requests at: one of each, made before the run. */
export interface Fixture {
  readonly accountSid: string;
  readonly WS: string;
  readonly WA: string;
  readonly TC: string;
  readonly WQ: string;
  readonly WW: string;
  readonly WK: string;
  readonly WC: string;
  readonly WT: string;
  readonly WR: string;
  /** An Event of the fixture's workspace (its creation). */
  readonly EV: string;
}

export type SidSlot = Exclude<keyof Fixture, 'accountSid'>;

/** How a parameter is read: what a hostile value must get past, and what a plausible one looks like. */
export type ParameterKind = 'name' | 'text' | 'sid' | 'integer' | 'boolean' | 'choice' | 'attributes' | 'configuration' | 'expression' | 'url';

export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** `{WS}`-style slots are filled from the fixture; other segments are literal. */
  readonly path: string;
  readonly parameters: Readonly<Record<string, ParameterKind>>;
  /** A list: `Page` and `PageSize` apply. */
  readonly list?: boolean;
  /** The one endpoint whose body is JSON, not a form (the bulk queue statistics). */
  readonly jsonBody?: boolean;
}

const get = (path: string, parameters: Endpoint['parameters'] = {}): Endpoint => ({ method: 'GET', path, parameters });
const list = (path: string, parameters: Endpoint['parameters'] = {}): Endpoint => ({ method: 'GET', path, parameters, list: true });
const post = (path: string, parameters: Endpoint['parameters']): Endpoint => ({ method: 'POST', path, parameters });
const remove = (path: string): Endpoint => ({ method: 'DELETE', path, parameters: {} });

const workspace = {
  FriendlyName: 'name', EventCallbackUrl: 'url', EventsFilter: 'text', MultiTaskEnabled: 'boolean', PrioritizeQueueOrder: 'choice',
} as const;
const queue = {
  FriendlyName: 'name', TargetWorkers: 'expression', MaxReservedWorkers: 'integer', TaskOrder: 'choice',
  ReservationActivitySid: 'sid', AssignmentActivitySid: 'sid',
} as const;
const workflow = {
  FriendlyName: 'name', Configuration: 'configuration', TaskReservationTimeout: 'integer', AssignmentCallbackUrl: 'url',
  FallbackAssignmentCallbackUrl: 'url',
} as const;
const worker = { FriendlyName: 'name', Attributes: 'attributes', ActivitySid: 'sid' } as const;
const reservation = { ReservationStatus: 'choice', Instruction: 'choice', WorkerActivitySid: 'sid' } as const;
const realTime = { TaskChannel: 'name' } as const;
const events = {
  Minutes: 'integer', StartDate: 'text', EndDate: 'text', EventType: 'text', TaskSid: 'sid', WorkerSid: 'sid', ReservationSid: 'sid',
  TaskQueueSid: 'sid', WorkflowSid: 'sid', TaskChannel: 'name', Sid: 'sid',
} as const;
const cumulative = { Minutes: 'integer', StartDate: 'text', EndDate: 'text', TaskChannel: 'name', SplitByWaitTime: 'text' } as const;

/** Every endpoint the API serves, with the parameters TaskRouter documents for it (docs/api-coverage.md). */
export const ENDPOINTS: readonly Endpoint[] = [
  list('Workspaces', { FriendlyName: 'name' }),
  post('Workspaces', { ...workspace, Template: 'choice' }),
  get('Workspaces/{WS}'),
  post('Workspaces/{WS}', { ...workspace, DefaultActivitySid: 'sid', TimeoutActivitySid: 'sid' }),
  list('Workspaces/{WS}/Activities', { FriendlyName: 'name', Available: 'boolean' }),
  post('Workspaces/{WS}/Activities', { FriendlyName: 'name', Available: 'boolean' }),
  get('Workspaces/{WS}/Activities/{WA}'),
  list('Workspaces/{WS}/TaskChannels'),
  post('Workspaces/{WS}/TaskChannels', { FriendlyName: 'name', UniqueName: 'name', ChannelOptimizedRouting: 'boolean' }),
  get('Workspaces/{WS}/TaskChannels/{TC}'),
  list('Workspaces/{WS}/TaskQueues', { FriendlyName: 'name', EvaluateWorkerAttributes: 'attributes', WorkerSid: 'sid' }),
  post('Workspaces/{WS}/TaskQueues', queue),
  get('Workspaces/{WS}/TaskQueues/{WQ}'),
  post('Workspaces/{WS}/TaskQueues/{WQ}', queue),
  remove('Workspaces/{WS}/TaskQueues/{WQ}'),
  list('Workspaces/{WS}/Workflows', { FriendlyName: 'name' }),
  post('Workspaces/{WS}/Workflows', workflow),
  get('Workspaces/{WS}/Workflows/{WW}'),
  post('Workspaces/{WS}/Workflows/{WW}', { ...workflow, ReEvaluateTasks: 'boolean' }),
  remove('Workspaces/{WS}/Workflows/{WW}'),
  list('Workspaces/{WS}/Workers', {
    FriendlyName: 'name', ActivitySid: 'sid', ActivityName: 'name', Available: 'boolean', TargetWorkersExpression: 'expression',
    TaskQueueSid: 'sid', TaskQueueName: 'name',
  }),
  post('Workspaces/{WS}/Workers', worker),
  get('Workspaces/{WS}/Workers/{WK}'),
  post('Workspaces/{WS}/Workers/{WK}', worker),
  remove('Workspaces/{WS}/Workers/{WK}'),
  list('Workspaces/{WS}/Workers/{WK}/Channels'),
  get('Workspaces/{WS}/Workers/{WK}/Channels/{WC}'),
  post('Workspaces/{WS}/Workers/{WK}/Channels/{WC}', { Capacity: 'integer', Available: 'boolean' }),
  list('Workspaces/{WS}/Workers/{WK}/Reservations', { ReservationStatus: 'choice' }),
  get('Workspaces/{WS}/Workers/{WK}/Reservations/{WR}'),
  post('Workspaces/{WS}/Workers/{WK}/Reservations/{WR}', reservation),
  list('Workspaces/{WS}/Tasks', {
    AssignmentStatus: 'choice', WorkflowSid: 'sid', TaskQueueSid: 'sid', Priority: 'integer', EvaluateTaskAttributes: 'expression',
  }),
  post('Workspaces/{WS}/Tasks', { WorkflowSid: 'sid', Attributes: 'attributes', Priority: 'integer', Timeout: 'integer', TaskChannel: 'name' }),
  get('Workspaces/{WS}/Tasks/{WT}'),
  post('Workspaces/{WS}/Tasks/{WT}', { AssignmentStatus: 'choice', Reason: 'text', Attributes: 'attributes', Priority: 'integer' }),
  get('Workspaces/{WS}/Tasks/{WT}/RoutingExplanation'),
  list('Workspaces/{WS}/Tasks/{WT}/Reservations', { ReservationStatus: 'choice', WorkerSid: 'sid' }),
  get('Workspaces/{WS}/Tasks/{WT}/Reservations/{WR}'),
  post('Workspaces/{WS}/Tasks/{WT}/Reservations/{WR}', reservation),
  get('Workspaces/{WS}/Statistics', cumulative),
  get('Workspaces/{WS}/RealTimeStatistics', realTime),
  get('Workspaces/{WS}/CumulativeStatistics', cumulative),
  list('Workspaces/{WS}/TaskQueues/Statistics', { ...cumulative, FriendlyName: 'name' }),
  { ...post('Workspaces/{WS}/TaskQueues/RealTimeStatistics', { QueueSids: 'sid' }), jsonBody: true },
  get('Workspaces/{WS}/TaskQueues/{WQ}/Statistics', cumulative),
  get('Workspaces/{WS}/TaskQueues/{WQ}/RealTimeStatistics', realTime),
  get('Workspaces/{WS}/TaskQueues/{WQ}/CumulativeStatistics', cumulative),
  get('Workspaces/{WS}/Workers/Statistics', { ...cumulative, TaskQueueSid: 'sid', TaskQueueName: 'name', FriendlyName: 'name' }),
  get('Workspaces/{WS}/Workers/RealTimeStatistics', realTime),
  get('Workspaces/{WS}/Workers/CumulativeStatistics', cumulative),
  get('Workspaces/{WS}/Workers/{WK}/Statistics', cumulative),
  get('Workspaces/{WS}/Workflows/{WW}/Statistics', cumulative),
  get('Workspaces/{WS}/Workflows/{WW}/RealTimeStatistics', realTime),
  get('Workspaces/{WS}/Workflows/{WW}/CumulativeStatistics', cumulative),
  list('Workspaces/{WS}/Events', events),
  get('Workspaces/{WS}/Events/{EV}'),
];

/** The slots of a path template, in order. */
export function slotsOf(endpoint: Endpoint): SidSlot[] {
  return [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as SidSlot);
}

/** The path with every slot filled, each segment replaced by `segments[slot]` when given (raw, already encoded). */
export function pathOf(endpoint: Endpoint, fixture: Fixture, segments: Partial<Record<SidSlot, string>> = {}): string {
  return `/v1/${endpoint.path.replace(/\{(\w+)\}/g, (_, slot: SidSlot) => segments[slot] ?? fixture[slot])}`;
}
