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
}

const page = { list: true } as const;

/** Every endpoint the API serves, with the parameters TaskRouter documents for it (docs/api-coverage.md). */
export const ENDPOINTS: readonly Endpoint[] = [
  { method: 'GET', path: 'Workspaces', parameters: { FriendlyName: 'name' }, ...page },
  { method: 'POST', path: 'Workspaces', parameters: { FriendlyName: 'name', EventCallbackUrl: 'url', EventsFilter: 'text', MultiTaskEnabled: 'boolean', Template: 'choice', PrioritizeQueueOrder: 'choice' } },
  { method: 'GET', path: 'Workspaces/{WS}', parameters: {} },
  {
    method: 'POST', path: 'Workspaces/{WS}',
    parameters: { FriendlyName: 'name', EventCallbackUrl: 'url', EventsFilter: 'text', MultiTaskEnabled: 'boolean', PrioritizeQueueOrder: 'choice', DefaultActivitySid: 'sid', TimeoutActivitySid: 'sid' },
  },
  { method: 'GET', path: 'Workspaces/{WS}/Activities', parameters: { FriendlyName: 'name', Available: 'boolean' }, ...page },
  { method: 'POST', path: 'Workspaces/{WS}/Activities', parameters: { FriendlyName: 'name', Available: 'boolean' } },
  { method: 'GET', path: 'Workspaces/{WS}/Activities/{WA}', parameters: {} },
  { method: 'GET', path: 'Workspaces/{WS}/TaskChannels', parameters: {}, ...page },
  { method: 'POST', path: 'Workspaces/{WS}/TaskChannels', parameters: { FriendlyName: 'name', UniqueName: 'name', ChannelOptimizedRouting: 'boolean' } },
  { method: 'GET', path: 'Workspaces/{WS}/TaskChannels/{TC}', parameters: {} },
  { method: 'GET', path: 'Workspaces/{WS}/TaskQueues', parameters: { FriendlyName: 'name', EvaluateWorkerAttributes: 'attributes', WorkerSid: 'sid' }, ...page },
  {
    method: 'POST', path: 'Workspaces/{WS}/TaskQueues',
    parameters: { FriendlyName: 'name', TargetWorkers: 'expression', MaxReservedWorkers: 'integer', TaskOrder: 'choice', ReservationActivitySid: 'sid', AssignmentActivitySid: 'sid' },
  },
  { method: 'GET', path: 'Workspaces/{WS}/TaskQueues/{WQ}', parameters: {} },
  {
    method: 'POST', path: 'Workspaces/{WS}/TaskQueues/{WQ}',
    parameters: { FriendlyName: 'name', TargetWorkers: 'expression', MaxReservedWorkers: 'integer', TaskOrder: 'choice', ReservationActivitySid: 'sid', AssignmentActivitySid: 'sid' },
  },
  { method: 'DELETE', path: 'Workspaces/{WS}/TaskQueues/{WQ}', parameters: {} },
  { method: 'GET', path: 'Workspaces/{WS}/Workflows', parameters: { FriendlyName: 'name' }, ...page },
  {
    method: 'POST', path: 'Workspaces/{WS}/Workflows',
    parameters: { FriendlyName: 'name', Configuration: 'configuration', TaskReservationTimeout: 'integer', AssignmentCallbackUrl: 'url', FallbackAssignmentCallbackUrl: 'url' },
  },
  { method: 'GET', path: 'Workspaces/{WS}/Workflows/{WW}', parameters: {} },
  {
    method: 'POST', path: 'Workspaces/{WS}/Workflows/{WW}',
    parameters: { FriendlyName: 'name', Configuration: 'configuration', TaskReservationTimeout: 'integer', AssignmentCallbackUrl: 'url', FallbackAssignmentCallbackUrl: 'url', ReEvaluateTasks: 'boolean' },
  },
  { method: 'DELETE', path: 'Workspaces/{WS}/Workflows/{WW}', parameters: {} },
  {
    method: 'GET', path: 'Workspaces/{WS}/Workers',
    parameters: { FriendlyName: 'name', ActivitySid: 'sid', ActivityName: 'name', Available: 'boolean', TargetWorkersExpression: 'expression', TaskQueueSid: 'sid', TaskQueueName: 'name' },
    ...page,
  },
  { method: 'POST', path: 'Workspaces/{WS}/Workers', parameters: { FriendlyName: 'name', Attributes: 'attributes', ActivitySid: 'sid' } },
  { method: 'GET', path: 'Workspaces/{WS}/Workers/{WK}', parameters: {} },
  { method: 'POST', path: 'Workspaces/{WS}/Workers/{WK}', parameters: { FriendlyName: 'name', Attributes: 'attributes', ActivitySid: 'sid' } },
  { method: 'DELETE', path: 'Workspaces/{WS}/Workers/{WK}', parameters: {} },
  { method: 'GET', path: 'Workspaces/{WS}/Workers/{WK}/Channels', parameters: {}, ...page },
  { method: 'GET', path: 'Workspaces/{WS}/Workers/{WK}/Channels/{WC}', parameters: {} },
  { method: 'POST', path: 'Workspaces/{WS}/Workers/{WK}/Channels/{WC}', parameters: { Capacity: 'integer', Available: 'boolean' } },
  { method: 'GET', path: 'Workspaces/{WS}/Workers/{WK}/Reservations', parameters: { ReservationStatus: 'choice' }, ...page },
  { method: 'GET', path: 'Workspaces/{WS}/Workers/{WK}/Reservations/{WR}', parameters: {} },
  { method: 'POST', path: 'Workspaces/{WS}/Workers/{WK}/Reservations/{WR}', parameters: { ReservationStatus: 'choice', Instruction: 'choice', WorkerActivitySid: 'sid' } },
  {
    method: 'GET', path: 'Workspaces/{WS}/Tasks',
    parameters: { AssignmentStatus: 'choice', WorkflowSid: 'sid', TaskQueueSid: 'sid', Priority: 'integer', EvaluateTaskAttributes: 'expression' },
    ...page,
  },
  { method: 'POST', path: 'Workspaces/{WS}/Tasks', parameters: { WorkflowSid: 'sid', Attributes: 'attributes', Priority: 'integer', Timeout: 'integer', TaskChannel: 'name' } },
  { method: 'GET', path: 'Workspaces/{WS}/Tasks/{WT}', parameters: {} },
  { method: 'POST', path: 'Workspaces/{WS}/Tasks/{WT}', parameters: { AssignmentStatus: 'choice', Reason: 'text', Attributes: 'attributes', Priority: 'integer' } },
  { method: 'GET', path: 'Workspaces/{WS}/Tasks/{WT}/RoutingExplanation', parameters: {} },
  { method: 'GET', path: 'Workspaces/{WS}/Tasks/{WT}/Reservations', parameters: { ReservationStatus: 'choice', WorkerSid: 'sid' }, ...page },
  { method: 'GET', path: 'Workspaces/{WS}/Tasks/{WT}/Reservations/{WR}', parameters: {} },
  { method: 'POST', path: 'Workspaces/{WS}/Tasks/{WT}/Reservations/{WR}', parameters: { ReservationStatus: 'choice', Instruction: 'choice', WorkerActivitySid: 'sid' } },
];

/** The slots of a path template, in order. */
export function slotsOf(endpoint: Endpoint): SidSlot[] {
  return [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as SidSlot);
}

/** The path with every slot filled, each segment replaced by `segments[slot]` when given (raw, already encoded). */
export function pathOf(endpoint: Endpoint, fixture: Fixture, segments: Partial<Record<SidSlot, string>> = {}): string {
  return `/v1/${endpoint.path.replace(/\{(\w+)\}/g, (_, slot: SidSlot) => segments[slot] ?? fixture[slot])}`;
}
