import { INTERNAL } from '@taskrouter/domain';
import { prepared, type ProjectableEvent } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';
import type { EventData } from '../projection/projection-context';
import type { SideFold, SideProjection } from '../projection/side-projection';
import { PruneSchedules, pruneSql, statisticsCutoff, type PruneSchedule } from './statistics-retention';
import { factInstant } from './fact-instant';

/**
 * A finished stay of a worker in an activity. Its start and activity are the worker's
 * `date_status_changed` and `activity_sid` before the event that ends it: known to the batch when
 * it created or moved the worker earlier, else read from the worker's subject facts (`rm_event_subjects`) as they
 * stood before the batch.
 */
interface Spell { sid: string; ws: string; worker: string; activity: string | null; started: string | null; ended: string }

function spellsSql(schema: string): string {
  const activity = `coalesce(e.activity, w.facts->>'worker_activity_sid')`;
  const started = `coalesce(e.started, ${factInstant(`w.facts->>'${INTERNAL.activitySinceMs}'`)})`;
  return `INSERT INTO "${schema}".rm_stats_activity_spells (sid, workspace_sid, worker_sid, activity_sid, started_at, ended_at)
    SELECT e.sid, e.ws, e.worker, ${activity}, ${started}, e.ended
    FROM jsonb_to_recordset($1::jsonb) AS e(sid text, ws text, worker text, activity text, started timestamptz, ended timestamptz)
      LEFT JOIN "${schema}".rm_event_subjects w ON w.sid = e.worker
    WHERE ${activity} IS NOT NULL AND ${started} IS NOT NULL
    ORDER BY e.sid`;
}

/**
 * `activity_durations`: every activity change and deletion closes the worker's stay in the activity
 * it leaves. Retention as the task counters' (statistics-retention.ts): stays that ended more than
 * 30 days before the UTC day of the newest worker event projected are not written, and are pruned.
 */
export const activitySpellsProjection: SideProjection & { forget(schema: string): void } = {
  eventTypes: ['WorkerCreated', 'WorkerActivityChanged', 'WorkerDeleted'],
  fold: (schema) => new ActivitySpellsFold(statementsOf(schema), schedules.of(schema)),
  forget: (schema) => schedules.forget(schema),
};

const schedules = new PruneSchedules();
const sqlBySchema = new Map<string, { insert: string; prune: string }>();
function statementsOf(schema: string): { insert: string; prune: string } {
  let sql = sqlBySchema.get(schema);
  if (!sql) sqlBySchema.set(schema, (sql = { insert: spellsSql(schema), prune: pruneSql(schema, 'rm_stats_activity_spells', 'ended_at') }));
  return sql;
}

class ActivitySpellsFold implements SideFold {
  private readonly spells: Spell[] = [];
  /** Workers this batch created or moved: their current activity and since when. */
  private readonly current = new Map<string, { activity: string; since: string }>();
  private newestMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly sql: { insert: string; prune: string }, private readonly schedule: PruneSchedule) {}

  add({ type, data, streamVersion }: ProjectableEvent): void {
    const atMs = Date.parse((data as { at: string }).at);
    if (atMs > this.newestMs) this.newestMs = atMs;
    if (type === 'WorkerCreated') {
      const d = data as EventData<'WorkerCreated'>;
      this.current.set(d.workerSid, { activity: d.activity.sid, since: d.at });
      return;
    }
    const d = data as EventData<'WorkerActivityChanged'> | EventData<'WorkerDeleted'>;
    const known = this.current.get(d.workerSid);
    // The stay's key: the worker and the version of the event that ended it, the same in every replay.
    this.spells.push({
      sid: `${d.workerSid}:${streamVersion}`, ws: d.workspaceSid, worker: d.workerSid, ended: d.at,
      activity: known?.activity ?? ('previousActivity' in d ? d.previousActivity.sid : null), started: known?.since ?? null,
    });
    if ('activity' in d) this.current.set(d.workerSid, { activity: d.activity.sid, since: d.at });
    else this.current.delete(d.workerSid);
  }

  statements(): QueryConfig[] {
    if (this.newestMs === Number.NEGATIVE_INFINITY) return [];
    const cutoff = statisticsCutoff(this.newestMs);
    const kept = this.spells.filter((spell) => Date.parse(spell.ended) >= cutoff);
    const statements = kept.length > 0 ? [prepared(this.sql.insert, [JSON.stringify(kept)])] : [];
    const prune = this.schedule.pruneCutoff(this.newestMs);
    if (prune !== undefined) statements.push(prepared(this.sql.prune, [new Date(prune).toISOString()]));
    return statements;
  }
}
