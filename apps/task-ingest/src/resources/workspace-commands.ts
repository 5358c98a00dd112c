import { Injectable } from '@nestjs/common';
import { FormReader, notFound, type WorkspaceView } from '@taskrouter/contract';
import { decideWorker, decideWorkspace, evolveWorkspace, type WorkspaceCommand } from '@taskrouter/domain';
import { MAX_WORKERS } from './worker-commands';
import { appendTo } from '@taskrouter/runtime';
import { IngestContext } from '../ingest-context';
import { outgoingUrlParameter } from './outgoing-url-parameter';

/** Workspaces, and the Activities and TaskChannels that live in the workspace's stream. */
@Injectable()
export class WorkspaceCommands {
  constructor(private readonly context: IngestContext) {}

  async create(accountSid: string, form: FormReader): Promise<WorkspaceView> {
    // Every parameter is checked before anything is written.
    form.oneOf('Template', ['NONE', 'FIFO'] as const);
    const workspaceSid = this.context.newSid('WS');
    await this.execute(accountSid, workspaceSid, {
      type: 'CreateWorkspace', workspaceSid, accountSid, friendlyName: form.requiredString('FriendlyName'),
      eventCallbackUrl: this.eventCallbackUrl(form), eventsFilter: form.string('EventsFilter'),
      multiTaskEnabled: form.boolean('MultiTaskEnabled'), prioritizeQueueOrder: form.oneOf('PrioritizeQueueOrder', ['FIFO', 'LIFO'] as const),
      newSid: this.context.newSid,
    });
    return this.view(workspaceSid);
  }

  async update(accountSid: string, workspaceSid: string, form: FormReader): Promise<WorkspaceView> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    await this.execute(accountSid, workspaceSid, {
      type: 'UpdateWorkspace', friendlyName: form.string('FriendlyName'), eventCallbackUrl: this.eventCallbackUrl(form),
      eventsFilter: form.string('EventsFilter'), multiTaskEnabled: form.boolean('MultiTaskEnabled'),
      prioritizeQueueOrder: form.oneOf('PrioritizeQueueOrder', ['FIFO', 'LIFO'] as const),
      defaultActivitySid: form.sid('DefaultActivitySid', 'WA'), timeoutActivitySid: form.sid('TimeoutActivitySid', 'WA'),
    });
    return this.view(workspaceSid);
  }

  async createActivity(accountSid: string, workspaceSid: string, form: FormReader): Promise<string> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    const activitySid = this.context.newSid('WA');
    await this.execute(accountSid, workspaceSid, { type: 'CreateActivity', activitySid, friendlyName: form.requiredString('FriendlyName'), available: form.boolean('Available') ?? false });
    return activitySid;
  }

  /** The new TaskChannel and every existing worker's WorkerChannel for it, in one transaction. */
  async createTaskChannel(accountSid: string, workspaceSid: string, form: FormReader): Promise<string> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    const taskChannelSid = this.context.newSid('TC');
    const command: WorkspaceCommand = {
      type: 'CreateTaskChannel', taskChannelSid, uniqueName: form.requiredString('UniqueName'), friendlyName: form.requiredString('FriendlyName'),
      channelOptimizedRouting: form.boolean('ChannelOptimizedRouting') ?? false,
    };
    const metadata = this.context.metadata(workspaceSid, accountSid);
    await this.context.decide(async () => {
      const workspace = await this.context.aggregates.load('workspace', workspaceSid);
      const events = decideWorkspace(command, workspace.state, this.context.clock());
      const withChannel = events.reduce(evolveWorkspace, workspace.state);
      const workers = await this.context.queries.workers(workspaceSid, {}, { offset: 0, limit: MAX_WORKERS });
      const workerAppends = await Promise.all(workers.map(async (view) => {
        const worker = await this.context.aggregates.load('worker', view.sid);
        const added = decideWorker({ type: 'AddWorkerChannel', uniqueName: command.uniqueName, workerChannelSid: this.context.newSid('WC') }, worker.state, withChannel, this.context.clock());
        return appendTo(worker, added, metadata);
      }));
      return { appends: [appendTo(workspace, events, metadata), ...workerAppends], result: undefined };
    });
    return taskChannelSid;
  }

  private eventCallbackUrl(form: FormReader): string | undefined {
    return outgoingUrlParameter(form, 'EventCallbackUrl', this.context.outgoingUrls);
  }

  private execute(accountSid: string, workspaceSid: string, command: WorkspaceCommand): Promise<void> {
    return this.context.decide(async () => {
      const workspace = await this.context.aggregates.load('workspace', workspaceSid);
      const events = decideWorkspace(command, workspace.state, this.context.clock());
      return { appends: [appendTo(workspace, events, this.context.metadata(workspaceSid, accountSid))], result: undefined };
    });
  }

  private async view(workspaceSid: string): Promise<WorkspaceView> {
    const view = await this.context.queries.workspace(workspaceSid);
    if (!view) throw notFound();
    return view;
  }
}
