import {
  SERVICE_NAMES, TaskRouterTestClient, cleanUpTestStack, eventually, freePort, prometheusSamples, sampleSum, startServices, uniqueName,
  type PrometheusSample, type RunningServices, type ServiceName,
} from '@taskrouter/testing';
import { oneQueueWorkspace } from './test-support/one-queue-workspace';

/** Health and metrics of the four services, seen from outside as Prometheus and a probe see them. */
describe('the operations endpoints of the four services', () => {
  let services: RunningServices;
  let api: TaskRouterTestClient;
  const name = uniqueName('ops');

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    api = new TaskRouterTestClient(services.baseUrl);
  });

  afterAll(async () => {
    await services?.stop();
    await cleanUpTestStack(name);
  });

  const get = async (service: ServiceName, path: string) => {
    const response = await fetch(`${services.operationsUrl(service)}${path}`);
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  };
  const metricsOf = async (service: ServiceName): Promise<PrometheusSample[]> => prometheusSamples((await get(service, '/metrics')).text);

  it('answers live and ready on every service once started', async () => {
    for (const service of SERVICE_NAMES) {
      const live = await get(service, '/health/live');
      expect([service, live.status, JSON.parse(live.text)]).toEqual([service, 200, { status: 'ok' }]);
      const ready = await get(service, '/health/ready');
      expect([service, ready.status]).toEqual([service, 200]);
      const body = JSON.parse(ready.text) as { status: string; failed: string[]; checks: Record<string, { ok: boolean }> };
      expect(body.status).toBe('ready');
      expect(Object.keys(body.checks)).toEqual(expect.arrayContaining(['postgres', 'kafka', 'consumers']));
    }
    expect(Object.keys(JSON.parse((await get('queue-matcher', '/health/ready')).text).checks)).toContain('redis');
  });

  it('moves the counters of every service when a task is created and reserved', async () => {
    const before = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (service) => [service, await metricsOf(service)] as const))) as Record<ServiceName, PrometheusSample[]>;
    const setUp = await oneQueueWorkspace(api, 'ops');
    await api.ok('POST', setUp.ws('Workers'), { FriendlyName: 'agent', ActivitySid: setUp.available });
    const taskSid = (await api.ok('POST', setUp.ws('Tasks'), { WorkflowSid: setUp.workflow, Attributes: '{}' })).sid as string;
    await eventually(async () => ((await api.ok('GET', setUp.ws(`Tasks/${taskSid}/Reservations`))).reservations.length > 0 ? true : undefined), { what: 'a reservation' });

    const moved = (service: ServiceName, after: PrometheusSample[], metric: string, labels: Record<string, string> = {}) =>
      sampleSum(after, metric, labels) - sampleSum(before[service], metric, labels);
    await eventually(async () => {
      const [ingest, evaluator, matcher, timer] = await Promise.all(SERVICE_NAMES.map(metricsOf));
      const tasksTopic = `${name}.events.tasks`;
      const movements = {
        taskCreatedAppended: moved('task-ingest', ingest, 'taskrouter_events_appended_total', { type: 'TaskCreated' }),
        apiDecisionsCommitted: moved('task-ingest', ingest, 'taskrouter_decisions_total', { kind: 'api-command', outcome: 'committed' }),
        routedAppended: moved('workflow-evaluator', evaluator, 'taskrouter_events_appended_total', { type: 'TaskRouted' }),
        routingCommitted: moved('workflow-evaluator', evaluator, 'taskrouter_decisions_total', { kind: 'routing', outcome: 'committed' }),
        evaluatorConsumedTasks: moved('workflow-evaluator', evaluator, 'taskrouter_events_consumed_total', { topic: tasksTopic }),
        reservationsCreated: moved('queue-matcher', matcher, 'taskrouter_reservations_total', { outcome: 'created' }),
        creationToReservation: moved('queue-matcher', matcher, 'taskrouter_task_creation_to_reservation_seconds_count'),
        matcherConsumedTasks: moved('queue-matcher', matcher, 'taskrouter_events_consumed_total', { topic: tasksTopic }),
        redisCommands: moved('queue-matcher', matcher, 'taskrouter_redis_command_seconds_count'),
        timerConsumedTasks: moved('reservation-timer', timer, 'taskrouter_events_consumed_total', { topic: tasksTopic }),
        ingestQueries: moved('task-ingest', ingest, 'taskrouter_postgres_query_seconds_count'),
      };
      return Object.values(movements).every((delta) => delta > 0) ? movements : undefined;
    }, { what: 'every counter to move', timeoutMs: 20_000 });

    // Exactly one of the four publishes the log (the relay's lease): what it published moved, and its backlog is a number.
    const all = await Promise.all(SERVICE_NAMES.map(metricsOf));
    const holders = all.filter((samples) => sampleSum(samples, 'taskrouter_relay_lease_held') === 1);
    expect(holders).toHaveLength(1);
    expect(sampleSum(holders[0], 'taskrouter_relay_published_events_total')).toBeGreaterThan(0);
    expect(sampleSum(holders[0], 'taskrouter_relay_backlog_events')).toBeGreaterThanOrEqual(0);
    for (const service of SERVICE_NAMES) expect([service, (await get(service, '/health/ready')).status]).toEqual([service, 200]);
  });

  it('reports the lag of every partition of the matcher group, in the Prometheus text format', async () => {
    const metrics = await get('queue-matcher', '/metrics');
    expect(metrics.type).toContain('text/plain');
    expect(metrics.text).toContain('# TYPE taskrouter_consumer_lag gauge');
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    const lags = prometheusSamples(metrics.text).filter((sample) => sample.name === 'taskrouter_consumer_lag' && sample.labels.group === `${name}.queue-matcher`);
    // Three event topics of 12 partitions each; everything is handled by now, give or take the commit interval.
    expect(lags).toHaveLength(36);
    await eventually(async () => {
      const now = prometheusSamples((await get('queue-matcher', '/metrics')).text);
      return sampleSum(now, 'taskrouter_consumer_lag', { group: `${name}.queue-matcher` }) === 0 ? true : undefined;
    }, { what: 'the matcher group caught up', timeoutMs: 15_000 });
  });
});
