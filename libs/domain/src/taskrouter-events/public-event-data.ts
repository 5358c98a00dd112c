import { INTERNAL, type Facts } from './subject-facts';

/** Names shown in every Event's data, taken as they are now when the Event is read (docs/taskrouter-choices.md). */
export interface CurrentNames {
  readonly workspace_name?: string | null;
  readonly task_queue_name?: string | null;
  readonly workflow_name?: string | null;
}

/**
 * An Event's `event_data` as the API shows it: the stored data with the names it does not hold
 * itself, the fields derived from internal ones (task_age, worker_time_in_previous_activity(_ms),
 * worker_channel_previous_capacity), internal fields removed, null fields left out, and every
 * value a string, as TaskRouter's example and its event callbacks give them.
 */
export function publicEventData(eventType: string, stored: Facts, eventDateMs: number, names: CurrentNames = {}): Record<string, string> {
  const merged: Record<string, unknown> = { ...names, ...stored };
  const created = stored[INTERNAL.taskCreatedMs];
  if (typeof created === 'number') merged.task_age = Math.max(0, Math.floor((eventDateMs - created) / 1000));
  const since = stored[INTERNAL.activitySinceMs];
  if (eventType === 'worker.activity.update' && typeof since === 'number') {
    const ms = Math.max(0, eventDateMs - since);
    merged.worker_time_in_previous_activity_ms = ms;
    merged.worker_time_in_previous_activity = Math.floor(ms / 1000);
  }
  if (eventType === 'worker.capacity.update') {
    merged.worker_channel_previous_capacity = stored[INTERNAL.capacity];
    merged.worker_channel_configured_capacity = stored[INTERNAL.newCapacity];
  } else if (eventType === 'worker.channel.availability.update') {
    merged.worker_channel_configured_capacity = stored[INTERNAL.capacity];
  }
  const shown: Record<string, string> = {};
  for (const key of Object.keys(merged).sort()) {
    const value = merged[key];
    if (key.startsWith('_') || value === null || value === undefined) continue;
    shown[key] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return shown;
}
