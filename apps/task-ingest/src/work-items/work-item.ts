import { createHash } from 'node:crypto';
import { badRequest, checkJsonDocument, checkParameterLimits, isSid } from '@taskrouter/contract';
import { MAX_PRIORITY, MAX_TASK_TIMEOUT } from '@taskrouter/domain';
import type { NewTask } from '../resources/task-commands';

/**
 * A work item published to the `<prefix>.work-items` topic: the same fields as `POST /Tasks`,
 * in JSON, plus the account. `id` makes publishing the same item twice create one task.
 */
export interface WorkItem {
  accountSid: string;
  workspaceSid: string;
  workflowSid?: string;
  attributes?: Record<string, unknown> | string;
  priority?: number;
  timeout?: number;
  taskChannel?: string;
  id?: string;
}

export const MAX_WORK_ITEM_BYTES = 64 * 1024;

/** Reads and checks a work item; the task SID comes from its id, or from where Kafka stored it. */
export function workItemToTask(value: string | null, origin: { topic: string; partition: number; offset: string }): NewTask {
  if (value === null) throw badRequest('The work item is empty');
  if (Buffer.byteLength(value) > MAX_WORK_ITEM_BYTES) throw badRequest(`The work item is larger than ${MAX_WORK_ITEM_BYTES} bytes`);
  let item: WorkItem;
  try {
    item = JSON.parse(value) as WorkItem;
  } catch (error) {
    throw badRequest(`The work item is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw badRequest('The work item must be a JSON object');
  // The same text and size rules as the REST edge: no NUL or lone surrogate anywhere, bounded attributes.
  checkJsonDocument(value, 'The work item');
  if (!isSid('AC', item.accountSid)) throw badRequest('accountSid must be an Account SID (AC followed by 32 hex digits)');
  if (!isSid('WS', item.workspaceSid)) throw badRequest('workspaceSid must be a Workspace SID (WS followed by 32 hex digits)');
  if (item.workflowSid !== undefined && !isSid('WW', item.workflowSid)) throw badRequest('workflowSid must be a Workflow SID (WW followed by 32 hex digits)');
  checkInteger(item.priority, 'priority', 0, MAX_PRIORITY);
  checkInteger(item.timeout, 'timeout', 1, MAX_TASK_TIMEOUT);
  if (item.taskChannel !== undefined && typeof item.taskChannel !== 'string') throw badRequest('taskChannel must be a string');
  if (item.id !== undefined && (typeof item.id !== 'string' || item.id === '')) throw badRequest('id must be a non-empty string');
  const attributes = typeof item.attributes === 'string' ? item.attributes : JSON.stringify(item.attributes ?? {});
  checkParameterLimits({ Attributes: attributes, ...(item.taskChannel === undefined ? {} : { TaskChannel: item.taskChannel }) });
  const identity = item.id !== undefined ? `id:${item.workspaceSid}:${item.id}` : `record:${origin.topic}:${origin.partition}:${origin.offset}`;
  return {
    accountSid: item.accountSid, workspaceSid: item.workspaceSid, workflowSid: item.workflowSid,
    attributes,
    priority: item.priority, timeout: item.timeout, taskChannel: item.taskChannel,
    taskSid: `WT${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`,
  };
}

function checkInteger(value: unknown, name: string, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw badRequest(`${name} must be an integer from ${min} to ${max}`);
}
