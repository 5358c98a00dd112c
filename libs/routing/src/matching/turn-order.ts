import type { MatchingTask } from './matching-input';

/**
 * Which waiting task is decided first: highest priority, then the longest waiting, then task
 * SID so the order is total. The availability index sorts each queue's waiting list this way
 * (compareWaitingTasks); across queues it is docs/taskrouter-choices.md's choice (§14.7). Restated
 * here because pure libraries cannot import the index.
 */
export function compareTurns(a: MatchingTask, b: MatchingTask): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.enteredAt !== b.enteredAt) return a.enteredAt - b.enteredAt;
  return a.taskSid < b.taskSid ? -1 : a.taskSid > b.taskSid ? 1 : 0;
}
