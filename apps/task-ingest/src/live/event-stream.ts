import type { Request, Response } from 'express';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;

/** Live streams one task-ingest process holds open at once; beyond it a new one is refused 429. */
export const MAX_LIVE_STREAMS = 1_000;

export interface EventStream {
  /** One server-sent event: `id` (for Last-Event-ID), `event` (its name) and JSON data. */
  send(message: { id?: string; event: string; data: unknown }): void;
  /** Resolves when the client has gone. */
  readonly closed: Promise<void>;
}

/** Whether the client asked for a live stream (`Accept: text/event-stream`) rather than one answer. */
export function wantsEventStream(request: Request): boolean {
  return (request.headers.accept ?? '').toLowerCase().includes('text/event-stream');
}

const openResponses = new Set<Response>();

/** How many streams this process holds open. */
export function openStreams(): number {
  return openResponses.size;
}

/** Set at shutdown: no stream opens any more. */
let closing = false;

/** A client this far behind (bytes written but not yet taken by its socket) is dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Ends every open stream and refuses new ones (at shutdown: the HTTP server closes only once its connections have). */
export function endAllStreams(): void {
  closing = true;
  for (const response of openResponses) response.end();
}

/**
 * Turns the response into a server-sent event stream (text/event-stream): the headers go at once,
 * the request gives its admission place back (it is not work in flight), and a comment every 15 s
 * keeps the connection alive. Null when this process already holds MAX_LIVE_STREAMS.
 */
export function openEventStream(response: Response): EventStream | null {
  if (closing || openResponses.size >= MAX_LIVE_STREAMS) return null;
  openResponses.add(response);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  response.write(': open-taskrouter live stream\n\n');
  (response.locals.releaseAdmission as (() => void) | undefined)?.();
  const write = (text: string) => {
    if (response.writableEnded || response.destroyed) return;
    // A client that does not read is not buffered for without bound: it is dropped, and may resume.
    if (response.writableLength > MAX_BUFFERED_BYTES) return void response.end();
    response.write(text);
  };
  const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  const closed = new Promise<void>((resolve) => response.once('close', () => {
    clearInterval(keepAlive);
    openResponses.delete(response);
    resolve();
  }));
  return {
    send({ id, event, data }) {
      write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    closed,
  };
}
