import type { BatchControl, ConsumedRecord } from '@taskrouter/messaging';
import { timerChangeBatches } from './timer-change-batches';
import type { TimerChanges } from './timer-changes';

const at = '2026-01-01T10:00:00.000Z';
const created = (taskSid: string) => ({ type: 'TaskCreated', data: { workspaceSid: 'WS1', taskSid, timeout: 600, at } });
const reserved = (taskSid: string, reservationSid: string) => ({ type: 'TaskReserved', data: { workspaceSid: 'WS1', taskSid, reservationSid, workerSid: 'WK1', reservationTimeout: 120, at } });
const accepted = (taskSid: string) => ({ type: 'ReservationAccepted', data: { workspaceSid: 'WS1', taskSid, reservationSid: 'WR1', workerSid: 'WK1', at } });
let offset = 0;
const record = (event: unknown, key: string | null): ConsumedRecord =>
  ({ topic: 'tasks', partition: 0, offset: String(++offset), key, value: event === null ? null : JSON.stringify(event), headers: {} });
const owned: BatchControl = { heartbeat: () => Promise.resolve(), stillOwned: () => true };
const notHandledOneByOne = () => Promise.reject(new Error('the batch handler works out each change itself'));

/** Records what reaches the store: one entry per statement. */
class RecordingTarget {
  readonly statements: Array<{ scheduled: string[]; cancelledTasks: string[] }> = [];
  failWith?: Error;
  apply = async (changes: TimerChanges): Promise<void> => {
    if (this.failWith) throw this.failWith;
    if (!changes.isEmpty) this.statements.push({ scheduled: changes.scheduled().map((t) => `${t.taskSid}/${t.kind}/${t.ref}`), cancelledTasks: changes.cancelledTasks() });
  };
}

describe('timerChangeBatches', () => {
  it('writes the changes of a whole batch in one statement, netted in record order, before reporting the records done', async () => {
    const target = new RecordingTarget();
    const records = [
      record(created('WT1'), 'task:WT1'), record(reserved('WT1', 'WR1'), 'task:WT1'), record(created('WT2'), 'task:WT2'),
      record(accepted('WT1'), 'task:WT1'), record({ type: 'TaskCompleted', data: {} }, 'task:WT3'), record(null, null),
    ];
    const results = await timerChangeBatches(target)(records, notHandledOneByOne, owned);
    expect(results).toEqual(records.map(() => ({ kind: 'done' })));
    expect(target.statements).toEqual([{ scheduled: ['WT2/ttl/ttl'], cancelledTasks: ['WT1'] }]);
  });

  it('hands back a refused event with the later records of its stream, which change nothing here; the others are written', async () => {
    const target = new RecordingTarget();
    const records = [
      record({ type: 'TaskCreated', data: null }, 'task:WT1'), record(created('WT2'), 'task:WT2'), record(accepted('WT1'), 'task:WT1'), record(created('WT3'), 'task:WT3'),
    ];
    const results = await timerChangeBatches(target)(records, notHandledOneByOne, owned);
    expect(results.map((r) => r.kind)).toEqual(['retry', 'done', 'retry', 'done']);
    expect((results[0] as { error: unknown }).error).toBeInstanceOf(TypeError);
    expect(target.statements).toEqual([{ scheduled: ['WT2/ttl/ttl', 'WT3/ttl/ttl'], cancelledTasks: [] }]);
  });

  it('hands back every record when the write fails, so none is acknowledged unwritten', async () => {
    const target = new RecordingTarget();
    target.failWith = new Error('connection lost');
    const results = await timerChangeBatches(target)([record(created('WT1'), 'task:WT1'), record(created('WT2'), 'task:WT2')], notHandledOneByOne, owned);
    expect(results).toEqual([{ kind: 'retry', error: target.failWith }, { kind: 'retry', error: target.failWith }]);
  });

  it('sends no statement for a batch that changes no timer, and changes nothing once the partition is lost', async () => {
    const target = new RecordingTarget();
    expect(await timerChangeBatches(target)([record({ type: 'TaskUpdated', data: {} }, 'task:WT1')], notHandledOneByOne, owned)).toEqual([{ kind: 'done' }]);
    const lost: BatchControl = { heartbeat: () => Promise.resolve(), stillOwned: () => false };
    expect(await timerChangeBatches(target)([record(created('WT1'), 'task:WT1')], notHandledOneByOne, lost)).toEqual([{ kind: 'retry' }]);
    expect(target.statements).toEqual([]);
  });
});
