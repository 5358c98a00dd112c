import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  readonly method: string;
  /** Already percent-encoded (ASCII only): sent as written, so hostile escapes reach the server intact. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * A keep-alive HTTP/1.1 client that sends exactly the bytes it is given (paths, headers and
 * bodies that fetch would normalise or refuse) and gives up on a request after `timeoutMs`,
 * so a server that hangs fails the test instead of stalling it.
 */
export class RawHttpClient {
  private readonly agent: Agent;

  constructor(private readonly baseUrl: string, private readonly options: { concurrency: number; timeoutMs: number }) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  }

  send(raw: RawRequest): Promise<RawResponse> {
    const url = new URL(this.baseUrl);
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...raw.headers };
      // Always a length (0 without a body): Node would otherwise send a POST without one as chunked.
      headers['content-length'] = raw.body?.length ?? 0;
      const outgoing = request({ host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      });
      outgoing.setTimeout(this.options.timeoutMs, () => outgoing.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(raw.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of the results. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** TaskRouter's error body, exactly: `code`, `message`, `more_info`, `status` (the HTTP status). */
export function isTaskRouterErrorBody(response: RawResponse): boolean {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null) return false;
  const { code, message, more_info: moreInfo, status } = body as Record<string, unknown>;
  return Object.keys(body).sort().join() === 'code,message,more_info,status' && typeof code === 'number' && typeof message === 'string'
    && moreInfo === `https://www.twilio.com/docs/errors/${code}` && status === response.status;
}
