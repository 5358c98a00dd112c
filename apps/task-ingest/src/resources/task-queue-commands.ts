import { Injectable } from '@nestjs/common';
import { FormReader, conflict } from '@taskrouter/contract';
import { decideTaskQueue, MAX_RESERVED_WORKERS, type TaskQueueCommand } from '@taskrouter/domain';
import { appendTo } from '@taskrouter/runtime';
import { IngestContext } from '../ingest-context';

export const MAX_TASK_QUEUES = 5_000;

@Injectable()
export class TaskQueueCommands {
  constructor(private readonly context: IngestContext) {}

  async create(accountSid: string, workspaceSid: string, form: FormReader): Promise<string> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    if ((await this.context.queries.taskQueueSids(workspaceSid)).size >= MAX_TASK_QUEUES) throw conflict(`A Workspace has at most ${MAX_TASK_QUEUES} TaskQueues`);
    const taskQueueSid = this.context.newSid('WQ');
    await this.execute(accountSid, workspaceSid, taskQueueSid, {
      type: 'CreateTaskQueue', taskQueueSid, friendlyName: form.requiredString('FriendlyName'), targetWorkers: form.string('TargetWorkers'),
      maxReservedWorkers: form.integer('MaxReservedWorkers', 1, MAX_RESERVED_WORKERS), taskOrder: form.oneOf('TaskOrder', ['FIFO', 'LIFO'] as const),
      reservationActivitySid: form.sid('ReservationActivitySid', 'WA'), assignmentActivitySid: form.sid('AssignmentActivitySid', 'WA'),
    });
    return taskQueueSid;
  }

  async update(accountSid: string, workspaceSid: string, taskQueueSid: string, form: FormReader): Promise<void> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    await this.execute(accountSid, workspaceSid, taskQueueSid, {
      type: 'UpdateTaskQueue',
      changes: {
        friendlyName: form.string('FriendlyName'), targetWorkers: form.string('TargetWorkers'),
        maxReservedWorkers: form.integer('MaxReservedWorkers', 1, MAX_RESERVED_WORKERS), taskOrder: form.oneOf('TaskOrder', ['FIFO', 'LIFO'] as const),
        reservationActivitySid: form.sid('ReservationActivitySid', 'WA'), assignmentActivitySid: form.sid('AssignmentActivitySid', 'WA'),
      },
    });
  }

  async delete(accountSid: string, workspaceSid: string, taskQueueSid: string): Promise<void> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    await this.execute(accountSid, workspaceSid, taskQueueSid, { type: 'DeleteTaskQueue' });
  }

  private execute(accountSid: string, workspaceSid: string, taskQueueSid: string, command: TaskQueueCommand): Promise<void> {
    return this.context.decide(async () => {
      const [workspace, queue] = await Promise.all([
        this.context.aggregates.load('workspace', workspaceSid), this.context.aggregates.load('taskQueue', taskQueueSid),
      ]);
      // A queue of another workspace is, from here, a queue that does not exist.
      const state = command.type === 'CreateTaskQueue' || queue.state.workspaceSid === workspaceSid ? queue.state : { ...queue.state, exists: false };
      const events = decideTaskQueue(command, state, workspace.state, this.context.clock());
      return { appends: [appendTo(queue, events, this.context.metadata(workspaceSid, accountSid))], result: undefined };
    });
  }
}
