import { prepared, type ProjectableEvent } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';
import { UNKNOWN, type ReservationFacts } from './reservation-facts';

/** The accept's `assigned_tasks + 1` is made by a join in SQL (`joinedStatement`), not by the batch's fold. */
export const JOINED = Symbol('joined in SQL');

/** Runs one read-only query where the tables stand as the batch will find them. */
export type LookUp = (query: QueryConfig) => Promise<{ rows: unknown[] }>;

interface JoinedAccept { worker_sid: string; reservation_sid: string; date_updated: string }

/**
 * `WorkerReservationAccepted` names the reservation, not the channel whose `assigned_tasks` it
 * moves: that is the channel of the reservation's task. Reservations and tasks are never deleted
 * and neither their task nor their channel ever changes, so the join the event's own UPDATE
 * made is answered by the batch's own inserts so far, else by what the projection already knows
 * (ReservationFacts), else by the tables as the batch finds them.
 *
 * What only the tables can answer is joined in SQL before the batch writes anything, when no
 * other event of the batch changes that worker's channels (the live accept: one statement, as
 * before); otherwise it is read, also before the batch writes, so the fold can order the accept
 * among the worker's other changes.
 */
export class AcceptedReservationChannels {
  private constructor(
    private readonly schema: string,
    private readonly facts: ReservationFacts,
    private readonly taskOfReservation: ReadonlyMap<string, string>,
    private readonly channelOfTask: ReadonlyMap<string, string>,
    private readonly joined: ReadonlyMap<string, JoinedAccept>,
  ) {}

  /**
   * `events`: the page about to be folded; `earlier`: the rows the batch's earlier pages inserted.
   * `channelEventTypes`: every event type that changes a worker's channels (the worker-channel
   * projection's). `joins`: the page is the whole batch, so a worker's changes are all in it.
   */
  static async lookUp(
    lookUp: LookUp, schema: string, events: readonly ProjectableEvent[], channelEventTypes: ReadonlySet<string>, facts: ReservationFacts,
    earlier: { taskOf(reservationSid: string): string | undefined; hasTask(taskSid: string): boolean }, joins: boolean,
  ): Promise<AcceptedReservationChannels> {
    if (facts.complete) return new AcceptedReservationChannels(schema, facts, new Map(), new Map(), new Map());
    const reservedInBatch = new Map<string, string>();
    const createdInBatch = { has: (taskSid: string) => createdInPage.has(taskSid) || earlier.hasTask(taskSid) };
    const createdInPage = new Set<string>();
    const channelEvents = new Map<string, number>();
    const unknownReservations: JoinedAccept[] = [];
    const tasks = new Set<string>();
    for (const { type, data } of events) {
      if (!channelEventTypes.has(type) && type !== 'TaskCreated' && type !== 'TaskReserved') continue;
      if (channelEventTypes.has(type)) channelEvents.set(data.workerSid as string, (channelEvents.get(data.workerSid as string) ?? 0) + 1);
      if (type === 'TaskCreated') createdInPage.add(data.taskSid as string);
      else if (type === 'TaskReserved') reservedInBatch.set(data.reservationSid as string, data.taskSid as string);
      else if (type === 'WorkerReservationAccepted') {
        const reservationSid = data.reservationSid as string;
        const taskSid = reservedInBatch.get(reservationSid) ?? earlier.taskOf(reservationSid) ?? facts.taskOf(reservationSid);
        if (taskSid === UNKNOWN) unknownReservations.push({ worker_sid: data.workerSid as string, reservation_sid: reservationSid, date_updated: data.at as string });
        else if (taskSid !== undefined && !createdInBatch.has(taskSid) && facts.channelOf(taskSid) === UNKNOWN) tasks.add(taskSid);
      }
    }
    const joined = new Map<string, JoinedAccept>();
    const reservations = new Set<string>();
    for (const accept of unknownReservations) {
      if (joins && channelEvents.get(accept.worker_sid) === 1) joined.set(joinKey(accept.worker_sid, accept.reservation_sid), accept);
      else reservations.add(accept.reservation_sid);
    }
    const taskOfReservation = new Map<string, string>();
    const channelOfTask = new Map<string, string>();
    if (reservations.size > 0 || tasks.size > 0) {
      const { rows } = await lookUp(prepared(
        `SELECT r.sid AS reservation_sid, r.task_sid, t.task_channel_unique_name AS channel
           FROM "${schema}".rm_reservations r LEFT JOIN "${schema}".rm_tasks t ON t.sid = r.task_sid WHERE r.sid = ANY($1::text[])
         UNION ALL
         SELECT NULL, t.sid, t.task_channel_unique_name FROM "${schema}".rm_tasks t WHERE t.sid = ANY($2::text[])`,
        [[...reservations], [...tasks]],
      ));
      for (const row of rows as Array<{ reservation_sid: string | null; task_sid: string; channel: string | null }>) {
        if (row.reservation_sid !== null) taskOfReservation.set(row.reservation_sid, row.task_sid);
        if (row.channel !== null) channelOfTask.set(row.task_sid, row.channel);
      }
    }
    return new AcceptedReservationChannels(schema, facts, taskOfReservation, channelOfTask, joined);
  }

  /** Whether this worker's accept of this reservation is left to `joinedStatement`. */
  isJoined(workerSid: string, reservationSid: string): boolean {
    return this.joined.size > 0 && this.joined.has(joinKey(workerSid, reservationSid));
  }

  /** The task of a reservation the batch did not insert (before it), as the tables hold it when the batch starts. */
  taskOf(reservationSid: string): string | undefined {
    const known = this.facts.taskOf(reservationSid);
    return known === UNKNOWN ? this.taskOfReservation.get(reservationSid) : known;
  }

  /** The channel of a task the batch did not insert (before it), as the tables hold it when the batch starts. */
  channelOf(taskSid: string): string | undefined {
    const known = this.facts.channelOf(taskSid);
    return known === UNKNOWN ? this.channelOfTask.get(taskSid) : known;
  }

  /** To run before anything else of the batch: the join then sees the tables as the accept's own UPDATE did. */
  joinedStatement(): QueryConfig | undefined {
    if (this.joined.size === 0) return undefined;
    const s = this.schema;
    return prepared(
      `UPDATE "${s}".rm_worker_channels wc SET assigned_tasks = wc.assigned_tasks + 1, date_updated = c.date_updated
       FROM jsonb_to_recordset($1::jsonb) AS c(worker_sid text, reservation_sid text, date_updated timestamptz)
         JOIN "${s}".rm_reservations r ON r.sid = c.reservation_sid JOIN "${s}".rm_tasks t ON t.sid = r.task_sid
       WHERE wc.worker_sid = c.worker_sid AND wc.task_channel_unique_name = t.task_channel_unique_name`,
      [JSON.stringify([...this.joined.values()])],
    );
  }
}

const joinKey = (workerSid: string, reservationSid: string) => `${workerSid}\u0000${reservationSid}`;
