/** What an event callback is made from: the Event as `GET /Events/{EV}` serves it. */
export interface EventForCallback {
  readonly sid: string;
  readonly accountSid: string;
  readonly workspaceSid: string;
  readonly eventType: string;
  readonly description: string;
  readonly resourceType: string;
  readonly resourceSid: string;
  readonly eventDateMs: number;
  /** snake_case keys, string values (the REST resource's `event_data`). */
  readonly eventData: Readonly<Record<string, string>>;
}

/** `task_queue_sid` → `TaskQueueSid`, `worker_time_in_previous_activity_ms` → `WorkerTimeInPreviousActivityMs`. */
export function pascalCase(snake: string): string {
  return snake.split(/[_-]/).filter(Boolean).map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

/**
 * The form parameters of an event callback (reference §10.1): the common ones (`EventType`,
 * `AccountSid`, `WorkspaceSid`, `WorkspaceName`, `EventDescription`, `ResourceType` as TaskRouter
 * capitalises it, `ResourceSid`, `Timestamp` in epoch seconds) with `TimestampMs` and `Sid`, then
 * the Event's data under PascalCase names (`TaskSid`, `TaskAttributes`, `WorkerActivityName`, …).
 * The same facts as the REST resource, so a consumer can fetch the Event by `Sid` and find them.
 */
export function eventCallbackParameters(event: EventForCallback): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.eventData)) params[pascalCase(key)] = value;
  return {
    ...params,
    Sid: event.sid,
    EventType: event.eventType,
    AccountSid: event.accountSid,
    WorkspaceSid: event.workspaceSid,
    WorkspaceName: event.eventData.workspace_name ?? params.WorkspaceName ?? '',
    EventDescription: event.description,
    ResourceType: pascalCase(event.resourceType),
    ResourceSid: event.resourceSid,
    Timestamp: String(Math.floor(event.eventDateMs / 1000)),
    TimestampMs: String(event.eventDateMs),
  };
}
