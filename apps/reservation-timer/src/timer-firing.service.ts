import { cancelTask, decideTask, liveReservation, timeOutReservation, type TaskAndWorkerEvents } from '@taskrouter/domain';
import type { StreamAppend } from '@taskrouter/event-store';
import { aggregates as streams, appendTo, decideBatch, runDecision, taskAndWorkerAppends, type AggregateStore, type BatchCommit, type Decision } from '@taskrouter/runtime';
import type { Timer, TimerStore } from './timer-store';

const TIMERS_PER_TICK = 100;

/**
 * Fires due deadlines as events. Each firing is a decision on the current state: a timer that
 * lost to an accept (or any later change) decides nothing, because the decision reads the
 * version the accept wrote, and the expected-version append refuses a stale one. The decisions
 * of a tick's timers go to the log in one transaction (`decideBatch`), and the timers handled
 * are removed together after it: a crash in between leaves them leased, and they fire again once
 * the lease is over, deciding nothing then (firing is at least once; its decisions are idempotent).
 */
export class TimerFiringService {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly timers: TimerStore,
    /** Joins the tick's batch while it collects (as `ServiceInfrastructure.append` does), else appends at once. */
    private readonly append: (appends: StreamAppend[]) => Promise<unknown>,
    private readonly log: BatchCommit,
    private readonly clock: () => Date,
  ) {}

  /** Fires every due timer once; returns how many were handled. */
  async tick(): Promise<number> {
    const due = await this.timers.claimDue(this.clock(), TIMERS_PER_TICK);
    if (due.length === 0) return 0;
    // Keyed by the task's stream: its timers decide in due order, each on the state the one before produced.
    const results = await decideBatch(due.map((timer) => ({ key: streams.task.streamId(timer.taskSid), handle: () => this.fire(timer) })), this.log);
    const handled = due.filter((_, i) => results[i].kind === 'done');
    const failed = due.filter((_, i) => results[i].kind === 'retry');
    await this.timers.removeAll(handled.map((timer) => timer.id));
    if (failed.length > 0) {
      // Given back at once: the next tick retries them.
      await this.timers.releaseLeases(failed.map((timer) => timer.id)).catch(() => undefined);
      const errors = results.flatMap((result) => (result.kind === 'retry' && result.error !== undefined ? [result.error] : []));
      throw new AggregateError(errors, `${failed.length} of ${due.length} due timers failed; they will be retried`);
    }
    return due.length;
  }

  private fire(timer: Timer): Promise<void> {
    return runDecision(() => this.decide(timer), (appends) => this.append(appends), undefined, undefined, 'timer');
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
