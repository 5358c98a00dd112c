import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { EVENT_RETENTION_MINUTES, notFound, readEventListQuery, renderEvent } from '@taskrouter/contract';
import { BasicAuthGuard } from '../http/basic-auth.guard';
import { accountOf, baseUrlOf, listPage, queryOf, type ApiRequest } from '../http/request-helpers';
import { IngestContext } from '../ingest-context';

/** The Event resource (reference §10.3): what the log recorded, as TaskRouter's Events, newest first. */
@Controller('v1/Workspaces/:workspaceSid/Events')
@UseGuards(BasicAuthGuard)
export class EventsController {
  constructor(private readonly context: IngestContext) {}

  @Get()
  async list(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const { filter, echo } = readEventListQuery(queryOf(request), this.context.clock().getTime());
    return listPage(request, 'events', (slice) => this.context.queries.events.list(workspaceSid, filter, slice), (view) => renderEvent(view, baseUrlOf(request)), echo);
  }

  @Get(':sid')
  async fetch(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const view = await this.context.queries.events.event(workspaceSid, sid, this.context.clock().getTime() - EVENT_RETENTION_MINUTES * 60_000);
    if (!view) throw notFound('The requested Event was not found');
    return renderEvent(view, baseUrlOf(request));
  }
}
