import { Injectable } from '@nestjs/common';
import { FormReader, badRequest, type ReservationView } from '@taskrouter/contract';
import { DomainError, acceptReservation, rejectReservation } from '@taskrouter/domain';
import { taskAndWorkerAppends } from '@taskrouter/runtime';
import { IngestContext } from '../ingest-context';
import { checkIfMatch } from './if-match';

/** Instructions that need a voice platform behind them; this server routes, it does not place calls. */
const VOICE_INSTRUCTIONS = ['dequeue', 'call', 'redirect', 'conference', 'supervise'];

@Injectable()
export class ReservationCommands {
  constructor(private readonly context: IngestContext) {}

  /**
   * `ReservationStatus=accepted|rejected` or `Instruction=accept|reject`, from the task's or the
   * worker's side. Two accepts racing: both read the same task version, one append wins, the
   * other decides again on the newer state and is refused (the reservation is no longer pending).
   */
  async update(accountSid: string, workspaceSid: string, reservationSid: string, scope: { taskSid?: string; workerSid?: string }, form: FormReader, ifMatch?: string): Promise<string> {
    const view = await this.find(accountSid, workspaceSid, reservationSid, scope);
    const action = this.actionOf(form);
    const activitySid = form.sid('WorkerActivitySid', 'WA');
    await this.context.instructions.settled(view.taskSid);
    await this.context.decide(async () => {
      const [workspace, task, worker] = await Promise.all([
        this.context.aggregates.load('workspace', workspaceSid), this.context.aggregates.load('task', view.taskSid), this.context.aggregates.load('worker', view.workerSid),
      ]);
      checkIfMatch(ifMatch, task.version);
      const now = this.context.clock();
      const decided = action === 'accept'
        ? acceptReservation(reservationSid, task.state, worker.state, now)
        : rejectReservation(reservationSid, activitySid, task.state, worker.state, workspace.state, now);
      return { appends: taskAndWorkerAppends(task, worker, decided, this.context.metadata(workspaceSid, accountSid)), result: undefined };
    });
    return view.taskSid;
  }

  /** The reservation as seen from its task or its worker: under any other task or worker it does not exist. */
  async find(accountSid: string, workspaceSid: string, reservationSid: string, scope: { taskSid?: string; workerSid?: string }): Promise<ReservationView> {
    await this.context.requireWorkspace(accountSid, workspaceSid);
    const view = await this.context.queries.reservation(workspaceSid, reservationSid);
    if (!view || (scope.taskSid && view.taskSid !== scope.taskSid) || (scope.workerSid && view.workerSid !== scope.workerSid)) {
      throw new DomainError('not-found', 'The requested Reservation was not found');
    }
    return view;
  }

  private actionOf(form: FormReader): 'accept' | 'reject' {
    const status = form.string('ReservationStatus')?.toLowerCase();
    const instruction = form.string('Instruction')?.toLowerCase();
    if (status === 'accepted' || instruction === 'accept') return 'accept';
    if (status === 'rejected' || instruction === 'reject') return 'reject';
    if (instruction && VOICE_INSTRUCTIONS.includes(instruction)) {
      throw badRequest(`Instruction '${instruction}' drives a voice call, which this server does not place; accept the reservation and connect the call yourself`);
    }
    if (status !== undefined) throw badRequest(`ReservationStatus can be set to accepted or rejected, got '${status}'`);
    if (instruction !== undefined) throw badRequest(`Invalid Instruction '${instruction}' passed to TaskRouter`);
    throw badRequest('Missing required parameter ReservationStatus or Instruction in the post body');
  }
}
