import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ReadinessReport } from './readiness-report';

export interface OperationsEndpoints {
  /** The readiness probe's answer (checks cached and bounded by the caller). */
  readiness(): Promise<ReadinessReport>;
  readonly registry: Registry;
}

/**
 * The operations listener: `GET /health/live` (200 while the event loop turns), `GET /health/ready`
 * (200 or 503 with the checks), `GET /metrics` (Prometheus text). Plain node:http, apart from the
 * API: a probe never waits behind API traffic, admission or authentication.
 */
export class OperationsServer {
  private constructor(private readonly server: Server, readonly url: string) {}

  static async listen(endpoints: OperationsEndpoints, port: number, host: string): Promise<OperationsServer> {
    const server = createServer((request, response) => void answer(endpoints, request, response));
    // Probes keep no connection open past their answer that could delay a stop.
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new OperationsServer(server, `http://${shownHost}:${address.port}`);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function answer(endpoints: OperationsEndpoints, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') return json(response, 405, { status: 'error', message: `${request.method} is not allowed; use GET` }, { allow: 'GET, HEAD' });
    if (path === '/health/live') return json(response, 200, { status: 'ok' });
    if (path === '/health/ready') {
      const report = await endpoints.readiness();
      return json(response, report.ready ? 200 : 503, report.body);
    }
    if (path === '/metrics') {
      const text = await endpoints.registry.metrics();
      response.writeHead(200, { 'content-type': endpoints.registry.contentType, 'cache-control': 'no-store' });
      response.end(text);
      return;
    }
    json(response, 404, { status: 'error', message: `no such path: ${path} (try /health/live, /health/ready, /metrics)` });
  } catch (error) {
    json(response, 500, { status: 'error', message: (error as Error)?.message ?? String(error) });
  }
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}
