import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMPTY_ALLOW_LIST, parseOutgoingUrlAllowList, type OutgoingUrlAllowList } from '@taskrouter/contract';
import type { Resolve } from './checked-lookup';
import { guardedPost, type GuardedPostOptions } from './guarded-post';

/**
 * The send side of the outgoing URL policy against real sockets on this machine: the checks
 * after resolution, the pinned connection, redirects, and the size and time caps. Names are
 * resolved by a stand-in resolver, so nothing depends on this machine's hosts file or DNS.
 */
describe('a guarded POST', () => {
  const allow = (text: string): OutgoingUrlAllowList => {
    const parsed = parseOutgoingUrlAllowList(text);
    if (!('allowList' in parsed)) throw new Error(text);
    return parsed.allowList;
  };
  const seen: Array<{ path: string; host: string | undefined; body: string }> = [];
  let handle: (request: IncomingMessage, response: ServerResponse) => void;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ path: request.url ?? '', host: request.headers.host, body });
        handle(request, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  beforeEach(() => {
    seen.length = 0;
    handle = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"instruction":"accept"}');
    };
  });

  const post = (url: string, options: Partial<GuardedPostOptions> = {}) =>
    guardedPost(url, 'TaskSid=WT1', { 'content-type': 'application/x-www-form-urlencoded' }, { allowList: EMPTY_ALLOW_LIST, timeoutMs: 5_000, ...options });
  const resolvingTo = (...addresses: string[]): Resolve & { calls: string[] } => {
    const calls: string[] = [];
    return Object.assign(async (hostname: string) => {
      calls.push(hostname);
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    }, { calls });
  };

  it('delivers to an allowed address and reads the answer', async () => {
    const outcome = await post(`http://127.0.0.1:${port}/cb?x=1`, { allowList: allow('127.0.0.1') });
    expect(outcome).toEqual({ kind: 'answered', status: 200, contentType: 'application/json', body: '{"instruction":"accept"}' });
    expect(seen).toEqual([{ path: '/cb?x=1', host: `127.0.0.1:${port}`, body: 'TaskSid=WT1' }]);
  });

  it('refuses a forbidden address before connecting, whatever the allow-list said when it was saved', async () => {
    expect(await post(`http://127.0.0.1:${port}/cb`)).toEqual({ kind: 'refused', reason: expect.stringMatching(/^the URL points to 127\.0\.0\.1, a loopback address/) });
    expect(await post(`http://[::ffff:7f00:1]:${port}/cb`)).toMatchObject({ kind: 'refused' });
    expect(await post('gopher://example.com/')).toMatchObject({ kind: 'refused', reason: expect.stringContaining('gopher:') });
    expect(seen).toEqual([]);
  });

  it('refuses a name that resolves to a forbidden address, and never connects', async () => {
    const resolve = resolvingTo('127.0.0.1');
    const outcome = await post(`http://callbacks.example.test:${port}/cb`, { resolve });
    expect(outcome).toEqual({ kind: 'refused', reason: expect.stringMatching(/^callbacks\.example\.test resolves to 127\.0\.0\.1, a loopback address/) });
    expect(resolve.calls).toEqual(['callbacks.example.test']);
    expect(seen).toEqual([]);
  });

  it('refuses a name when any one of its addresses is forbidden', async () => {
    const outcome = await post(`http://callbacks.example.test:${port}/cb`, { resolve: resolvingTo('93.184.216.34', '169.254.169.254') });
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringContaining('169.254.169.254, a link-local address') });
    expect(seen).toEqual([]);
  });

  it('connects to the address it checked, resolving once, and keeps the name in the Host header', async () => {
    const resolve = resolvingTo('127.0.0.1');
    const outcome = await post(`http://callbacks.example.test:${port}/pinned`, { allowList: allow('127.0.0.1'), resolve });
    expect(outcome).toMatchObject({ kind: 'answered', status: 200 });
    expect(resolve.calls).toEqual(['callbacks.example.test']);
    expect(seen).toEqual([{ path: '/pinned', host: `callbacks.example.test:${port}`, body: 'TaskSid=WT1' }]);
  });

  it('trusts a name on the allow-list whatever it resolves to', async () => {
    const outcome = await post(`http://hooks.internal:${port}/cb`, { allowList: allow('hooks.internal'), resolve: resolvingTo('127.0.0.1') });
    expect(outcome).toMatchObject({ kind: 'answered', status: 200 });
  });

  it('does not follow a redirect, even to an allowed address', async () => {
    handle = (request, response) => {
      const status = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('status'));
      response.writeHead(status || 200, status ? { location: `http://127.0.0.1:${port}/target` } : { 'content-type': 'application/json' });
      response.end(status ? '' : '{"instruction":"accept"}');
    };
    for (const status of [301, 302, 303, 307, 308]) {
      const outcome = await post(`http://127.0.0.1:${port}/moved?status=${status}`, { allowList: allow('127.0.0.1') });
      expect(outcome).toEqual({ kind: 'failed', reason: `answered ${status}, a redirect, which is not followed` });
    }
    expect(seen.map((s) => s.path)).not.toContain('/target');
    expect(seen).toHaveLength(5);
  });

  it('gives up on an answer bigger than the cap', async () => {
    handle = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"instruction":"accept","padding":"${'x'.repeat(100_000)}"}`);
    };
    expect(await post(`http://127.0.0.1:${port}/big`, { allowList: allow('127.0.0.1') })).toEqual({ kind: 'failed', reason: 'answered more than 65536 bytes' });
    expect(await post(`http://127.0.0.1:${port}/big`, { allowList: allow('127.0.0.1'), maxAnswerBytes: 200_000 })).toMatchObject({ kind: 'answered' });
  });

  it('gives up at the deadline on an answer that drips in slowly, and on one that never comes', async () => {
    handle = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{');
      const drip = setInterval(() => response.write(' '), 50);
      response.on('close', () => clearInterval(drip));
    };
    expect(await post(`http://127.0.0.1:${port}/drip`, { allowList: allow('127.0.0.1'), timeoutMs: 400 })).toEqual({ kind: 'failed', reason: 'no complete answer within 400 ms' });
    handle = () => undefined;
    expect(await post(`http://127.0.0.1:${port}/silent`, { allowList: allow('127.0.0.1'), timeoutMs: 300 })).toEqual({ kind: 'failed', reason: 'no complete answer within 300 ms' });
  });

  it('reports a destination that does not answer as failed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await post(`http://127.0.0.1:${closedPort}/`, { allowList: allow('127.0.0.1') })).toEqual({ kind: 'failed', reason: 'could not be reached (ECONNREFUSED)' });
  });
});
