import { Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { notFound, renderTaskQueue, renderWorkflow, type TaskQueueView } from '@taskrouter/contract';
import type { WorkerFacts } from '@taskrouter/expression';
import { QueueMembership } from '@taskrouter/runtime';
import { ExpressionFilterRateLimit } from '../http/expression-filter-rate-limit';
import { workerFactsFromParameter, workerFactsOfView } from './expression-filters';
import { BasicAuthGuard } from '../http/basic-auth.guard';
import { accountOf, baseUrlOf, formOf, listPage, queryOf, type ApiRequest } from '../http/request-helpers';
import { IngestContext } from '../ingest-context';
import { TaskQueueCommands } from './task-queue-commands';
import { WorkflowCommands } from './workflow-commands';

/** TaskQueues and Workflows: the routing configuration of a workspace. */
@Controller('v1/Workspaces/:workspaceSid')
@UseGuards(BasicAuthGuard)
export class ConfigurationController {
  constructor(
    private readonly queues: TaskQueueCommands,
    private readonly workflows: WorkflowCommands,
    private readonly context: IngestContext,
    private readonly rateLimit: ExpressionFilterRateLimit,
  ) {}

  @Post('TaskQueues')
  @HttpCode(201)
  async createQueue(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const sid = await this.queues.create(accountOf(request), workspaceSid, formOf(request));
    return this.fetchQueue(request, workspaceSid, sid);
  }

  @Get('TaskQueues')
  async listQueues(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const query = queryOf(request);
    const friendlyName = query.string('FriendlyName');
    const evaluateWorkerAttributes = query.string('EvaluateWorkerAttributes');
    const workerSid = query.string('WorkerSid');
    const render = (view: TaskQueueView) => renderTaskQueue(view, baseUrlOf(request));
    const echo = { FriendlyName: friendlyName, EvaluateWorkerAttributes: evaluateWorkerAttributes, WorkerSid: workerSid };
    if (evaluateWorkerAttributes === undefined && workerSid === undefined) {
      return listPage(request, 'task_queues', (slice) => this.context.queries.taskQueues(workspaceSid, { friendlyName }, slice), render, echo);
    }
    let worker: WorkerFacts;
    if (evaluateWorkerAttributes !== undefined) {
      this.rateLimit.take(accountOf(request), 'EvaluateWorkerAttributes');
      worker = workerFactsFromParameter(evaluateWorkerAttributes);
    } else {
      const view = await this.context.queries.worker(workspaceSid, workerSid!);
      if (!view) throw notFound('The requested Worker was not found');
      worker = workerFactsOfView(view);
    }
    // "TaskQueues that would distribute tasks to a worker with these attributes"
    const member = new Set(await new QueueMembership(this.context.queries).queuesOf(workspaceSid, worker));
    const queues = (await this.context.queries.taskQueues(workspaceSid, { friendlyName }, { offset: 0, limit: 5_000 })).filter((q) => member.has(q.sid));
    return listPage(request, 'task_queues', async (slice) => queues.slice(slice.offset, slice.offset + slice.limit), render, echo);
  }

  @Get('TaskQueues/:sid')
  async fetchQueue(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const view = await this.context.queries.taskQueue(workspaceSid, sid);
    if (!view) throw notFound('The requested TaskQueue was not found');
    return renderTaskQueue(view, baseUrlOf(request));
  }

  @Post('TaskQueues/:sid')
  @HttpCode(200)
  async updateQueue(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.queues.update(accountOf(request), workspaceSid, sid, formOf(request));
    return this.fetchQueue(request, workspaceSid, sid);
  }

  @Delete('TaskQueues/:sid')
  @HttpCode(204)
  async deleteQueue(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.queues.delete(accountOf(request), workspaceSid, sid);
  }

  @Post('Workflows')
  @HttpCode(201)
  async createWorkflow(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const sid = await this.workflows.create(accountOf(request), workspaceSid, formOf(request));
    return this.fetchWorkflow(request, workspaceSid, sid);
  }

  @Get('Workflows')
  async listWorkflows(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const friendlyName = queryOf(request).string('FriendlyName');
    return listPage(request, 'workflows', (slice) => this.context.queries.workflows(workspaceSid, { friendlyName }, slice),
      (view) => renderWorkflow(view, baseUrlOf(request)), { FriendlyName: friendlyName });
  }

  @Get('Workflows/:sid')
  async fetchWorkflow(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const view = await this.context.queries.workflow(workspaceSid, sid);
    if (!view) throw notFound('The requested Workflow was not found');
    return renderWorkflow(view, baseUrlOf(request));
  }

  @Post('Workflows/:sid')
  @HttpCode(200)
  async updateWorkflow(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.workflows.update(accountOf(request), workspaceSid, sid, formOf(request));
    return this.fetchWorkflow(request, workspaceSid, sid);
  }

  @Delete('Workflows/:sid')
  @HttpCode(204)
  async deleteWorkflow(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.workflows.delete(accountOf(request), workspaceSid, sid);
  }
}
