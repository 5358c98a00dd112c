import { explainMatch } from './explain-match';
import { matchBatch } from './match-batch';
import type { BatchMatchInput, MatchingTask, MatchingWorker } from './matching-input';
import { aTarget, aTask, aWorker, NOW, QUEUE_A, QUEUE_B } from './testing-support/matching-fixtures';

const match = (tasks: MatchingTask[], workers: MatchingWorker[], options: Partial<BatchMatchInput> = {}) =>
  matchBatch({ tasks, workers, multiTaskEnabled: true, now: NOW, ...options });
const pairs = (result: ReturnType<typeof matchBatch>) => result.reservations.map((r) => `${r.task.taskSid}->${r.workerSid}`);

describe('matchBatch', () => {
  it('gives each task the longest idle worker with free capacity, consuming it', () => {
    const workers = [aWorker({ sid: 'WK2', idleSince: 200 }), aWorker({ sid: 'WK1', idleSince: 100 }), aWorker({ sid: 'WK3', idleSince: 300 })];
    const result = match([aTask('WT1', { enteredAt: 1 }), aTask('WT2', { enteredAt: 2 })], workers);
    expect(pairs(result)).toEqual(['WT1->WK1', 'WT2->WK2']);
    expect(result.waiting).toEqual([]);
  });

  it('breaks equal idle times by worker SID, as the index orders them', () => {
    const result = match([aTask('WT1')], [aWorker({ sid: 'WKb', idleSince: 5 }), aWorker({ sid: 'WKa', idleSince: 5 })]);
    expect(pairs(result)).toEqual(['WT1->WKa']);
  });

  it('decides by priority, then age, whatever the input order, and leaves the rest waiting', () => {
    const tasks = [aTask('WTlow', { priority: 1, enteredAt: 0 }), aTask('WTnew', { priority: 5, enteredAt: 9 }), aTask('WTold', { priority: 5, enteredAt: 3 })];
    const result = match(tasks, [aWorker({ sid: 'WK1', idleSince: 1 }), aWorker({ sid: 'WK2', idleSince: 2 })]);
    expect(pairs(result)).toEqual(['WTold->WK1', 'WTnew->WK2']);
    expect(result.waiting.map((w) => [w.task.taskSid, w.reason])).toEqual([['WTlow', 'no-free-capacity']]);
  });

  it('gives a multitasking worker as many tasks as its channel has free capacity, across queues', () => {
    const worker = aWorker({ sid: 'WK1', queues: [QUEUE_A, QUEUE_B], channels: { chat: { capacity: 3, assigned: 1 } } });
    const tasks = [aTask('WT1', { channel: 'chat', enteredAt: 1 }), aTask('WT2', { channel: 'chat', queueSid: QUEUE_B, enteredAt: 2 }), aTask('WT3', { channel: 'chat', enteredAt: 3 })];
    const result = match(tasks, [worker]);
    expect(pairs(result)).toEqual(['WT1->WK1', 'WT2->WK1']);
    expect(result.waiting.map((w) => w.task.taskSid)).toEqual(['WT3']);
  });

  it('in a single-tasking workspace, one reservation fills every channel of the worker', () => {
    const worker = aWorker({ sid: 'WK1', channels: { voice: {}, chat: {} } });
    const result = match([aTask('WT1', { channel: 'voice', enteredAt: 1 }), aTask('WT2', { channel: 'chat', enteredAt: 2 })], [worker], { multiTaskEnabled: false });
    expect(pairs(result)).toEqual(['WT1->WK1']);
    expect(result.waiting.map((w) => [w.task.taskSid, w.reason])).toEqual([['WT2', 'no-free-capacity']]);
  });

  it('offers nothing on an unavailable worker or channel, or one the worker lacks', () => {
    const workers = [aWorker({ sid: 'WK1', available: false }), aWorker({ sid: 'WK2', channels: { default: { available: false } } }), aWorker({ sid: 'WK3', channels: { chat: {} } })];
    const result = match([aTask('WT1')], workers);
    expect(result.reservations).toEqual([]);
    expect(result.waiting[0].reason).toBe('no-free-capacity');
  });

  it('passes over workers who fail the target expression, and says so', () => {
    const target = aTarget({ expression: 'skills HAS "billing"' });
    const workers = [aWorker({ sid: 'WK1', idleSince: 1, attributes: { skills: ['sales'] } }), aWorker({ sid: 'WK2', idleSince: 2, attributes: { skills: ['billing'] } })];
    const result = match([aTask('WT1', { target }), aTask('WT2', { target, enteredAt: 1 })], workers);
    expect(pairs(result)).toEqual(['WT1->WK2']);
    expect(result.reservations[0].explanation).toEqual({ declined: 0, notQualified: 1 });
    expect(result.waiting[0]).toMatchObject({ reason: 'no-qualified-worker', explanation: { declined: 0, notQualified: 1 } });
  });

  it('evaluates an expression that reads the task for each task', () => {
    const target = aTarget({ expression: 'worker.level >= task.level' });
    const workers = [aWorker({ sid: 'WK1', idleSince: 1, attributes: { level: 1 } }), aWorker({ sid: 'WK2', idleSince: 2, attributes: { level: 5 } })];
    const result = match([aTask('WThard', { target, attributes: { level: 4 } }), aTask('WTeasy', { target, attributes: { level: 1 }, enteredAt: 1 })], workers);
    expect(pairs(result)).toEqual(['WThard->WK2', 'WTeasy->WK1']);
  });

  it('reads the time of day from the clock it is given', () => {
    const target = aTarget({ expression: 'taskrouter.currentHour == 10' });
    expect(pairs(match([aTask('WT1', { target })], [aWorker({ sid: 'WK1' })]))).toEqual(['WT1->WK1']);
    expect(pairs(match([aTask('WT1', { target })], [aWorker({ sid: 'WK1' })], { now: new Date('2024-05-06T11:00:00Z') }))).toEqual([]);
  });

  it('sees available capacity drop as reservations are made within the batch', () => {
    const target = aTarget({ expression: 'worker.channel.chat.available_capacity_percentage >= 50' });
    const workers = [aWorker({ sid: 'WK1', idleSince: 1, channels: { chat: { capacity: 4 } }, channelFacts: true })];
    const tasks = [1, 2, 3].map((n) => aTask(`WT${n}`, { target, channel: 'chat', enteredAt: n }));
    // 4 free: 100% before the first, 75% before the second, 50% before the third, 25% after it.
    expect(pairs(match(tasks, workers))).toEqual(['WT1->WK1', 'WT2->WK1', 'WT3->WK1']);
    expect(pairs(match([...tasks, aTask('WT4', { target, channel: 'chat', enteredAt: 4 })], workers))).toHaveLength(3);
  });

  it('ranks by order_by, then longest idle', () => {
    const target = aTarget({ order_by: 'worker.level DESC' });
    const workers = [aWorker({ sid: 'WK1', idleSince: 1, attributes: { level: 2 } }), aWorker({ sid: 'WK2', idleSince: 2, attributes: { level: 9 } }), aWorker({ sid: 'WK3', idleSince: 3, attributes: { level: 9 } })];
    const result = match([1, 2, 3].map((n) => aTask(`WT${n}`, { target, enteredAt: n })), workers);
    expect(pairs(result)).toEqual(['WT1->WK2', 'WT2->WK3', 'WT3->WK1']);
    expect(result.reservations[0].explanation.orderBy).toBe('worker.level DESC');
  });

  it('never offers a task again to a worker who declined it', () => {
    const workers = [aWorker({ sid: 'WK1', idleSince: 1 }), aWorker({ sid: 'WK2', idleSince: 2 })];
    const result = match([aTask('WT1', { declinedWorkerSids: ['WK1'] })], workers);
    expect(pairs(result)).toEqual(['WT1->WK2']);
    expect(result.reservations[0].explanation).toEqual({ declined: 1, notQualified: 0 });
    const alone = match([aTask('WT1', { declinedWorkerSids: ['WK1'] })], [workers[0]]);
    expect(alone.waiting[0].reason).toBe('no-qualified-worker');
  });

  it('offers a known-worker task only to the worker its attributes name, by SID or friendly name', () => {
    const workers = [aWorker({ sid: 'WK1', idleSince: 1, friendlyName: 'alice' }), aWorker({ sid: 'WK2', idleSince: 2, friendlyName: 'bob' })];
    const bySid = aTarget({ known_worker_sid: 'task.agent' });
    const byName = aTarget({ known_worker_friendly_name: 'agent_name' });
    const result = match([aTask('WT1', { target: bySid, attributes: { agent: 'WK2' } }), aTask('WT2', { target: byName, attributes: { agent_name: 'alice' }, enteredAt: 1 })], workers);
    expect(pairs(result)).toEqual(['WT1->WK2', 'WT2->WK1']);
  });

  it('leaves a known-worker task waiting when that worker is busy or not in the queue, though others are free', () => {
    const target = aTarget({ known_worker_sid: 'task.agent' });
    const workers = [aWorker({ sid: 'WK1', idleSince: 1 }), aWorker({ sid: 'WK2', idleSince: 2, queues: [QUEUE_B] })];
    const result = match([aTask('WT0', { enteredAt: 0 }), aTask('WT1', { target, attributes: { agent: 'WK1' }, enteredAt: 1 }), aTask('WT2', { target, attributes: { agent: 'WK2' }, enteredAt: 2 })], workers);
    expect(pairs(result)).toEqual(['WT0->WK1']);
    expect(result.waiting.map((w) => w.task.taskSid)).toEqual(['WT1', 'WT2']);
  });

  it('decides a task SID once and reports later copies', () => {
    const result = match([aTask('WT1', { enteredAt: 1 }), aTask('WT1', { enteredAt: 2 })], [aWorker({ sid: 'WK1' }), aWorker({ sid: 'WK2' })]);
    expect(pairs(result)).toEqual(['WT1->WK1']);
    expect(result.duplicates.map((t) => t.enteredAt)).toEqual([2]);
  });

  it('refuses a worker listed twice, whose capacity would count twice', () => {
    expect(() => match([aTask('WT1')], [aWorker({ sid: 'WK1' }), aWorker({ sid: 'WK1' })])).toThrow(/listed twice/);
  });

  it('explains each decision in one line', () => {
    const target = aTarget({ expression: 'level > 1', order_by: 'worker.level ASC' });
    const workers = [aWorker({ sid: 'WK1', idleSince: 1, attributes: { level: 1 } }), aWorker({ sid: 'WK2', idleSince: 2, attributes: { level: 2 } })];
    const result = match([aTask('WT1', { target }), aTask('WT2', { target, enteredAt: 1 }), aTask('WT3', { channel: 'sms', enteredAt: 2 })], workers);
    expect(explainMatch(result.reservations[0])).toBe('reserved WK2 on default (ranked by order_by worker.level ASC, then longest idle; passed over with free capacity: 1 did not match the target)');
    expect(explainMatch(result.waiting[0])).toBe('waiting: no qualified worker with free capacity on default (1 did not match the target)');
    expect(explainMatch(result.waiting[1])).toBe('waiting: no worker of the queue had free capacity on sms');
  });
});
