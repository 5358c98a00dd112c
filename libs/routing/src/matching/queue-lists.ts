import type { MatchingWorker } from './matching-input';

/** The availability index's order of candidates: longest idle first, then by SID. */
export function idleOrder(a: MatchingWorker, b: MatchingWorker): number {
  return a.idleSince - b.idleSince || (a.workerSid < b.workerSid ? -1 : a.workerSid > b.workerSid ? 1 : 0);
}

/** Sorted in idle order; input already in that order (a caller keeping its list sorted) is only checked. */
export function inIdleOrder(workers: MatchingWorker[]): MatchingWorker[] {
  for (let i = 1; i < workers.length; i++) if (idleOrder(workers[i - 1], workers[i]) > 0) return workers.sort(idleOrder);
  return workers;
}

/**
 * Each queue's member slots in ascending order, for workers given by slot in idle order (so the
 * lists are in idle order too), as views of one buffer: counted first, then filled, so 10,000
 * workers in 5 queues each cost two passes and no growing arrays.
 */
export function queueLists(workers: readonly MatchingWorker[]): Map<string, Int32Array> {
  const queueIndexes = new Map<string, number>();
  const queueSids: string[] = [];
  const counts: number[] = [];
  let memberships = 0;
  for (const worker of workers) memberships += worker.queues.length;
  const membershipQueue = new Int32Array(memberships);
  let at = 0;
  for (let slot = 0; slot < workers.length; slot++) {
    const queues = workers[slot].queues;
    for (let i = 0; i < queues.length; i++) {
      let queue = queueIndexes.get(queues[i]);
      if (queue === undefined) {
        queue = queueSids.length;
        queueIndexes.set(queues[i], queue);
        queueSids.push(queues[i]);
        counts.push(0);
      }
      counts[queue]++;
      membershipQueue[at++] = queue;
    }
  }
  const buffer = new Int32Array(memberships);
  const starts = new Int32Array(queueSids.length + 1);
  for (let queue = 0; queue < queueSids.length; queue++) starts[queue + 1] = starts[queue] + counts[queue];
  const ends = starts.slice(0, queueSids.length);
  at = 0;
  for (let slot = 0; slot < workers.length; slot++) {
    for (let i = 0; i < workers[slot].queues.length; i++) {
      const queue = membershipQueue[at++];
      // A queue listed twice for one worker is still one place in its list.
      if (ends[queue] > starts[queue] && buffer[ends[queue] - 1] === slot) continue;
      buffer[ends[queue]++] = slot;
    }
  }
  const lists = new Map<string, Int32Array>();
  for (let queue = 0; queue < queueSids.length; queue++) lists.set(queueSids[queue], buffer.subarray(starts[queue], ends[queue]));
  return lists;
}
