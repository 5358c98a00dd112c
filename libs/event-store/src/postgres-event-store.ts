import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import { listenForAppends } from './append-notifications';
import { prepared } from './prepared-statement';
import {
  conflictFor,
  eventColumns,
  firstUnadvancedStream,
  serializeEvents,
  streamHeadColumns,
  validateAppends,
  type AdvancedHead,
  type EventColumns,
  type SerializedEvents,
} from './append-plan';
import { decisionsTouching, planBatch, type BatchPlan } from './batch-append-plan';
import { HeadsNotAdvanced, mergedSerialization, type BatchDecision, type BatchOutcome } from './batch-append';
import { NestedTransactionError, StreamOrderConflictError, WrongExpectedVersionError } from './errors';
import type { GlobalCheckpoint, ProjectableEvent, StoredEvent, StreamAppend } from './events';
import { migrateSchema } from './migrator';
import { tryAcquireSessionLease, type Lease } from './session-lease';
import { SnapshotCursor } from './snapshot-cursor';
import { assertSchemaName, eventsAppendedChannel } from './sql-identifier';
import { UpcasterRegistry } from './upcasters';

/** The open transaction handed to callbacks: run SQL on it, never commit or roll it back. */
export type Transaction = PoolClient;

/** Updates current-state tables inside the transaction that appends the events they follow. */
export type Projector = (tx: Transaction, events: StoredEvent[]) => Promise<void>;

export interface PostgresEventStoreOptions {
  /** All tables live in this schema; default `taskrouter`. */
  schema?: string;
  /** Applied to every event read (readStream, readAll), never to what is stored. */
  upcasters?: UpcasterRegistry;
  /** How often `append` retries a StreamOrderConflictError in a fresh transaction; default 10. */
  maxOrderConflictRetries?: number;
  /**
   * NOTIFY `appendedChannel` from every append, so listeners (`onAppended`) wake at once.
   * Default false: the notification costs a database-wide lock at each commit; relays poll.
   */
  notifyAppends?: boolean;
}

interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

/** The columns of an EventRow, optionally qualified by a table alias. */
const eventFields = (alias = ''): string =>
  [
    `${alias}position::text AS position`,
    `${alias}transaction_id::text AS transaction_id`,
    ...['stream_id', 'stream_version', 'type', 'schema_version', 'data', 'metadata', 'recorded_at'].map((column) => alias + column),
  ].join(', ');

/**
 * `recorded_at` as the ISO text StoredEvent carries, formatted by Postgres: a replay reads
 * millions of rows, and parsing each into a Date to print it again cost Node a sixth of its read.
 */
const ISO_RECORDED_AT = `to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

const UNIQUE_VIOLATION = '23505';

/** Which events `openProjectableCursor` reads, and which of their fields. */
export interface ProjectableSelection {
  /** Only events of these types... */
  readonly types?: readonly string[];
  /** ...or every event not of these types. */
  readonly exceptTypes?: readonly string[];
  /** Per event type, the only fields of its data to read (absent ones read as null). */
  readonly narrowed?: Readonly<Record<string, readonly string[]>>;
  /** Only events up to this point of the commit order (a projection's checkpoint), it included. */
  readonly upTo?: GlobalCheckpoint;
}

/** `e.data`, cut down to the named fields for the named types, built where the row is. */
function narrowedData(narrowed: Readonly<Record<string, readonly string[]>>): string {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const cases = Object.entries(narrowed).map(([type, fields]) =>
    `WHEN ${literal(type)} THEN jsonb_build_object(${fields.map((f) => `${literal(f)}, e.data->${literal(f)}`).join(', ')})`);
  return cases.length === 0 ? 'e.data' : `CASE e.type ${cases.join(' ')} ELSE e.data END`;
}

export class PostgresEventStore {
  readonly schema: string;
  /** The NOTIFY channel announcing committed appends to this schema. */
  readonly appendedChannel: string;
  private readonly upcasters: UpcasterRegistry;
  private readonly maxOrderConflictRetries: number;
  private readonly notifyAppends: boolean;
  // Marks the async context of an open transaction, to refuse a second one inside it.
  private readonly openTransaction = new AsyncLocalStorage<true>();
  private readonly committedHereListeners = new Set<(events: readonly StoredEvent[]) => void>();

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.schema = assertSchemaName(options.schema ?? 'taskrouter');
    this.appendedChannel = eventsAppendedChannel(this.schema);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.maxOrderConflictRetries = options.maxOrderConflictRetries ?? 10;
    this.notifyAppends = options.notifyAppends ?? false;
  }

  /** Creates or upgrades the schema; idempotent and safe to run from several services at once. */
  migrate(): Promise<void> {
    return migrateSchema(this.pool, this.schema);
  }

  /**
   * Appends to one or more streams atomically, each checked against its expected version,
   * and runs `project` in the same transaction: all of it commits, or none of it.
   * Throws WrongExpectedVersionError when another decision came first.
   */
  async append(appends: StreamAppend[], project?: Projector): Promise<StoredEvent[]> {
    validateAppends(appends);
    if (appends.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        const committed = await this.transaction(async (tx) => {
          const events = await this.appendWithin(tx, appends);
          if (project) await project(tx, events);
          return events;
        });
        this.announceCommittedHere(committed);
        return committed;
      } catch (error) {
        // Versions still matched; only commit order forbade it. A new transaction gets a
        // higher id, so the same append is correct there (the projection runs again too).
        if (error instanceof StreamOrderConflictError && attempt < this.maxOrderConflictRetries) continue;
        throw error;
      }
    }
  }

  /**
   * The same append inside a transaction the caller opened (for example with a consumer's
   * `claim`). A StreamOrderConflictError must make the caller retry its whole transaction.
   */
  async appendWithin(tx: Transaction, appends: StreamAppend[]): Promise<StoredEvent[]> {
    validateAppends(appends);
    if (appends.length === 0) return [];
    const serialized = serializeEvents(appends);
    const newHeads = await this.advanceStreamHeads(tx, appends);
    return this.insertEvents(tx, appends, eventColumns(appends, newHeads, serialized));
  }

  /**
   * Appends the decisions of a batch in as few transactions as conflicts allow: usually one.
   * Each decision (appends that must commit together, and its own effect in the transaction)
   * gets its own outcome: committed with its events, or lost with the error its caller would
   * have had alone (a version conflict: decide again). A lost decision never fails the others;
   * they are committed without it, and so is the projection of exactly what was committed.
   */
  async appendBatch(decisions: readonly BatchDecision[], project?: Projector): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = new Array(decisions.length);
    const excluded = new Map<number, Error>();
    const serialized = decisions.map((decision, index) => {
      try {
        validateAppends(decision.appends as StreamAppend[]);
        return serializeEvents(decision.appends);
      } catch (error) {
        excluded.set(index, error as Error);
        return null;
      }
    });
    for (let orderConflictRounds = 0; ; ) {
      const plan = planBatch(decisions, excluded);
      for (const [index, error] of plan.lost) outcomes[index] = { committed: false, error };
      if (plan.included.length === 0) break;
      try {
        const eventsOf = plan.merged.length === 0 ? new Map<number, StoredEvent[]>() : await this.transaction((tx) => this.commitPlan(tx, decisions, plan, serialized, project));
        for (const index of plan.included) outcomes[index] = { committed: true, events: eventsOf.get(index) ?? [] };
        if (plan.merged.length > 0) this.announceCommittedHere([...eventsOf.values()].flat());
        break;
      } catch (error) {
        if (!(error instanceof HeadsNotAdvanced)) {
          for (const index of plan.included) outcomes[index] = { committed: false, error: error as Error };
          break;
        }
        // Only the decisions on those streams lost; commit order alone is worth one more transaction.
        if ([...error.conflicts.values()].some((conflict) => conflict instanceof StreamOrderConflictError)) orderConflictRounds++;
        for (const [streamId, conflict] of error.conflicts) {
          const retryable = conflict instanceof StreamOrderConflictError && orderConflictRounds < this.maxOrderConflictRetries;
          if (retryable) continue;
          // The first decision on the stream lost; the next round's plan leaves out those built on it.
          const touching = decisionsTouching(plan, new Set([streamId]));
          // Every round must leave out a decision, or the same plan would be tried forever.
          if (touching.size === 0) throw new Error(`No decision of the batch touches ${streamId}, whose head did not advance`);
          // A stream only checked was expected at one version by all its checkers (planBatch): all lost.
          const checkedOnly = plan.merged.find((stream) => stream.streamId === streamId)?.events.length === 0;
          for (const index of checkedOnly ? touching : [Math.min(...touching)]) if (!excluded.has(index)) excluded.set(index, conflict);
        }
      }
    }
    return outcomes;
  }

  private async commitPlan(
    tx: Transaction, decisions: readonly BatchDecision[], plan: BatchPlan, serialized: ReadonlyArray<SerializedEvents | null>, project?: Projector,
  ): Promise<Map<number, StoredEvent[]>> {
    const { advanced, checked } = await this.upsertStreamHeads(tx, plan.merged);
    const checkFailed = plan.merged.filter((stream) => stream.events.length === 0 && checked.get(stream.streamId) !== stream.expectedVersion);
    const unadvanced = plan.merged.filter((stream) => {
      if (stream.events.length === 0) return false;
      const head = advanced.get(stream.streamId);
      return !head || (head.created && typeof stream.expectedVersion === 'number' && stream.expectedVersion > 0);
    });
    if (unadvanced.length > 0 || checkFailed.length > 0) {
      const current = unadvanced.length > 0 ? await this.currentVersions(tx, unadvanced.map((stream) => stream.streamId)) : new Map<string, number>();
      for (const stream of checkFailed) current.set(stream.streamId, checked.get(stream.streamId) ?? 0);
      const conflicted = [...unadvanced, ...checkFailed];
      throw new HeadsNotAdvanced(new Map(conflicted.map((stream) => [stream.streamId, conflictFor(stream.streamId, stream.expectedVersion, current.get(stream.streamId) ?? 0)])));
    }
    const columns = eventColumns(plan.merged, new Map([...advanced].map(([streamId, head]) => [streamId, head.version])), mergedSerialization(decisions, plan, serialized));
    const stored = await this.insertEvents(tx, plan.merged, columns);
    const eventsOf = new Map<number, StoredEvent[]>();
    let i = 0;
    for (const stream of plan.merged) {
      for (const index of stream.decisionOf) {
        const events = eventsOf.get(index) ?? [];
        eventsOf.set(index, events);
        events.push(stored[i++]);
      }
    }
    for (const index of plan.included) {
      const effect = decisions[index].alsoInTransaction;
      if (effect) await effect(tx, eventsOf.get(index) ?? []);
    }
    if (project) await project(tx, stored);
    return eventsOf;
  }

  /** One multi-row INSERT of `columns`; the stored events come back in the columns' order. */
  private async insertEvents(tx: Transaction, appends: readonly StreamAppend[], columns: EventColumns): Promise<StoredEvent[]> {
    let rows: Pick<EventRow, 'position' | 'transaction_id' | 'stream_id' | 'stream_version' | 'recorded_at'>[];
    try {
      ({ rows } = await tx.query(prepared(
        `INSERT INTO "${this.schema}".events (stream_id, stream_version, type, schema_version, data, metadata)
         SELECT stream_id, stream_version, type, schema_version, data, metadata
         FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::jsonb[], $6::jsonb[])
           WITH ORDINALITY AS e(stream_id, stream_version, type, schema_version, data, metadata, ordinal)
         ORDER BY ordinal
         RETURNING position::text AS position, transaction_id::text AS transaction_id, stream_id, stream_version, recorded_at`,
        [columns.streamIds, columns.streamVersions, columns.types, columns.schemaVersions, columns.data, columns.metadata],
      )));
    } catch (error) {
      throw asVersionConflict(error, appends as StreamAppend[]) ?? error;
    }
    // Delivered at commit only; costs a database-wide lock at commit, so it is opt-in.
    if (this.notifyAppends) await tx.query('SELECT pg_notify($1, $2)', [this.appendedChannel, '']);
    const inserted = new Map(rows.map((row) => [`${row.stream_version}:${row.stream_id}`, row]));
    return columns.streamIds.map((streamId, i) => {
      const row = inserted.get(`${columns.streamVersions[i]}:${streamId}`);
      if (!row) throw new Error(`Event ${streamId}@${columns.streamVersions[i]} was not returned by its INSERT`);
      return {
        position: row.position,
        transactionId: row.transaction_id,
        streamId,
        streamVersion: row.stream_version,
        type: columns.types[i],
        schemaVersion: columns.schemaVersions[i],
        // What jsonb will give back to readers (undefined fields dropped), not the caller's object.
        data: JSON.parse(columns.data[i]),
        metadata: JSON.parse(columns.metadata[i]),
        recordedAt: row.recorded_at.toISOString(),
      };
    });
  }

  /**
   * One statement checks and advances every stream head (locking them in stream id order).
   * A head advances only if its version is the expected one and its last writer's
   * transaction id is not above ours (commit order per stream, see StreamOrderConflictError).
   */
  private async advanceStreamHeads(tx: Transaction, appends: StreamAppend[]): Promise<Map<string, number>> {
    const { advanced, checked } = await this.upsertStreamHeads(tx, appends);
    const writes = appends.filter((append) => append.events.length > 0);
    const failed = firstUnadvancedStream(writes, advanced);
    if (failed) {
      const { streamId, expectedVersion } = failed.append;
      if (failed.createdUnexpectedly) throw new WrongExpectedVersionError(streamId, expectedVersion, 0);
      // The head is locked by our statement, so this is the version that beat us.
      const current = await this.currentVersions(tx, [streamId]);
      throw conflictFor(streamId, expectedVersion, current.get(streamId) ?? 0);
    }
    for (const check of appends) {
      const version = checked.get(check.streamId);
      if (version !== undefined && version !== check.expectedVersion) throw conflictFor(check.streamId, check.expectedVersion, version);
    }
    return new Map([...advanced].map(([streamId, head]) => [streamId, head.version]));
  }

  /**
   * The heads the statement advanced (or created), and the versions of the streams only checked
   * (appends without events, 0 for a stream that does not exist), read in the same statement.
   * A stream with events missing from `advanced` was not advanced.
   */
  private async upsertStreamHeads(tx: Transaction, appends: readonly StreamAppend[]): Promise<{ advanced: Map<string, AdvancedHead>; checked: Map<string, number> }> {
    const writes = appends.filter((append) => append.events.length > 0);
    const checks = appends.filter((append) => append.events.length === 0).map((append) => append.streamId);
    const heads = streamHeadColumns(writes);
    const upsert = `INSERT INTO "${this.schema}".streams AS head (stream_id, version, last_transaction_id)
       SELECT stream_id, greatest(expected_version, 0) + event_count, pg_current_xact_id()
       FROM requested ORDER BY stream_id COLLATE "C"
       ON CONFLICT (stream_id) DO UPDATE
         SET version = head.version + (SELECT event_count FROM requested WHERE requested.stream_id = excluded.stream_id),
             last_transaction_id = excluded.last_transaction_id
         WHERE (SELECT expected_version FROM requested WHERE requested.stream_id = excluded.stream_id) IN (-1, head.version)
           AND head.last_transaction_id <= excluded.last_transaction_id
       RETURNING stream_id, version, (xmax = 0) AS created`;
    const requested = 'requested AS (SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS r(stream_id, expected_version, event_count))';
    const { rows } = checks.length === 0
      ? await tx.query<{ stream_id: string; version: number; created: boolean; checked?: boolean }>(prepared(
        `WITH ${requested} ${upsert}`, [heads.streamIds, heads.expectedVersions, heads.eventCounts]))
      : await tx.query<{ stream_id: string; version: number; created: boolean; checked?: boolean }>(prepared(
        `WITH ${requested}, advanced AS (${upsert})
         SELECT stream_id, version, created, false AS checked FROM advanced
         UNION ALL
         SELECT c.stream_id, coalesce(s.version, 0), false, true
         FROM unnest($4::text[]) AS c(stream_id) LEFT JOIN "${this.schema}".streams s ON s.stream_id = c.stream_id`,
        [heads.streamIds, heads.expectedVersions, heads.eventCounts, checks]));
    const advanced = new Map<string, AdvancedHead>();
    const checked = new Map<string, number>();
    for (const row of rows) {
      if (row.checked) checked.set(row.stream_id, row.version);
      else advanced.set(row.stream_id, { version: row.version, created: row.created });
    }
    return { advanced, checked };
  }

  private async currentVersions(tx: Transaction, streamIds: string[]): Promise<Map<string, number>> {
    const { rows } = await tx.query<{ stream_id: string; version: number }>(
      `SELECT stream_id, version FROM "${this.schema}".streams WHERE stream_id = ANY($1::text[])`, [streamIds]);
    return new Map(rows.map((row) => [row.stream_id, row.version]));
  }

  /**
   * Several streams' events, each from its own `fromVersion`, and their versions, in one query
   * (one snapshot); answers in the order asked (a stream asked twice is answered twice).
   */
  async readStreams(requests: ReadonlyArray<{ streamId: string; fromVersion: number }>): Promise<Array<{ version: number; events: StoredEvent[] }>> {
    if (requests.length === 0) return [];
    const { rows } = await this.pool.query<Partial<EventRow> & { ordinal: string; head_version: number }>(prepared(
      `SELECT r.ordinal, head.version AS head_version, ${eventFields('e.')}
       FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS r(stream_id, from_version, ordinal)
       CROSS JOIN LATERAL (
         SELECT coalesce(max(stream_version), 0) AS version FROM "${this.schema}".events WHERE stream_id = r.stream_id
       ) head
       LEFT JOIN "${this.schema}".events e ON e.stream_id = r.stream_id AND e.stream_version >= r.from_version
       ORDER BY r.ordinal, e.stream_version`,
      [requests.map((r) => r.streamId), requests.map((r) => r.fromVersion)],
    ));
    const answers = requests.map(() => ({ version: 0, events: [] as StoredEvent[] }));
    for (const row of rows) {
      const answer = answers[Number(row.ordinal) - 1];
      answer.version = row.head_version;
      if (row.position !== null) answer.events.push(this.toStoredEvent(row as EventRow));
    }
    return answers;
  }

  /** The current versions of streams, from their heads (a stream that does not exist is missing). */
  async streamVersions(streamIds: readonly string[]): Promise<Map<string, number>> {
    if (streamIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ stream_id: string; version: number }>(prepared(
      `SELECT stream_id, version FROM "${this.schema}".streams WHERE stream_id = ANY($1::text[])`, [streamIds]));
    return new Map(rows.map((row) => [row.stream_id, row.version]));
  }

  /** A stream's events from `fromVersion` (default 1) and its version, read in one snapshot. */
  async readStream(
    streamId: string,
    options: { fromVersion?: number; tx?: Transaction } = {},
  ): Promise<{ version: number; events: StoredEvent[] }> {
    const { rows } = await (options.tx ?? this.pool).query<Partial<EventRow> & { head_version: number }>(prepared(
      `WITH head AS (
         SELECT coalesce(max(stream_version), 0) AS version FROM "${this.schema}".events WHERE stream_id = $1
       )
       SELECT head.version AS head_version, ${eventFields('e.')}
       FROM head LEFT JOIN "${this.schema}".events e ON e.stream_id = $1 AND e.stream_version >= $2
       ORDER BY e.stream_version`,
      [streamId, options.fromVersion ?? 1],
    ));
    const version = rows[0]?.head_version ?? 0;
    const events = rows.filter((row) => row.position !== null).map((row) => this.toStoredEvent(row as EventRow));
    return { version, events };
  }

  /**
   * Committed events in commit order (transaction id, position), after `after`. Only
   * transactions below the oldest one still running are read: a transaction that commits
   * late can then never be skipped, it holds readers back until it ends.
   */
  async readAll(options: { after?: GlobalCheckpoint | null; limit: number }): Promise<StoredEvent[]> {
    // The selected columns are text aliases (bigint and xid8 do not fit a JS number): order and
    // filter by the table's own numeric columns, never by the aliases, which sort as text.
    const visibleBelowOldestRunning = 'e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
    const commitOrder = 'ORDER BY e.transaction_id, e.position';
    const { rows } = options.after
      ? await this.pool.query<EventRow>(prepared(
          `SELECT ${eventFields('e.')} FROM "${this.schema}".events e
           WHERE ${visibleBelowOldestRunning} AND (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
           ${commitOrder} LIMIT $3`,
          [options.after.transactionId, options.after.position, options.limit],
        ))
      : await this.pool.query<EventRow>(prepared(
          `SELECT ${eventFields('e.')} FROM "${this.schema}".events e
           WHERE ${visibleBelowOldestRunning}
           ${commitOrder} LIMIT $1`,
          [options.limit],
        ));
    return rows.map((row) => this.toStoredEvent(row));
  }

  /**
   * Every event a transaction's snapshot sees, in commit order, after `after` (replay). Inside
   * a REPEATABLE READ transaction the snapshot is fixed, so no gate on running transactions is
   * needed: what it sees is exactly what had committed when it began. `notVisibleIn` instead
   * reads what committed since another transaction's snapshot (`pg_current_snapshot()` text).
   */
  async readAllInSnapshot(
    tx: Transaction,
    options: { after?: GlobalCheckpoint | null; limit: number; notVisibleIn?: string },
  ): Promise<StoredEvent[]> {
    const after = options.after ?? { transactionId: '0', position: '0' };
    const { rows } = await tx.query<EventRow>(
      `SELECT ${eventFields('e.').replace('e.recorded_at', ISO_RECORDED_AT)} FROM "${this.schema}".events e
       WHERE (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
         AND ($4::pg_snapshot IS NULL OR NOT pg_visible_in_snapshot(e.transaction_id, $4::pg_snapshot))
       ORDER BY e.transaction_id, e.position LIMIT $3`,
      [after.transactionId, after.position, options.limit, options.notVisibleIn ?? null],
    );
    return rows.map((row) => this.toStoredEvent(row));
  }

  /**
   * Every event `tx`'s snapshot sees, in commit order, as a projection reads it (replay): a
   * cursor in `tx`, which must be REPEATABLE READ to keep one snapshot and stay open while the
   * cursor is read. It fetches only the stream version, type and data of each row: half of what
   * Node spends per event on `readAllInSnapshot` (no metadata to parse, no time to format, no
   * checkpoint columns, rows as arrays). Where upcasters are registered it reads whole events,
   * since an upcaster may look at any field of the event. `only` may keep to some event types,
   * and cut the data of some types down to the fields a reader needs (a replay's joins), except
   * where upcasters are registered, whose input must be the whole stored event.
   */
  openProjectableCursor(tx: Transaction, only: ProjectableSelection = {}): Promise<SnapshotCursor<ProjectableEvent>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (only.types) conditions.push(`e.type = ANY($${values.push(only.types)}::text[])`);
    else if (only.exceptTypes) conditions.push(`e.type <> ALL($${values.push(only.exceptTypes)}::text[])`);
    if (only.upTo) {
      conditions.push(`(e.transaction_id, e.position) <= ($${values.push(only.upTo.transactionId)}::xid8, $${values.push(only.upTo.position)}::bigint)`);
    }
    const filter = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const commitOrder = `FROM "${this.schema}".events e ${filter} ORDER BY e.transaction_id, e.position`;
    if (!this.upcasters.isEmpty) {
      const names = ['position', 'transaction_id', 'stream_id', 'stream_version', 'type', 'schema_version', 'data', 'metadata', 'recorded_at'] as const;
      return SnapshotCursor.open(tx, { text: `SELECT ${eventFields('e.').replace('e.recorded_at', ISO_RECORDED_AT)} ${commitOrder}`, values }, (row) =>
        this.toStoredEvent(Object.fromEntries(names.map((name, i) => [name, row[i]])) as unknown as EventRow));
    }
    return SnapshotCursor.open(tx, { text: `SELECT e.stream_version, e.type, ${narrowedData(only.narrowed ?? {})} ${commitOrder}`, values }, (row) => ({
      streamVersion: row[0] as number, type: row[1] as string, data: row[2] as Record<string, unknown>,
    }));
  }

  /**
   * Runs `fn` in one transaction on one pooled connection: commit if it resolves, roll back
   * if it throws. Opening another transaction of this store inside `fn` is refused.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.openTransaction.getStore()) throw new NestedTransactionError();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await this.openTransaction.run(true, () => fn(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot even roll back must not go back to the pool.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Consumer idempotency, inside the transaction of the effect: true the first time a
   * consumer sees this stream version, false on a redelivery. Events of a stream reach a
   * consumer in stream order, so one high-water mark per (consumer, stream) suffices.
   */
  async claim(tx: Transaction, consumer: string, event: Pick<StoredEvent, 'streamId' | 'streamVersion'>): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO "${this.schema}".consumer_stream_positions AS seen (consumer, stream_id, stream_version)
       VALUES ($1, $2, $3)
       ON CONFLICT (consumer, stream_id) DO UPDATE SET stream_version = excluded.stream_version
         WHERE seen.stream_version < excluded.stream_version`,
      [consumer, event.streamId, event.streamVersion],
    );
    return rowCount === 1;
  }

  async loadCheckpoint(name: string): Promise<GlobalCheckpoint | null> {
    const { rows } = await this.pool.query<GlobalCheckpoint>(
      `SELECT transaction_id::text AS "transactionId", position::text AS position FROM "${this.schema}".checkpoints WHERE name = $1`,
      [name],
    );
    return rows[0] ?? null;
  }

  async saveCheckpoint(name: string, checkpoint: GlobalCheckpoint, tx?: Transaction): Promise<void> {
    await (tx ?? this.pool).query(prepared(
      `INSERT INTO "${this.schema}".checkpoints (name, transaction_id, position) VALUES ($1, $2::xid8, $3::bigint)
       ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position, updated_at = now()`,
      [name, checkpoint.transactionId, checkpoint.position],
    ));
  }

  /** Exclusive role ownership (e.g. the one publishing relay) via a session advisory lock. */
  tryAcquireLease(name: string): Promise<Lease | null> {
    return tryAcquireSessionLease(this.pool, `${this.schema}:${name}`);
  }

  /** Wakes `listener` after appends commit; resolves to an unsubscribe function. */
  onAppended(listener: () => void): Promise<() => Promise<void>> {
    return listenForAppends(this.pool, this.appendedChannel, listener);
  }

  /**
   * Calls `listener` right after each append of this store object commits: the process's own
   * relay publishes at once instead of at its next poll, at no cost to the database (unlike
   * NOTIFY). Appends of other processes are still found by polling. The listener gets the events
   * that committed (the metrics count them); it must not keep or change them.
   */
  onCommittedHere(listener: (events: readonly StoredEvent[]) => void): Promise<() => Promise<void>> {
    this.committedHereListeners.add(listener);
    return Promise.resolve(async () => void this.committedHereListeners.delete(listener));
  }

  private announceCommittedHere(events: readonly StoredEvent[]): void {
    for (const listener of this.committedHereListeners) listener(events);
  }

  /** Whether reads reshape stored events (an upcaster is registered). */
  get upcastsOnRead(): boolean {
    return !this.upcasters.isEmpty;
  }

  private toStoredEvent(row: EventRow): StoredEvent {
    return this.upcasters.upcast({
      position: row.position,
      transactionId: row.transaction_id,
      streamId: row.stream_id,
      streamVersion: row.stream_version,
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      // Already ISO text where the query formats it (ISO_RECORDED_AT).
      recordedAt: typeof (row.recorded_at as Date | string) === 'string' ? (row.recorded_at as unknown as string) : row.recorded_at.toISOString(),
    });
  }
}

/**
 * Stream heads serialise appends, so a duplicate (stream, version) should be unreachable;
 * if a writer ever bypasses them, the unique constraint still reports a version conflict.
 */
function asVersionConflict(error: unknown, appends: StreamAppend[]): WrongExpectedVersionError | undefined {
  const pgError = error as { code?: string; constraint?: string; detail?: string };
  if (pgError.code !== UNIQUE_VIOLATION || pgError.constraint !== 'events_stream_version_unique') return undefined;
  const match = /=\((.*), (\d+)\)/.exec(pgError.detail ?? '');
  const append = appends.find((a) => a.streamId === match?.[1]) ?? appends[0];
  return new WrongExpectedVersionError(append.streamId, append.expectedVersion, match ? Number(match[2]) : Number.NaN);
}
