import { parseOrderBy, rankWorkers } from '../worker-ordering/order-by';
import type { MatchedReservation } from './batch-match';
import { BatchCandidates } from './batch-candidates';
import { CapacityLedger } from './capacity-ledger';
import { freeCapacityOf } from './channel-facts';
import type { MatchingWorker } from './matching-input';
import { idleOrder, inIdleOrder, queueLists } from './queue-lists';
import { WorkerSlots } from './worker-slots';

/**
 * Who is where: what an index and those derived from it by afterReservations share, since a
 * reservation changes only capacity (and the channel facts that follow from it). Rankings by
 * `order_by` depend only on attributes and idle times, so they are made once per layout and kept.
 */
interface Layout {
  readonly multiTaskEnabled: boolean;
  /** By slot. A replaced worker's old slot stays, unreachable (in no list, not in slotsByWorkerSid). */
  readonly workers: readonly MatchingWorker[];
  /** By slot, for ordering without reading each worker object. */
  readonly idleSince: Float64Array;
  readonly deadSlots: number;
  readonly channelIndexes: ReadonlyMap<string, number>;
  readonly channelNames: readonly string[];
  /** Per queue: member slots, longest idle first. */
  readonly byQueue: ReadonlyMap<string, Int32Array>;
  readonly slotsByWorkerSid: WorkerSlots;
  readonly rankedByOrderBy: Map<string, Map<string, Int32Array>>;
  slotsByFriendlyName?: Map<string, number[]>;
}

/**
 * The candidate workers of a workspace, indexed for many batches: per queue, the available
 * members' slots in longest-idle order (idleSince, then SID: the availability index's order), and
 * their free capacity per channel as flat integers. A batch (matchBatchOn) consumes a copy of the
 * capacity and leaves the index unchanged. A caller that keeps one applies what happened since:
 * afterReservations (what its appends made), withWorkers (workers whose entries changed).
 */
export class CandidateIndex {
  private constructor(
    private readonly layout: Layout,
    /** Free capacity, and reservations taken since each slot was filled (from which its channel facts follow). */
    readonly ledger: CapacityLedger,
  ) {}

  /** Indexes the available workers; each worker SID once (a repeat would count its capacity twice). */
  static build(workers: readonly MatchingWorker[], multiTaskEnabled: boolean): CandidateIndex {
    // Slots in idle order make each queue's list its members in ascending slot order: one pass.
    const available = inIdleOrder(workers.filter((worker) => worker.available));
    const slotsByWorkerSid = new Map<string, number>();
    for (let slot = 0; slot < available.length; slot++) slotsByWorkerSid.set(available[slot].workerSid, slot);
    if (slotsByWorkerSid.size < available.length) throw new Error('a worker is listed twice: its capacity would count twice');

    const channelIndexes = new Map<string, number>();
    const channelNames: string[] = [];
    const channelsOf = available.map((worker) => Object.keys(worker.channels));
    for (const names of channelsOf) {
      for (const name of names) {
        if (!channelIndexes.has(name)) {
          channelIndexes.set(name, channelNames.length);
          channelNames.push(name);
        }
      }
    }
    const ledger = CapacityLedger.empty(available.length, channelNames.length, !multiTaskEnabled);
    for (let slot = 0; slot < available.length; slot++) {
      for (const name of channelsOf[slot]) ledger.setFree(slot, channelIndexes.get(name) as number, freeCapacityOf(true, available[slot].channels[name]));
    }
    const layout: Layout = {
      multiTaskEnabled, workers: available, idleSince: Float64Array.from(available, (worker) => worker.idleSince), deadSlots: 0,
      channelIndexes, channelNames, byQueue: queueLists(available), slotsByWorkerSid: WorkerSlots.of(slotsByWorkerSid), rankedByOrderBy: new Map(),
    };
    return new CandidateIndex(layout, ledger);
  }

  /**
   * The index once these reservations are held (those of a batch whose appends succeeded): capacity
   * taken, everything else shared.
   */
  afterReservations(reservations: readonly Pick<MatchedReservation, 'workerSid' | 'channel'>[]): CandidateIndex {
    const batch = new BatchCandidates(this);
    for (const { workerSid, channel } of reservations) {
      const slot = this.layout.slotsByWorkerSid.get(workerSid);
      const channelIndex = this.channelIndex(channel);
      if (slot === undefined || channelIndex < 0 || batch.ledger.freeOn(slot, channelIndex) <= 0) continue;
      batch.reserve(slot, channelIndex);
    }
    return new CandidateIndex(this.layout, batch.ledger);
  }

  /**
   * The index with these workers' entries replaced (as the availability index now shows them: an
   * unavailable one leaves) and `removedWorkerSids` gone (even if also changed); every other
   * worker keeps its capacity. Only the queues they were or are in are merged again; when replaced
   * slots outnumber live ones, or a new channel appears, everything is indexed again.
   */
  withWorkers(changed: readonly MatchingWorker[], removedWorkerSids: readonly string[] = []): CandidateIndex {
    const { layout } = this;
    if (new Set(changed.map((worker) => worker.workerSid)).size < changed.length) throw new Error('a worker is listed twice: its capacity would count twice');
    const removed = new Set(removedWorkerSids);
    const replacedSids = new Set([...changed.map((worker) => worker.workerSid), ...removed]);
    const replacedSlots = [...replacedSids].map((sid) => layout.slotsByWorkerSid.get(sid)).filter((slot): slot is number => slot !== undefined);
    const added = changed.filter((worker) => worker.available && !removed.has(worker.workerSid));
    const newChannel = added.some((worker) => Object.keys(worker.channels).some((name) => !layout.channelIndexes.has(name)));
    const live = layout.slotsByWorkerSid.size - replacedSlots.length + added.length;
    if (newChannel || layout.deadSlots + replacedSlots.length > live) return this.rebuiltWith(added, replacedSids);

    const base = layout.workers.length;
    const workers = [...layout.workers, ...added];
    const idleSince = new Float64Array(workers.length);
    idleSince.set(layout.idleSince);
    added.forEach((worker, k) => (idleSince[base + k] = worker.idleSince));
    const ledger = this.ledger.resized(workers.length);
    const slotsByWorkerSid = layout.slotsByWorkerSid.with(replacedSids, added.map((worker, k) => [worker.workerSid, base + k] as const));
    const dead = new Uint8Array(workers.length);
    const affected = new Set<string>();
    for (const slot of replacedSlots) {
      dead[slot] = 1;
      ledger.clear(slot);
      for (const queueSid of layout.workers[slot].queues) affected.add(queueSid);
    }
    const joining = new Map<string, number[]>();
    added.forEach((worker, k) => {
      const slot = base + k;
      for (const name of Object.keys(worker.channels)) ledger.setFree(slot, layout.channelIndexes.get(name) as number, freeCapacityOf(true, worker.channels[name]));
      for (const queueSid of new Set(worker.queues)) {
        affected.add(queueSid);
        let slots = joining.get(queueSid);
        if (!slots) joining.set(queueSid, (slots = []));
        slots.push(slot);
      }
    });

    const before = (a: number, b: number) => idleSince[a] - idleSince[b] || idleOrder(workers[a], workers[b]);
    const byQueue = new Map(layout.byQueue);
    const rankedByOrderBy = new Map(layout.rankedByOrderBy);
    for (const queueSid of affected) {
      const members = mergeMembers(layout.byQueue.get(queueSid), dead, (joining.get(queueSid) ?? []).sort(before), before);
      if (members.length > 0) byQueue.set(queueSid, members);
      else byQueue.delete(queueSid);
      rankedByOrderBy.delete(queueSid);
    }
    const next: Layout = { ...layout, workers, idleSince, deadSlots: layout.deadSlots + replacedSlots.length, byQueue, slotsByWorkerSid, rankedByOrderBy, slotsByFriendlyName: undefined };
    return new CandidateIndex(next, ledger);
  }

  get size(): number {
    return this.layout.workers.length;
  }

  get multiTaskEnabled(): boolean {
    return this.layout.multiTaskEnabled;
  }

  workerAt(slot: number): MatchingWorker {
    return this.layout.workers[slot];
  }

  get channelCount(): number {
    return this.layout.channelNames.length;
  }

  channelName(channel: number): string {
    return this.layout.channelNames[channel];
  }

  /** -1 when no candidate has the channel: then no one has capacity on it. */
  channelIndex(name: string): number {
    return this.layout.channelIndexes.get(name) ?? -1;
  }

  /** The queue's member slots, longest idle first, or by `order_by` (ranked the first time it is asked). */
  ranked(queueSid: string, orderBy: string | undefined): Int32Array | undefined {
    const idle = this.layout.byQueue.get(queueSid);
    if (!idle || !orderBy) return idle;
    const cache = this.layout.rankedByOrderBy;
    let forQueue = cache.get(queueSid);
    if (!forQueue) cache.set(queueSid, (forQueue = new Map()));
    let ranked = forQueue.get(orderBy);
    if (!ranked) forQueue.set(orderBy, (ranked = Int32Array.from(this.rank(Array.from(idle), orderBy))));
    return ranked;
  }

  /** Slots ordered as rankWorkers orders them: by the `order_by` clauses, then longest idle. */
  rank(slots: readonly number[], orderBy: string | undefined): number[] {
    const workers = this.layout.workers;
    if (!orderBy) return [...slots].sort((a, b) => idleOrder(workers[a], workers[b]));
    const rankable = slots.map((slot) => ({ slot, workerSid: workers[slot].workerSid, attributes: workers[slot].facts.attributes, idleSince: workers[slot].idleSince }));
    return rankWorkers(rankable, parseOrderBy(orderBy)).map((worker) => worker.slot);
  }

  isInQueue(slot: number, queueSid: string): boolean {
    return this.layout.workers[slot].queues.includes(queueSid);
  }

  /** The slot of the worker with this SID (known_worker_sid; `facts.sid` is the worker's SID). */
  slotsWithSid(sid: string): readonly number[] {
    const slot = this.layout.slotsByWorkerSid.get(sid);
    return slot === undefined ? [] : [slot];
  }

  /** Slots whose `worker.friendly_name` is the value (known_worker_friendly_name). */
  slotsWithFriendlyName(friendlyName: string): readonly number[] {
    const layout = this.layout;
    if (!layout.slotsByFriendlyName) {
      const index = new Map<string, number[]>();
      for (const [, slot] of layout.slotsByWorkerSid.entries()) {
        const name = layout.workers[slot].facts.friendly_name;
        if (name === undefined) continue;
        let slots = index.get(name);
        if (!slots) index.set(name, (slots = []));
        slots.push(slot);
      }
      layout.slotsByFriendlyName = index;
    }
    return layout.slotsByFriendlyName.get(friendlyName) ?? [];
  }

  /** Everything indexed again, each unchanged worker keeping the capacity it has here. */
  private rebuiltWith(added: readonly MatchingWorker[], replacedSids: ReadonlySet<string>): CandidateIndex {
    const { layout } = this;
    const kept = [...layout.slotsByWorkerSid.entries()].filter(([sid]) => !replacedSids.has(sid)).map(([, slot]) => slot);
    const fresh = CandidateIndex.build([...kept.map((slot) => layout.workers[slot]), ...added], layout.multiTaskEnabled);
    for (const oldSlot of kept) {
      const slot = fresh.layout.slotsByWorkerSid.get(layout.workers[oldSlot].workerSid) as number;
      layout.channelNames.forEach((name, oldChannel) => {
        // A channel no remaining worker has is gone from the fresh index, and so is its capacity.
        const channel = fresh.channelIndex(name);
        if (channel >= 0) fresh.ledger.copyFrom(this.ledger, oldSlot, oldChannel, slot, channel);
      });
    }
    return fresh;
  }
}

/**
 * A queue's members once the replaced ones leave and the joining ones (in idle order) come in,
 * in one merging pass over the list it had.
 */
function mergeMembers(staying: Int32Array | undefined, dead: Uint8Array, joining: readonly number[], before: (a: number, b: number) => number): Int32Array {
  const old = staying ?? new Int32Array(0);
  const merged = new Int32Array(old.length + joining.length);
  let i = 0;
  let j = 0;
  let at = 0;
  while (i < old.length || j < joining.length) {
    if (i < old.length && dead[old[i]]) {
      i++;
    } else if (j >= joining.length || (i < old.length && before(old[i], joining[j]) <= 0)) {
      merged[at++] = old[i++];
    } else {
      merged[at++] = joining[j++];
    }
  }
  return at === merged.length ? merged : merged.slice(0, at);
}
