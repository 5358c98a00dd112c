import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AvailabilityIndex } from '@taskrouter/availability';
import { readInfrastructureConfig } from '@taskrouter/config';
import { KafkaEventTransport } from '@taskrouter/messaging';
import { PARTITIONS_IN_PARALLEL, QueueMembership, ServiceInfrastructure, WorkflowDefinitions, newSid, runService, startEventRelay, systemClock } from '@taskrouter/runtime';
import Redis from 'ioredis';
import { AssignmentService } from './assignment.service';
import { MatcherPorts } from './matcher-ports';
import { QueueMatcherModule } from './queue-matcher.module';
import { QueueWorkerCounts } from './queue-worker-counts';
import { WorkerAvailabilityRefresher } from './worker-availability-refresher';

runService('queue-matcher', async () => {
  const config = readInfrastructureConfig(process.env);
  const infrastructure = await ServiceInfrastructure.connect(config, 'queue-matcher');
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  const availability = new AvailabilityIndex(redis, { keyPrefix: `${config.topicPrefix}:` });
  const membership = new QueueMembership(infrastructure.queries);
  const refresher = new WorkerAvailabilityRefresher(infrastructure.aggregates, availability, membership);
  const queueWorkers = new QueueWorkerCounts(infrastructure.queries);
  const assignment = new AssignmentService(infrastructure.aggregates, availability, new WorkflowDefinitions(), infrastructure.append, systemClock, newSid, queueWorkers);
  const ports = new MatcherPorts(availability, membership, refresher, assignment, infrastructure.queries);
  const resynced = await refresher.resyncAll(infrastructure.queries);
  process.stderr.write(`queue-matcher: availability index resynchronised from the log (${resynced} workers)\n`);
  const transport = new KafkaEventTransport(infrastructure.kafka, { groupId: `${config.topicPrefix}.queue-matcher`, topics: Object.values(infrastructure.topics.events), fromBeginning: true, partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL });
  const app = await NestFactory.createMicroservice(QueueMatcherModule.with(ports), { strategy: transport, logger: ['error', 'warn'] });
  await app.listen();
  const relay = await startEventRelay(infrastructure);
  process.stderr.write('queue-matcher: consuming task and worker events\n');
  return {
    async stop() {
      await relay.stop();
      await app.close();
      redis.disconnect();
      await infrastructure.close();
    },
  };
});
