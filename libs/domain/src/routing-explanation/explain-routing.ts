import type { RoutedTarget, RoutingStepData, TaskEvent } from '../task/task-events';
import { consideredWords, ruleWords } from './choice-words';
import type { ReservationChoice } from './reservation-choice';

/** `GET …/Tasks/{WT}/RoutingExplanation`: the task's routing, step by step, in words and as data. */
export interface RoutingExplanation {
  readonly task_sid: string;
  /** The latest routing decision, as this endpoint answered before steps were listed. */
  readonly step: RoutingStepData | null;
  readonly filterName: string | null;
  readonly explanation: readonly string[];
  readonly steps: readonly RoutingStepExplanation[];
  /** The task left routing: canceled (with the cause) or completed. */
  readonly ended: { readonly status: 'canceled' | 'completed'; readonly cause: string | null; readonly reason: string | null; readonly at: string } | null;
  /** Everything above in sentences, step by step. */
  readonly words: readonly string[];
}

export interface RoutingStepExplanation {
  readonly filter_index: number;
  readonly target_index: number;
  readonly filter_name: string;
  readonly queue_sid: string;
  readonly priority: number;
  readonly entered_at: string;
  readonly target: ExplainedTarget | null;
  /** The workflow-evaluator's words: filters tried, targets skipped on the way, the queue entered. */
  readonly routing: readonly string[];
  readonly reservations: readonly ReservationExplanation[];
  /** The target was left: its `timeout` passed, or its `skip_if` held when nobody could be reserved at once. */
  readonly left: { readonly reason: 'timeout' | 'skip_if'; readonly at: string } | null;
  readonly words: readonly string[];
}

export interface ExplainedTarget {
  readonly queue: string;
  readonly expression?: string;
  readonly order_by?: string;
  readonly skip_if?: string;
  readonly known_worker_sid?: string;
  readonly known_worker_friendly_name?: string;
  readonly timeout: number | null;
}

export interface ReservationExplanation {
  readonly reservation_sid: string;
  readonly worker_sid: string;
  readonly worker_name: string;
  readonly status: string;
  readonly at: string;
  /** Null for reservations recorded before the matcher noted its choice. */
  readonly rule: ReservationChoice['rule'] | null;
  readonly order_by?: string;
  readonly considered: ReadonlyArray<{ readonly worker_sid: string; readonly worker_name: string | null; readonly outcome: string; readonly reason: string; readonly words: string }>;
  readonly not_listed: number;
  readonly words: readonly string[];
}

interface MutableStep extends Omit<RoutingStepExplanation, 'reservations' | 'left' | 'words'> {
  reservations: MutableReservation[];
  left: RoutingStepExplanation['left'];
}
interface MutableReservation extends Omit<ReservationExplanation, 'status' | 'words'> {
  status: string;
  choice: ReservationChoice | null;
}

const ENDED_STATUS: Partial<Record<TaskEvent['type'], string>> = {
  ReservationAccepted: 'accepted', ReservationRejected: 'rejected', ReservationTimedOut: 'timeout', ReservationCanceled: 'canceled',
};

const STATUS_WORDS: Record<string, string> = {
  pending: 'is pending', accepted: 'was accepted', rejected: 'was rejected', timeout: 'timed out', canceled: 'was canceled',
  wrapping: 'was accepted; the task is wrapping up', completed: 'was accepted; the task was completed',
};

/**
 * Builds the explanation from the task's own events, in stream order (pure: the same log always
 * explains the same way, before and after a replay). `nameOf` gives a worker's friendly name for
 * workers a reservation did not name (the read model's current one), or null.
 */
export function explainRouting(taskSid: string, events: readonly TaskEvent[], nameOf: (workerSid: string) => string | null = () => null): RoutingExplanation | null {
  const steps: MutableStep[] = [];
  const bySid = new Map<string, MutableReservation>();
  const namesAtDecision = new Map<string, string>();
  let latest: { step: RoutingStepData; filterName: string; explanation: readonly string[] } | null = null;
  let ended: RoutingExplanation['ended'] = null;
  for (const event of events) {
    const current = steps.at(-1);
    switch (event.type) {
      case 'TaskRouted': {
        const d = event.data;
        latest = { step: d.step, filterName: d.filterName, explanation: d.explanation };
        steps.push({
          filter_index: d.step.filterIndex, target_index: d.step.targetIndex, filter_name: d.filterName, queue_sid: d.queueSid, priority: d.priority,
          entered_at: d.at, target: d.target ? explainedTarget(d.target, d.targetTimeout) : null, routing: [...d.explanation], reservations: [], left: null,
        });
        break;
      }
      case 'TaskReserved': {
        const d = event.data;
        namesAtDecision.set(d.workerSid, d.workerName);
        const choice = d.choice ?? null;
        const reservation: MutableReservation = {
          reservation_sid: d.reservationSid, worker_sid: d.workerSid, worker_name: d.workerName, status: 'pending', at: d.at, choice,
          rule: choice?.rule ?? null, ...(choice?.orderBy ? { order_by: choice.orderBy } : {}), considered: [], not_listed: choice?.notListed ?? 0,
        };
        bySid.set(d.reservationSid, reservation);
        current?.reservations.push(reservation);
        break;
      }
      case 'TaskTargetTimedOut':
        if (current) current.left = { reason: event.data.reason ?? 'timeout', at: event.data.at };
        break;
      case 'TaskWrappingUp':
      case 'TaskCompleted': {
        const reservation = bySid.get(event.data.reservationSid);
        if (reservation) reservation.status = event.type === 'TaskCompleted' ? 'completed' : 'wrapping';
        if (event.type === 'TaskCompleted') ended = { status: 'completed', cause: null, reason: event.data.reason, at: event.data.at };
        break;
      }
      case 'TaskCanceled': {
        const reservation = event.data.reservationSid ? bySid.get(event.data.reservationSid) : undefined;
        if (reservation) reservation.status = 'canceled';
        ended = { status: 'canceled', cause: event.data.cause, reason: event.data.reason, at: event.data.at };
        break;
      }
      default: {
        const status = ENDED_STATUS[event.type];
        const reservation = status && 'reservationSid' in event.data ? bySid.get(event.data.reservationSid as string) : undefined;
        if (reservation && status) reservation.status = status;
      }
    }
  }
  if (steps.length === 0 && !ended) return null;
  const name = (workerSid: string) => namesAtDecision.get(workerSid) ?? nameOf(workerSid);
  const explainedSteps = steps.map((step) => finishStep(step, name));
  const words = explainedSteps.flatMap((step, index) => [
    `step ${index + 1}: filter ${filterWords(step)}, target ${step.target_index}, queue ${step.queue_sid}`, ...step.words.map((w) => `  ${w}`),
  ]);
  if (ended) words.push(ended.status === 'completed' ? 'the task was completed' : `the task was canceled (${ended.cause})${ended.reason ? `: ${ended.reason}` : ''}`);
  return {
    task_sid: taskSid, step: latest?.step ?? null, filterName: latest?.filterName ?? null, explanation: latest?.explanation ?? [],
    steps: explainedSteps, ended, words,
  };
}

function finishStep(step: MutableStep, name: (workerSid: string) => string | null): RoutingStepExplanation {
  const reservations = step.reservations.map((r) => finishReservation(r, name));
  const words = [...step.routing, ...reservations.flatMap((r) => r.words)];
  if (step.left) {
    words.push(step.left.reason === 'skip_if'
      ? `the target was skipped: its skip_if (${step.target?.skip_if ?? 'skip_if'}) held and nobody could be reserved at once`
      : `the target timed out after ${step.target?.timeout ?? '?'}s without an accepted reservation`);
  }
  return { ...step, reservations, words };
}

function finishReservation(r: MutableReservation, name: (workerSid: string) => string | null): ReservationExplanation {
  const { choice, ...rest } = r;
  const considered = !choice ? [] : choice.considered.map((entry) => {
    const workerName = name(entry.workerSid);
    return { worker_sid: entry.workerSid, worker_name: workerName, outcome: entry.outcome, reason: entry.reason, words: consideredWords(entry, workerName, choice) };
  });
  const words = [
    choice
      ? `reserved ${r.worker_name} (${r.worker_sid}) as ${ruleWords(choice)}, out of ${considered.length + choice.notListed} worker(s) considered:`
      : `reserved ${r.worker_name} (${r.worker_sid})`,
    ...considered.map((c) => `  ${c.words}`),
  ];
  if (choice && choice.notListed > 0) words.push(`  and ${choice.notListed} more not listed`);
  words.push(`the reservation ${STATUS_WORDS[r.status] ?? r.status}`);
  return { ...rest, considered, words };
}

/** As the workflow-evaluator names filters: `'support' (#0)`, `#1` without a name, `default_filter`. */
function filterWords(step: RoutingStepExplanation): string {
  if (step.filter_index < 0) return step.filter_name || 'default_filter';
  return step.filter_name ? `'${step.filter_name}' (#${step.filter_index})` : `#${step.filter_index}`;
}

function explainedTarget(target: RoutedTarget, timeout: number | null): ExplainedTarget {
  return {
    queue: target.queue,
    ...(target.expression !== undefined ? { expression: target.expression } : {}),
    ...(target.orderBy !== undefined ? { order_by: target.orderBy } : {}),
    ...(target.skipIf !== undefined ? { skip_if: target.skipIf } : {}),
    ...(target.knownWorkerSid !== undefined ? { known_worker_sid: target.knownWorkerSid } : {}),
    ...(target.knownWorkerFriendlyName !== undefined ? { known_worker_friendly_name: target.knownWorkerFriendlyName } : {}),
    timeout,
  };
}
