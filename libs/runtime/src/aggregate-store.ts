import { AsyncLocalStorage } from 'node:async_hooks';
import type { DomainEvent, TaskAndWorkerEvents } from '@taskrouter/domain';
import type { BatchDecision, BatchOutcome, NewEvent, PostgresEventStore, StreamAppend } from '@taskrouter/event-store';
import { aggregates, kindOfStream, type AggregateKind, type StateOf } from './aggregates';
import { DecisionBatch, type PendingState } from './batch/decision-batch';
import { StreamReads } from './stream-reads';

/** What `observe` needs of an event the consumer received: the stored event as published. */
export interface ObservedEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: unknown;
  readonly schemaVersion?: number;
}

interface CachedState {
  state: unknown;
  version: number;
  loadedAt: number;
  /**
   * The consumer receives this stream's events and folds each one on (`observe`), so the state is
   * as new as the last event it received: a decision in a batch may use it without a read. A
   * newer event not yet received only makes that decision lose its version check and be taken
   * again after a read; whatever the state lacks arrives as a record of its own.
   */
  followed: boolean;
  /** A decision found the stream moved on past this state (or may have): the next load reads the events after it. */
  stale?: boolean;
}

/**
 * What one attempt of a decision loaded (outside a consumer's batch). With `fromCache`, a load is
 * answered by the cached state without a read, and noted in `served`: the attempt stands only if
 * its append checks every served stream's version (runDecision adds the checks, and takes the
 * attempt again with reads when it fails or decides nothing).
 */
export interface AttemptScope {
  readonly fromCache: boolean;
  readonly served: Map<string, number>;
  readonly loaded: Map<string, PendingState>;
}

export interface Loaded<S> {
  readonly state: S;
  /** The stream version the state reflects: the expected version of the next append. */
  readonly version: number;
  readonly streamId: string;
}

/**
 * The aggregates a consumer's decisions append to, so every append checks the version the
 * decision read: only these may be taken from a followed cache without a read. Configuration
 * (workspace, workflow, queue) is read, never appended, by consumers: a stale copy would go
 * unnoticed, so it keeps its own rule (`loadRecent` and read-your-writes versions).
 */
const DECIDED_KINDS: ReadonlySet<AggregateKind> = new Set(['task', 'worker']);

/** How many aggregate states one process keeps folded in memory. */
export const DEFAULT_CACHED_AGGREGATES = 50_000;
/** How stale configuration (workspace, workflow) may be when a routing decision reads it. */
export const CONFIGURATION_MAX_AGE_MS = 1_000;

/**
 * Loads aggregates by folding their streams, and turns decisions into appends. Folded states
 * are kept (least recently used first out): a stream's stored events never change, so a later
 * load reads only the events after the cached version and folds them on. Correctness never
 * depends on the cache: every append still states the version it was decided at.
 */
export class AggregateStore {
  private readonly cache = new Map<string, CachedState>();
  private readonly attempts = new AsyncLocalStorage<AttemptScope>();
  private readonly reads: StreamReads;

  constructor(
    private readonly eventStore: PostgresEventStore,
    private readonly capacity = DEFAULT_CACHED_AGGREGATES,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {
    this.reads = new StreamReads(eventStore);
  }

  /**
   * Configuration read by a decision but not appended to (the workspace, a workflow): a state
   * folded less than `maxAgeMs` ago is used as it is. A change made within that window may be
   * seen that much later, as TaskRouter's own configuration changes apply to later routing.
   */
  async loadRecent<K extends 'workspace' | 'workflow' | 'taskQueue'>(kind: K, sid: string, maxAgeMs = CONFIGURATION_MAX_AGE_MS): Promise<Loaded<StateOf<K>>> {
    const streamId = aggregates[kind].streamId(sid);
    const cached = this.cache.get(streamId);
    if (cached && !cached.stale && !this.attempts.getStore()?.fromCache && this.monotonicMs() - cached.loadedAt <= maxAgeMs) {
      return { state: cached.state as StateOf<K>, version: cached.version, streamId };
    }
    return this.load(kind, sid);
  }

  /**
   * A state at least as new as `version` (an event a consumer just received): the cached one when it
   * is, else read. For work driven by that event that appends nothing itself (a callback to make):
   * a decision it leads to still checks what it decides on.
   */
  async loadAtLeast<K extends AggregateKind>(kind: K, sid: string, version: number): Promise<Loaded<StateOf<K>>> {
    const streamId = aggregates[kind].streamId(sid);
    const cached = this.usable(streamId);
    if (!cached || cached.version < version) return this.load(kind, sid);
    // Inside a decision's attempt the state is one it took from the cache, checked like the others.
    const scope = this.attempts.getStore();
    scope?.served.set(streamId, cached.version);
    scope?.loaded.set(streamId, { kind, state: cached.state, version: cached.version });
    return { state: cached.state as StateOf<K>, version: cached.version, streamId };
  }

  /**
   * Runs one attempt of a decision in its own scope (see AttemptScope): what it loaded is known
   * afterwards, to remember the committed states (`committed`) or to check what came from the cache.
   */
  async attempt<T>(fromCache: boolean, run: () => Promise<T>): Promise<{ scope: AttemptScope; outcome: { ok: true; value: T } | { ok: false; error: unknown } }> {
    const scope: AttemptScope = { fromCache, served: new Map(), loaded: new Map() };
    try {
      return { scope, outcome: { ok: true, value: await this.attempts.run(scope, run) } };
    } catch (error) {
      return { scope, outcome: { ok: false, error } };
    }
  }

  /** The streams among `served` (stream → the version an attempt used) that moved on since: one query of their heads. */
  async staleAmong(served: ReadonlyMap<string, number>): Promise<string[]> {
    const current = await this.eventStore.streamVersions([...served.keys()]);
    return [...served].filter(([streamId, version]) => (current.get(streamId) ?? 0) !== version).map(([streamId]) => streamId);
  }

  private usable(streamId: string): CachedState | undefined {
    const cached = this.cache.get(streamId);
    return cached && !cached.stale ? cached : undefined;
  }

  /** The attempt's appends committed: the states they produced are the cache, no read needed next time. */
  committed(scope: AttemptScope, appends: readonly StreamAppend[]): void {
    for (const append of appends) {
      const loaded = scope.loaded.get(append.streamId);
      if (!loaded || append.events.length === 0 || loaded.version !== append.expectedVersion) continue;
      const next = this.evolvePending(append.streamId, loaded, append.events);
      this.remember(append.streamId, next.state, next.version, this.cache.get(append.streamId)?.followed ?? false);
    }
  }

  /**
   * Cached states an attempt used that turned out stale, or may have: the next load reads what
   * came after them (the cached prefix stays: a stream's stored events never change), and neither
   * a recent fold, a followed copy nor an attempt from the cache uses them before that read.
   */
  markStale(streamIds: Iterable<string>): void {
    for (const streamId of streamIds) {
      const cached = this.cache.get(streamId);
      if (cached) cached.stale = true;
    }
  }

  async load<K extends AggregateKind>(kind: K, sid: string): Promise<Loaded<StateOf<K>>> {
    const streamId = aggregates[kind].streamId(sid);
    const batch = DecisionBatch.current();
    if (batch?.collecting && batch.currentKey === streamId) {
      const pending = batch.pendingState(streamId);
      const cached = this.cache.get(streamId);
      // The cache holds committed events only; when it is as new as what the batch holds (an event
      // received since, from another writer), a state the batch produced is a decision bound to lose.
      if (pending && !(cached?.followed && cached.version >= pending.version)) return { state: pending.state as StateOf<K>, version: pending.version, streamId };
      const trusted = cached?.followed && !cached.stale && DECIDED_KINDS.has(kind);
      const loaded = trusted ? { state: cached.state as StateOf<K>, version: cached.version, streamId } : await this.read(kind, streamId);
      batch.noteLoaded(streamId, { kind, state: loaded.state, version: loaded.version });
      return loaded;
    }
    if (batch?.collecting) {
      // Another partition's stream. Read, unless the load is a decision's attempt from the cache
      // (runDecision with the store), whose append then checks the version it decided on: a state
      // taken for anything else (an index update) would rest on nothing that checks it. What the
      // batch commits on the stream (a reservation's worker) becomes the cache, so the event that
      // comes back folds on.
      const scope = this.attempts.getStore();
      const pending = batch.pendingState(streamId);
      const fromCache = scope?.fromCache ?? false;
      const cached = fromCache ? this.usable(streamId) : undefined;
      let loaded: Loaded<StateOf<K>>;
      if (fromCache && pending && (!cached || pending.version > cached.version)) {
        loaded = { state: pending.state as StateOf<K>, version: pending.version, streamId };
      } else if (cached) {
        loaded = { state: cached.state as StateOf<K>, version: cached.version, streamId };
      } else {
        loaded = await this.read(kind, streamId);
      }
      if (scope && fromCache && (pending || cached)) scope.served.set(streamId, loaded.version);
      scope?.loaded.set(streamId, { kind, state: loaded.state, version: loaded.version });
      if (!pending || loaded.version > pending.version) batch.noteLoaded(streamId, { kind, state: loaded.state, version: loaded.version });
      return loaded;
    }
    const scope = this.attempts.getStore();
    const cached = scope?.fromCache ? this.usable(streamId) : undefined;
    if (scope && cached) scope.served.set(streamId, cached.version);
    const loaded = cached ? { state: cached.state as StateOf<K>, version: cached.version, streamId } : await this.read(kind, streamId);
    scope?.loaded.set(streamId, { kind, state: loaded.state, version: loaded.version });
    return loaded;
  }

  /**
   * Folds an event the consumer received onto the cached state when it is the next one; the
   * first event of a stream starts its state. Anything else (a gap) drops the entry: the next
   * load reads the stream.
   */
  observe(event: ObservedEvent): void {
    const kind = kindOfStream(event.streamId);
    if (!kind) return;
    const cached = this.cache.get(event.streamId);
    if (cached && cached.version >= event.streamVersion) {
      cached.followed = true;
      return;
    }
    const base = cached && cached.version === event.streamVersion - 1 ? cached.state : event.streamVersion === 1 ? aggregates[kind].initial : undefined;
    if (base === undefined) {
      this.cache.delete(event.streamId);
      return;
    }
    const evolve = aggregates[kind].evolve as (s: unknown, e: unknown) => unknown;
    const state = evolve(base, { type: event.type, data: event.data, schemaVersion: event.schemaVersion ?? 1 });
    this.remember(event.streamId, state, event.streamVersion, true);
  }

  /** The state after a collected decision's events, for the next decision of its batch. */
  readonly evolvePending = (_streamId: string, pending: PendingState, events: readonly NewEvent[]): PendingState => {
    const evolve = aggregates[pending.kind as AggregateKind].evolve as (s: unknown, e: unknown) => unknown;
    let state = pending.state;
    for (const event of events) state = evolve(state, { type: event.type, data: event.data, schemaVersion: event.schemaVersion ?? 1 });
    return { kind: pending.kind, state, version: pending.version + events.length };
  };

  /**
   * After a batch's transaction: the states its committed decisions produced become the cache;
   * a stream one of its decisions lost on, or appended without a state read, is read next time.
   */
  readonly acceptBatch = (decisions: readonly BatchDecision[], pending: ReadonlyMap<string, PendingState>, outcomes: readonly BatchOutcome[]): void => {
    const unsure = new Set<string>();
    decisions.forEach((decision, i) => {
      for (const append of decision.appends) if (!outcomes[i].committed || !pending.has(append.streamId)) unsure.add(append.streamId);
    });
    const appended = new Set(decisions.flatMap((decision) => decision.appends.map((append) => append.streamId)));
    for (const [streamId, state] of pending) {
      // A state only read is in the cache already, or was replaced there by a newer one since.
      if (unsure.has(streamId) || !appended.has(streamId)) continue;
      const followed = this.cache.get(streamId)?.followed ?? false;
      this.remember(streamId, state.state, state.version, followed);
    }
    for (const streamId of unsure) this.cache.delete(streamId);
  };

  private async read<K extends AggregateKind>(kind: K, streamId: string): Promise<Loaded<StateOf<K>>> {
    const definition = aggregates[kind];
    const cached = this.cache.get(streamId);
    const fromVersion = cached ? cached.version + 1 : 1;
    const { version, events } = await this.reads.read(streamId, fromVersion);
    let state = (cached && version >= cached.version ? cached.state : definition.initial) as StateOf<K>;
    if (cached && version < cached.version) {
      // Never expected (versions only grow); fall back to a full fold rather than trust the cache.
      return this.fold(kind, streamId);
    }
    const evolve = definition.evolve as (s: StateOf<K>, e: unknown) => StateOf<K>;
    for (const stored of events) state = evolve(state, { type: stored.type, data: stored.data, schemaVersion: stored.schemaVersion });
    this.remember(streamId, state, version, cached?.followed ?? false);
    return { state, version, streamId };
  }

  /**
   * The state of a stream that cannot exist yet (its SID was generated a moment ago), without a
   * read. Appending to it expects version 0, so a stream that did exist would be refused.
   */
  fresh<K extends AggregateKind>(kind: K, sid: string): Loaded<StateOf<K>> {
    const streamId = aggregates[kind].streamId(sid);
    DecisionBatch.current()?.noteLoaded(streamId, { kind, state: aggregates[kind].initial, version: 0 });
    this.attempts.getStore()?.loaded.set(streamId, { kind, state: aggregates[kind].initial, version: 0 });
    return { state: aggregates[kind].initial as StateOf<K>, version: 0, streamId };
  }

  private async fold<K extends AggregateKind>(kind: K, streamId: string): Promise<Loaded<StateOf<K>>> {
    const definition = aggregates[kind];
    const { version, events } = await this.eventStore.readStream(streamId);
    let state = definition.initial as StateOf<K>;
    const evolve = definition.evolve as (s: StateOf<K>, e: unknown) => StateOf<K>;
    for (const stored of events) state = evolve(state, { type: stored.type, data: stored.data, schemaVersion: stored.schemaVersion });
    this.remember(streamId, state, version, this.cache.get(streamId)?.followed ?? false);
    return { state, version, streamId };
  }

  /**
   * Never goes back: a read or a batch that started earlier may finish after an event received
   * meanwhile was folded on, and its older state must not replace the newer one (a followed
   * entry is used without a read, so an older one would stay wrong).
   */
  private remember(streamId: string, state: unknown, version: number, followed: boolean): void {
    if (version === 0) return;
    const existing = this.cache.get(streamId);
    if (existing && existing.version > version) return;
    this.cache.delete(streamId);
    this.cache.set(streamId, { state, version, loadedAt: this.monotonicMs(), followed });
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
  }
}

/** An append of decided events to a loaded aggregate, expecting the version it was loaded at. */
export function appendTo(loaded: Loaded<unknown>, events: readonly DomainEvent<string, object>[], metadata: Record<string, unknown>): StreamAppend {
  return { streamId: loaded.streamId, expectedVersion: loaded.version, events: events.map((e) => toNewEvent(e, metadata)) };
}

export function toNewEvent(event: DomainEvent<string, object>, metadata: Record<string, unknown>): NewEvent {
  return { type: event.type, data: event.data as Record<string, unknown>, schemaVersion: event.schemaVersion, metadata };
}

/** A task-and-worker decision as appends to both streams, for one transaction. */
export function taskAndWorkerAppends(task: Loaded<unknown>, worker: Loaded<unknown> | null, decided: TaskAndWorkerEvents, metadata: Record<string, unknown>): StreamAppend[] {
  const appends = [appendTo(task, decided.task, metadata)];
  if (worker && decided.worker.length > 0) appends.push(appendTo(worker, decided.worker, metadata));
  return appends;
}
