import {
  evolveTask, evolveTaskQueue, evolveWorker, evolveWorkflow, evolveWorkspace, initialTaskQueueState, initialTaskState, initialWorkerState,
  initialWorkflowState, initialWorkspaceState, streamIds, type TaskQueueState, type TaskState, type WorkerState, type WorkflowState, type WorkspaceState,
} from '@taskrouter/domain';

interface AggregateDefinition<S> {
  readonly streamId: (sid: string) => string;
  readonly initial: S;
  readonly evolve: (state: S, event: any) => S;
}

/** How each aggregate's state is folded from its stream. */
export const aggregates = {
  workspace: { streamId: streamIds.workspace, initial: initialWorkspaceState, evolve: evolveWorkspace } as AggregateDefinition<WorkspaceState>,
  taskQueue: { streamId: streamIds.taskQueue, initial: initialTaskQueueState, evolve: evolveTaskQueue } as AggregateDefinition<TaskQueueState>,
  workflow: { streamId: streamIds.workflow, initial: initialWorkflowState, evolve: evolveWorkflow } as AggregateDefinition<WorkflowState>,
  worker: { streamId: streamIds.worker, initial: initialWorkerState, evolve: evolveWorker } as AggregateDefinition<WorkerState>,
  task: { streamId: streamIds.task, initial: initialTaskState, evolve: evolveTask } as AggregateDefinition<TaskState>,
};

export type AggregateKind = keyof typeof aggregates;
export type StateOf<K extends AggregateKind> = (typeof aggregates)[K]['initial'];

const kindsByPrefix = new Map<string, AggregateKind>(
  (Object.keys(aggregates) as AggregateKind[]).map((kind) => [aggregates[kind].streamId('').slice(0, -1), kind]),
);

/** Which aggregate a stream id holds, from its prefix (`task:WT…` → task); undefined for other streams. */
export function kindOfStream(streamId: string): AggregateKind | undefined {
  return kindsByPrefix.get(streamId.slice(0, streamId.indexOf(':')));
}
