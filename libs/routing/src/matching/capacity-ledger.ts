/**
 * Free capacity per worker slot and channel, as flat integers so checking it costs an array read,
 * and the reservations taken since the index was built (for the facts a reservation changes).
 * Within a batch capacity only goes down, which is what lets candidate lists skip a full worker
 * for good (CapacitySkipList).
 */
export class CapacityLedger {
  constructor(
    private readonly channelCount: number,
    /** Single-tasking: one reservation on any channel fills every channel of the worker. */
    private readonly oneTaskPerWorker: boolean,
    private readonly free: Int32Array,
    private readonly taken: Int32Array,
  ) {}

  static empty(slotCount: number, channelCount: number, oneTaskPerWorker: boolean): CapacityLedger {
    return new CapacityLedger(channelCount, oneTaskPerWorker, new Int32Array(slotCount * channelCount), new Int32Array(slotCount * channelCount));
  }

  /** An independent copy: a batch consumes its copy and leaves the index's ledger as it was. */
  copy(): CapacityLedger {
    return new CapacityLedger(this.channelCount, this.oneTaskPerWorker, this.free.slice(), this.taken.slice());
  }

  /** A copy with room for `slotCount` slots (the new ones with no capacity), for workers added to an index. */
  resized(slotCount: number): CapacityLedger {
    const free = new Int32Array(slotCount * this.channelCount);
    const taken = new Int32Array(slotCount * this.channelCount);
    const kept = Math.min(free.length, this.free.length);
    free.set(this.free.subarray(0, kept));
    taken.set(this.taken.subarray(0, kept));
    return new CapacityLedger(this.channelCount, this.oneTaskPerWorker, free, taken);
  }

  /** One slot's state on one channel, from another ledger (an index rebuilt under the same workers). */
  copyFrom(other: CapacityLedger, fromSlot: number, fromChannel: number, slot: number, channel: number): void {
    this.free[slot * this.channelCount + channel] = other.freeOn(fromSlot, fromChannel);
    this.taken[slot * this.channelCount + channel] = other.takenOn(fromSlot, fromChannel);
  }

  clear(slot: number): void {
    this.free.fill(0, slot * this.channelCount, (slot + 1) * this.channelCount);
  }

  setFree(slot: number, channel: number, free: number): void {
    this.free[slot * this.channelCount + channel] = free;
  }

  freeOn(slot: number, channel: number): number {
    return this.free[slot * this.channelCount + channel];
  }

  takenOn(slot: number, channel: number): number {
    return this.taken[slot * this.channelCount + channel];
  }

  /** Takes one unit on the channel; the caller checked freeOn() > 0. */
  take(slot: number, channel: number): void {
    const at = slot * this.channelCount + channel;
    this.taken[at]++;
    if (this.oneTaskPerWorker) this.free.fill(0, slot * this.channelCount, (slot + 1) * this.channelCount);
    else this.free[at]--;
  }
}
