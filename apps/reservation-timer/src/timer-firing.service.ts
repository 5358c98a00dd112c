import { cancelTask, decideTask, liveReservation, timeOutReservation, type TaskAndWorkerEvents } from '@taskrouter/domain';
import type { StoredEvent, StreamAppend, Transaction } from '@taskrouter/event-store';
import { appendTo, runDecision, taskAndWorkerAppends, type AggregateStore, type Decision } from '@taskrouter/runtime';
import type { Timer, TimerStore } from './timer-store';

const TIMERS_PER_TICK = 100;

/**
 * Fires due deadlines as events. Each firing is a decision on the current state: a timer that
 * lost to an accept (or any later change) decides nothing, because the decision reads the
 * version the accept wrote, and the expected-version append refuses a stale one.
 */
export class TimerFiringService {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly timers: TimerStore,
    private readonly append: (appends: StreamAppend[], alsoInTransaction: (tx: Transaction, events: StoredEvent[]) => Promise<void>) => Promise<unknown>,
    private readonly clock: () => Date,
  ) {}

  /** Fires every due timer once; returns how many were handled. */
  async tick(): Promise<number> {
    const due = await this.timers.claimDue(this.clock(), TIMERS_PER_TICK);
    const failures: unknown[] = [];
    for (const timer of due) {
      try {
        await this.fire(timer);
      } catch (error) {
        // Give it back at once: the next tick retries it, and the rest of the batch fires now.
        failures.push(error);
        await this.timers.releaseLease(timer.id).catch(() => undefined);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${due.length} due timers failed; they will be retried`);
    return due.length;
  }

  private async fire(timer: Timer): Promise<void> {
    let appended = false;
    await runDecision(() => this.decide(timer), async (appends) => {
      await this.append(appends, (tx) => this.timers.remove(timer.id, tx));
      appended = true;
    });
    if (!appended) await this.timers.remove(timer.id);
  }

  private async decide(timer: Timer): Promise<Decision<void>> {
    const metadata = { workspaceSid: timer.workspaceSid, source: 'reservation-timer', timer: timer.kind };
    const now = this.clock();
    const task = await this.aggregates.load('task', timer.taskSid);
    const workspace = await this.aggregates.loadRecent('workspace', timer.workspaceSid);
    if (timer.kind === 'target') {
      const step = timer.payload['step'] as { filterIndex: number; targetIndex: number };
      const events = decideTask({ type: 'TimeOutTarget', step, enteredAt: String(timer.payload['enteredAt']) }, task.state, workspace.state, now);
      return { appends: [appendTo(task, events, metadata)], result: undefined };
    }
    if (timer.kind === 'reservation') {
      const worker = await this.aggregates.load('worker', String(timer.payload['workerSid']));
      return { appends: taskAndWorkerAppends(task, worker, timeOutReservation(timer.ref, task.state, worker.state, workspace.state, now), metadata), result: undefined };
    }
    const holder = liveReservation(task.state);
    const worker = holder ? await this.aggregates.load('worker', holder.workerSid) : null;
    const decided: TaskAndWorkerEvents = cancelTask(null, 'ttl', task.state, worker?.state ?? null, now);
    return { appends: taskAndWorkerAppends(task, worker, decided, metadata), result: undefined };
  }
}
