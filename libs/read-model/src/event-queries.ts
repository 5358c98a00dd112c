import type { EventListFilter, EventView } from '@taskrouter/contract';
import { describeEvent, publicEventData } from '@taskrouter/domain';
import { prepared } from '@taskrouter/event-store';
import type { Pool } from 'pg';
import { eventKeys } from './projection/events-migration';
import type { Slice } from './read-model-queries';

/** A filter's column, in the order the list's SQL names them; all but the queue and the SID are keys of the GIN index (events-migration.ts). */
const FILTERS: ReadonlyArray<[keyof EventListFilter, string]> = [
  ['eventType', 'e.event_type'], ['taskSid', 'e.task_sid'], ['workerSid', 'e.worker_sid'], ['reservationSid', 'e.reservation_sid'],
  ['taskQueueSid', 'e.task_queue_sid'], ['workflowSid', 'e.workflow_sid'], ['sid', 'e.sid'],
];

interface EventRow {
  sid: string; workspace_sid: string; account_sid: string; event_type: string; resource_type: string; resource_sid: string;
  actor_type: string; actor_sid: string | null; event_date_ms: string; event_data: Record<string, unknown>;
  workspace_name: string | null; task_queue_name: string | null; workflow_name: string | null;
}

/**
 * Reads the Events table as the API's views, newest first. Names of the workspace, queue and
 * workflow an Event's data does not hold itself are read as they are now (kept after a delete).
 */
export class EventQueries {
  constructor(private readonly pool: Pool, private readonly schema: string) {}

  private select(): string {
    const s = `"${this.schema}"`;
    return `SELECT e.sid, e.workspace_sid, w.account_sid, e.event_type, e.resource_type, e.resource_sid, e.actor_type, e.actor_sid,
        e.event_date_ms::text AS event_date_ms, e.event_data, ws.facts->>'workspace_name' AS workspace_name,
        q.facts->>'task_queue_name' AS task_queue_name, wf.facts->>'workflow_name' AS workflow_name
      FROM ${s}.rm_events e JOIN ${s}.rm_workspaces w ON w.sid = e.workspace_sid
      LEFT JOIN ${s}.rm_event_subjects ws ON ws.sid = e.workspace_sid
      LEFT JOIN ${s}.rm_event_subjects q ON q.sid = e.task_queue_sid
      LEFT JOIN ${s}.rm_event_subjects wf ON wf.sid = e.workflow_sid`;
  }

  /**
   * The statement names only the filters given. Each filter is its column's equality and the same
   * value among the Event's keys (the GIN index: every key equal to a column's value is one of
   * them, so the answer is the columns'). Planned for its values each time (an unnamed statement):
   * the key statistics tell a rare SID or type, read from the GIN index and sorted, from a common
   * one, read in order from (workspace_sid, event_date …) and filtered; a plan for any value could
   * only guess.
   */
  async list(workspaceSid: string, filter: EventListFilter, slice: Slice): Promise<EventView[]> {
    const values: unknown[] = [workspaceSid, new Date(filter.fromMs).toISOString(), new Date(filter.toMs).toISOString()];
    const where = ['e.workspace_sid = $1', 'e.event_date >= $2::timestamptz', 'e.event_date <= $3::timestamptz'];
    const keys = eventKeys('e.');
    for (const [name, column] of FILTERS) {
      const value = filter[name];
      if (value === undefined) continue;
      values.push(value);
      where.push(name === 'sid' || name === 'taskQueueSid' ? `${column} = $${values.length}` : `${keys} @> ARRAY[$${values.length}::text] AND ${column} = $${values.length}`);
    }
    if (filter.taskChannel !== undefined) {
      values.push(filter.taskChannel);
      const n = values.length;
      where.push(`${keys} @> ARRAY[$${n}::text] AND (e.task_channel = $${n} OR e.event_data->>'task_channel_sid' = $${n})`);
    }
    values.push(slice.offset, slice.limit);
    const sql = `${this.select()} WHERE ${where.join(' AND ')}
      ORDER BY e.event_date DESC, e.stream_version DESC, e.idx DESC, e.sid DESC OFFSET $${values.length - 1} LIMIT $${values.length}`;
    const { rows } = await this.pool.query({ text: sql, values });
    return (rows as EventRow[]).map(toEvent);
  }

  /** Events by SID, in the order their log events and indexes give (the order their callbacks go in). */
  async bySids(workspaceSid: string, sids: readonly string[]): Promise<EventView[]> {
    if (sids.length === 0) return [];
    const sql = `${this.select()} WHERE e.workspace_sid = $1 AND e.sid = ANY($2::text[]) ORDER BY e.event_date, e.stream_version, e.idx`;
    const { rows } = await this.pool.query(prepared(sql, [workspaceSid, sids]));
    return (rows as EventRow[]).map(toEvent);
  }

  /**
   * The Events dated after `lastSid`'s, oldest first (where a live stream that reconnects with
   * Last-Event-ID goes on from); none when that Event is not (or no longer) in the workspace.
   */
  async after(workspaceSid: string, lastSid: string, limit: number): Promise<EventView[]> {
    const s = `"${this.schema}"`;
    const sql = `${this.select()} JOIN ${s}.rm_events last ON last.workspace_sid = $1 AND last.sid = $2
      WHERE e.workspace_sid = $1 AND (e.event_date, e.stream_version, e.idx, e.sid) > (last.event_date, last.stream_version, last.idx, last.sid)
      ORDER BY e.event_date, e.stream_version, e.idx, e.sid LIMIT $3`;
    const { rows } = await this.pool.query(prepared(sql, [workspaceSid, lastSid, limit]));
    return (rows as EventRow[]).map(toEvent);
  }

  /** One Event, if it is in the workspace and not older than `fromMs` (retention). */
  async event(workspaceSid: string, sid: string, fromMs: number): Promise<EventView | null> {
    const sql = `${this.select()} WHERE e.workspace_sid = $1 AND e.sid = $2 AND e.event_date >= $3::timestamptz`;
    const { rows } = await this.pool.query(prepared(sql, [workspaceSid, sid, new Date(fromMs).toISOString()]));
    return rows.length > 0 ? toEvent(rows[0] as EventRow) : null;
  }
}

function toEvent(row: EventRow): EventView {
  const eventDateMs = Number(row.event_date_ms);
  const names = { workspace_name: row.workspace_name, task_queue_name: row.task_queue_name, workflow_name: row.workflow_name };
  const eventData = publicEventData(row.event_type, row.event_data, eventDateMs, names);
  return {
    sid: row.sid, accountSid: row.account_sid, workspaceSid: row.workspace_sid, eventType: row.event_type, description: describeEvent(row.event_type, eventData),
    resourceType: row.resource_type, resourceSid: row.resource_sid, actorType: row.actor_type, actorSid: row.actor_sid, eventData, eventDateMs,
  };
}
