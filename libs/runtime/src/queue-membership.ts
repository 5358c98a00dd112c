import { compileExpression, type CompiledExpression, type WorkerFacts } from '@taskrouter/expression';
import type { ReadModelQueries } from '@taskrouter/read-model';

interface CompiledQueue { readonly queueSid: string; readonly targetWorkers: CompiledExpression | null }

/**
 * Which TaskQueues a worker belongs to: those whose `target_workers` it matches. A queue
 * without target_workers holds its tasks until they move ("wait in the queue until deleted or
 * moved"), so nobody belongs to it. Compiled queues are cached per workspace until a queue changes.
 */
export class QueueMembership {
  private readonly workspaces = new Map<string, Promise<CompiledQueue[]>>();

  constructor(private readonly queries: ReadModelQueries) {}

  async queuesOf(workspaceSid: string, worker: WorkerFacts): Promise<string[]> {
    const queues = await this.compiledQueues(workspaceSid);
    return queues.filter((queue) => queue.targetWorkers?.evaluate({ worker }) === true).map((queue) => queue.queueSid);
  }

  /** A queue was created, changed or deleted: compile the workspace's queues again on next use. */
  forget(workspaceSid: string): void {
    this.workspaces.delete(workspaceSid);
  }

  private compiledQueues(workspaceSid: string): Promise<CompiledQueue[]> {
    let queues = this.workspaces.get(workspaceSid);
    if (!queues) {
      queues = this.load(workspaceSid);
      this.workspaces.set(workspaceSid, queues);
      queues.catch(() => this.workspaces.delete(workspaceSid));
    }
    return queues;
  }

  private async load(workspaceSid: string): Promise<CompiledQueue[]> {
    const views = await this.queries.taskQueues(workspaceSid, {}, { offset: 0, limit: 100_000 });
    return views.map((view) => ({
      queueSid: view.sid,
      // Stored expressions were validated when written; a blank one qualifies nobody.
      targetWorkers: view.targetWorkers && view.targetWorkers.trim() !== '' ? compileExpression(view.targetWorkers, { bareKeys: 'worker' }) : null,
    }));
  }
}
