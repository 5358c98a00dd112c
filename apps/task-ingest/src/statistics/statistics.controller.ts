import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import {
  bulkQueueSids, notFound, renderBulkQueueRealTime, renderQueueCumulative, renderQueueRealTime, renderQueueStatistics, renderWorkerStatistics,
  renderWorkersCumulative, renderWorkersCumulativeFigures, renderWorkersRealTime, renderWorkersStatistics, renderWorkflowCumulative,
  renderWorkflowRealTime, renderWorkflowStatistics, renderWorkspaceCumulative, renderWorkspaceRealTime, renderWorkspaceStatistics,
  type TaskQueueView,
} from '@taskrouter/contract';
import { BasicAuthGuard } from '../http/basic-auth.guard';
import { accountOf, baseUrlOf, listPage, queryOf, type ApiRequest } from '../http/request-helpers';
import { IngestContext } from '../ingest-context';
import { BulkQueueStatisticsRateLimit } from './bulk-queue-statistics-rate-limit';
import { jsonBodyOf } from './json-statistics-body';
import { StatisticsService, type CumulativeRequest } from './statistics-service';

/**
 * TaskRouter's Statistics resources (docs/api-coverage.md, "Statistics"). Registered before the
 * other controllers: `TaskQueues/Statistics` and `Workers/Statistics` are literal paths that
 * `TaskQueues/:sid` and `Workers/:sid` would otherwise take.
 */
@Controller('v1/Workspaces/:workspaceSid')
@UseGuards(BasicAuthGuard)
export class StatisticsController {
  constructor(
    private readonly context: IngestContext,
    private readonly statistics: StatisticsService,
    private readonly bulkRateLimit: BulkQueueStatisticsRateLimit,
  ) {}

  private async owner(request: ApiRequest, workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    return { accountSid: accountOf(request), workspaceSid };
  }

  // Workspace

  @Get('Statistics')
  async workspace(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, queryOf(request), { split: true });
    const [realtime, figures] = await Promise.all([this.workspaceRealTimeBody(owner, cumulative.channel, request, false), this.statistics.cumulative(workspaceSid, 'workspace', cumulative, [workspaceSid])]);
    return renderWorkspaceStatistics(owner, realtime, renderWorkspaceCumulative(owner, figures.get(workspaceSid)!, baseUrlOf(request), false), baseUrlOf(request));
  }

  @Get('RealTimeStatistics')
  async workspaceRealTime(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const owner = await this.owner(request, workspaceSid);
    return this.workspaceRealTimeBody(owner, await this.statistics.channelOf(workspaceSid, queryOf(request)), request, true);
  }

  private async workspaceRealTimeBody(owner: { accountSid: string; workspaceSid: string }, channel: string | undefined, request: ApiRequest, withIds: boolean) {
    const [tasks, workers] = await Promise.all([this.statistics.tasks(owner.workspaceSid, { channel }), this.statistics.workers(owner.workspaceSid, channel)]);
    return renderWorkspaceRealTime(owner, tasks, workers, baseUrlOf(request), withIds);
  }

  @Get('CumulativeStatistics')
  async workspaceCumulative(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, queryOf(request), { split: true });
    const figures = await this.statistics.cumulative(workspaceSid, 'workspace', cumulative, [workspaceSid]);
    return renderWorkspaceCumulative(owner, figures.get(workspaceSid)!, baseUrlOf(request));
  }

  // TaskQueues

  @Get('TaskQueues/Statistics')
  async queueList(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const query = queryOf(request);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, query, { split: true });
    const friendlyName = query.string('FriendlyName');
    const echo = {
      FriendlyName: friendlyName, StartDate: query.string('StartDate'), EndDate: query.string('EndDate'), Minutes: query.string('Minutes'),
      TaskChannel: query.string('TaskChannel'), SplitByWaitTime: query.string('SplitByWaitTime'),
    };
    return listPage(request, 'task_queues_statistics', async (slice) => {
      const queues = await this.context.queries.taskQueues(workspaceSid, { friendlyName }, slice);
      return this.queueBodies(owner, queues, cumulative, request, false);
    }, (body) => body, echo);
  }

  /** One statistics body per queue, every figure read once for all of them. */
  private async queueBodies(owner: { accountSid: string; workspaceSid: string }, queues: readonly TaskQueueView[], cumulative: CumulativeRequest, request: ApiRequest, withUrl: boolean) {
    if (queues.length === 0) return [];
    const sids = queues.map((q) => q.sid);
    const [tasks, workers, figures] = await Promise.all([
      this.statistics.queueTasks(owner.workspaceSid, sids, cumulative.channel),
      this.statistics.queueWorkers(owner.workspaceSid, queues, cumulative.channel),
      this.statistics.cumulative(owner.workspaceSid, 'queue', cumulative, sids),
    ]);
    const base = baseUrlOf(request);
    return sids.map((sid) => renderQueueStatistics(owner, sid, renderQueueRealTime(owner, sid, tasks.get(sid)!, workers.get(sid)!.figures, base, false),
      renderQueueCumulative(owner, sid, figures.get(sid)!, base, false), withUrl ? base : null));
  }

  @Post('TaskQueues/RealTimeStatistics')
  @HttpCode(200)
  async queueBulkRealTime(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const owner = await this.owner(request, workspaceSid);
    // Every authenticated request counts, those refused for their body too.
    this.bulkRateLimit.takeFor(owner.accountSid);
    const sids = bulkQueueSids(jsonBodyOf(request) ?? request.body);
    const channel = await this.statistics.channelOf(workspaceSid, queryOf(request));
    const known = new Map((await this.context.queries.taskQueuesBySid(workspaceSid, sids)).map((q) => [q.sid, q]));
    // "Valid SIDs not in the account are included with zero values": such a queue has no tasks and no TargetWorkers.
    const queues = sids.map((sid) => known.get(sid) ?? { sid, targetWorkers: null });
    const [tasks, workers] = await Promise.all([this.statistics.queueTasks(workspaceSid, sids, channel), this.statistics.queueWorkers(workspaceSid, queues, channel)]);
    return renderBulkQueueRealTime(owner, sids.map((sid) => ({ sid, tasks: tasks.get(sid)!, workers: workers.get(sid)!.figures })), baseUrlOf(request));
  }

  @Get('TaskQueues/:queueSid/Statistics')
  async queue(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('queueSid') queueSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, queryOf(request), { split: true });
    const queue = await this.statistics.queueOf(workspaceSid, queueSid);
    const [body] = await this.queueBodies(owner, [queue], cumulative, request, true);
    return body;
  }

  @Get('TaskQueues/:queueSid/RealTimeStatistics')
  async queueRealTime(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('queueSid') queueSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const channel = await this.statistics.channelOf(workspaceSid, queryOf(request));
    const queue = await this.statistics.queueOf(workspaceSid, queueSid);
    const [tasks, workers] = await Promise.all([this.statistics.queueTasks(workspaceSid, [queueSid], channel), this.statistics.queueWorkers(workspaceSid, [queue], channel)]);
    return renderQueueRealTime(owner, queueSid, tasks.get(queueSid)!, workers.get(queueSid)!.figures, baseUrlOf(request));
  }

  @Get('TaskQueues/:queueSid/CumulativeStatistics')
  async queueCumulative(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('queueSid') queueSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, queryOf(request), { split: true });
    await this.statistics.queueOf(workspaceSid, queueSid);
    const figures = await this.statistics.cumulative(workspaceSid, 'queue', cumulative, [queueSid]);
    return renderQueueCumulative(owner, queueSid, figures.get(queueSid)!, baseUrlOf(request));
  }

  // Workers

  @Get('Workers/Statistics')
  async workers(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const query = queryOf(request);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, query, { split: false });
    const workerSids = await this.workerSubset(workspaceSid, query.sid('TaskQueueSid', 'WQ'), query.string('TaskQueueName'), query.string('FriendlyName'), cumulative.channel);
    const [realtime, figures] = await Promise.all([
      this.statistics.workers(workspaceSid, cumulative.channel, workerSids), this.statistics.workersCumulative(workspaceSid, cumulative, workerSids),
    ]);
    return renderWorkersStatistics(owner, renderWorkersRealTime(owner, realtime, baseUrlOf(request), false), renderWorkersCumulativeFigures(figures), baseUrlOf(request));
  }

  /** `TaskQueueSid`/`TaskQueueName`: the queue's eligible workers; `FriendlyName`: the worker of that name. Undefined: every worker. */
  private async workerSubset(workspaceSid: string, queueSid: string | undefined, queueName: string | undefined, friendlyName: string | undefined, channel?: string) {
    let sids: string[] | undefined;
    if (queueSid !== undefined || (queueName !== undefined && queueName !== '')) {
      // By SID, else the first queue (oldest) of that name.
      const queue = queueSid
        ? await this.context.queries.taskQueue(workspaceSid, queueSid)
        : (await this.context.queries.taskQueues(workspaceSid, { friendlyName: queueName }, { offset: 0, limit: 1 }))[0];
      if (!queue) throw notFound('The requested TaskQueue was not found');
      sids = (await this.statistics.queueWorkers(workspaceSid, [queue], channel)).get(queue.sid)!.sids;
    }
    if (friendlyName !== undefined && friendlyName !== '') {
      const named = (await this.context.queries.workers(workspaceSid, { friendlyName }, { offset: 0, limit: 2 })).map((w) => w.sid);
      sids = sids ? sids.filter((sid) => named.includes(sid)) : named;
    }
    return sids;
  }

  @Get('Workers/RealTimeStatistics')
  async workersRealTime(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const workers = await this.statistics.workers(workspaceSid, await this.statistics.channelOf(workspaceSid, queryOf(request)));
    return renderWorkersRealTime(owner, workers, baseUrlOf(request));
  }

  @Get('Workers/CumulativeStatistics')
  async workersCumulative(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, queryOf(request), { split: false });
    return renderWorkersCumulative(owner, await this.statistics.workersCumulative(workspaceSid, cumulative), baseUrlOf(request));
  }

  @Get('Workers/:workerSid/Statistics')
  async worker(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workerSid') workerSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, queryOf(request), { split: false });
    if (!(await this.context.queries.worker(workspaceSid, workerSid))) throw notFound('The requested Worker was not found');
    const figures = await this.statistics.workersCumulative(workspaceSid, cumulative, [workerSid]);
    return renderWorkerStatistics(owner, workerSid, renderWorkersCumulativeFigures(figures), baseUrlOf(request));
  }

  // Workflows

  @Get('Workflows/:workflowSid/Statistics')
  async workflow(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workflowSid') workflowSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, queryOf(request), { split: true });
    await this.workflowOf(workspaceSid, workflowSid);
    const [tasks, figures] = await Promise.all([
      this.statistics.tasks(workspaceSid, { workflowSid, channel: cumulative.channel }), this.statistics.cumulative(workspaceSid, 'workflow', cumulative, [workflowSid]),
    ]);
    const base = baseUrlOf(request);
    return renderWorkflowStatistics(owner, workflowSid, renderWorkflowRealTime(owner, workflowSid, tasks, base, false),
      renderWorkflowCumulative(owner, workflowSid, figures.get(workflowSid)!, base, false), base);
  }

  @Get('Workflows/:workflowSid/RealTimeStatistics')
  async workflowRealTime(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workflowSid') workflowSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const channel = await this.statistics.channelOf(workspaceSid, queryOf(request));
    await this.workflowOf(workspaceSid, workflowSid);
    return renderWorkflowRealTime(owner, workflowSid, await this.statistics.tasks(workspaceSid, { workflowSid, channel }), baseUrlOf(request));
  }

  @Get('Workflows/:workflowSid/CumulativeStatistics')
  async workflowCumulative(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workflowSid') workflowSid: string) {
    const owner = await this.owner(request, workspaceSid);
    const cumulative = await this.statistics.cumulativeRequest(workspaceSid, queryOf(request), { split: true });
    await this.workflowOf(workspaceSid, workflowSid);
    const figures = await this.statistics.cumulative(workspaceSid, 'workflow', cumulative, [workflowSid]);
    return renderWorkflowCumulative(owner, workflowSid, figures.get(workflowSid)!, baseUrlOf(request));
  }

  private async workflowOf(workspaceSid: string, workflowSid: string): Promise<void> {
    if (!(await this.context.queries.workflow(workspaceSid, workflowSid))) throw notFound('The requested Workflow was not found');
  }
}
