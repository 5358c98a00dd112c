import type { CapacityLedger } from './capacity-ledger';

/**
 * Over one ranked list of worker slots and one channel: the first position at or after a given
 * one whose worker still has free capacity there. A worker found full stays full for the rest of
 * the batch, so its position is linked past it for good (union-find with path compression): a
 * queue whose best workers are all busy costs a few array reads per task, not a scan.
 */
export class CapacitySkipList {
  /** next[i] === i: position i not known to be full; otherwise every position in [i, next[i]) is full. */
  private readonly next: Int32Array;

  constructor(
    private readonly slots: Int32Array,
    private readonly channel: number,
    private readonly ledger: CapacityLedger,
  ) {
    this.next = new Int32Array(slots.length + 1);
    for (let i = 0; i <= slots.length; i++) this.next[i] = i;
  }

  get length(): number {
    return this.slots.length;
  }

  slotAt(position: number): number {
    return this.slots[position];
  }

  /** The first position >= from with free capacity, or `length` when there is none. */
  firstWithCapacity(from: number): number {
    const next = this.next;
    const end = this.slots.length;
    let at = from;
    while (at < end) {
      const link = next[at];
      if (link !== at) {
        at = link;
      } else if (this.ledger.freeOn(this.slots[at], this.channel) > 0) {
        break;
      } else {
        next[at] = at + 1;
        at++;
      }
    }
    // Path compression: everything walked over is full up to `at`.
    let walk = from;
    while (walk < at) {
      const link = next[walk];
      next[walk] = at;
      walk = link;
    }
    return at;
  }
}
