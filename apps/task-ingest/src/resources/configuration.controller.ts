import { Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { notFound, renderTaskQueue, renderWorkflow } from '@taskrouter/contract';
import { BasicAuthGuard } from '../http/basic-auth.guard';
import { accountOf, baseUrlOf, formOf, listPage, queryOf, type ApiRequest } from '../http/request-helpers';
import { IngestContext } from '../ingest-context';
import { TaskQueueCommands } from './task-queue-commands';
import { WorkflowCommands } from './workflow-commands';

/** TaskQueues and Workflows: the routing configuration of a workspace. */
@Controller('v1/Workspaces/:workspaceSid')
@UseGuards(BasicAuthGuard)
export class ConfigurationController {
  constructor(private readonly queues: TaskQueueCommands, private readonly workflows: WorkflowCommands, private readonly context: IngestContext) {}

  @Post('TaskQueues')
  @HttpCode(201)
  async createQueue(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const sid = await this.queues.create(accountOf(request), workspaceSid, formOf(request));
    return this.fetchQueue(request, workspaceSid, sid);
  }

  @Get('TaskQueues')
  async listQueues(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.workspaceOf(accountOf(request), workspaceSid);
    const friendlyName = queryOf(request).string('FriendlyName');
    return listPage(request, 'task_queues', (slice) => this.context.queries.taskQueues(workspaceSid, { friendlyName }, slice),
      (view) => renderTaskQueue(view, baseUrlOf(request)), { FriendlyName: friendlyName });
  }

  @Get('TaskQueues/:sid')
  async fetchQueue(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.workspaceOf(accountOf(request), workspaceSid);
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
    await this.context.workspaceOf(accountOf(request), workspaceSid);
    const friendlyName = queryOf(request).string('FriendlyName');
    return listPage(request, 'workflows', (slice) => this.context.queries.workflows(workspaceSid, { friendlyName }, slice),
      (view) => renderWorkflow(view, baseUrlOf(request)), { FriendlyName: friendlyName });
  }

  @Get('Workflows/:sid')
  async fetchWorkflow(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.workspaceOf(accountOf(request), workspaceSid);
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
