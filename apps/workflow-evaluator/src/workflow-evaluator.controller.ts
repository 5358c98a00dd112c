import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@taskrouter/event-store';
import { TaskRoutingService, type TaskTrigger } from './task-routing.service';

/** Which task events make the workflow decide, and how. */
@Controller()
export class WorkflowEvaluatorController {
  constructor(private readonly routing: TaskRoutingService) {}

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

  @EventPattern('TaskTargetTimedOut')
  onTargetTimedOut(@Payload() event: StoredEvent) {
    return this.routing.routeToNextStep(triggerOf(event), false, event.data['reason'] === 'skip_if');
  }

  /** "If the Reservation doesn't succeed … the Workflow will check the timeout on the routing step." */
  @EventPattern('ReservationRejected')
  onReservationRejected(@Payload() event: StoredEvent) {
    return this.routing.routeToNextStep(triggerOf(event), true);
  }

  @EventPattern('ReservationTimedOut')
  onReservationTimedOut(@Payload() event: StoredEvent) {
    return this.routing.routeToNextStep(triggerOf(event), true);
  }
}

function triggerOf(event: StoredEvent): TaskTrigger {
  return { workspaceSid: String(event.data['workspaceSid']), taskSid: String(event.data['taskSid']), triggerVersion: event.streamVersion };
}
