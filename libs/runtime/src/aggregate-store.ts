import type { DomainEvent, TaskAndWorkerEvents } from '@taskrouter/domain';
import type { NewEvent, PostgresEventStore, StreamAppend } from '@taskrouter/event-store';
import { aggregates, type AggregateKind, type StateOf } from './aggregates';

export interface Loaded<S> {
  readonly state: S;
  /** The stream version the state reflects: the expected version of the next append. */
  readonly version: number;
  readonly streamId: string;
}

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
  private readonly cache = new Map<string, { state: unknown; version: number; loadedAt: number }>();

  constructor(
    private readonly eventStore: PostgresEventStore,
    private readonly capacity = DEFAULT_CACHED_AGGREGATES,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /**
   * Configuration read by a decision but not appended to (the workspace, a workflow): a state
   * folded less than `maxAgeMs` ago is used as it is. A change made within that window may be
   * seen that much later, as TaskRouter's own configuration changes apply to later routing.
   */
  async loadRecent<K extends 'workspace' | 'workflow' | 'taskQueue'>(kind: K, sid: string, maxAgeMs = CONFIGURATION_MAX_AGE_MS): Promise<Loaded<StateOf<K>>> {
    const streamId = aggregates[kind].streamId(sid);
    const cached = this.cache.get(streamId);
    if (cached && this.monotonicMs() - cached.loadedAt <= maxAgeMs) {
      return { state: cached.state as StateOf<K>, version: cached.version, streamId };
    }
    return this.load(kind, sid);
  }

  async load<K extends AggregateKind>(kind: K, sid: string): Promise<Loaded<StateOf<K>>> {
    const definition = aggregates[kind];
    const streamId = definition.streamId(sid);
    const cached = this.cache.get(streamId);
    const fromVersion = cached ? cached.version + 1 : 1;
    const { version, events } = await this.eventStore.readStream(streamId, { fromVersion });
    let state = (cached && version >= cached.version ? cached.state : definition.initial) as StateOf<K>;
    if (cached && version < cached.version) {
      // Never expected (versions only grow); fall back to a full fold rather than trust the cache.
      return this.fold(kind, streamId);
    }
    const evolve = definition.evolve as (s: StateOf<K>, e: unknown) => StateOf<K>;
    for (const stored of events) state = evolve(state, { type: stored.type, data: stored.data, schemaVersion: stored.schemaVersion });
    this.remember(streamId, state, version);
    return { state, version, streamId };
  }

  /**
   * The state of a stream that cannot exist yet (its SID was generated a moment ago), without a
   * read. Appending to it expects version 0, so a stream that did exist would be refused.
   */
  fresh<K extends AggregateKind>(kind: K, sid: string): Loaded<StateOf<K>> {
    return { state: aggregates[kind].initial as StateOf<K>, version: 0, streamId: aggregates[kind].streamId(sid) };
  }

  private async fold<K extends AggregateKind>(kind: K, streamId: string): Promise<Loaded<StateOf<K>>> {
    const definition = aggregates[kind];
    const { version, events } = await this.eventStore.readStream(streamId);
    let state = definition.initial as StateOf<K>;
    const evolve = definition.evolve as (s: StateOf<K>, e: unknown) => StateOf<K>;
    for (const stored of events) state = evolve(state, { type: stored.type, data: stored.data, schemaVersion: stored.schemaVersion });
    this.remember(streamId, state, version);
    return { state, version, streamId };
  }

  private remember(streamId: string, state: unknown, version: number): void {
    if (version === 0) return;
    this.cache.delete(streamId);
    this.cache.set(streamId, { state, version, loadedAt: this.monotonicMs() });
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
