import { cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, uniqueName, type RunningServices } from '@taskrouter/testing';

interface ServerSentEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data: any;
}

/** An open text/event-stream response, its events collected as they arrive. */
class LiveStream {
  readonly events: ServerSentEvent[] = [];
  private readonly controller = new AbortController();
  status = 0;

  static async open(url: string, headers: Record<string, string> = {}): Promise<LiveStream> {
    const stream = new LiveStream();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', authorization: `Basic ${Buffer.from('AC00000000000000000000000000000001:test-token').toString('base64')}`, ...headers },
      signal: stream.controller.signal,
    });
    stream.status = response.status;
    if (response.ok) void stream.read(response.body!);
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || !line.includes(':')) continue;
            fields.set(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart());
          }
          if (fields.has('data')) this.events.push({ id: fields.get('id'), event: fields.get('event'), data: JSON.parse(fields.get('data')!) });
        }
      }
    } catch {
      // Closed by the test.
    }
  }

  close(): void {
    this.controller.abort();
  }
}

/**
 * Beyond TaskRouter: real-time statistics and Events as live streams (server-sent events), so a
 * wallboard needs no polling and an Events reader resumes where it stopped.
 */
describe('live streams', () => {
  const name = uniqueName('live');
  let services: RunningServices;
  let api: TaskRouterTestClient;
  let ws: string;
  let workflow: string;
  const streams: LiveStream[] = [];

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    api = new TaskRouterTestClient(services.baseUrl);
    ws = (await api.ok('POST', 'Workspaces', { FriendlyName: 'live' })).sid;
    const queue = (await api.ok('POST', `Workspaces/${ws}/TaskQueues`, { FriendlyName: 'q', TargetWorkers: '1==1' })).sid;
    workflow = (await api.ok('POST', `Workspaces/${ws}/Workflows`, {
      FriendlyName: 'wf', Configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } }),
    })).sid;
  });

  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await services?.stop();
    await cleanUpTestStack(name);
  });

  const open = async (path: string, headers?: Record<string, string>) => {
    const stream = await LiveStream.open(`${services.baseUrl}/v1/${path}`, headers);
    streams.push(stream);
    return stream;
  };
  const newTask = async () => (await api.ok('POST', `Workspaces/${ws}/Tasks`, { WorkflowSid: workflow, Attributes: '{}' })).sid as string;

  it('pushes the real-time statistics at once, then again when a task changes them', async () => {
    const stream = await open(`Workspaces/${ws}/RealTimeStatistics`);
    expect(stream.status).toBe(200);
    const first = await eventually(async () => stream.events[0], { what: 'the first figures' });
    expect(first.event).toBe('statistics');
    const before = first.data.total_tasks as number;
    // The same body as the plain request.
    expect(Object.keys(first.data).sort()).toEqual(Object.keys(await api.ok('GET', `Workspaces/${ws}/RealTimeStatistics`)).sort());
    await newTask();
    const later = await eventually(async () => stream.events.find((e) => e.data.total_tasks === before + 1), { what: 'figures with the new task' });
    expect(later.data.tasks_by_status.pending + later.data.tasks_by_status.reserved).toBeGreaterThanOrEqual(1);
  });

  it('answers a bad request as usual instead of opening a stream', async () => {
    const stream = await open(`Workspaces/${ws}/TaskQueues/WQ00000000000000000000000000000000/RealTimeStatistics`);
    expect(stream.status).toBe(404);
  });

  it('streams new Events that pass the filters, and resumes after Last-Event-ID', async () => {
    const stream = await open(`Workspaces/${ws}/Events?EventType=task.created`);
    expect(stream.status).toBe(200);
    // Wait until the stream is live: a task created from now on is seen.
    const firstTask = await eventually(async () => {
      const sid = await newTask();
      return (await eventually(async () => stream.events.find((e) => e.data.resource_sid === sid), { what: 'task.created', timeoutMs: 3_000 }).catch(() => undefined)) ? sid : undefined;
    }, { what: 'a live task.created' });
    const seen = stream.events.find((e) => e.data.resource_sid === firstTask)!;
    expect(seen).toMatchObject({ event: 'event', id: seen.data.sid, data: { event_type: 'task.created', workspace_sid: ws } });
    expect(stream.events.every((e) => e.data.event_type === 'task.created')).toBe(true);
    expect(await api.ok('GET', `Workspaces/${ws}/Events/${seen.id}`)).toEqual(seen.data);

    stream.close();
    const missed = [await newTask(), await newTask()];
    const resumed = await open(`Workspaces/${ws}/Events?EventType=task.created`, { 'last-event-id': seen.id! });
    const caughtUp = await eventually(async () => {
      const sids = resumed.events.map((e) => e.data.resource_sid);
      return missed.every((sid) => sids.includes(sid)) ? sids : undefined;
    }, { what: 'the Events missed while away' });
    expect(caughtUp).not.toContain(firstTask);
    expect(caughtUp.indexOf(missed[0])).toBeLessThan(caughtUp.indexOf(missed[1]));
  });
});
