import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readInfrastructureConfig } from '@taskrouter/config';
import { KafkaEventTransport, KeepHandlerErrors } from '@taskrouter/messaging';
import { PARTITIONS_IN_PARALLEL, ServiceInfrastructure, WorkflowDefinitions, openOperations, operatedService, runService, startEventRelay, systemClock } from '@taskrouter/runtime';
import { TaskRoutingService } from './task-routing.service';
import { WorkflowEvaluatorModule } from './workflow-evaluator.module';

runService('workflow-evaluator', async () => {
  const config = readInfrastructureConfig(process.env);
  const operations = await openOperations('workflow-evaluator', process.env);
  const infrastructure = await ServiceInfrastructure.connect(config, 'workflow-evaluator');
  const routing = new TaskRoutingService(infrastructure.aggregates, new WorkflowDefinitions(), infrastructure.append, systemClock);
  const transport = new KafkaEventTransport(infrastructure.kafka, { groupId: `${config.topicPrefix}.workflow-evaluator`, topics: [infrastructure.topics.events.tasks, infrastructure.topics.events.config], fromBeginning: true, partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL, deadLetters: infrastructure.deadLetters, batchHandler: infrastructure.decideBatches });
  const app = await NestFactory.createMicroservice(WorkflowEvaluatorModule.with(routing, infrastructure.queries), { strategy: transport, logger: ['error', 'warn'] });
  // The consumer needs the handler's own error to tell an outage from a poison event.
  app.useGlobalFilters(new KeepHandlerErrors());
  await app.listen();
  const relay = await startEventRelay(infrastructure);
  operations.serve(operatedService(infrastructure, relay));
  process.stderr.write('workflow-evaluator: consuming task events\n');
  return {
    async stop() {
      operations.stopping();
      await relay.stop();
      await app.close();
      await infrastructure.close();
      await operations.close();
    },
  };
});
