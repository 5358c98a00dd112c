import { Injectable } from '@nestjs/common';
import { FormReader, badRequest } from '@taskrouter/contract';
import {
  DomainError, MAX_PRIORITY, MAX_TASK_TIMEOUT, cancelTask, completeTask, decideTask, findTaskChannel, liveReservation, parseAttributes,
  type TaskAndWorkerEvents,
} from '@taskrouter/domain';
import { appendTo, taskAndWorkerAppends } from '@taskrouter/runtime';
import { IngestContext } from '../ingest-context';

export interface NewTask {
  readonly accountSid: string;
  readonly workspaceSid: string;
  readonly workflowSid?: string;
  /** The JSON text, as TaskRouter's `Attributes` parameter. */
  readonly attributes?: string;
  readonly priority?: number;
  readonly timeout?: number;
  readonly taskChannel?: string;
  readonly taskSid?: string;
}
import { checkIfMatch } from './if-match';

@Injectable()
export class TaskCommands {
  constructor(private readonly context: IngestContext) {}

  async create(accountSid: string, workspaceSid: string, form: FormReader): Promise<string> {
    return this.createTask({
      accountSid, workspaceSid, workflowSid: form.sid('WorkflowSid', 'WW'), attributes: form.string('Attributes'),
      priority: form.integer('Priority', 0, MAX_PRIORITY), timeout: form.integer('Timeout', 1, MAX_TASK_TIMEOUT), taskChannel: form.string('TaskChannel'),
    });
  }

  /**
   * Creates a task from the API or a work item. With `taskSid` given (work items derive it from
   * their id), creating the same task again changes nothing and answers the existing SID.
   */
  async createTask(input: NewTask): Promise<string> {
    const { accountSid, workspaceSid } = input;
    await this.context.requireWorkspace(accountSid, workspaceSid);
    const attributes = parseAttributes(input.attributes ?? '{}', 'Attributes');
    let workflowSid = input.workflowSid;
    if (!workflowSid) {
      // "optional only if the Workspace has exactly one Workflow"
      const workflows = await this.context.queries.workflows(workspaceSid, {}, { offset: 0, limit: 2 });
      if (workflows.length !== 1) throw badRequest('Missing required parameter WorkflowSid in the post body (the Workspace does not have exactly one Workflow)');
      workflowSid = workflows[0].sid;
    }
    const taskSid = input.taskSid ?? this.context.newSid('WT');
    // A SID made just now has no stream yet; a work item's derived SID may (it was published twice).
    const loadTask = () => (input.taskSid ? this.context.aggregates.load('task', taskSid) : Promise.resolve(this.context.aggregates.fresh('task', taskSid)));
    const channelName = input.taskChannel ?? 'default';
    await this.context.decide(async () => {
      const [workspace, workflow, task] = await Promise.all([
        this.context.aggregates.load('workspace', workspaceSid), this.context.aggregates.load('workflow', workflowSid!), loadTask(),
      ]);
      if (input.taskSid && task.state.exists && task.state.workspaceSid === workspaceSid) return { appends: [], result: undefined };
      const channel = findTaskChannel(workspace.state, channelName);
      if (!channel) throw new DomainError('invalid', `TaskChannel '${channelName}' is not a TaskChannel of this Workspace`, 'TaskChannel');
      const workflowState = workflow.state.workspaceSid === workspaceSid ? workflow.state : { ...workflow.state, exists: false };
      const command = { type: 'CreateTask' as const, taskSid, workflow: workflowState, channel, attributes, priority: input.priority, timeout: input.timeout };
      const events = decideTask(command, task.state, workspace.state, this.context.clock());
      // The workflow version this request saw: routing must read it or a later one (read-your-writes
      // for a configuration change acknowledged just before), never an older cached copy.
      const metadata = { ...this.context.metadata(workspaceSid, accountSid), workflowVersion: workflow.version };
      return { appends: [appendTo(task, events, metadata)], result: undefined };
    });
    return taskSid;
  }

  /** AssignmentStatus (canceled, wrapping, completed), Reason, Attributes, Priority; If-Match guards the version. */
  async update(accountSid: string, workspaceSid: string, taskSid: string, form: FormReader, ifMatch?: string): Promise<void> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    const status = form.oneOf('AssignmentStatus', ['pending', 'reserved', 'assigned', 'canceled', 'wrapping', 'completed'] as const);
    const attributesSource = form.string('Attributes');
    const attributes = attributesSource === undefined ? undefined : parseAttributes(attributesSource, 'Attributes');
    const priority = form.integer('Priority', 0, MAX_PRIORITY);
    const reason = form.string('Reason') ?? null;
    if (status !== undefined && attributes !== undefined) {
      throw badRequest('Update AssignmentStatus and Attributes in two requests, as TaskRouter requires');
    }
    if (status === 'pending' || status === 'reserved' || status === 'assigned') {
      throw badRequest(`AssignmentStatus can be set to canceled, wrapping or completed; '${status}' is set by TaskRouter itself`);
    }
    // An app that answered its callback `accept` and completes right after is decided on the accepted task.
    await this.context.instructions.settled(taskSid);
    await this.context.decide(async () => {
      const [workspace, task] = await Promise.all([this.context.aggregates.load('workspace', workspaceSid), this.context.aggregates.load('task', taskSid)]);
      if (!task.state.exists || task.state.workspaceSid !== workspaceSid) throw new DomainError('not-found', 'The requested Task was not found');
      checkIfMatch(ifMatch, task.version);
      const metadata = this.context.metadata(workspaceSid, accountSid);
      const now = this.context.clock();
      if (status === 'wrapping') {
        return { appends: [appendTo(task, decideTask({ type: 'WrapUpTask', reason }, task.state, workspace.state, now), metadata)], result: undefined };
      }
      if (status === 'completed' || status === 'canceled') {
        const reservation = liveReservation(task.state);
        const worker = reservation ? await this.context.aggregates.load('worker', reservation.workerSid) : null;
        const decided: TaskAndWorkerEvents = status === 'completed'
          ? completeTask(reason, task.state, worker?.state ?? null, now)
          : cancelTask(reason, 'api', task.state, worker?.state ?? null, now);
        return { appends: taskAndWorkerAppends(task, worker, decided, metadata), result: undefined };
      }
      const events = decideTask({ type: 'UpdateTaskAttributes', attributes, priority }, task.state, workspace.state, now);
      if (attributes === undefined) return { appends: [appendTo(task, events, metadata)], result: undefined };
      // New attributes send the task through its workflow again: by the version this request sees.
      const workflow = await this.context.aggregates.load('workflow', task.state.workflowSid);
      return { appends: [appendTo(task, events, { ...metadata, workflowVersion: workflow.version })], result: undefined };
    });
  }
}
