import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AvailabilityIndex } from '@taskrouter/availability';
import { readInfrastructureConfig } from '@taskrouter/config';
import { KafkaEventTransport, KeepHandlerErrors } from '@taskrouter/messaging';
import {
  PARTITIONS_IN_PARALLEL, QueueMembership, ServiceInfrastructure, WorkflowDefinitions, newSid, openOperations, operatedService, processMetrics, runService, startEventRelay, systemClock,
  timeRedisCommands,
} from '@taskrouter/runtime';
import Redis from 'ioredis';
import { AssignmentService } from './assignment.service';
import { MatcherPorts } from './matcher-ports';
import { QueueMatcherModule } from './queue-matcher.module';
import { QueueWorkerCounts } from './queue-worker-counts';
import { WorkerAvailabilityRefresher } from './worker-availability-refresher';
import { AvailabilityIndexGuard } from './availability-index-guard';

/** How often the matcher checks that Redis still holds the index (one EXISTS). */
const INDEX_CHECK_INTERVAL_MS = 1000;

runService('queue-matcher', async () => {
  const config = readInfrastructureConfig(process.env);
  const operations = await openOperations('queue-matcher', process.env);
  const infrastructure = await ServiceInfrastructure.connect(config, 'queue-matcher');
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  timeRedisCommands(redis, processMetrics.redisCommands);
  const availability = new AvailabilityIndex(redis, { keyPrefix: `${config.topicPrefix}:` });
  const membership = new QueueMembership(infrastructure.queries);
  const refresher = new WorkerAvailabilityRefresher(infrastructure.aggregates, availability, membership);
  const queueWorkers = new QueueWorkerCounts(infrastructure.queries);
  const assignment = new AssignmentService(infrastructure.aggregates, availability, new WorkflowDefinitions(), infrastructure.append, systemClock, newSid, queueWorkers);
  const ports = new MatcherPorts(availability, membership, refresher, assignment, infrastructure.queries);
  const log = (line: string) => process.stderr.write(`queue-matcher: ${line}\n`);
  const guard = new AvailabilityIndexGuard(infrastructure.aggregates, infrastructure.queries, availability, (ws, task) => assignment.matchTask(ws, task), systemClock, log);
  const restored = await guard.restore();
  log(`availability index resynchronised from the log (${restored.workers} workers, ${restored.waitingTasks.length} waiting tasks)`);
  const transport = new KafkaEventTransport(infrastructure.kafka, { groupId: `${config.topicPrefix}.queue-matcher`, topics: Object.values(infrastructure.topics.events), fromBeginning: true, partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL, deadLetters: infrastructure.deadLetters, batchHandler: infrastructure.decideBatches });
  const app = await NestFactory.createMicroservice(QueueMatcherModule.with(ports), { strategy: transport, logger: ['error', 'warn'] });
  // The consumer needs the handler's own error to tell an outage from a poison event.
  app.useGlobalFilters(new KeepHandlerErrors());
  await app.listen();
  const relay = await startEventRelay(infrastructure);
  guard.watch(INDEX_CHECK_INTERVAL_MS);
  guard.offerInBackground(restored.waitingTasks);
  operations.serve(operatedService(infrastructure, relay, redis));
  process.stderr.write('queue-matcher: consuming task and worker events\n');
  return {
    async stop() {
      operations.stopping();
      await guard.stop();
      await relay.stop();
      await app.close();
      redis.disconnect();
      await infrastructure.close();
      await operations.close();
    },
  };
});
