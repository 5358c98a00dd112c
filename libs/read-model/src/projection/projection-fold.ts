import type { ProjectableEvent } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';
import { AcceptedReservationChannels, JOINED, type LookUp } from './accepted-reservation-channels';
import type { ProjectionContext, TableProjection } from './projection-context';
import type { ReservationFacts } from './reservation-facts';
import { RowChanges } from './row-changes';
import type { TableStatements } from './table-shape';

type Handler = (rows: RowChanges, data: unknown, context: ProjectionContext) => void;

/** Events folded between two turns of the event loop (an append's batch is folded in one). */
const YIELD_EVERY = 2_000;

/** A batch folded into the statements that write it, in the order they must run. */
export interface PreparedProjection {
  readonly statements: readonly QueryConfig[];
  readonly events: number;
}

/** The tables and how each shows each event type, shared by every fold of one schema. */
export interface ProjectionPlan {
  readonly projections: readonly TableProjection[];
  readonly statements: readonly TableStatements[];
  /** Per event type, the tables (by index in `projections`) that show it and how. */
  readonly handlers: ReadonlyMap<string, ReadonlyArray<{ rows: number; handle: Handler }>>;
  readonly reservations: number;
  readonly tasks: number;
  readonly channelEventTypes: ReadonlySet<string>;
}

/** `names.workerChannels` may be left out by a plan without that table (a replay group's), which then joins nothing. */
export function projectionPlan(
  projections: readonly TableProjection[], statements: readonly TableStatements[],
  names: { reservations: TableProjection; tasks: TableProjection; workerChannels?: TableProjection },
): ProjectionPlan {
  const handlers = new Map<string, Array<{ rows: number; handle: Handler }>>();
  projections.forEach(({ handlers: byType }, rows) => {
    for (const [type, handle] of Object.entries(byType as Record<string, Handler>)) {
      const forType = handlers.get(type) ?? [];
      forType.push({ rows, handle });
      handlers.set(type, forType);
    }
  });
  return {
    projections, statements, handlers,
    reservations: projections.indexOf(names.reservations), tasks: projections.indexOf(names.tasks),
    channelEventTypes: new Set(Object.keys(names.workerChannels?.handlers ?? {})),
  };
}

/**
 * One batch being folded: events are added in log order, in one go (an append) or page after
 * page (replay, where a page is garbage once folded and only the rows stay in memory), and the
 * batch ends in its statements. The accept's channel is resolved per page: from the batch's rows
 * so far, then `facts`, then `lookUp`; joining it in SQL instead (`joins`) is for a batch folded
 * in one go, which knows all of the worker's changes when it decides.
 */
export class ProjectionFold {
  private readonly tables: RowChanges[];
  private added = 0;

  constructor(
    private readonly schema: string,
    private readonly plan: ProjectionPlan,
    private readonly lookUp: LookUp,
    private readonly facts: ReservationFacts,
    private readonly joins: boolean,
  ) {
    this.tables = plan.projections.map((p) => new RowChanges(p.shape));
  }

  get events(): number {
    return this.added;
  }

  async add(events: readonly ProjectableEvent[]): Promise<void> {
    const reservations = this.tables[this.plan.reservations];
    const tasks = this.tables[this.plan.tasks];
    const channels = await AcceptedReservationChannels.lookUp(this.lookUp, this.schema, events, this.plan.channelEventTypes, this.facts, {
      taskOf: (reservationSid) => reservations.known({ sid: reservationSid })?.task_sid as string | undefined,
      hasTask: (taskSid) => tasks.known({ sid: taskSid }) !== undefined,
    }, this.joins && this.added === 0);
    const acceptedChannel = (workerSid: string, reservationSid: string): string | undefined | typeof JOINED => {
      if (channels.isJoined(workerSid, reservationSid)) return JOINED;
      const taskSid = (reservations.known({ sid: reservationSid })?.task_sid as string | undefined) ?? channels.taskOf(reservationSid);
      if (taskSid === undefined) return undefined;
      return (tasks.known({ sid: taskSid })?.task_channel_unique_name as string | undefined) ?? channels.channelOf(taskSid);
    };
    // One context for the page, its version moved on per event: handlers never keep it.
    const context: { version: number; acceptedChannel: ProjectionContext['acceptedChannel'] } = { version: 0, acceptedChannel };
    for (let i = 0; i < events.length; i++) {
      // A replay's page takes a while to fold: let the connections it keeps busy be served meanwhile.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
      const stored = events[i];
      // An event type this read model does not show has no handlers: nothing to project.
      const handlers = this.plan.handlers.get(stored.type);
      if (!handlers) continue;
      context.version = stored.streamVersion;
      for (const { rows, handle } of handlers) handle(this.tables[rows], stored.data, context);
    }
    const joined = channels.joinedStatement();
    if (joined) this.joined.push(joined);
    this.added += events.length;
  }

  private readonly joined: QueryConfig[] = [];

  /** The batch's statements; what it inserted into reservations and tasks becomes `facts`. */
  finish(): PreparedProjection {
    const statements: QueryConfig[] = [...this.joined];
    this.tables.forEach((rows, i) => {
      const changes = rows.netChanges();
      statements.push(...this.plan.statements[i].statements(changes));
      if (i === this.plan.reservations) this.facts.learn(changes.inserts as Array<{ sid: string; task_sid: string }>, []);
      if (i === this.plan.tasks) this.facts.learn([], changes.inserts as Array<{ sid: string; task_channel_unique_name: string }>);
    });
    return { statements, events: this.added };
  }
}
