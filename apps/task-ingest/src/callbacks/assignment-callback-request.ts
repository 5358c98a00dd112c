import type { TaskState, WorkerState } from '@taskrouter/domain';

/** The form parameters TaskRouter POSTs to a workflow's AssignmentCallbackUrl (reference §8.1). */
export function assignmentCallbackParameters(input: {
  accountSid: string; task: TaskState; worker: WorkerState; reservationSid: string; queueSid: string; now: Date;
}): Record<string, string> {
  const { task, worker, now } = input;
  return {
    AccountSid: input.accountSid,
    WorkspaceSid: task.workspaceSid,
    WorkflowSid: task.workflowSid,
    TaskQueueSid: input.queueSid,
    TaskSid: task.taskSid,
    TaskAttributes: JSON.stringify(task.attributes),
    TaskAge: String(Math.max(0, Math.floor((now.getTime() - Date.parse(task.createdAt)) / 1000))),
    TaskPriority: String(task.priority),
    WorkerSid: worker.workerSid,
    WorkerAttributes: JSON.stringify(worker.attributes),
    ReservationSid: input.reservationSid,
    Timestamp: String(Math.floor(now.getTime() / 1000)),
  };
}

export type AssignmentInstruction =
  | { kind: 'accept' }
  | { kind: 'reject'; activitySid?: string }
  | { kind: 'later' }
  | { kind: 'unsupported'; instruction: string };

/**
 * What the application answered: `accept`, `reject` (with `activity_sid`), anything else this
 * server cannot carry out (voice instructions), or nothing to do now: "a plain 200 OK (no
 * instruction) means the app will accept or reject later via REST".
 */
export function readAssignmentInstruction(contentType: string | null, body: string): AssignmentInstruction {
  if (!contentType?.toLowerCase().includes('application/json') || body.trim() === '') return { kind: 'later' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'later' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { kind: 'later' };
  const answer = parsed as Record<string, unknown>;
  const instruction = typeof answer['instruction'] === 'string' ? answer['instruction'].toLowerCase() : undefined;
  if (instruction === undefined) return { kind: 'later' };
  if (instruction === 'accept') return { kind: 'accept' };
  if (instruction === 'reject') return { kind: 'reject', activitySid: typeof answer['activity_sid'] === 'string' ? answer['activity_sid'] : undefined };
  return { kind: 'unsupported', instruction };
}
