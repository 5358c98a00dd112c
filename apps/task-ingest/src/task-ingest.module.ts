import { Module, type DynamicModule } from '@nestjs/common';
import { BasicAuthGuard } from './http/basic-auth.guard';
import { ExpressionFilterRateLimit } from './http/expression-filter-rate-limit';
import { IngestContext } from './ingest-context';
import { ConfigurationController } from './resources/configuration.controller';
import { EventsController } from './resources/events.controller';
import { ReservationCommands } from './resources/reservation-commands';
import { TaskCommands } from './resources/task-commands';
import { TaskQueueCommands } from './resources/task-queue-commands';
import { TasksController } from './resources/tasks.controller';
import { WorkerCommands } from './resources/worker-commands';
import { WorkersController } from './resources/workers.controller';
import { WorkflowCommands } from './resources/workflow-commands';
import { WorkspaceCommands } from './resources/workspace-commands';
import { WorkspacesController } from './resources/workspaces.controller';
import { BulkQueueStatisticsRateLimit } from './statistics/bulk-queue-statistics-rate-limit';
import { StatisticsController } from './statistics/statistics.controller';
import { StatisticsService } from './statistics/statistics-service';
import { LiveEvents } from './live/live-events';

/**
 * Every controller of the API (RouteTable reads their routes to tell 405 from 404). Statistics
 * first: its literal `TaskQueues/Statistics` and `Workers/Statistics` must win over `:sid`.
 */
export const CONTROLLERS = [StatisticsController, WorkspacesController, ConfigurationController, WorkersController, TasksController, EventsController];

@Module({})
export class TaskIngestModule {
  static with(context: IngestContext, statistics: StatisticsService, liveEvents: LiveEvents): DynamicModule {
    return {
      module: TaskIngestModule,
      controllers: CONTROLLERS,
      providers: [
        { provide: IngestContext, useValue: context },
        { provide: StatisticsService, useValue: statistics },
        { provide: LiveEvents, useValue: liveEvents },
        { provide: ExpressionFilterRateLimit, useValue: new ExpressionFilterRateLimit() },
        { provide: BulkQueueStatisticsRateLimit, useValue: new BulkQueueStatisticsRateLimit() },
        BasicAuthGuard, WorkspaceCommands, TaskQueueCommands, WorkflowCommands, WorkerCommands, TaskCommands, ReservationCommands,
      ],
    };
  }
}
