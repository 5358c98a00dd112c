import { INTERNAL, type Facts } from './subject-facts';
import type { TaskRouterEventRecord } from './taskrouter-event';

/** A stored Event's columns once its data is merged with its subjects' facts. */
export interface AssembledEvent {
  readonly eventType: string;
  readonly actorSid: string;
  readonly data: Facts;
}

/**
 * Merges a record with the facts of its subjects as they stood before its log event: the task's,
 * the worker's (named, or the task's live reservation's), the other subject's, then the record's
 * own data. The projection does the same in SQL (events-projection.ts), with the facts split
 * between the table and the batch folded so far; this is that merge for facts all in hand.
 */
export function assembleEvent(record: TaskRouterEventRecord, factsOf: (subject: string) => Facts | undefined): AssembledEvent {
  const task = record.subjects.task ? factsOf(record.subjects.task) : undefined;
  const workerSid = record.subjects.worker ?? (record.subjects.workerOfTask ? (task?.[INTERNAL.workerSid] as string | null | undefined) : undefined);
  const data = {
    ...task,
    ...(workerSid ? factsOf(workerSid) : undefined),
    ...(record.subjects.other ? factsOf(record.subjects.other) : undefined),
    ...record.data,
  };
  return { eventType: finalEventType(record.eventType, data), actorSid: record.actorSid || String(data.workflow_sid ?? ''), data };
}

/** A task falling off its workflow after a `skip_if` ended its last step skipped out of it: workflow.skipped, not workflow.timeout. */
export function finalEventType(eventType: string, data: Facts): string {
  return eventType === 'workflow.timeout' && data[INTERNAL.stepEnd] === 'skip_if' ? 'workflow.skipped' : eventType;
}
