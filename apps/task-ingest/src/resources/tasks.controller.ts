import { Controller, Get, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { notFound, renderReservation, renderTask, type TaskView } from '@taskrouter/contract';
import { ExpressionFilterRateLimit } from '../http/expression-filter-rate-limit';
import { filterExpression, taskMatches } from './expression-filters';

/** TaskRouter keeps at most 500,000 tasks per workspace; an attribute filter scans at most this many. */
const MAX_LISTED_TASKS = 500_000;
import type { Response } from 'express';
import { BasicAuthGuard } from '../http/basic-auth.guard';
import { accountOf, baseUrlOf, formOf, listPage, queryOf, type ApiRequest } from '../http/request-helpers';
import { IngestContext } from '../ingest-context';
import { etagOf } from './if-match';
import { readRoutingExplanation } from './routing-explanation-reader';
import { ReservationCommands } from './reservation-commands';
import { TaskCommands } from './task-commands';

@Controller('v1/Workspaces/:workspaceSid/Tasks')
@UseGuards(BasicAuthGuard)
export class TasksController {
  constructor(
    private readonly tasks: TaskCommands,
    private readonly reservations: ReservationCommands,
    private readonly context: IngestContext,
    private readonly rateLimit: ExpressionFilterRateLimit,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Req() request: ApiRequest, @Res({ passthrough: true }) response: Response, @Param('workspaceSid') workspaceSid: string) {
    const sid = await this.tasks.create(accountOf(request), workspaceSid, formOf(request));
    return this.render(request, response, workspaceSid, sid);
  }

  @Get()
  async list(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const query = queryOf(request);
    const filter = {
      assignmentStatus: query.strings('AssignmentStatus'), workflowSid: query.string('WorkflowSid'), taskQueueSid: query.string('TaskQueueSid'),
      priority: query.integer('Priority', 0, 2_147_483_647),
    };
    const expressionSource = query.string('EvaluateTaskAttributes');
    const now = this.context.clock();
    const render = (view: TaskView) => renderTask(view, baseUrlOf(request), { withAttributes: false, now });
    const echo = {
      AssignmentStatus: filter.assignmentStatus.join(',') || undefined, WorkflowSid: filter.workflowSid, TaskQueueSid: filter.taskQueueSid,
      Priority: query.string('Priority'), EvaluateTaskAttributes: expressionSource,
    };
    if (expressionSource === undefined) {
      return listPage(request, 'tasks', (slice) => this.context.queries.tasks(workspaceSid, filter, slice), render, echo);
    }
    this.rateLimit.take(accountOf(request), 'EvaluateTaskAttributes');
    const expression = filterExpression(expressionSource, 'EvaluateTaskAttributes');
    const matching = (await this.context.queries.tasks(workspaceSid, filter, { offset: 0, limit: MAX_LISTED_TASKS })).filter((view) => taskMatches(expression, view));
    return listPage(request, 'tasks', async (slice) => matching.slice(slice.offset, slice.offset + slice.limit), render, echo);
  }

  @Get(':sid')
  async fetch(@Req() request: ApiRequest, @Res({ passthrough: true }) response: Response, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    return this.render(request, response, workspaceSid, sid);
  }

  /** The task as TaskRouter renders it, with its ETag; the caller has checked the workspace. */
  private async render(request: ApiRequest, response: Response, workspaceSid: string, sid: string) {
    const view = await this.context.queries.task(workspaceSid, sid);
    if (!view) throw notFound('The requested Task was not found');
    response.setHeader('ETag', etagOf(view.version));
    return renderTask(view, baseUrlOf(request), { withAttributes: true, now: this.context.clock() });
  }

  @Post(':sid')
  @HttpCode(200)
  async update(@Req() request: ApiRequest, @Res({ passthrough: true }) response: Response, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string, @Headers('if-match') ifMatch?: string) {
    await this.tasks.update(accountOf(request), workspaceSid, sid, formOf(request), ifMatch);
    return this.render(request, response, workspaceSid, sid);
  }

  /**
   * Not a TaskRouter endpoint: the task's routing step by step (filters tried, targets skipped or
   * timed out, the workers considered for each reservation, the one chosen and by which rule).
   */
  @Get(':sid/RoutingExplanation')
  async explain(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const explanation = await readRoutingExplanation(this.context, workspaceSid, sid);
    if (explanation === null) throw notFound('The Task was not found or has not been routed yet');
    return explanation;
  }

  @Get(':taskSid/Reservations')
  async listReservations(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('taskSid') taskSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    if (!(await this.context.queries.task(workspaceSid, taskSid))) throw notFound('The requested Task was not found');
    const query = queryOf(request);
    const filter = { taskSid, status: query.string('ReservationStatus'), workerSid: query.string('WorkerSid') };
    return listPage(request, 'reservations', (slice) => this.context.queries.reservations(workspaceSid, filter, slice),
      (view) => renderReservation(view, baseUrlOf(request), 'task'), { ReservationStatus: filter.status, WorkerSid: filter.workerSid });
  }

  @Get(':taskSid/Reservations/:sid')
  async fetchReservation(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('taskSid') taskSid: string, @Param('sid') sid: string) {
    return renderReservation(await this.reservations.find(accountOf(request), workspaceSid, sid, { taskSid }), baseUrlOf(request), 'task');
  }

  @Post(':taskSid/Reservations/:sid')
  @HttpCode(200)
  async updateReservation(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('taskSid') taskSid: string, @Param('sid') sid: string, @Headers('if-match') ifMatch?: string) {
    await this.reservations.update(accountOf(request), workspaceSid, sid, { taskSid }, formOf(request), ifMatch);
    return this.fetchReservation(request, workspaceSid, taskSid, sid);
  }
}
