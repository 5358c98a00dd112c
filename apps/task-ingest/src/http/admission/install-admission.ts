import type { NestExpressApplication } from '@nestjs/platform-express';
import { eventRelayName, type ServiceInfrastructure } from '@taskrouter/runtime';
import { AdmissionGate } from './admission-gate';
import { admissionMiddleware } from './admission-middleware';
import type { AdmissionSettings } from './admission-settings';
import { BacklogSampler } from './backlog-sampler';
import { ConsumerGroupLag } from './consumer-group-lag';
import { readRelayBacklog } from './relay-backlog';
import { holdWorkItemsWhileShedding, type WorkItemAdmission } from './work-item-admission';

export interface Admission {
  readonly gate: AdmissionGate;
  readonly workItems: WorkItemAdmission;
  stop(): Promise<void>;
}

/**
 * Admission under overload (docs/limits.md): installs the middleware first in the pipeline and
 * starts the backlog sampler (unless `ADMISSION_BACKLOG_HIGH=off`). Call it before installEdge.
 * The routing consumers are the groups `workflow-evaluator` and `queue-matcher` name in their
 * main.ts (`<prefix>.workflow-evaluator` on the task and configuration topics,
 * `<prefix>.queue-matcher` on every event topic).
 */
export async function installAdmission(
  app: NestExpressApplication, infrastructure: ServiceInfrastructure, settings: AdmissionSettings, log: (line: string) => void,
): Promise<Admission> {
  const marks = settings.backlogHigh === null ? null : { high: settings.backlogHigh, low: settings.backlogLow };
  const gate = new AdmissionGate({ limits: settings, marks, retryAfterMaxSeconds: settings.retryAfterMaxSeconds, log });
  app.use(admissionMiddleware(gate));
  const workItems = holdWorkItemsWhileShedding(() => gate.createsAdmitted, { pollMs: settings.sampleMs, maxWaitMs: 5000 });
  if (!marks) return { gate, workItems, stop: async () => undefined };

  const { config, topics, pool } = infrastructure;
  const lag = new ConsumerGroupLag(config.kafkaBrokers, 'task-ingest-admission');
  const groups = [
    { groupId: `${config.topicPrefix}.workflow-evaluator`, topics: [topics.events.tasks, topics.events.config] },
    { groupId: `${config.topicPrefix}.queue-matcher`, topics: Object.values(topics.events) },
  ];
  const relayName = eventRelayName(config.topicPrefix);
  // Counting past twice the high mark would only make a long backlog's sample slower.
  const cap = Math.max(2 * marks.high, 1000);
  const sampler = new BacklogSampler({
    relay: () => readRelayBacklog(pool, config.schema, relayName, cap),
    consumers: async () => {
      const [evaluator, matcher] = await lag.sample(groups);
      return [evaluator, matcher] as const;
    },
  }, (reading, atMs) => gate.observe(reading, atMs), { intervalMs: settings.sampleMs, staleAfterMs: Math.max(5000, 10 * settings.sampleMs), log });
  await sampler.start();
  return {
    gate, workItems,
    async stop() {
      await sampler.stop();
      await lag.close();
    },
  };
}
