import { gzipSync } from 'node:zlib';
import { Pool } from 'pg';
import { EVENT_SIZE_BOUND_BYTES, MAX_STORED_PARAMETER_BYTES, storedLength } from '@taskrouter/contract';
import {
  cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, uniqueName, type RunningServices,
} from '@taskrouter/testing';
import { isTaskRouterErrorBody, RawHttpClient, type RawResponse } from './test-support/raw-http-client';

const ACCOUNT = 'AC00000000000000000000000000000e10';
const PUBLIC_URL = 'https://taskrouter.example.test/routing';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * The input findings of issue 10, one by one, against the four services: plain-object lookups
 * keyed by request input (3), 500s where a 4xx is due (4), the Host header in links (6), 405s
 * and Retry-After (7), and that no accepted request can produce an event over the log's bound.
 */
describe('input validation at the edge, end to end', () => {
  let services: RunningServices;
  let api: TaskRouterTestClient;
  let http: RawHttpClient;
  let pool: Pool;
  let WS: string;
  let WQ: string;
  let WW: string;
  let WK: string;
  const name = uniqueName('edge');
  const ws = (path: string) => `Workspaces/${WS}/${path}`;
  const authorization = `Basic ${Buffer.from(`${ACCOUNT}:token`).toString('base64')}`;

  const eventCount = async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}".events`)).rows[0].n);
  const send = (method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string>; auth?: boolean } = {}) =>
    http.send({
      method, path: `/v1/${path}`, body: typeof options.body === 'string' ? Buffer.from(options.body) : options.body,
      headers: { ...(options.auth === false ? {} : { authorization }), ...(options.body !== undefined ? FORM : {}), ...options.headers },
    });
  const form = (pairs: Record<string, string>) => new URLSearchParams(pairs).toString();

  /** A 4xx in TaskRouter's shape with this status, whose message matches, and not a single event appended. */
  async function refused(request: () => Promise<RawResponse>, status: number, message?: RegExp): Promise<RawResponse> {
    const before = await eventCount();
    const answer = await request();
    const seen = { status: answer.status, shaped: isTaskRouterErrorBody(answer), text: answer.text.slice(0, 300) };
    expect(seen).toEqual({ status, shaped: true, text: expect.any(String) });
    if (message) expect(JSON.parse(answer.text).message).toMatch(message);
    expect(await eventCount()).toBe(before);
    return answer;
  }

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort(), env: { PUBLIC_URL } });
    api = new TaskRouterTestClient(services.baseUrl, ACCOUNT);
    http = new RawHttpClient(services.baseUrl, { concurrency: 4, timeoutMs: 30_000 });
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    WS = (await api.ok('POST', 'Workspaces', { FriendlyName: 'edge' })).sid;
    WQ = (await api.ok('POST', ws('TaskQueues'), { FriendlyName: 'edge', TargetWorkers: 'nobody == true' })).sid;
    const configuration = JSON.stringify({ task_routing: { default_filter: { queue: WQ } } });
    WW = (await api.ok('POST', ws('Workflows'), { FriendlyName: 'edge', Configuration: configuration })).sid;
    WK = (await api.ok('POST', ws('Workers'), { FriendlyName: 'edge' })).sid;
  });

  afterAll(async () => {
    http?.close();
    await pool?.end();
    await services?.stop();
    await cleanUpTestStack(name);
  });

  describe('no request key indexes a plain object (finding 3)', () => {
    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('answers 404 for WorkerChannel %s and appends nothing', async (channel) => {
      const update = () => send('POST', ws(`Workers/${WK}/Channels/${channel}`), { body: form({ Capacity: '2' }) });
      await refused(update, 404, /WorkerChannel was not found/);
    });

    it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])('refuses TaskChannel=%s on a new task with 400', async (channel) => {
      const create = () => send('POST', ws('Tasks'), { body: form({ WorkflowSid: WW, TaskChannel: channel }) });
      await refused(create, 400, new RegExp(`TaskChannel '${channel}' is not a TaskChannel`));
    });

    it.each(['constructor', '__proto__', 'toString'])('refuses UniqueName=%s as reserved, not as a name already used', async (uniqueName) => {
      const create = () => send('POST', ws('TaskChannels'), { body: form({ FriendlyName: 'Chan', UniqueName: uniqueName }) });
      const answer = await refused(create, 400, /is reserved/);
      expect(answer.text).not.toMatch(/already exists/);
    });

    it('still updates a real WorkerChannel, by unique name and by SID', async () => {
      expect((await api.ok('POST', ws(`Workers/${WK}/Channels/chat`), { Capacity: 3 })).configured_capacity).toBe(3);
      const sid = (await api.ok('GET', ws(`Workers/${WK}/Channels/voice`))).sid as string;
      expect((await api.ok('POST', ws(`Workers/${WK}/Channels/${sid}`), { Capacity: 4 })).configured_capacity).toBe(4);
    });
  });

  describe('bodies TaskRouter cannot read are 4xx, before authentication where they are too large (finding 4)', () => {
    it.each([5 * 1024 * 1024, 64 * 1024 * 1024])('answers a %d-byte body without credentials 413', async (size) => {
      await refused(() => send('POST', 'Workspaces', { body: Buffer.alloc(size, 'a'), auth: false }), 413, /at most 4194304 bytes/);
    });

    it.each([
      ['a charset other than UTF-8', { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }, /Charset 'iso-8859-1' is not supported/],
      ['br encoding', { ...FORM, 'content-encoding': 'br' }, /Content-Encoding 'br' is not supported/],
      ['an unknown encoding', { ...FORM, 'content-encoding': 'x-squeeze' }, /Content-Encoding 'x-squeeze'/],
    ])('answers %s 415', async (_, headers, message) => {
      await refused(() => send('POST', ws('Workers'), { body: form({ FriendlyName: 'x' }), headers }), 415, message);
    });

    it('answers a gzip bomb 415 without inflating it', async () => {
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, `FriendlyName=${'a'.repeat(50)}&`));
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const create = () => send('POST', ws('Workers'), { body: bomb, headers: { ...FORM, 'content-encoding': 'gzip' } });
      await refused(create, 415, /Content-Encoding 'gzip'/);
    });

    it('answers 1,001 parameters 413, in the body and in the query', async () => {
      const many = Array.from({ length: 1_001 }, (_, i) => `P${i}=1`).join('&');
      await refused(() => send('POST', ws('Workers'), { body: `FriendlyName=many&${many}` }), 413, /more than 1000 parameters/);
      await refused(() => send('GET', `${ws('Workers')}?${many}`), 413, /more than 1000 parameters/);
    });

    it.each([
      ['a NUL in a parameter', () => send('POST', ws('Workers'), { body: 'FriendlyName=a%00b' }), /Parameter "FriendlyName" is not valid text: it contains a NUL/],
      ['bytes that are not UTF-8', () => send('POST', ws('Workers'), { body: 'FriendlyName=%C3%28' }), /Parameter "FriendlyName" is not valid UTF-8/],
      ['a NUL in a path segment', () => send('GET', `${ws('Workers')}/WK%00`), /A path segment is not valid text/],
      ['a NUL in a query parameter', () => send('GET', `${ws('Workers')}?FriendlyName=%00`), /contains a NUL/],
      [
        'a NUL escaped inside Attributes', () => send('POST', ws('Workers'), { body: form({ FriendlyName: 'nul', Attributes: '{"name":"\\u0000"}' }) }),
        /Attributes has a string that is not valid text at "name"/,
      ],
      [
        'a lone surrogate as an Attributes key', () => send('POST', ws('Tasks'), { body: form({ WorkflowSid: WW, Attributes: '{"a":{"\\udc00":1}}' }) }),
        /Attributes has a key that is not valid text in "a"/,
      ],
    ])('answers %s 400 naming it', async (_, request, message) => {
      await refused(request, 400, message);
    });

    it("refuses the poison workflow of the issue (a lone surrogate in a filter's name)", async () => {
      const configuration = `{"task_routing":{"filters":[{"filter_friendly_name":"\\ud800","expression":"1==1","targets":[{"queue":"${WQ}"}]}]}}`;
      await refused(() => send('POST', ws('Workflows'), { body: form({ FriendlyName: 'poison', Configuration: configuration }) }), 400,
        /Configuration has a string that is not valid text at "task_routing.filters\[0\].filter_friendly_name"/);
    });

    it.each([
      ['Page=1e20', 20001], ['Page=-1', 20001], ['Page=1000001', 20001], ['PageSize=1001', 20007], ['PageSize=0', 20001],
    ])('answers %s 400 with code %d', async (query, code) => {
      const answer = await refused(() => send('GET', `${ws('Workers')}?${query}`), 400);
      expect(JSON.parse(answer.text).code).toBe(code);
    });

    it('refuses JSON bodies with 415, so a non-string value never reaches a parameter reader', async () => {
      const json = { 'content-type': 'application/json' };
      await refused(() => send('POST', ws('TaskQueues'), { body: '{"FriendlyName":"q","MaxReservedWorkers":5}', headers: json }), 415);
      await refused(() => send('POST', ws('Workers'), { body: JSON.stringify({ FriendlyName: { a: 'x'.repeat(100_000) } }), headers: json }), 415);
      const workers = (await api.ok('GET', ws('Workers'))).workers as Array<{ friendly_name: string }>;
      expect(workers.map((w) => w.friendly_name)).toEqual(['edge']);
    });

    it.each([
      ['multipart', { 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="FriendlyName"\r\n\r\nrenamed\r\n--b--\r\n'],
      ['text/plain', { 'content-type': 'text/plain' }, 'FriendlyName=renamed'],
      ['no Content-Type', { 'content-type': '' }, 'FriendlyName=renamed'],
    ])('answers an update with a %s body 415 and changes nothing', async (_, headers, body) => {
      await refused(() => send('POST', ws(`Workers/${WK}`), { body, headers }), 415);
      expect((await api.ok('GET', ws(`Workers/${WK}`))).friendly_name).toBe('edge');
    });

    it('still takes an update with no body at all: a request without parameters', async () => {
      const answer = await send('POST', ws(`Workers/${WK}`));
      expect(answer.status).toBe(200);
    });
  });

  describe("no accepted request produces an event over the log's bound", () => {
    const serializedSize = async (type: string, workflowSid: string) => {
      const { rows } = await pool.query(
        `SELECT position::text, transaction_id::text, stream_id, stream_version, type, schema_version, data, metadata, recorded_at
         FROM "${name}".events WHERE type = $1 AND data->>'workflowSid' = $2`, [type, workflowSid]);
      expect(rows).toHaveLength(1);
      const row = rows[0];
      // As the outbox relay sends it: the whole StoredEvent as JSON, more than the store counts.
      const stored = {
        position: row.position, transactionId: row.transaction_id, streamId: row.stream_id, streamVersion: row.stream_version, type: row.type,
        schemaVersion: row.schema_version, data: row.data, metadata: row.metadata, recordedAt: new Date(row.recorded_at).toISOString(),
      };
      return Buffer.byteLength(JSON.stringify(stored));
    };
    const routedOn = async (workflowSid: string) => {
      const task = await api.ok('POST', ws('Tasks'), { WorkflowSid: workflowSid, Attributes: JSON.stringify({ nothing: 0 }) });
      const routed = async () => ((await api.ok('GET', ws(`Tasks/${task.sid}`))).task_queue_sid === WQ ? true : undefined);
      await eventually(routed, { what: 'the task to be routed' });
      return serializedSize('TaskRouted', workflowSid);
    };

    it('takes the issue’s 1,029,999-byte configuration dense with quotes: its event, about 2 MB, is within the bound', async () => {
      const configuration = JSON.stringify({ task_routing: { default_filter: { queue: WQ } }, note: `${'"'.repeat(514_953)}x` });
      expect(Buffer.byteLength(configuration)).toBe(1_029_999);
      const created = await api.ok('POST', ws('Workflows'), { FriendlyName: 'edge-dense', Configuration: configuration });
      const size = await serializedSize('WorkflowCreated', created.sid);
      expect(size).toBeGreaterThan(2 * 1_029_999);
      expect(size).toBeLessThanOrEqual(EVENT_SIZE_BOUND_BYTES);
      expect(await routedOn(created.sid)).toBeLessThan(10_000);
    });

    it('refuses a TargetWorkers expression of 1.4 million characters', async () => {
      const targetWorkers = `${'a == 1 OR '.repeat(140_000)}1==1`;
      const create = () => send('POST', ws('TaskQueues'), { body: form({ FriendlyName: 'huge', TargetWorkers: targetWorkers }) });
      await refused(create, 400, /^TargetWorkers is 1400004 characters long/);
    });

    it('refuses a body whose values would take more than the budget once stored (raw control characters grow sixfold)', async () => {
      const body = Array.from({ length: 300 }, (_, i) => `P${i}=${'%01'.repeat(4_000)}`).join('&');
      expect(300 * 6 * 4_000).toBeGreaterThan(MAX_STORED_PARAMETER_BYTES);
      await refused(() => send('POST', ws('Workers'), { body: `FriendlyName=budget&${body}` }), 400, /^P\d+ takes 24\d{3} bytes once stored/);
    });

    it('takes the largest workflow of filters the documented limit allows, and the routing decision over all of them fits too', async () => {
      // Filters that never match, with 4,096-character expressions and 64-character names: the
      // routing explanation names every one of them, so it is as large as the document allows.
      const expression = `${'nothing == 1 OR '.repeat(254)}nothing == 2`.padEnd(4_096, ' ');
      const filter = (i: number) => ({ filter_friendly_name: `${i}`.padStart(64, 'f'), expression, targets: [{ queue: WQ }] });
      const filters = (count: number) => Array.from({ length: count }, (_, i) => filter(i));
      const document = (count: number) => JSON.stringify({ task_routing: { filters: filters(count), default_filter: { queue: WQ } } });
      const perFilter = Buffer.byteLength(document(2)) - Buffer.byteLength(document(1));
      let count = Math.floor((1_038_576 - Buffer.byteLength(document(0))) / perFilter);
      while (Buffer.byteLength(document(count)) > 1_038_576) count--;
      const configuration = document(count);
      const created = await api.ok('POST', ws('Workflows'), { FriendlyName: 'edge-largest', Configuration: configuration });
      const workflowCreated = await serializedSize('WorkflowCreated', created.sid);
      const routed = await routedOn(created.sid);
      expect(routed).toBeGreaterThan(count * 4_096);
      expect(Math.max(workflowCreated, routed)).toBeLessThanOrEqual(EVENT_SIZE_BOUND_BYTES);
      process.stdout.write(`largest workflow: ${count} filters, Configuration ${Buffer.byteLength(configuration)} bytes (${storedLength(configuration)} stored); `
        + `WorkflowCreated ${workflowCreated} bytes, TaskRouted ${routed} bytes serialized\n`);
    });
  });

  describe('links come from PUBLIC_URL, never from the Host header (finding 6)', () => {
    it.each([
      ['the Host header', { host: 'evil.example' }],
      ['X-Forwarded-Host and -Proto', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'gopher' }],
    ])('ignores %s in url, links and paging URLs', async (_, headers) => {
      const one = await send('GET', `Workspaces/${WS}`, { headers });
      const base = `${PUBLIC_URL}/v1/Workspaces/${WS}`;
      expect(JSON.parse(one.text)).toMatchObject({ url: base, links: { activities: `${base}/Activities` } });
      const page = JSON.parse((await send('GET', `${ws('Workers')}?PageSize=1`, { headers })).text);
      expect(page.meta.url).toBe(`${PUBLIC_URL}/v1/Workspaces/${WS}/Workers?PageSize=1&Page=0`);
      expect(JSON.stringify([one.text, page])).not.toContain('evil.example');
    });
  });

  describe('unsupported methods and the filters’ rate limit (finding 7)', () => {
    it.each([
      ['PUT', 'Workspaces', 'GET, HEAD, POST'],
      ['DELETE', `Workspaces/{WS}`, 'GET, HEAD, POST'],
      ['PATCH', 'Workspaces/{WS}/Workers/{WK}', 'DELETE, GET, HEAD, POST'],
      ['POST', 'Workspaces/{WS}/Tasks/WT00000000000000000000000000000001/RoutingExplanation', 'GET, HEAD'],
    ])('answers %s %s 405 with Allow: %s', async (method, path, allow) => {
      const request = () => send(method, path.replace('{WS}', WS).replace('{WK}', WK));
      const answer = await refused(request, 405, new RegExp(`Method ${method} is not allowed`));
      expect(answer.headers['allow']).toBe(allow);
    });

    it('answers a path nothing serves 404', async () => {
      await refused(() => send('GET', ws('Nothing')), 404);
      await refused(() => send('PUT', 'Nothing'), 404);
    });

    it('answers the 31st TargetWorkersExpression list in 10 seconds 429 with Retry-After', async () => {
      const list = () => send('GET', `${ws('Workers')}?TargetWorkersExpression=${encodeURIComponent('1==1')}`);
      const answers: RawResponse[] = [];
      for (let i = 0; i < 31; i++) answers.push(await list());
      const limited = answers.filter((answer) => answer.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(isTaskRouterErrorBody(limited[0])).toBe(true);
      expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited[0].headers['retry-after'])).toBeLessThanOrEqual(10);
    });
  });
});
