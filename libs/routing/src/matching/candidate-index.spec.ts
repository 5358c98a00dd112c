import { CandidateIndex } from './candidate-index';
import { matchBatchOn } from './match-batch';
import type { MatchingTask } from './matching-input';
import { aTask, aWorker, NOW, QUEUE_A, QUEUE_B } from './testing-support/matching-fixtures';

const pairs = (index: CandidateIndex, tasks: MatchingTask[]) => matchBatchOn(index, tasks, NOW).reservations.map((r) => `${r.task.taskSid}->${r.workerSid}`);

describe('CandidateIndex kept between batches', () => {
  const workers = [aWorker({ sid: 'WK1', idleSince: 1 }), aWorker({ sid: 'WK2', idleSince: 2, channels: { default: { capacity: 2 } } })];

  it('is left unchanged by a batch, so the same batch decides the same again', () => {
    const index = CandidateIndex.build(workers, true);
    expect(pairs(index, [aTask('WT1')])).toEqual(['WT1->WK1']);
    expect(pairs(index, [aTask('WT1')])).toEqual(['WT1->WK1']);
  });

  it('after a batch\'s reservations, offers only the capacity left', () => {
    const index = CandidateIndex.build(workers, true);
    const first = matchBatchOn(index, [aTask('WT1'), aTask('WT2', { enteredAt: 1 })], NOW).reservations;
    const after = index.afterReservations(first);
    expect(pairs(after, [aTask('WT3'), aTask('WT4', { enteredAt: 1 })])).toEqual(['WT3->WK2']);
  });

  it('with changed workers: re-orders a worker by its new idle time and moves it between queues', () => {
    const index = CandidateIndex.build(workers, true);
    const wk1Later = aWorker({ sid: 'WK1', idleSince: 9, queues: [QUEUE_A, QUEUE_B] });
    const changed = index.withWorkers([wk1Later]);
    expect(pairs(changed, [aTask('WT1')])).toEqual(['WT1->WK2']);
    expect(pairs(changed, [aTask('WT2', { queueSid: QUEUE_B })])).toEqual(['WT2->WK1']);
    expect(pairs(index, [aTask('WT1')])).toEqual(['WT1->WK1']);
  });

  it('drops workers removed or no longer available, and keeps the others\' taken capacity', () => {
    const index = CandidateIndex.build(workers, true);
    const held = index.afterReservations([{ workerSid: 'WK2', channel: 'default' }]);
    const without = held.withWorkers([aWorker({ sid: 'WK1', available: false })]);
    expect(pairs(without, [1, 2].map((n) => aTask(`WT${n}`, { enteredAt: n })))).toEqual(['WT1->WK2']);
    expect(pairs(held.withWorkers([], ['WK2']), [aTask('WT1'), aTask('WT2', { enteredAt: 1 })])).toEqual(['WT1->WK1']);
  });

  it('indexes everything again when a worker brings a new channel, keeping taken capacity', () => {
    const index = CandidateIndex.build(workers, true).afterReservations([{ workerSid: 'WK2', channel: 'default' }]);
    const withChat = index.withWorkers([aWorker({ sid: 'WK1', idleSince: 1, channels: { default: {}, chat: {} } })]);
    expect(pairs(withChat, [aTask('WT1', { channel: 'chat' }), aTask('WT2', { enteredAt: 1 }), aTask('WT3', { enteredAt: 2 })])).toEqual(['WT1->WK1', 'WT2->WK1', 'WT3->WK2']);
  });
});
