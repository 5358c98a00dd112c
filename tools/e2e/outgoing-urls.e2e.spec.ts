import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { Pool } from 'pg';
import twilio from 'twilio';
import { cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, uniqueName, type RunningServices } from '@taskrouter/testing';

/**
 * Outgoing URLs guarded at save and at send (docs/operations.md, "Outgoing URLs"). The services run
 * without the harness's loopback allow-list: only the name `trusted.example.test` is allowed. A test
 * preload answers DNS for two names, both resolving to 127.0.0.1 where the callback server listens:
 * the trusted one shows an allowed callback still works; the other must be refused once resolved.
 */
describe('outgoing URLs', () => {
  const name = uniqueName('e2e_urls');
  const trusted = 'trusted.example.test';
  const rebound = 'rebound.example.test';
  let services: RunningServices;
  let api: TaskRouterTestClient;
  let pool: Pool;
  let server: Server;
  let port: number;
  let workspace: string;
  let available: string;
  const calls: Array<{ path: string; headers: IncomingHttpHeaders; params: Record<string, string> }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        calls.push({ path: request.url ?? '', headers: request.headers, params: Object.fromEntries(new URLSearchParams(body)) });
        if (request.url?.startsWith('/redirect')) {
          response.writeHead(302, { location: `http://${trusted}:${port}/accept` });
          return response.end();
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ instruction: 'accept' }));
      });
    });
    port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    services = await startServices({
      schema: name, topicPrefix: name, port: await freePort(),
      env: { OUTGOING_URL_ALLOW: trusted, E2E_FAKE_DNS: JSON.stringify({ [trusted]: ['127.0.0.1'], [rebound]: ['127.0.0.1'] }), TASKROUTER_DEV_AUTH_TOKEN: '' },
      nodeArgs: ['-r', join(__dirname, 'test-support', 'fake-dns.cjs')],
    });
    api = new TaskRouterTestClient(services.baseUrl);
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    workspace = (await api.ok('POST', 'Workspaces', { FriendlyName: 'urls', EventCallbackUrl: 'https://events.example.com/taskrouter' })).sid;
    const activities = (await api.ok('GET', `Workspaces/${workspace}/Activities`)).activities as Array<{ sid: string; friendly_name: string }>;
    available = activities.find((a) => a.friendly_name === 'Available')!.sid;
  });

  afterAll(async () => {
    await services?.stop();
    await pool?.end();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await cleanUpTestStack(name);
  });

  const ws = (path: string) => `Workspaces/${workspace}/${path}`;
  const eventCount = async () => (await pool.query(`SELECT count(*)::int AS n FROM "${name}".events`)).rows[0].n as number;
  const queue = async (team: string) => (await api.ok('POST', ws('TaskQueues'), { FriendlyName: uniqueName('q'), TargetWorkers: `team == "${team}"` })).sid as string;
  const configuration = (queueSid: string) => JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queueSid } } });
  const reservations = async (taskSid: string) => (await api.ok('GET', ws(`Tasks/${taskSid}/Reservations`))).reservations as Array<{ sid: string; reservation_status: string }>;
  /** A team of one available worker, a workflow calling these URLs, and a task for it. */
  const routedTask = async (urls: Record<string, string>) => {
    const team = uniqueName('team');
    const q = await queue(team);
    const flow = (await api.ok('POST', ws('Workflows'), { FriendlyName: uniqueName('wf'), Configuration: configuration(q), ...urls })).sid as string;
    await api.ok('POST', ws('Workers'), { FriendlyName: uniqueName('agent'), Attributes: JSON.stringify({ team }), ActivitySid: available });
    return (await api.ok('POST', ws('Tasks'), { WorkflowSid: flow, Attributes: JSON.stringify({ team }) })).sid as string;
  };
  const reservationIn = (taskSid: string, status: string) =>
    eventually(async () => (await reservations(taskSid)).find((r) => r.reservation_status === status), { what: `a ${status} reservation for ${taskSid}` });

  describe('at save', () => {
    const refused = [
      ['the metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
      ['the metadata address, IPv4-mapped', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
      ['the metadata address, in hex IPv6', 'http://[::ffff:a9fe:a9fe]/'],
      ['the metadata address, as one decimal number', 'http://2852039166/'],
      ['a private address', 'http://10.0.0.1/cb'],
      ['a private address', 'http://192.168.1.10:8080/cb'],
      ['loopback, not allowed here', 'http://127.0.0.1:9/cb'],
      ['loopback by name', 'http://localhost:9/cb'],
      ['a file: URL', 'file:///etc/passwd'],
      ['a javascript: URL', 'javascript:alert(document.cookie)'],
      ['a gopher: URL', 'gopher://example.com:70/_GET%20/'],
      ['credentials', 'https://user:secret@example.com/cb'],
      ['100,000 characters', `https://example.com/${'a'.repeat(100_000)}`],
    ] as const;

    it('refuses every bad URL in every URL parameter with a 400 naming it, and appends nothing', async () => {
      const q = await queue(uniqueName('nobody'));
      const flow = (await api.ok('POST', ws('Workflows'), { FriendlyName: 'kept', Configuration: configuration(q) })).sid as string;
      const before = await eventCount();
      const workflowsBefore = (await api.ok('GET', ws('Workflows'))).workflows.length;
      const attempts: Array<[string, string, Record<string, string>]> = [
        ['Workspaces', 'EventCallbackUrl', { FriendlyName: 'refused' }],
        [`Workspaces/${workspace}`, 'EventCallbackUrl', {}],
        [ws('Workflows'), 'AssignmentCallbackUrl', { FriendlyName: 'refused', Configuration: configuration(q) }],
        [ws('Workflows'), 'FallbackAssignmentCallbackUrl', { FriendlyName: 'refused', Configuration: configuration(q) }],
        [ws(`Workflows/${flow}`), 'AssignmentCallbackUrl', {}],
        [ws(`Workflows/${flow}`), 'FallbackAssignmentCallbackUrl', {}],
      ];
      for (const [path, parameter, rest] of attempts) {
        for (const [what, url] of refused) {
          const answer = await api.request('POST', path, { ...rest, [parameter]: url });
          expect({ path, parameter, what, status: answer.status }).toEqual({ path, parameter, what, status: 400 });
          expect(answer.body).toEqual({ code: 20001, status: 400, message: expect.stringMatching(new RegExp(`^${parameter} `)), more_info: 'https://www.twilio.com/docs/errors/20001' });
          expect(answer.body.message.length).toBeLessThan(400);
        }
      }
      expect(await eventCount()).toBe(before);
      expect((await api.ok('GET', ws('Workflows'))).workflows.length).toBe(workflowsBefore);
      expect((await api.ok('GET', `Workspaces/${workspace}`)).event_callback_url).toBe('https://events.example.com/taskrouter');
      expect((await api.ok('GET', ws(`Workflows/${flow}`))).assignment_callback_url).toBeNull();
    });

    it('says why, naming the range', async () => {
      const answer = await api.request('POST', 'Workspaces', { FriendlyName: 'x', EventCallbackUrl: 'http://[::ffff:169.254.169.254]/' });
      expect(answer.body.message).toBe('EventCallbackUrl points to ::ffff:a9fe:a9fe, a link-local address (where cloud metadata services live) (169.254.0.0/16), '
        + 'which this server does not call unless its operator allows it (OUTGOING_URL_ALLOW)');
    });
  });

  describe('at send', () => {
    it('calls an allowed URL, signed with the development auth token it printed at start', async () => {
      const token = /development auth token ([0-9a-f]{32})/.exec(services.output('task-ingest'))?.[1];
      expect(token).toBeDefined();
      const url = `http://${trusted}:${port}/accept?source=e2e`;
      const taskSid = await routedTask({ AssignmentCallbackUrl: url });
      await reservationIn(taskSid, 'accepted');
      const call = calls.find((c) => c.params.TaskSid === taskSid)!;
      expect(call.headers.host).toBe(`${trusted}:${port}`);
      expect(twilio.validateRequest(token!, String(call.headers['x-twilio-signature']), url, call.params)).toBe(true);
      expect(twilio.validateRequest('another-token', String(call.headers['x-twilio-signature']), url, call.params)).toBe(false);
    });

    it('refuses a name that resolves to a forbidden address, as an unreachable callback: the fallback, else a cancel', async () => {
      const refusedOnly = await routedTask({ AssignmentCallbackUrl: `http://${rebound}:${port}/accept` });
      await reservationIn(refusedOnly, 'canceled');
      const withFallback = await routedTask({ AssignmentCallbackUrl: `http://${rebound}:${port}/accept`, FallbackAssignmentCallbackUrl: `http://${trusted}:${port}/fallback` });
      await reservationIn(withFallback, 'accepted');
      expect(calls.filter((c) => c.headers.host?.startsWith(rebound))).toEqual([]);
      expect(calls.find((c) => c.params.TaskSid === withFallback)?.path).toBe('/fallback');
      expect(services.output('task-ingest')).toMatch(new RegExp(`assignment callback for WR\\w+ to ${rebound.replace(/\./g, '\\.')}:${port} refused: `
        + `${rebound.replace(/\./g, '\\.')} resolves to 127\\.0\\.0\\.1, a loopback address \\(127\\.0\\.0\\.0/8\\)`));
    });

    it('does not follow a redirect: a 3xx is a failed delivery', async () => {
      const taskSid = await routedTask({ AssignmentCallbackUrl: `http://${trusted}:${port}/redirect` });
      await reservationIn(taskSid, 'canceled');
      expect(calls.filter((c) => c.params.TaskSid === taskSid).map((c) => c.path)).toEqual(['/redirect']);
      expect(services.output('task-ingest')).toContain('answered 302, a redirect, which is not followed');
    });
  });
});
