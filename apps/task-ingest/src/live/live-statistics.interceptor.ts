import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { NEVER, from, lastValueFrom, mergeMap, type Observable } from 'rxjs';
import { openEventStream, wantsEventStream } from './event-stream';
import type { LiveFeed } from './live-feed';
import { tooManyStreams } from './live-events';

/** The real-time statistics resources: the workspace's, a queue's, the workers', a workflow's. */
const REAL_TIME = /^\/v1\/Workspaces\/([^/]+)\/(?:TaskQueues\/[^/]+\/|Workers\/|Workflows\/[^/]+\/)?RealTimeStatistics\/?$/i;

/** At most one new figure per stream this often, however many events change it. */
export const LIVE_STATISTICS_INTERVAL_MS = 500;

/**
 * `GET …/RealTimeStatistics` with `Accept: text/event-stream`: the same body as the plain request,
 * first at once, then again after each change in the workspace (at most every 500 ms), as a
 * server-sent event named `statistics`. The handler runs again for each (Nest's call handler is
 * lazy), so the figures are exactly what a request at that moment would get; a bad parameter or
 * an unknown resource is answered as usual, before any stream opens.
 */
export class LiveStatisticsInterceptor implements NestInterceptor {
  constructor(private readonly feed: LiveFeed) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const match = request.method === 'GET' && wantsEventStream(request) ? REAL_TIME.exec(request.path) : null;
    if (!match) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    // The stream answers by itself: Nest is given nothing to send, ever.
    return from(this.stream(match[1]!, response, next)).pipe(mergeMap(() => NEVER));
  }

  private async stream(workspaceSid: string, response: Response, next: CallHandler): Promise<void> {
    const first = await lastValueFrom(next.handle());
    const stream = openEventStream(response);
    if (!stream) throw tooManyStreams();
    stream.send({ event: 'statistics', data: first });
    // One sender per stream: a change marks the figures stale; the sender sends them again, at
    // most every LIVE_STATISTICS_INTERVAL_MS, for as long as changes keep coming.
    let stale = false;
    let sending: Promise<void> | undefined;
    let lastSent = Date.now();
    const send = async () => {
      while (stale && !response.writableEnded) {
        stale = false;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastSent + LIVE_STATISTICS_INTERVAL_MS - Date.now())));
        try {
          stream.send({ event: 'statistics', data: await lastValueFrom(next.handle()) });
        } catch (error) {
          stream.send({ event: 'error', data: { message: error instanceof Error ? error.message : String(error) } });
        }
        lastSent = Date.now();
      }
      sending = undefined;
    };
    const schedule = () => {
      stale = true;
      sending ??= send();
    };
    const unsubscribe = await this.feed.subscribe(workspaceSid, schedule);
    await stream.closed;
    unsubscribe();
  }
}
