import type { DomainEvent, TaskAndWorkerEvents } from '@taskrouter/domain';
import type { NewEvent, PostgresEventStore, StreamAppend } from '@taskrouter/event-store';
import { aggregates, type AggregateKind, type StateOf } from './aggregates';

export interface Loaded<S> {
  readonly state: S;
  /** The stream version the state reflects: the expected version of the next append. */
  readonly version: number;
  readonly streamId: string;
}

/** Loads aggregates by folding their streams, and turns decisions into appends. */
export class AggregateStore {
  constructor(private readonly eventStore: PostgresEventStore) {}

  async load<K extends AggregateKind>(kind: K, sid: string): Promise<Loaded<StateOf<K>>> {
    const definition = aggregates[kind];
    const streamId = definition.streamId(sid);
    const { version, events } = await this.eventStore.readStream(streamId);
    let state = definition.initial as StateOf<K>;
    for (const stored of events) state = (definition.evolve as (s: StateOf<K>, e: unknown) => StateOf<K>)(state, { type: stored.type, data: stored.data, schemaVersion: stored.schemaVersion });
    return { state, version, streamId };
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
