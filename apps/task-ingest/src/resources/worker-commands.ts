import { Injectable } from '@nestjs/common';
import { FormReader, conflict } from '@taskrouter/contract';
import { decideWorker, parseAttributes, type WorkerCommand } from '@taskrouter/domain';
import { appendTo } from '@taskrouter/runtime';
import { IngestContext } from '../ingest-context';
import { checkIfMatch } from './if-match';

export const MAX_WORKERS = 15_000;

@Injectable()
export class WorkerCommands {
  constructor(private readonly context: IngestContext) {}

  async create(accountSid: string, workspaceSid: string, form: FormReader): Promise<string> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    const friendlyName = form.requiredString('FriendlyName');
    const attributes = parseAttributes(form.string('Attributes') ?? '{}', 'Attributes');
    const activitySid = form.sid('ActivitySid', 'WA');
    if (await this.context.queries.workerFriendlyNameTaken(workspaceSid, friendlyName)) {
      throw conflict(`A Worker named '${friendlyName}' already exists in this Workspace (friendly names are case-insensitive)`);
    }
    const workerSid = this.context.newSid('WK');
    await this.execute(accountSid, workspaceSid, workerSid, undefined, { type: 'CreateWorker', workerSid, friendlyName, attributes, activitySid, newSid: this.context.newSid });
    return workerSid;
  }

  async update(accountSid: string, workspaceSid: string, workerSid: string, form: FormReader, ifMatch?: string): Promise<void> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    const attributesSource = form.string('Attributes');
    const friendlyName = form.string('FriendlyName');
    if (friendlyName !== undefined && (await this.context.queries.workerFriendlyNameTaken(workspaceSid, friendlyName, workerSid))) {
      throw conflict(`A Worker named '${friendlyName}' already exists in this Workspace`);
    }
    await this.execute(accountSid, workspaceSid, workerSid, ifMatch, {
      type: 'UpdateWorker', friendlyName, activitySid: form.sid('ActivitySid', 'WA'),
      attributes: attributesSource === undefined ? undefined : parseAttributes(attributesSource, 'Attributes'),
    });
  }

  async updateChannel(accountSid: string, workspaceSid: string, workerSid: string, channel: string, form: FormReader): Promise<void> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    await this.execute(accountSid, workspaceSid, workerSid, undefined, {
      type: 'UpdateWorkerChannel', channel, capacity: form.integer('Capacity', 0, 50), available: form.boolean('Available'),
    });
  }

  async delete(accountSid: string, workspaceSid: string, workerSid: string, ifMatch?: string): Promise<void> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    await this.execute(accountSid, workspaceSid, workerSid, ifMatch, { type: 'DeleteWorker' });
  }

  private execute(accountSid: string, workspaceSid: string, workerSid: string, ifMatch: string | undefined, command: WorkerCommand): Promise<void> {
    return this.context.decide(async () => {
      const [workspace, worker] = await Promise.all([this.context.aggregates.load('workspace', workspaceSid), this.context.aggregates.load('worker', workerSid)]);
      const state = command.type === 'CreateWorker' || worker.state.workspaceSid === workspaceSid ? worker.state : { ...worker.state, exists: false };
      if (state.exists) checkIfMatch(ifMatch, worker.version);
      const events = decideWorker(command, state, workspace.state, this.context.clock());
      return { appends: [appendTo(worker, events, this.context.metadata(workspaceSid, accountSid))], result: undefined };
    });
  }
}
