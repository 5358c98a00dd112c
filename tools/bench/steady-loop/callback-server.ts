import { createServer, type Server } from 'node:http';
import { freePort } from '@taskrouter/testing';

/**
 * The workflow's AssignmentCallbackUrl, served by the benchmark itself on 127.0.0.1: every call
 * is answered `{"instruction":"accept"}` at once, and the time it arrived is handed to whoever
 * waits for that task (the call may arrive before the POST that created the task has answered).
 */
export class CallbackServer {
  private readonly arrived = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private server: Server | null = null;
  calls = 0;
  url = '';

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const at = Date.now();
        this.calls++;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"instruction":"accept"}');
        const taskSid = new URLSearchParams(Buffer.concat(chunks).toString()).get('TaskSid');
        if (!taskSid) return;
        const waiter = this.waiters.get(taskSid);
        if (waiter) {
          this.waiters.delete(taskSid);
          waiter(at);
        } else {
          this.arrived.set(taskSid, at);
        }
      });
    });
    server.keepAliveTimeout = 30_000;
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${port}/assignment`;
  }

  /** When the callback for this task arrived (ms since epoch), or null if it did not within `timeoutMs` or `abort` fired first. */
  waitFor(taskSid: string, timeoutMs: number, abort?: AbortSignal): Promise<number | null> {
    const early = this.arrived.get(taskSid);
    if (early !== undefined) {
      this.arrived.delete(taskSid);
      return Promise.resolve(early);
    }
    if (abort?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (at: number | null) => {
        clearTimeout(timer);
        abort?.removeEventListener('abort', onAbort);
        this.waiters.delete(taskSid);
        resolve(at);
      };
      const onAbort = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      abort?.addEventListener('abort', onAbort);
      this.waiters.set(taskSid, done);
    });
  }

  /** Forgets calls nobody waited for (tasks of an earlier scenario reserved after it ended). */
  forget(): void {
    this.arrived.clear();
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
