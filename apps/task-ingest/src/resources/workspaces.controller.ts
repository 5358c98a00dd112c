import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { notFound, renderActivity, renderTaskChannel, renderWorkspace } from '@taskrouter/contract';
import { BasicAuthGuard } from '../http/basic-auth.guard';
import { accountOf, baseUrlOf, formOf, listPage, queryOf, type ApiRequest } from '../http/request-helpers';
import { IngestContext } from '../ingest-context';
import { WorkspaceCommands } from './workspace-commands';

@Controller('v1/Workspaces')
@UseGuards(BasicAuthGuard)
export class WorkspacesController {
  constructor(private readonly commands: WorkspaceCommands, private readonly context: IngestContext) {}

  @Post()
  @HttpCode(201)
  async create(@Req() request: ApiRequest) {
    return renderWorkspace(await this.commands.create(accountOf(request), formOf(request)), baseUrlOf(request));
  }

  @Get()
  list(@Req() request: ApiRequest) {
    const friendlyName = queryOf(request).string('FriendlyName');
    return listPage(request, 'workspaces', (slice) => this.context.queries.workspaces({ accountSid: accountOf(request), friendlyName }, slice),
      (view) => renderWorkspace(view, baseUrlOf(request)), { FriendlyName: friendlyName });
  }

  @Get(':workspaceSid')
  async fetch(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    return renderWorkspace(await this.context.workspaceOf(accountOf(request), workspaceSid), baseUrlOf(request));
  }

  @Post(':workspaceSid')
  @HttpCode(200)
  async update(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    return renderWorkspace(await this.commands.update(accountOf(request), workspaceSid, formOf(request)), baseUrlOf(request));
  }

  @Post(':workspaceSid/Activities')
  @HttpCode(201)
  async createActivity(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const sid = await this.commands.createActivity(accountOf(request), workspaceSid, formOf(request));
    return renderActivity((await this.context.queries.activity(workspaceSid, sid))!, baseUrlOf(request));
  }

  @Get(':workspaceSid/Activities')
  async listActivities(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const query = queryOf(request);
    const filter = { friendlyName: query.string('FriendlyName'), available: query.boolean('Available') };
    return listPage(request, 'activities', (slice) => this.context.queries.activities(workspaceSid, filter, slice),
      (view) => renderActivity(view, baseUrlOf(request)), { FriendlyName: filter.friendlyName, Available: query.string('Available') });
  }

  @Get(':workspaceSid/Activities/:sid')
  async fetchActivity(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const view = await this.context.queries.activity(workspaceSid, sid);
    if (!view) throw notFound('The requested Activity was not found');
    return renderActivity(view, baseUrlOf(request));
  }

  @Post(':workspaceSid/TaskChannels')
  @HttpCode(201)
  async createTaskChannel(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    const sid = await this.commands.createTaskChannel(accountOf(request), workspaceSid, formOf(request));
    return renderTaskChannel((await this.context.queries.taskChannel(workspaceSid, sid))!, baseUrlOf(request));
  }

  @Get(':workspaceSid/TaskChannels')
  async listTaskChannels(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    return listPage(request, 'channels', (slice) => this.context.queries.taskChannels(workspaceSid, slice), (view) => renderTaskChannel(view, baseUrlOf(request)));
  }

  @Get(':workspaceSid/TaskChannels/:sid')
  async fetchTaskChannel(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const view = await this.context.queries.taskChannel(workspaceSid, sid);
    if (!view) throw notFound('The requested TaskChannel was not found');
    return renderTaskChannel(view, baseUrlOf(request));
  }
}
