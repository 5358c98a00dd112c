import type { StoredEvent } from './events';

/** Turns the data of one schema version of an event type into the next version's shape. */
export type Upcaster = (data: Record<string, unknown>, event: StoredEvent) => Record<string, unknown>;

/**
 * Stored events never change shape in place. A new shape gets a new schema version and an
 * upcaster from the previous one; reads apply the chain, so readers only see the latest.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  /** Registers how to read `type` at `fromSchemaVersion` as `fromSchemaVersion + 1`. */
  register(type: string, fromSchemaVersion: number, upcast: Upcaster): this {
    const key = upcasterKey(type, fromSchemaVersion);
    if (this.upcasters.has(key)) {
      throw new Error(`An upcaster for ${type} v${fromSchemaVersion} is already registered`);
    }
    this.upcasters.set(key, upcast);
    return this;
  }

  /** Whether nothing is registered: every stored event is read as it was written. */
  get isEmpty(): boolean {
    return this.upcasters.size === 0;
  }

  upcast(event: StoredEvent): StoredEvent {
    let current = event;
    for (;;) {
      const next = this.upcasters.get(upcasterKey(current.type, current.schemaVersion));
      if (!next) return current;
      current = { ...current, data: next(current.data, current), schemaVersion: current.schemaVersion + 1 };
    }
  }
}

const upcasterKey = (type: string, schemaVersion: number): string => `${type}\u0000${schemaVersion}`;
