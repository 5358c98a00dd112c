import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@taskrouter/event-store';
import type { AvailabilityIndex } from '@taskrouter/availability';
import type { QueueMembership } from '@taskrouter/runtime';
import { AssignmentService } from './assignment.service';
import { WorkerAvailabilityRefresher } from './worker-availability-refresher';
import { MatcherPorts } from './matcher-ports';
import type { ReadModelQueries } from '@taskrouter/read-model';

const MAX_WORKERS_PER_WORKSPACE = 15_000;

const WORKER_EVENTS = [
  'WorkerCreated', 'WorkerActivityChanged', 'WorkerUpdated', 'WorkerChannelUpdated', 'WorkerChannelAdded',
  'WorkerReserved', 'WorkerReservationAccepted', 'WorkerReservationEnded', 'WorkerDeleted',
];

/** Keeps the availability index in step with the log and matches whenever a side gains a chance. */
@Controller()
export class QueueMatcherController {
  private readonly availability: AvailabilityIndex;
  private readonly membership: QueueMembership;
  private readonly refresher: WorkerAvailabilityRefresher;
  private readonly assignment: AssignmentService;
  private readonly queries: ReadModelQueries;

  constructor(ports: MatcherPorts) {
    ({ availability: this.availability, membership: this.membership, refresher: this.refresher, assignment: this.assignment, queries: this.queries } = ports);
  }

  @EventPattern(WORKER_EVENTS)
  async onWorkerEvent(@Payload() event: StoredEvent) {
    const { workspaceSid, workerSid } = event.data as { workspaceSid: string; workerSid: string };
    const openings = await this.refresher.refresh(workspaceSid, workerSid);
    await this.assignment.matchWorker(workspaceSid, workerSid, openings);
  }

  /** A queue's target_workers decide membership: every worker of the workspace is re-indexed. */
  @EventPattern(['TaskQueueCreated', 'TaskQueueUpdated', 'TaskQueueDeleted'])
  async onQueueChanged(@Payload() event: StoredEvent) {
    const workspaceSid = String(event.data['workspaceSid']);
    this.membership.forget(workspaceSid);
    for (const workerSid of await this.workerSidsOf(workspaceSid)) {
      await this.refresher.refreshMembership(workspaceSid, workerSid);
      await this.assignment.matchWorker(workspaceSid, workerSid);
    }
  }

  /** The task entered a queue (first or next step): offer it at once, never "at the next unrelated event". */
  @EventPattern('TaskRouted')
  async onTaskRouted(@Payload() event: StoredEvent) {
    const { workspaceSid, taskSid, previousQueueSid } = event.data as { workspaceSid: string; taskSid: string; previousQueueSid: string | null };
    if (previousQueueSid) await this.availability.removeTask(workspaceSid, previousQueueSid, taskSid);
    await this.assignment.matchTask(workspaceSid, taskSid, { enteredAtVersion: event.streamVersion });
  }

  /** A reservation ended without acceptance: the task waits again (unless its step expired; the evaluator moves it). */
  @EventPattern(['ReservationRejected', 'ReservationTimedOut', 'ReservationCanceled'])
  async onReservationFailed(@Payload() event: StoredEvent) {
    const { workspaceSid, taskSid } = event.data as { workspaceSid: string; taskSid: string };
    await this.assignment.matchTask(workspaceSid, taskSid);
  }

  /** A new priority re-orders the waiting list; a multitasking switch changes every worker's capacity. */
  @EventPattern('TaskUpdated')
  async onTaskUpdated(@Payload() event: StoredEvent) {
    const { workspaceSid, taskSid, priority } = event.data as { workspaceSid: string; taskSid: string; priority?: number };
    if (priority !== undefined) await this.assignment.matchTask(workspaceSid, taskSid);
  }

  @EventPattern('WorkspaceUpdated')
  async onWorkspaceUpdated(@Payload() event: StoredEvent) {
    const { workspaceSid, changes } = event.data as { workspaceSid: string; changes: Record<string, unknown> };
    if (changes['multiTaskEnabled'] === undefined) return;
    for (const workerSid of await this.workerSidsOf(workspaceSid)) {
      const openings = await this.refresher.refresh(workspaceSid, workerSid);
      await this.assignment.matchWorker(workspaceSid, workerSid, openings);
    }
  }

  /**
   * A task that left its step may still be listed as waiting: it leaves the list. Not on TaskCompleted:
   * a task completes only after a reservation, and whoever reserved it took it off the list (a removal
   * lost to a crash is made by the next worker that finds the entry: it reads the task and drops it).
   */
  @EventPattern(['TaskCanceled', 'TaskTargetTimedOut'])
  async onTaskLeft(@Payload() event: StoredEvent) {
    const { workspaceSid, taskSid } = event.data as { workspaceSid: string; taskSid: string };
    await this.assignment.matchTask(workspaceSid, taskSid);
  }

  private async workerSidsOf(workspaceSid: string): Promise<string[]> {
    const workers = await this.queries.workers(workspaceSid, {}, { offset: 0, limit: MAX_WORKERS_PER_WORKSPACE });
    return workers.map((worker) => worker.sid);
  }
}
