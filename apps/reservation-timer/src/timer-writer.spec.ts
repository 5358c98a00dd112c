import type { BatchControl, ConsumedRecord, RecordBatchHandler, RecordHandler } from '@taskrouter/messaging';
import type { TimerChanges } from './timer-changes';
import type { NewTimer } from './timer-store';
import { TimerWriter } from './timer-writer';

const control: BatchControl = { heartbeat: () => Promise.resolve(), stillOwned: () => true };
const record = (offset: number, key = `task:WT${offset}`): ConsumedRecord => ({ topic: 'tasks', partition: 0, offset: String(offset), key, value: '{}', headers: {} });
const timer = (taskSid: string, ref = 'ttl'): NewTimer => ({ kind: ref === 'ttl' ? 'ttl' : 'reservation', workspaceSid: 'WS1', taskSid, ref, payload: {}, dueAt: new Date(0) });

/** Records what reaches the store: one entry per statement. */
class RecordingTarget {
  readonly statements: Array<{ scheduled: string[]; cancelledTasks: string[]; cancelledReservations: string[] }> = [];
  failWith?: Error;
  apply = async (changes: TimerChanges): Promise<void> => {
    if (this.failWith) throw this.failWith;
    if (changes.isEmpty) return;
    this.statements.push({
      scheduled: changes.scheduled().map((t) => `${t.taskSid}/${t.ref}`),
      cancelledTasks: changes.cancelledTasks(),
      cancelledReservations: changes.cancelledReservations().map((r) => `${r.taskSid}/${r.reservationSid}`),
    });
  };
}

/** A batch handler as the consumer's: each record in turn, those in `handBack` handed back. */
const runEach = (handBack: ReadonlySet<string> = new Set()): RecordBatchHandler => async (records, handleOne) => {
  const results = [];
  for (const r of records) {
    await handleOne(r);
    results.push(handBack.has(r.offset) ? { kind: 'retry' as const } : { kind: 'done' as const });
  }
  return results;
};

describe('TimerWriter', () => {
  it('writes the changes of a whole batch in one statement, in record order, once its handlers are done', async () => {
    const target = new RecordingTarget();
    const writer = new TimerWriter(target);
    const handler: RecordHandler = async (r) => {
      if (r.offset === '1') await writer.schedule(timer('WT1'));
      if (r.offset === '2') await writer.schedule(timer('WT1', 'WR1'));
      if (r.offset === '3') await writer.schedule(timer('WT3'));
      if (r.offset === '4') await writer.cancelTask('WT1');
      if (r.offset === '5') await writer.cancelReservation('WT3', 'WR9');
      expect(target.statements).toHaveLength(0);
    };
    const results = await writer.inBatches(runEach())([1, 2, 3, 4, 5].map((o) => record(o)), handler, control);
    expect(results.map((r) => r.kind)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(target.statements).toEqual([{ scheduled: ['WT3/ttl'], cancelledTasks: ['WT1'], cancelledReservations: ['WT3/WR9'] }]);
  });

  it('keeps none of the changes of a record handed back: it makes them again when handled alone, directly', async () => {
    const target = new RecordingTarget();
    const writer = new TimerWriter(target);
    const handler: RecordHandler = (r) => writer.schedule(timer(`WT${r.offset}`));
    const batch = [record(1), record(2), record(3)];
    const results = await writer.inBatches(runEach(new Set(['2'])))(batch, handler, control);
    expect(results.map((r) => r.kind)).toEqual(['done', 'retry', 'done']);
    expect(target.statements).toEqual([{ scheduled: ['WT1/ttl', 'WT3/ttl'], cancelledTasks: [], cancelledReservations: [] }]);
    await handler(batch[1]);
    expect(target.statements[1]).toEqual({ scheduled: ['WT2/ttl'], cancelledTasks: [], cancelledReservations: [] });
  });

  it('hands back every record it reported done when the write fails, so none is acknowledged unwritten', async () => {
    const target = new RecordingTarget();
    target.failWith = new Error('connection lost');
    const writer = new TimerWriter(target);
    const results = await writer.inBatches(runEach(new Set(['2'])))([record(1), record(2), record(3)], (r) => writer.schedule(timer(`WT${r.offset}`)), control);
    expect(results).toEqual([{ kind: 'retry', error: target.failWith }, { kind: 'retry' }, { kind: 'retry', error: target.failWith }]);
  });

  it('sends no statement for a batch that changes no timer', async () => {
    const target = new RecordingTarget();
    const writer = new TimerWriter(target);
    const results = await writer.inBatches(runEach())([record(1)], () => Promise.resolve(), control);
    expect(results).toEqual([{ kind: 'done' }]);
    expect(target.statements).toEqual([]);
  });

  it('writes at once outside a batch, and for a change a handler makes after its batch was written', async () => {
    const target = new RecordingTarget();
    const writer = new TimerWriter(target);
    await writer.cancelTask('WT1');
    expect(target.statements).toEqual([{ scheduled: [], cancelledTasks: ['WT1'], cancelledReservations: [] }]);
    let late: Promise<void> | undefined;
    const leavesWorkBehind: RecordHandler = async () => void (late = new Promise<void>((resolve) => setImmediate(resolve)).then(() => writer.cancelTask('WT2')));
    await writer.inBatches(runEach())([record(1)], leavesWorkBehind, control);
    await late;
    expect(target.statements.map((s) => s.cancelledTasks)).toEqual([['WT1'], ['WT2']]);
  });
});
