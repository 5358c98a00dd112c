import { ErrorCodes, TaskRouterError, type EventListFilter, type EventView } from '@taskrouter/contract';
import { taskRouterEventsOf, type AnyDomainEvent } from '@taskrouter/domain';
import { historyHolds, type EventQueries, type HistoryReads } from '@taskrouter/read-model';
import type { ObservedEvent } from '@taskrouter/runtime';
import type { Response } from 'express';
import { openEventStream } from './event-stream';
import type { LiveFeed } from './live-feed';
import { matchesEventFilter } from './live-event-filter';

/** Events sent from the table before going live, when a client resumes: at most this many. */
const MAX_CATCH_UP = 10_000;

interface Subscriber {
  readonly filter: EventListFilter;
  readonly send: (view: EventView) => void;
}

/**
 * `GET /Events` as a live stream (`Accept: text/event-stream`): every new Event of the workspace
 * that passes the list's filters, as the REST resource renders it, `id` its SID. A client that
 * reconnects with `Last-Event-ID` first gets the Events after that one from the table (in the
 * order they were dated), then the live ones. One feed listener per workspace reads each log
 * event's Events once, however many streams watch it.
 */
export class LiveEvents {
  private readonly byWorkspace = new Map<string, { subscribers: Set<Subscriber>; unsubscribe: Promise<() => void>; queue: Promise<void> }>();

  constructor(private readonly feed: LiveFeed, private readonly events: EventQueries, private readonly history: HistoryReads) {}

  /** Streams until the client goes; rejects (before anything is sent) when too many streams are open. */
  async stream(response: Response, workspaceSid: string, filter: EventListFilter, lastEventId: string | undefined, render: (view: EventView) => unknown): Promise<void> {
    const stream = openEventStream(response);
    if (!stream) throw tooManyStreams();
    // What the catch-up sent, so the live Events held meanwhile are not sent twice; dropped after.
    let sentInCatchUp: Set<string> | null = null;
    const send = (view: EventView) => {
      if (!matchesEventFilter(view, filter) || sentInCatchUp?.has(view.sid)) return;
      stream.send({ id: view.sid, event: 'event', data: render(view) });
    };
    // Live first, held back while the catch-up is read, so nothing falls between the two.
    let held: EventView[] | null = lastEventId ? [] : null;
    const subscriber: Subscriber = { filter, send: (view) => (held ? held.push(view) : send(view)) };
    try {
      await this.join(workspaceSid, subscriber);
      if (held) {
        await this.history.settled();
        const caughtUp = await this.events.after(workspaceSid, lastEventId!, MAX_CATCH_UP);
        for (const view of caughtUp) send(view);
        sentInCatchUp = new Set(caughtUp.map((view) => view.sid));
        for (const view of held) send(view);
        held = null;
        sentInCatchUp = null;
      }
      await stream.closed;
    } catch (error) {
      // Headers are sent: say it on the stream and end it (the client may resume with Last-Event-ID).
      stream.send({ event: 'error', data: { message: error instanceof Error ? error.message : String(error) } });
      response.end();
    } finally {
      await this.leave(workspaceSid, subscriber);
    }
  }

  private async join(workspaceSid: string, subscriber: Subscriber): Promise<void> {
    let entry = this.byWorkspace.get(workspaceSid);
    if (!entry) {
      const subscribers = new Set<Subscriber>();
      const created: { subscribers: Set<Subscriber>; unsubscribe: Promise<() => void>; queue: Promise<void> } = { subscribers, unsubscribe: Promise.resolve(() => undefined), queue: Promise.resolve() };
      // One log event after the other per workspace: its Events reach every stream in the log's order.
      created.unsubscribe = this.feed.subscribe(workspaceSid, (event) => {
        created.queue = created.queue.then(() => this.fanOut(workspaceSid, subscribers, event));
      });
      entry = created;
      this.byWorkspace.set(workspaceSid, entry);
    }
    entry.subscribers.add(subscriber);
    try {
      await entry.unsubscribe;
    } catch (error) {
      // The feed could not start: the next stream tries again with a fresh entry.
      if (this.byWorkspace.get(workspaceSid) === entry) this.byWorkspace.delete(workspaceSid);
      throw error;
    }
  }

  private async leave(workspaceSid: string, subscriber: Subscriber): Promise<void> {
    const entry = this.byWorkspace.get(workspaceSid);
    if (!entry) return;
    entry.subscribers.delete(subscriber);
    if (entry.subscribers.size > 0) return;
    this.byWorkspace.delete(workspaceSid);
    (await entry.unsubscribe.catch(() => () => undefined))();
  }

  private async fanOut(workspaceSid: string, subscribers: Set<Subscriber>, event: ObservedEvent): Promise<void> {
    let sids: string[];
    try {
      sids = taskRouterEventsOf(event as unknown as AnyDomainEvent, event.streamVersion).records.map((record) => record.sid);
    } catch {
      return;
    }
    if (sids.length === 0 || subscribers.size === 0) return;
    try {
      // Projected after the log event commits: its Events are read once the history holds them.
      await historyHolds(this.history, event);
      for (const view of await this.events.bySids(workspaceSid, sids)) for (const subscriber of subscribers) subscriber.send(view);
    } catch (error) {
      process.stderr.write(`task-ingest: live Events of ${event.streamId}@${event.streamVersion} not sent: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

/** 429 with Retry-After, as the admission bounds answer. */
export function tooManyStreams(): TaskRouterError {
  return new TaskRouterError(429, ErrorCodes.tooManyRequests, 'Too many live streams are open on this server; retry later', { 'Retry-After': '5' });
}
