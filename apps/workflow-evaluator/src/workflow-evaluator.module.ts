import { Module, type DynamicModule } from '@nestjs/common';
import { ReadModelQueries } from '@taskrouter/read-model';
import { TaskRoutingService } from './task-routing.service';
import { WorkflowEvaluatorController } from './workflow-evaluator.controller';

@Module({})
export class WorkflowEvaluatorModule {
  static with(routing: TaskRoutingService, queries: ReadModelQueries): DynamicModule {
    return {
      module: WorkflowEvaluatorModule, controllers: [WorkflowEvaluatorController],
      providers: [{ provide: TaskRoutingService, useValue: routing }, { provide: ReadModelQueries, useValue: queries }],
    };
  }
}
