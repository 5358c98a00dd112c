import type { WorkerFacts } from '@taskrouter/expression';
import type { CandidateIndex } from './candidate-index';
import type { CapacityLedger } from './capacity-ledger';
import { CapacitySkipList } from './capacity-skip-list';
import { factsAfterReservations } from './channel-facts';

/**
 * One batch's view of a CandidateIndex: its own copy of the capacity, and a skip list per (ranked
 * list, channel) made the first time a task asks. Capacity is shared by slot, so a reservation
 * through one queue is seen by every other.
 */
export class BatchCandidates {
  readonly ledger: CapacityLedger;
  private readonly skipLists = new Map<Int32Array, Array<CapacitySkipList | undefined>>();
  /** Facts with channel state refreshed for reservations taken, made when an expression first reads them. */
  private readonly refreshed: Array<WorkerFacts | undefined> = [];

  constructor(private readonly index: CandidateIndex) {
    this.ledger = index.ledger.copy();
  }

  onChannel(ranked: Int32Array, channel: number): CapacitySkipList {
    let byChannel = this.skipLists.get(ranked);
    if (!byChannel) this.skipLists.set(ranked, (byChannel = []));
    let skips = byChannel[channel];
    if (!skips) byChannel[channel] = skips = new CapacitySkipList(ranked, channel, this.ledger);
    return skips;
  }

  workerSidOf(slot: number): string {
    return this.index.workerAt(slot).workerSid;
  }

  /**
   * What expressions see of the worker now: its entry's facts, with `worker.channel.*` as the
   * reservations taken since the entry would make it. Single-tasking needs no refresh: a worker
   * who took one has no capacity left, so no one reads its facts again.
   */
  factsOf(slot: number): WorkerFacts {
    const worker = this.index.workerAt(slot);
    if (!this.index.multiTaskEnabled || !worker.facts.channels) return worker.facts;
    const known = this.refreshed[slot];
    if (known) return known;
    let facts = worker.facts;
    for (let channel = 0; channel < this.index.channelCount; channel++) {
      const taken = this.ledger.takenOn(slot, channel);
      if (taken === 0) continue;
      const name = this.index.channelName(channel);
      facts = factsAfterReservations(facts, name, worker.channels[name], taken);
    }
    this.refreshed[slot] = facts;
    return facts;
  }

  /** Takes one unit of the slot's capacity on the channel; the caller checked it was free. */
  reserve(slot: number, channel: number): void {
    this.ledger.take(slot, channel);
    this.refreshed[slot] = undefined;
  }
}
