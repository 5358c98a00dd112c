import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readInfrastructureConfig, readPort } from '@taskrouter/config';
import { ServiceInfrastructure, newSid, runService, startEventRelay, systemClock } from '@taskrouter/runtime';
import { TaskRouterExceptionFilter } from './http/taskrouter-exception.filter';
import { IngestContext } from './ingest-context';
import { TaskCommands } from './resources/task-commands';
import { TaskIngestModule } from './task-ingest.module';
import { WorkItemIntake } from './work-items/work-item-intake';
import { AssignmentCallbacks } from './callbacks/assignment-callbacks';

/** A workflow configuration may be 1 MB; form encoding can triple it. Larger bodies get 413. */
const MAX_BODY = '4mb';

runService('task-ingest', async () => {
  const config = readInfrastructureConfig(process.env);
  const port = readPort(process.env);
  const host = process.env.HOST ?? '127.0.0.1';
  const infrastructure = await ServiceInfrastructure.connect(config, 'task-ingest', { poolSize: 20 });
  const context = new IngestContext(infrastructure.eventStore, infrastructure.projector, infrastructure.queries, systemClock, newSid, {
    accountSid: process.env.TASKROUTER_ACCOUNT_SID || undefined,
    authToken: process.env.TASKROUTER_AUTH_TOKEN || undefined,
  });
  const app = await NestFactory.create<NestExpressApplication>(TaskIngestModule.with(context), { bodyParser: false, logger: ['error', 'warn'] });
  app.useBodyParser('urlencoded', { extended: false, limit: MAX_BODY });
  app.useBodyParser('json', { limit: MAX_BODY });
  app.useGlobalFilters(new TaskRouterExceptionFilter());
  app.enableShutdownHooks();
  await app.listen(port, host);
  const intake = new WorkItemIntake(infrastructure.kafka, app.get(TaskCommands), { workItems: infrastructure.topics.workItems, rejected: infrastructure.topics.rejectedWorkItems }, `${config.topicPrefix}.task-ingest.work-items`);
  await intake.start();
  const callbacks = new AssignmentCallbacks(infrastructure.kafka, infrastructure.aggregates, infrastructure.append, systemClock, context.auth.authToken, {
    groupId: `${config.topicPrefix}.task-ingest.assignment-callbacks`, topic: infrastructure.topics.events.tasks,
  });
  await callbacks.start();
  const relay = await startEventRelay(infrastructure);
  process.stdout.write(`task-ingest: TaskRouter API listening on http://${host}:${port}/v1\n`);
  return {
    async stop() {
      await callbacks.stop();
      await intake.stop();
      await relay.stop();
      await app.close();
      await infrastructure.close();
    },
  };
});
