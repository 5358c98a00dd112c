import type { WaitingTask } from './waiting-task';

/**
 * Order of waiting tasks in a queue's sorted set: highest priority first, then oldest first,
 * then by task SID so the order is total.
 *
 * The score is -priority (exact: priorities are integers below 2^31). Equal scores are ordered by
 * member, byte-wise, so the member starts with enteredAt as fixed-width hex: lexical order of
 * fixed-width lowercase hex is numeric order. Both parts are exact, unlike packing priority and
 * age into one double (53 bits do not hold 31 bits of priority and 41+ bits of epoch ms).
 */
export const MAX_PRIORITY = 2 ** 31 - 1;
const ENTERED_AT_HEX_DIGITS = 12;
export const MAX_ENTERED_AT = 16 ** ENTERED_AT_HEX_DIGITS - 1;

export function waitingTaskScore(priority: number): number {
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw new Error(`task priority must be an integer from 0 to ${MAX_PRIORITY}, got ${priority}`);
  }
  return priority === 0 ? 0 : -priority;
}

export function waitingTaskMember(enteredAt: number, taskSid: string): string {
  if (!Number.isInteger(enteredAt) || enteredAt < 0 || enteredAt > MAX_ENTERED_AT) {
    throw new Error(`task enteredAt must be an integer epoch ms from 0 to ${MAX_ENTERED_AT}, got ${enteredAt}`);
  }
  if (taskSid.length === 0) throw new Error('taskSid must be a non-empty string');
  return `${enteredAt.toString(16).padStart(ENTERED_AT_HEX_DIGITS, '0')}:${taskSid}`;
}

/** What the index stores per waiting task (JSON), so removal finds the member and listing the channel. */
export interface StoredWaitingTask extends WaitingTask {
  member: string;
}

export function storedWaitingTask(task: WaitingTask): StoredWaitingTask {
  return { ...task, member: waitingTaskMember(task.enteredAt, task.taskSid) };
}

/** The sort the index applies, as a comparator: for tests and for merging lists of several queues. */
export function compareWaitingTasks(a: WaitingTask, b: WaitingTask): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.enteredAt !== b.enteredAt) return a.enteredAt - b.enteredAt;
  return a.taskSid < b.taskSid ? -1 : a.taskSid > b.taskSid ? 1 : 0;
}

/** The waiting tasks from the stored details JSON a script listed (null: an entry gone meanwhile). */
export function parseStoredWaitingTasks(details: ReadonlyArray<string | null>): WaitingTask[] {
  return details
    .filter((json): json is string => json !== null)
    .map((json) => {
      const { taskSid, priority, enteredAt, channel } = JSON.parse(json) as StoredWaitingTask;
      return { taskSid, priority, enteredAt, channel };
    });
}
