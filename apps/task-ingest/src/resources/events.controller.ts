import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { EVENT_RETENTION_MINUTES, notFound, readEventListQuery, renderEvent } from '@taskrouter/contract';
import { BasicAuthGuard } from '../http/basic-auth.guard';
import { accountOf, baseUrlOf, listPage, queryOf, type ApiRequest } from '../http/request-helpers';
import { IngestContext } from '../ingest-context';
import { wantsEventStream } from '../live/event-stream';
import { LiveEvents } from '../live/live-events';

/** The Event resource (reference §10.3): what the log recorded, as TaskRouter's Events, newest first. */
@Controller('v1/Workspaces/:workspaceSid/Events')
@UseGuards(BasicAuthGuard)
export class EventsController {
  constructor(private readonly context: IngestContext, private readonly live: LiveEvents) {}

  @Get()
  async list(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    const { filter, echo } = readEventListQuery(queryOf(request), this.context.clock().getTime());
    if (wantsEventStream(request)) {
      const lastEventId = request.headers['last-event-id'];
      await this.live.stream(request.res!, workspaceSid, filter, typeof lastEventId === 'string' ? lastEventId : undefined, (view) => renderEvent(view, baseUrlOf(request)));
      // The stream answered by itself; Nest must not answer again.
      return new Promise<never>(() => undefined);
    }
    // The Events follow the log after the append: a list asked for right after a change shows it.
    await this.context.history.settled();
    return listPage(request, 'events', (slice) => this.context.queries.events.list(workspaceSid, filter, slice), (view) => renderEvent(view, baseUrlOf(request)), echo);
  }

  @Get(':sid')
  async fetch(@Req() request: ApiRequest, @Param('workspaceSid') workspaceSid: string, @Param('sid') sid: string) {
    await this.context.requireWorkspace(accountOf(request), workspaceSid);
    await this.context.history.settled();
    const view = await this.context.queries.events.event(workspaceSid, sid, this.context.clock().getTime() - EVENT_RETENTION_MINUTES * 60_000);
    if (!view) throw notFound('The requested Event was not found');
    return renderEvent(view, baseUrlOf(request));
  }
}
