import { Module, type DynamicModule } from '@nestjs/common';
import { TaskRoutingService } from './task-routing.service';
import { WorkflowEvaluatorController } from './workflow-evaluator.controller';

@Module({})
export class WorkflowEvaluatorModule {
  static with(routing: TaskRoutingService): DynamicModule {
    return { module: WorkflowEvaluatorModule, controllers: [WorkflowEvaluatorController], providers: [{ provide: TaskRoutingService, useValue: routing }] };
  }
}
