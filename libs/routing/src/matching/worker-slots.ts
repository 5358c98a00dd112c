/**
 * Which slot holds each live worker, by SID. Index versions share it: a version records its own
 * changes as a small overlay on the map it came from (a slot of -1: gone), so keeping an index up
 * to date costs per changed worker, not per worker; the overlay is merged in once it grows.
 */
export class WorkerSlots {
  private constructor(
    private readonly base: ReadonlyMap<string, number>,
    private readonly changes: ReadonlyMap<string, number>,
    readonly size: number,
  ) {}

  static of(slots: ReadonlyMap<string, number>): WorkerSlots {
    return new WorkerSlots(slots, new Map(), slots.size);
  }

  get(workerSid: string): number | undefined {
    return lookUp(this.base, this.changes, workerSid);
  }

  /** A new version without `removed` and with `added` (SID, slot); this one is unchanged. */
  with(removed: Iterable<string>, added: Iterable<readonly [string, number]>): WorkerSlots {
    const changes = new Map(this.changes);
    let size = this.size;
    for (const workerSid of removed) {
      if (lookUp(this.base, changes, workerSid) !== undefined) size--;
      changes.set(workerSid, -1);
    }
    for (const [workerSid, slot] of added) {
      if (lookUp(this.base, changes, workerSid) === undefined) size++;
      changes.set(workerSid, slot);
    }
    if (changes.size * 4 <= this.base.size) return new WorkerSlots(this.base, changes, size);
    const merged = new Map(this.base);
    for (const [workerSid, slot] of changes) {
      if (slot < 0) merged.delete(workerSid);
      else merged.set(workerSid, slot);
    }
    return WorkerSlots.of(merged);
  }

  /** The live (SID, slot) pairs. */
  *entries(): IterableIterator<[string, number]> {
    for (const [workerSid, slot] of this.base) if (!this.changes.has(workerSid)) yield [workerSid, slot];
    for (const [workerSid, slot] of this.changes) if (slot >= 0) yield [workerSid, slot];
  }
}

function lookUp(base: ReadonlyMap<string, number>, changes: ReadonlyMap<string, number>, workerSid: string): number | undefined {
  const changed = changes.get(workerSid);
  if (changed !== undefined) return changed < 0 ? undefined : changed;
  return base.get(workerSid);
}
