import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readInfrastructureConfig } from '@taskrouter/config';
import { migrateSchema, type BatchDecision } from '@taskrouter/event-store';
import { KafkaEventTransport, KeepHandlerErrors } from '@taskrouter/messaging';
import { PARTITIONS_IN_PARALLEL, ServiceInfrastructure, openOperations, operatedService, runService, startEventRelay, systemClock } from '@taskrouter/runtime';
import { ReservationTimerModule } from './reservation-timer.module';
import { timerChangeBatches } from './timer-change-batches';
import { TimerChangeGroups } from './timer-change-groups';
import { TimerFiringService } from './timer-firing.service';
import { startTimerLoop } from './timer-loop';
import { timerMigrations } from './timer-migrations';
import { TimerStore } from './timer-store';

/** How often an idle timer loop looks for due deadlines: the resolution of every timeout. */
const TIMER_POLL_MS = 100;

runService('reservation-timer', async () => {
  const config = readInfrastructureConfig(process.env);
  const operations = await openOperations('reservation-timer', process.env);
  const infrastructure = await ServiceInfrastructure.connect(config, 'reservation-timer');
  await migrateSchema(infrastructure.pool, config.schema, timerMigrations);
  const timers = new TimerStore(infrastructure.pool, config.schema);
  // A tick's decisions go to the log together, as a consumer batch's do.
  const log = { commit: (decisions: BatchDecision[]) => infrastructure.eventStore.appendBatch(decisions, (tx, events) => infrastructure.projector.project(tx, events)), committed: infrastructure.aggregates.acceptBatch };
  const firing = new TimerFiringService(infrastructure.aggregates, timers, (appends) => infrastructure.append(appends), log, systemClock);
  const transport = new KafkaEventTransport(infrastructure.kafka, { groupId: `${config.topicPrefix}.reservation-timer`, topics: [infrastructure.topics.events.tasks], fromBeginning: true, partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL, deadLetters: infrastructure.deadLetters, batchHandler: timerChangeBatches(new TimerChangeGroups(timers)) });
  // Deadlines already scheduled fire at once, and the relay runs, before the consumer joins its
  // group: after a crash that join waits for the dead member's session to expire (about 30 s).
  const loop = startTimerLoop(() => firing.tick(), TIMER_POLL_MS, (error) => process.stderr.write(`reservation-timer: ${(error as Error).stack ?? error}\n`));
  const relay = await startEventRelay(infrastructure);
  const app = await NestFactory.createMicroservice(ReservationTimerModule.with(timers), { strategy: transport, logger: ['error', 'warn'] });
  // The consumer needs the handler's own error to tell an outage from a poison event.
  app.useGlobalFilters(new KeepHandlerErrors());
  await app.listen();
  operations.serve(operatedService(infrastructure, relay));
  process.stderr.write('reservation-timer: scheduling and firing deadlines\n');
  return {
    async stop() {
      operations.stopping();
      await app.close();
      await loop.stop();
      await relay.stop();
      await infrastructure.close();
      await operations.close();
    },
  };
});
