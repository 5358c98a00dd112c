import type { WorkerFacts } from '@taskrouter/expression';
import { parseWorkflowTarget } from '../../workflow/parse-workflow-configuration';
import type { WorkflowTarget } from '../../workflow/workflow-definition';
import type { MatchingChannel, MatchingTask, MatchingWorker } from '../matching-input';

export const QUEUE_A = `WQ${'a'.repeat(32)}`;
export const QUEUE_B = `WQ${'b'.repeat(32)}`;
export const NOW = new Date('2024-05-06T10:30:00Z');

/** A compiled target as the matcher's cache would hold it (snake_case keys as in a workflow). */
export function aTarget(raw: Record<string, unknown> = {}): WorkflowTarget {
  return parseWorkflowTarget({ queue: QUEUE_A, ...raw });
}

export interface WorkerSetup {
  readonly sid: string;
  readonly idleSince?: number;
  readonly queues?: readonly string[];
  readonly channels?: Record<string, Partial<MatchingChannel>>;
  readonly attributes?: Record<string, unknown>;
  readonly available?: boolean;
  readonly friendlyName?: string;
  /** Also give expressions `worker.channel.<name>.*`, consistent with the index's counts. */
  readonly channelFacts?: boolean;
}

export function aWorker(setup: WorkerSetup): MatchingWorker {
  const channels: Record<string, MatchingChannel> = {};
  for (const [name, channel] of Object.entries(setup.channels ?? { default: {} })) channels[name] = { capacity: 1, assigned: 0, available: true, ...channel };
  const facts: WorkerFacts = { sid: setup.sid, friendly_name: setup.friendlyName ?? setup.sid.toLowerCase(), attributes: setup.attributes ?? {} };
  if (setup.channelFacts) {
    facts.channels = Object.fromEntries(Object.entries(channels).map(([name, channel]) => [name, {
      available: channel.available, configured_capacity: channel.capacity, assigned_tasks: 0,
      available_capacity_percentage: channel.capacity <= 0 ? 0 : Math.max(0, Math.floor((100 * (channel.capacity - channel.assigned)) / channel.capacity)),
    }]));
  }
  return { workerSid: setup.sid, available: setup.available ?? true, idleSince: setup.idleSince ?? 0, channels, queues: setup.queues ?? [QUEUE_A], facts };
}

export function aTask(sid: string, fields: Partial<MatchingTask> = {}): MatchingTask {
  return { taskSid: sid, queueSid: QUEUE_A, priority: 0, enteredAt: 0, channel: 'default', attributes: {}, ...fields };
}
