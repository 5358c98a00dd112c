// The batch step's meaning, written the plain way: per task, every worker of its queue is looked
// at afresh, filtered and ranked with rankWorkers, and capacity is counted in maps. Slow and
// obviously right; the property tests require matchBatch to give exactly its answers.
import { timeOfDayVariables, type WorkerFacts } from '@taskrouter/expression';
import { parseOrderBy, rankWorkers } from '../../worker-ordering/order-by';
import type { BatchMatch, MatchedReservation, TaskLeftWaiting } from '../batch-match';
import { factsAfterReservations, freeCapacityOf } from '../channel-facts';
import { isKnownWorker } from '../known-worker';
import type { BatchMatchInput, MatchingTask, MatchingWorker } from '../matching-input';
import { compareTurns } from '../turn-order';

export function referenceMatch(input: BatchMatchInput): BatchMatch {
  const taskrouter = { ...timeOfDayVariables(input.now) };
  const taken = new Map<MatchingWorker, Map<string, number>>();
  const facts = new Map<MatchingWorker, WorkerFacts>(input.workers.map((worker) => [worker, worker.facts]));
  const takenOn = (worker: MatchingWorker, channel: string) => taken.get(worker)?.get(channel) ?? 0;
  const takenInAll = (worker: MatchingWorker) => [...(taken.get(worker)?.values() ?? [])].reduce((sum, count) => sum + count, 0);
  const freeOn = (worker: MatchingWorker, channel: string): number => {
    if (!input.multiTaskEnabled && takenInAll(worker) > 0) return 0;
    return freeCapacityOf(worker.available, Object.hasOwn(worker.channels, channel) ? worker.channels[channel] : undefined) - takenOn(worker, channel);
  };

  const reservations: MatchedReservation[] = [];
  const waiting: TaskLeftWaiting[] = [];
  const duplicates: MatchingTask[] = [];
  const decided = new Set<string>();
  for (const task of [...input.tasks].sort(compareTurns)) {
    if (decided.has(task.taskSid)) {
      duplicates.push(task);
      continue;
    }
    decided.add(task.taskSid);
    const target = task.target;
    const orderBy = target?.orderBy;
    const withCapacity = input.workers.filter((worker) => worker.available && worker.queues.includes(task.queueSid) && freeOn(worker, task.channel) > 0);
    const named = withCapacity.filter((worker) => isKnownWorker(target, task.attributes, facts.get(worker)!));
    const ranked = rankWorkers(named.map((worker) => ({ worker, workerSid: worker.workerSid, attributes: facts.get(worker)!.attributes, idleSince: worker.idleSince })), orderBy ? parseOrderBy(orderBy) : []);
    const counts = { declined: 0, notQualified: 0 };
    let chosen: MatchingWorker | undefined;
    for (const { worker } of ranked) {
      if (task.declinedWorkerSids?.includes(worker.workerSid)) counts.declined++;
      else if (target?.expression && !target.expression.evaluate({ task: task.attributes, worker: facts.get(worker)!, taskrouter })) counts.notQualified++;
      else {
        chosen = worker;
        break;
      }
    }
    const explanation = orderBy ? { orderBy, ...counts } : counts;
    if (!chosen) {
      waiting.push({ task, reason: withCapacity.length > 0 ? 'no-qualified-worker' : 'no-free-capacity', explanation });
      continue;
    }
    const channels = taken.get(chosen) ?? new Map<string, number>();
    channels.set(task.channel, (channels.get(task.channel) ?? 0) + 1);
    taken.set(chosen, channels);
    if (input.multiTaskEnabled) facts.set(chosen, factsAfterReservations(facts.get(chosen)!, task.channel, chosen.channels[task.channel], takenOn(chosen, task.channel)));
    reservations.push({ task, workerSid: chosen.workerSid, channel: task.channel, explanation });
  }
  return { reservations, waiting, duplicates };
}
