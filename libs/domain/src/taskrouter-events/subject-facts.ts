/**
 * What the Events of one resource need to know about another: kept per subject, a JSON object
 * of event_data fields (keys of different subjects never collide) and internal fields (`_…`) the
 * public data is derived from when an Event is read (public-event-data.ts). Each subject's facts
 * change only by events of its own stream, so they stand the same in the log's commit order
 * whether folded live or in a replay.
 */
export const subjectKeys = {
  channel: (workerSid: string, uniqueName: string) => `${workerSid}/${uniqueName}`,
} as const;

/** Internal fields: never shown, removed by publicEventData. */
export const INTERNAL = {
  /** Task: epoch ms of its creation (task_age). */
  taskCreatedMs: '_task_created_ms',
  /** Task: epoch ms it entered its current queue (the statistics' queue waits). */
  queueEnteredMs: '_queue_entered_ms',
  /** Task: the worker of its live reservation, if any (reservation.wrapup names only the reservation). */
  workerSid: '_worker_sid',
  /** Task: how its last routing step ended (`timeout` or `skip_if`), until it is routed again. */
  stepEnd: '_step_end',
  /** Worker: epoch ms of its last activity change (worker_time_in_previous_activity). */
  activitySinceMs: '_activity_since_ms',
  /** Worker channel: its configured capacity (worker_channel_previous_capacity). */
  capacity: '_capacity',
  /** Worker channel: its capacity after the change (worker.capacity.update). */
  newCapacity: '_new_capacity',
  /** Workspace: its account. */
  accountSid: '_account_sid',
} as const;

export type Facts = Readonly<Record<string, unknown>>;
