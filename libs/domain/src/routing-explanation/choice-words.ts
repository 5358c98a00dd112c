import type { ChoiceRule, ConsideredWorker, PassedOverReason, ReservationChoice } from './reservation-choice';

const RULE_WORDS: Record<ChoiceRule, string> = {
  longest_idle: 'the qualified worker idle the longest',
  order_by: 'first by the target’s order_by',
  known_worker: 'the known worker the target names',
  next_available: 'the first qualified worker to become available while the task waited',
};

const REASON_WORDS: Record<PassedOverReason, string> = {
  unavailable: 'unavailable (its activity is not an available one)',
  channel_unavailable: 'not available on the task’s channel',
  no_capacity: 'no free capacity on the task’s channel',
  worker_expression_false: 'the target’s worker expression is false for it',
  not_known_worker: 'not the known worker the target names',
  rejected_before: 'rejected this task before',
  timed_out_before: 'let a reservation of this task time out before',
  canceled_before: 'had a reservation of this task canceled before',
  reserved_meanwhile: 'could no longer be reserved (taken or changed meanwhile)',
  ranked_lower: 'qualified, ranked after the chosen worker',
};

/** The rule in words, with the `order_by` text when there is one. */
export function ruleWords(choice: Pick<ReservationChoice, 'rule' | 'orderBy'>): string {
  return choice.rule === 'order_by' && choice.orderBy ? `${RULE_WORDS.order_by} (${choice.orderBy}), then longest idle` : RULE_WORDS[choice.rule];
}

/** Why a worker was passed over, in words; an unknown reason (from a newer writer) is shown as it is. */
export function reasonWords(reason: string): string {
  return Object.hasOwn(REASON_WORDS, reason) ? REASON_WORDS[reason as PassedOverReason] : reason;
}

/** One line per considered worker: `Maria (WK…) was chosen: …` or `Ana (WK…) was passed over: …`. */
export function consideredWords(entry: ConsideredWorker, name: string | null, choice: Pick<ReservationChoice, 'rule' | 'orderBy'>): string {
  const who = name ? `${name} (${entry.workerSid})` : entry.workerSid;
  return entry.outcome === 'chosen' ? `${who} was chosen: ${ruleWords(choice)}` : `${who} was passed over: ${reasonWords(entry.reason)}`;
}
