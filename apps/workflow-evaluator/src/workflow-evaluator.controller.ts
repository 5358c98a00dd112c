import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@taskrouter/event-store';
import { ReadModelQueries } from '@taskrouter/read-model';
import { TaskRoutingService, type TaskTrigger } from './task-routing.service';

/** TaskRouter's in-flight task limit per workspace: the most a re-evaluation can touch. */
const MAX_IN_FLIGHT_TASKS = 25_000;

/** Which task events make the workflow decide, and how. */
@Controller()
export class WorkflowEvaluatorController {
  constructor(private readonly routing: TaskRoutingService, private readonly queries: ReadModelQueries) {}

  @EventPattern('TaskCreated')
  onTaskCreated(@Payload() event: StoredEvent) {
    return this.routing.routeFromStart(triggerOf(event));
  }

  /** "When a pending Task's attributes are updated, the Task will be re-driven through the Workflow." */
  @EventPattern('TaskUpdated')
  onTaskUpdated(@Payload() event: StoredEvent) {
    if (event.data['attributes'] === undefined) return;
    return this.routing.routeFromStart(triggerOf(event));
  }

  @EventPattern('WorkflowUpdated')
  async onWorkflowUpdated(@Payload() event: StoredEvent) {
    const { workspaceSid, workflowSid, reEvaluateTasks } = event.data as { workspaceSid: string; workflowSid: string; reEvaluateTasks: boolean };
    if (!reEvaluateTasks) return;
    const pending = await this.queries.tasks(workspaceSid, { assignmentStatus: ['pending'], workflowSid }, { offset: 0, limit: MAX_IN_FLIGHT_TASKS });
    await this.routing.reEvaluate(workspaceSid, event.streamVersion, pending.map((task) => task.sid));
  }

  @EventPattern('TaskTargetTimedOut')
  onTargetTimedOut(@Payload() event: StoredEvent) {
    return this.routing.routeToNextStep(triggerOf(event), false, event.data['reason'] === 'skip_if');
  }

  /** "If the Reservation doesn't succeed … the Workflow will check the timeout on the routing step." */
  @EventPattern('ReservationRejected')
  onReservationRejected(@Payload() event: StoredEvent) {
    return this.routing.routeToNextStep(triggerOf(event), true);
  }

  @EventPattern(['ReservationTimedOut', 'ReservationCanceled'])
  onReservationTimedOut(@Payload() event: StoredEvent) {
    return this.routing.routeToNextStep(triggerOf(event), true);
  }
}

function triggerOf(event: StoredEvent): TaskTrigger {
  const workflowVersion = event.metadata['workflowVersion'];
  return {
    workspaceSid: String(event.data['workspaceSid']), taskSid: String(event.data['taskSid']), triggerVersion: event.streamVersion,
    // Set on TaskCreated and on TaskUpdated with attributes: the workflow version the request saw,
    // so a cached older copy is not used.
    ...(typeof workflowVersion === 'number' ? { minWorkflowVersion: workflowVersion } : {}),
  };
}
