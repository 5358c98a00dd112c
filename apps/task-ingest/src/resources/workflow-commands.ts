import { Injectable } from '@nestjs/common';
import { FormReader, conflict } from '@taskrouter/contract';
import { decideWorkflow, MAX_TASK_RESERVATION_TIMEOUT, type WorkflowCommand } from '@taskrouter/domain';
import { appendTo } from '@taskrouter/runtime';
import { IngestContext } from '../ingest-context';
import { outgoingUrlParameter } from './outgoing-url-parameter';

export const MAX_WORKFLOWS = 1_000;

@Injectable()
export class WorkflowCommands {
  constructor(private readonly context: IngestContext) {}

  async create(accountSid: string, workspaceSid: string, form: FormReader): Promise<string> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    const existing = await this.context.queries.workflows(workspaceSid, {}, { offset: 0, limit: MAX_WORKFLOWS });
    if (existing.length >= MAX_WORKFLOWS) throw conflict(`A Workspace has at most ${MAX_WORKFLOWS} Workflows`);
    const workflowSid = this.context.newSid('WW');
    await this.execute(accountSid, workspaceSid, workflowSid, {
      type: 'CreateWorkflow', workflowSid, friendlyName: form.requiredString('FriendlyName'), configuration: form.requiredString('Configuration'),
      taskReservationTimeout: form.integer('TaskReservationTimeout', 1, MAX_TASK_RESERVATION_TIMEOUT),
      assignmentCallbackUrl: this.callbackUrl(form, 'AssignmentCallbackUrl'), fallbackAssignmentCallbackUrl: this.callbackUrl(form, 'FallbackAssignmentCallbackUrl'),
    });
    return workflowSid;
  }

  async update(accountSid: string, workspaceSid: string, workflowSid: string, form: FormReader): Promise<void> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    await this.execute(accountSid, workspaceSid, workflowSid, {
      type: 'UpdateWorkflow',
      changes: {
        friendlyName: form.string('FriendlyName'), configuration: form.string('Configuration'),
        taskReservationTimeout: form.integer('TaskReservationTimeout', 1, MAX_TASK_RESERVATION_TIMEOUT),
        assignmentCallbackUrl: this.callbackUrl(form, 'AssignmentCallbackUrl'), fallbackAssignmentCallbackUrl: this.callbackUrl(form, 'FallbackAssignmentCallbackUrl'),
      },
      reEvaluateTasks: form.boolean('ReEvaluateTasks') ?? false,
    });
  }

  async delete(accountSid: string, workspaceSid: string, workflowSid: string): Promise<void> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    await this.execute(accountSid, workspaceSid, workflowSid, { type: 'DeleteWorkflow' });
  }

  private callbackUrl(form: FormReader, name: string): string | undefined {
    return outgoingUrlParameter(form, name, this.context.outgoingUrls);
  }

  private execute(accountSid: string, workspaceSid: string, workflowSid: string, command: WorkflowCommand): Promise<void> {
    return this.context.decide(async () => {
      const [workspace, workflow, queueSids] = await Promise.all([
        this.context.aggregates.load('workspace', workspaceSid), this.context.aggregates.load('workflow', workflowSid),
        this.context.queries.taskQueueSids(workspaceSid),
      ]);
      const state = command.type === 'CreateWorkflow' || workflow.state.workspaceSid === workspaceSid ? workflow.state : { ...workflow.state, exists: false };
      const events = decideWorkflow(command, state, workspace.state, queueSids, this.context.clock());
      return { appends: [appendTo(workflow, events, this.context.metadata(workspaceSid, accountSid))], result: undefined };
    });
  }
}
