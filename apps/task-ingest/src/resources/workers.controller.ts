import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { notFound, renderReservation, renderWorker, renderWorkerChannel, type WorkerView } from '@taskrouter/contract';
import { compileExpression, type WorkerFacts } from '@taskrouter/expression';
import { ExpressionFilterRateLimit } from '../http/expression-filter-rate-limit';
import { filterExpression, workerFactsOfView } from './expression-filters';
import { MAX_WORKERS } from './worker-commands';
import type { Response } from 'express';
import { BasicAuthGuard } from '../http/basic-auth.guard';
import { accountOf, baseUrlOf, formOf, listPage, queryOf, type ApiRequest } from '../http/request-helpers';
import { IngestContext } from '../ingest-context';
import { etagOf } from './if-match';
import { ReservationCommands } from './reservation-commands';
import { WorkerCommands } from './worker-commands';

@Controller('v1/Workspaces/:workspaceSid/Workers')
@UseGuards(BasicAuthGuard)
export class WorkersController {
  constructor(
    private readonly workers: WorkerCommands,
    private readonly reservations: ReservationCommands,
    private readonly context: IngestContext,
    private readonly rateLimit: ExpressionFilterRateLimit,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Req() request: ApiRequest, @Res({ passthrough: true }) response: Response, @Param('workspaceSid') workspaceSid: string) {
    const sid = await this.workers.create(accountOf(request), workspaceSid, formOf(request));
    return this.fetch(request, response, workspaceSid, sid);
  }

  @Get()
  async list(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const query = queryOf(request);
    const filter = {
      friendlyName: query.string('FriendlyName'), activitySid: query.string('ActivitySid'), activityName: query.string('ActivityName'), available: query.boolean('Available'),
    };
    const expressionSource = query.string('TargetWorkersExpression');
    const queueSid = query.string('TaskQueueSid');
    const queueName = query.string('TaskQueueName');
    const echo = {
      FriendlyName: filter.friendlyName, ActivitySid: filter.activitySid, ActivityName: filter.activityName, Available: query.string('Available'),
      TargetWorkersExpression: expressionSource, TaskQueueSid: queueSid, TaskQueueName: queueName,
    };
    const render = (view: WorkerView) => renderWorker(view, baseUrlOf(request), { withAttributes: false });
    if (expressionSource === undefined && queueSid === undefined && queueName === undefined) {
      return listPage(request, 'workers', (slice) => this.context.queries.workers(workspaceSid, filter, slice), render, echo);
    }
    if (expressionSource !== undefined) this.rateLimit.take(accountOf(request), 'TargetWorkersExpression');
    const expression = expressionSource !== undefined ? filterExpression(expressionSource, 'TargetWorkersExpression') : undefined;
    const inQueue = queueSid !== undefined || queueName !== undefined ? await this.queueMembershipTest(workspaceSid, queueSid, queueName) : () => true;
    const all = await this.context.queries.workers(workspaceSid, filter, { offset: 0, limit: MAX_WORKERS });
    const matching = all.filter((view) => {
      const worker = workerFactsOfView(view);
      return (!expression || expression.evaluate({ worker })) && inQueue(worker);
    });
    return listPage(request, 'workers', async (slice) => matching.slice(slice.offset, slice.offset + slice.limit), render, echo);
  }

  /** "Workers eligible for this queue": its target_workers; a queue without one has none. */
  private async queueMembershipTest(workspaceSid: string, sid: string | undefined, name: string | undefined): Promise<(worker: WorkerFacts) => boolean> {
    const queues = await this.context.queries.taskQueues(workspaceSid, { friendlyName: sid ? undefined : name }, { offset: 0, limit: 5_000 });
    const queue = queues.find((q) => (sid ? q.sid === sid : q.friendlyName === name));
    if (!queue) throw notFound('The requested TaskQueue was not found');
    if (!queue.targetWorkers || queue.targetWorkers.trim() === '') return () => false;
    const targetWorkers = compileExpression(queue.targetWorkers, { bareKeys: 'worker' });
    return (worker) => targetWorkers.evaluate({ worker });
  }

  /** A list under a worker answers 404 when the worker does not exist, as its fetch does. */
  private async existingWorker(workspaceSid: string, workerSid: string): Promise<void> {
    if (!(await this.context.queries.worker(workspaceSid, workerSid))) throw notFound('The requested Worker was not found');
  }

  @Get(':sid')
  async fetch(@Req() request: ApiRequest, @Res({ passthrough: true }) response: Response, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const view = await this.context.queries.worker(workspaceSid, sid);
    if (!view) throw notFound('The requested Worker was not found');
    response.setHeader('ETag', etagOf(view.version));
    return renderWorker(view, baseUrlOf(request), { withAttributes: true });
  }

  @Post(':sid')
  @HttpCode(200)
  async update(@Req() request: ApiRequest, @Res({ passthrough: true }) response: Response, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string, @Headers('if-match') ifMatch?: string) {
    await this.workers.update(accountOf(request), workspaceSid, sid, formOf(request), ifMatch);
    return this.fetch(request, response, workspaceSid, sid);
  }

  @Delete(':sid')
  @HttpCode(204)
  async delete(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string, @Headers('if-match') ifMatch?: string) {
    await this.workers.delete(accountOf(request), workspaceSid, sid, ifMatch);
  }

  @Get(':workerSid/Channels')
  async listChannels(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workerSid') workerSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    await this.existingWorker(workspaceSid, workerSid);
    return listPage(request, 'channels', async (slice) => (await this.context.queries.workerChannels(workspaceSid, workerSid)).slice(slice.offset, slice.offset + slice.limit),
      (view) => renderWorkerChannel(view, baseUrlOf(request)));
  }

  @Get(':workerSid/Channels/:sid')
  async fetchChannel(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workerSid') workerSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const view = (await this.context.queries.workerChannels(workspaceSid, workerSid)).find((c) => c.sid === sid || c.taskChannelUniqueName === sid);
    if (!view) throw notFound('The requested WorkerChannel was not found');
    return renderWorkerChannel(view, baseUrlOf(request));
  }

  @Post(':workerSid/Channels/:sid')
  @HttpCode(200)
  async updateChannel(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workerSid') workerSid: string, @Param('sid') sid: string) {
    await this.workers.updateChannel(accountOf(request), workspaceSid, workerSid, sid, formOf(request));
    return this.fetchChannel(request, workspaceSid, workerSid, sid);
  }

  @Get(':workerSid/Reservations')
  async listReservations(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workerSid') workerSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    await this.existingWorker(workspaceSid, workerSid);
    const status = queryOf(request).string('ReservationStatus');
    return listPage(request, 'reservations', (slice) => this.context.queries.reservations(workspaceSid, { workerSid, status }, slice),
      (view) => renderReservation(view, baseUrlOf(request), 'worker'), { ReservationStatus: status });
  }

  @Get(':workerSid/Reservations/:sid')
  async fetchReservation(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workerSid') workerSid: string, @Param('sid') sid: string) {
    return renderReservation(await this.reservations.find(accountOf(request), workspaceSid, sid, { workerSid }), baseUrlOf(request), 'worker');
  }

  @Post(':workerSid/Reservations/:sid')
  @HttpCode(200)
  async updateReservation(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('workerSid') workerSid: string, @Param('sid') sid: string, @Headers('if-match') ifMatch?: string) {
    await this.reservations.update(accountOf(request), workspaceSid, sid, { workerSid }, formOf(request), ifMatch);
    return this.fetchReservation(request, workspaceSid, workerSid, sid);
  }
}
