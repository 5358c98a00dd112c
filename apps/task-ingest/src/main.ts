import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readInfrastructureConfig, readOutgoingUrlAllowList, readPort, readPublicUrl } from '@taskrouter/config';
import { ServiceInfrastructure, newSid, openOperations, operatedService, processMetrics, runService, startEventRelay, systemClock } from '@taskrouter/runtime';
import { TaskRouterExceptionFilter } from './http/taskrouter-exception.filter';
import { IngestContext } from './ingest-context';
import { TaskCommands } from './resources/task-commands';
import { CONTROLLERS, TaskIngestModule } from './task-ingest.module';
import { installEdge } from './http/edge/install-edge';
import { installAdmission } from './http/admission/install-admission';
import { readAdmissionSettings } from './http/admission/admission-settings';
import { RouteTable } from './http/route-table';
import { refuseShadowedMethods } from './http/refuse-shadowed-methods';
import { WorkItemIntake } from './work-items/work-item-intake';
import { AssignmentCallbacks } from './callbacks/assignment-callbacks';
import { callbackSigningToken } from './callbacks/callback-signing-token';
import { KeyedLanes } from './webhooks/keyed-lanes';
import { WebhookDispatcher, deliveryOutcomeLabel } from './webhooks/webhook-dispatcher';
import { EventCallbacks } from './webhooks/event-callbacks';
import { readEventCallbackRetryDelays } from './webhooks/event-callback-retries';
import { webhookMigrations } from './webhooks/webhook-migrations';
import { WebhookDrops } from './webhooks/webhook-drops';
import { LiveFeed } from './live/live-feed';
import { endAllStreams } from './live/event-stream';
import { LiveEvents } from './live/live-events';
import { LiveStatisticsInterceptor } from './live/live-statistics.interceptor';
import { migrateSchema } from '@taskrouter/event-store';
import { HistoryProjector, StatisticsQueries } from '@taskrouter/read-model';
import { readJsonStatisticsBody } from './statistics/json-statistics-body';
import { StatisticsService } from './statistics/statistics-service';

/** A workflow configuration may be 1 MB; form encoding can triple it. Larger bodies get 413. */
const MAX_BODY = '4mb';

runService('task-ingest', async () => {
  const config = readInfrastructureConfig(process.env);
  const port = readPort(process.env);
  const host = process.env.HOST ?? '127.0.0.1';
  const publicUrl = readPublicUrl(process.env, { host, port });
  const outgoingUrls = readOutgoingUrlAllowList(process.env);
  const eventCallbackRetryDelays = readEventCallbackRetryDelays(process.env);
  const admissionSettings = readAdmissionSettings(process.env);
  const operations = await openOperations('task-ingest', process.env);
  const infrastructure = await ServiceInfrastructure.connect(config, 'task-ingest', { poolSize: 20 });
  await migrateSchema(infrastructure.pool, config.schema, webhookMigrations);
  // The Events and the cumulative statistics follow the log after the appends; one task-ingest at a time projects them.
  const history = new HistoryProjector(infrastructure.pool, infrastructure.eventStore);
  await history.start();
  const context = new IngestContext(infrastructure.eventStore, infrastructure.projector, infrastructure.queries, systemClock, newSid, {
    accountSid: process.env.TASKROUTER_ACCOUNT_SID || undefined,
    authToken: process.env.TASKROUTER_AUTH_TOKEN || undefined,
  }, history, outgoingUrls, infrastructure.aggregates);
  const signing = callbackSigningToken(context.auth, process.env);
  const statistics = new StatisticsService(context, new StatisticsQueries(infrastructure.pool, config.schema));
  const liveFeed = new LiveFeed(infrastructure.kafka, { groupPrefix: `${config.topicPrefix}.task-ingest.live`, topics: Object.values(infrastructure.topics.events) });
  const app = await NestFactory.create<NestExpressApplication>(TaskIngestModule.with(context, statistics, new LiveEvents(liveFeed, context.queries.events, history)), {
    bodyParser: false, logger: ['error', 'warn'],
  });
  // Admission first: a request shed under overload costs no body read, no auth, no query.
  const admission = await installAdmission(app, infrastructure, admissionSettings, (line) => process.stderr.write(`task-ingest: ${line}\n`));
  const routes = new RouteTable(CONTROLLERS);
  app.use(refuseShadowedMethods(routes));
  // The bulk statistics request's JSON body, read before the edge, which takes form bodies only.
  app.use(readJsonStatisticsBody);
  installEdge(app, { maxBody: MAX_BODY, publicUrl });
  app.useGlobalFilters(new TaskRouterExceptionFilter(routes));
  app.useGlobalInterceptors(new LiveStatisticsInterceptor(liveFeed));
  app.enableShutdownHooks();
  await app.listen(port, host);
  const intake = new WorkItemIntake(infrastructure.kafka, app.get(TaskCommands), { workItems: infrastructure.topics.workItems, rejected: infrastructure.topics.rejectedWorkItems }, `${config.topicPrefix}.task-ingest.work-items`, infrastructure.deadLetters, admission.workItems);
  await intake.start();
  // The callbacks' decisions join the API's group commit: an accept shares a transaction with the requests beside it.
  // Every outgoing call leaves through one dispatcher: a queue per destination, so a slow endpoint delays only its own calls.
  const webhooks = new WebhookDispatcher({
    allowList: outgoingUrls, signingToken: signing.token,
    onDelivered: (purpose, outcome) => processMetrics.webhookDeliveries.add(purpose, deliveryOutcomeLabel(outcome)),
  });
  const callbacks = new AssignmentCallbacks(infrastructure.kafka, context.aggregates, context.append, systemClock, webhooks, {
    groupId: `${config.topicPrefix}.task-ingest.assignment-callbacks`, topic: infrastructure.topics.events.tasks, deadLetters: infrastructure.deadLetters,
    instructions: context.instructions, deliveries: new KeyedLanes(),
  });
  await callbacks.start();
  const eventCallbacks = new EventCallbacks(infrastructure.kafka, context.aggregates, context.queries.events, history, webhooks, new WebhookDrops(infrastructure.pool, config.schema), {
    groupId: `${config.topicPrefix}.task-ingest.event-callbacks`, topics: Object.values(infrastructure.topics.events), deadLetters: infrastructure.deadLetters,
    lanes: new KeyedLanes(), retryDelaysMs: eventCallbackRetryDelays,
  });
  await eventCallbacks.start();
  const relay = await startEventRelay(infrastructure);
  operations.serve(operatedService(infrastructure, relay));
  if (signing.announcement) process.stdout.write(`task-ingest: ${signing.announcement}\n`);
  process.stdout.write(`task-ingest: TaskRouter API listening on http://${host}:${port}/v1 (links point to ${publicUrl}/v1)\n`);
  return {
    async stop() {
      operations.stopping();
      endAllStreams();
      await liveFeed.stop();
      await Promise.all([eventCallbacks.stop(), callbacks.stop()]);
      await intake.stop();
      await relay.stop();
      await history.stop();
      await app.close();
      await admission.stop();
      await infrastructure.close();
      await operations.close();
    },
  };
});
