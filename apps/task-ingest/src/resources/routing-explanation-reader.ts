import { explainRouting, streamIds, type RoutingExplanation, type TaskEvent } from '@taskrouter/domain';
import type { IngestContext } from '../ingest-context';

/**
 * `GET …/Tasks/{WT}/RoutingExplanation`, derived from the task's own stream in the log (one read),
 * so it is the same before and after a replay. Names of workers a reservation did not name come
 * from the read model in one more query (their current friendly names). Null when the task is not
 * in the workspace or has not been routed yet.
 */
export async function readRoutingExplanation(context: IngestContext, workspaceSid: string, taskSid: string): Promise<RoutingExplanation | null> {
  const { events: stored } = await context.eventStore.readStream(streamIds.task(taskSid));
  const events = stored.map((e) => ({ type: e.type, schemaVersion: e.schemaVersion, data: e.data }) as unknown as TaskEvent);
  if (events.length === 0 || (events[0].data as { workspaceSid?: string }).workspaceSid !== workspaceSid) return null;
  const named = new Set<string>();
  const unnamed = new Set<string>();
  for (const event of events) {
    if (event.type !== 'TaskReserved') continue;
    named.add(event.data.workerSid);
    for (const entry of event.data.choice?.considered ?? []) unnamed.add(entry.workerSid);
  }
  for (const sid of named) unnamed.delete(sid);
  const names = new Map((await context.queries.workersBySid(workspaceSid, [...unnamed])).map((w) => [w.sid, w.friendlyName]));
  return explainRouting(taskSid, events, (sid) => names.get(sid) ?? null);
}
