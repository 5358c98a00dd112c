import fc from 'fast-check';
import { Pool } from 'pg';
import {
  cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, uniqueName, type RunningServices,
} from '@taskrouter/testing';
import { hostileRequests, type HostileRequest } from './test-support/hostile-requests';
import { inParallel, isTaskRouterErrorBody, RawHttpClient, type RawResponse } from './test-support/raw-http-client';
import type { Fixture } from './test-support/taskrouter-endpoints';

/** 100 batches of 100: at least 10,000 refused requests per run (FUZZ_RUNS raises or lowers the batch count). */
const BATCH = 100;
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const CONCURRENCY = 16;
const REQUEST_TIMEOUT_MS = 15_000;
const ACCOUNT = 'AC00000000000000000000000000000f22';

/**
 * The fuzz suite: fast-check generates requests to every endpoint, each with at least one flaw
 * that makes it invalid (text that is not UTF-8 or holds NUL, escapes of NUL or lone surrogates
 * inside JSON documents, values over their bound, bad pages, bad or missing path segments,
 * bodies TaskRouter does not take, methods a path does not serve, too many parameters, no
 * credentials, values the resource refuses, bodies over 4 MB, headers over 16 KB), around
 * plausible parameters and hostile headers (Host, X-Forwarded-*). Every one must be answered
 * 4xx in TaskRouter's error shape within the timeout, and no batch may append an event.
 */
describe('hostile requests against the running services', () => {
  let services: RunningServices;
  let api: TaskRouterTestClient;
  let http: RawHttpClient;
  let pool: Pool;
  let fixture: Fixture;
  const name = uniqueName('fuzz');

  const eventCount = async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}".events`)).rows[0].n);

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    api = new TaskRouterTestClient(services.baseUrl, ACCOUNT);
    http = new RawHttpClient(services.baseUrl, { concurrency: CONCURRENCY, timeoutMs: REQUEST_TIMEOUT_MS });
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    fixture = await makeFixture(api);
  });

  afterAll(async () => {
    http?.close();
    await pool?.end();
    await services?.stop();
    await cleanUpTestStack(name);
  });

  it(`answers ${BATCH * RUNS} generated bad requests 4xx in TaskRouter's shape, never 5xx, never late, and appends nothing`, async () => {
    const kinds = new Map<string, number>();
    let sent = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(hostileRequests(fixture), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const before = await eventCount();
        const answers = await inParallel(batch, CONCURRENCY, async (hostile) => {
          const answer = await http.send(hostile.request).catch((error: Error) => error);
          return { hostile, answer };
        });
        sent += batch.length;
        for (const { hostile } of answers) kinds.set(hostile.kind, (kinds.get(hostile.kind) ?? 0) + 1);
        const wrong = answers.filter(({ hostile, answer }) => problemWith(hostile, answer) !== undefined);
        const after = await eventCount();
        if (wrong.length > 0 || after !== before) {
          const details = wrong.slice(0, 5).map(({ hostile, answer }) => describeFailure(hostile, answer));
          const summary = `${wrong.length} of ${batch.length} answers were wrong; the log went from ${before} to ${after} events`;
          throw new Error(`${summary}\n${details.join('\n')}`);
        }
      }),
      {
        numRuns: RUNS, endOnFailure: true, seed: process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED),
        // Our own message names the wrong answers; fast-check's would print all 100 requests of the batch.
        reporter: (details) => {
          if (!details.failed) return;
          const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          throw new Error(`FUZZ_SEED=${details.seed}: ${reason}`);
        },
      },
    );
    const seconds = (Date.now() - started) / 1000;
    const byKind = [...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ');
    process.stdout.write(`fuzz: ${sent} bad requests in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s): ${byKind}\n`);
    expect(sent).toBeGreaterThanOrEqual(BATCH * RUNS);
    // A 5xx is logged with its stack by TaskRouterExceptionFilter: none may have happened.
    expect(services.output('task-ingest')).not.toMatch(/ERROR\S*\s+\S*\[http\]/);
  });

  it('still serves the fixture afterwards, with links on the configured base URL whatever the Host header says', async () => {
    const headers = { authorization: basic(ACCOUNT), host: 'evil.example', 'x-forwarded-host': 'evil.example' };
    const workspace = await http.send({ method: 'GET', path: `/v1/Workspaces/${fixture.WS}`, headers });
    expect(workspace.status).toBe(200);
    expect(JSON.parse(workspace.text).url).toBe(`${services.baseUrl}/v1/Workspaces/${fixture.WS}`);
    expect(workspace.text).not.toContain('evil.example');
    const reservation = await api.ok('GET', `Workspaces/${fixture.WS}/Tasks/${fixture.WT}/Reservations/${fixture.WR}`);
    expect(reservation.reservation_status).toBe('pending');
  });
});

/** Why an answer is wrong for a hostile request, or undefined when it is right. */
function problemWith(hostile: HostileRequest, answer: RawResponse | Error): string | undefined {
  if (answer instanceof Error) return `no answer: ${answer.message}`;
  if (answer.status < 400 || answer.status >= 500) return `status ${answer.status}`;
  if (hostile.statuses && !hostile.statuses.includes(answer.status)) return `status ${answer.status}, expected ${hostile.statuses.join(' or ')}`;
  if (!isTaskRouterErrorBody(answer)) return 'not TaskRouter’s error body';
  if (answer.status === 405 && !answer.headers['allow']) return '405 without Allow';
  if (answer.status === 429 && !/^\d+$/.test(String(answer.headers['retry-after']))) return '429 without Retry-After';
  return undefined;
}

function describeFailure(hostile: HostileRequest, answer: RawResponse | Error): string {
  const { method, path, headers, body } = hostile.request;
  const shown = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text);
  const answered = answer instanceof Error ? answer.message : `${answer.status} ${shown(answer.text)}`;
  return [
    `- ${hostile.kind}: ${problemWith(hostile, answer)}`, `  ${method} ${shown(path)}`, `  headers ${shown(JSON.stringify(headers))}`,
    `  body ${shown(body?.toString('latin1') ?? '')}`, `  answered ${answered}`,
  ].join('\n');
}

const basic = (account: string) => `Basic ${Buffer.from(`${account}:fuzz-token`).toString('base64')}`;

/** One of everything a path can name, including a reservation that stays pending (86,400 s to answer) and an Event. */
async function makeFixture(api: TaskRouterTestClient): Promise<Fixture> {
  const WS = (await api.ok('POST', 'Workspaces', { FriendlyName: 'fuzz' })).sid as string;
  const ws = (path: string) => `Workspaces/${WS}/${path}`;
  const activities = (await api.ok('GET', ws('Activities'))).activities as Array<{ sid: string; friendly_name: string }>;
  const WA = activities.find((a) => a.friendly_name === 'Available')!.sid;
  const channels = (await api.ok('GET', ws('TaskChannels'))).channels as Array<{ sid: string; unique_name: string }>;
  const TC = channels.find((c) => c.unique_name === 'default')!.sid;
  const WQ = (await api.ok('POST', ws('TaskQueues'), { FriendlyName: 'fuzz', TargetWorkers: 'fuzz == true' })).sid as string;
  const configuration = JSON.stringify({ task_routing: { default_filter: { queue: WQ } } });
  const WW = (await api.ok('POST', ws('Workflows'), { FriendlyName: 'fuzz', Configuration: configuration, TaskReservationTimeout: 86_400 })).sid;
  const WK = (await api.ok('POST', ws('Workers'), { FriendlyName: 'fuzzer', Attributes: JSON.stringify({ fuzz: true }), ActivitySid: WA })).sid;
  const workerChannels = (await api.ok('GET', ws(`Workers/${WK}/Channels`))).channels as Array<{ sid: string; task_channel_unique_name: string }>;
  const WC = workerChannels.find((c) => c.task_channel_unique_name === 'default')!.sid;
  const WT = (await api.ok('POST', ws('Tasks'), { WorkflowSid: WW, Attributes: JSON.stringify({ fuzz: true }) })).sid as string;
  const WR = await eventually(async () => {
    const reservations = (await api.ok('GET', ws(`Tasks/${WT}/Reservations`))).reservations as Array<{ sid: string; reservation_status: string }>;
    return reservations.find((r) => r.reservation_status === 'pending')?.sid;
  }, { what: 'the fixture task to be reserved' });
  const EV = await eventually(async () => {
    const events = (await api.ok('GET', ws(`Events?Minutes=43200&EventType=task.created&TaskSid=${WT}`))).events as Array<{ sid: string }>;
    return events[0]?.sid;
  }, { what: 'the fixture task\'s task.created Event' });
  return { accountSid: ACCOUNT, WS, WA, TC, WQ, WW, WK, WC, WT, WR, EV };
}
