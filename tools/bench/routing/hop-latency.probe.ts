import { EventConsumer, KafkaConnection } from '@taskrouter/messaging';
import { cleanUpTestStack, freePort, startServices, TaskRouterTestClient, testKafkaBrokers, uniqueName, eventually } from '@taskrouter/testing';

/**
 * Where a task's time goes between hops at idle: for each event of one task, when it was
 * recorded (its transaction started) and when it arrived on the Kafka topic.
 *   node -r ./tools/register.js tools/bench/routing/hop-latency.probe.ts
 */
const ROUNDS = Number(process.env.PROBE_ROUNDS ?? 5);

async function main() {
  const name = uniqueName('probe');
  const services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
  const arrivals: Array<{ type: string; recordedAt: number; arrivedAt: number; stream: string }> = [];
  const consumer = new EventConsumer(new KafkaConnection({ brokers: testKafkaBrokers(), clientId: 'probe' }), {
    groupId: `${name}.probe`, topics: [`${name}.events.tasks`], fromBeginning: true,
    handler: async (record) => {
      const event = JSON.parse(record.value!);
      arrivals.push({ type: event.type, recordedAt: Date.parse(event.recordedAt), arrivedAt: Date.now(), stream: event.streamId });
    },
  });
  await consumer.start();
  try {
    const api = new TaskRouterTestClient(services.baseUrl);
    const ws = (await api.ok('POST', 'Workspaces', { FriendlyName: 'probe' })).sid;
    const available = (await api.ok('GET', `Workspaces/${ws}/Activities?FriendlyName=Available`)).activities[0].sid;
    const q = (await api.ok('POST', `Workspaces/${ws}/TaskQueues`, { FriendlyName: 'q', TargetWorkers: '1==1' })).sid;
    const flow = (await api.ok('POST', `Workspaces/${ws}/Workflows`, { FriendlyName: 'f', Configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: q } } }) })).sid;
    // One worker of capacity 1 per round, so every round finds a free worker.
    for (let i = 0; i < ROUNDS; i++) await api.ok('POST', `Workspaces/${ws}/Workers`, { FriendlyName: `w${i}`, ActivitySid: available });
    await new Promise((r) => setTimeout(r, 2000));
    for (let round = 0; round < ROUNDS; round++) {
      const posted = Date.now();
      const task = (await api.ok('POST', `Workspaces/${ws}/Tasks`, { WorkflowSid: flow, Attributes: '{}' })).sid;
      await eventually(async () => (arrivals.some((a) => a.stream === `task:${task}` && a.type === 'TaskReserved') ? true : undefined));
      const mine = arrivals.filter((a) => a.stream === `task:${task}`);
      console.log(`task ${round}: ` + mine.map((a) => `${a.type} recorded +${a.recordedAt - posted} ms, on Kafka +${a.arrivedAt - posted} ms`).join(' | '));
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await consumer.stop();
    await services.stop();
    await cleanUpTestStack(name);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
