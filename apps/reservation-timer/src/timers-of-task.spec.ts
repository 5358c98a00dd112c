import { initialTaskState, type TaskState } from '@taskrouter/domain';
import { timersOfTask } from './timers-of-task';

const base: TaskState = {
  ...initialTaskState, exists: true, workspaceSid: 'WS1', taskSid: 'WT1', status: 'reserved', createdAt: '2026-01-01T10:00:00.000Z', timeout: 600,
  routing: { step: { filterIndex: 0, targetIndex: 1 }, queueSid: 'WQ1', enteredAt: '2026-01-01T10:00:05.000Z', targetTimeout: 30, stepExpired: false },
  reservations: {
    WR1: { reservationSid: 'WR1', workerSid: 'WK1', workerName: 'a', status: 'timeout', createdAt: '2026-01-01T10:00:06.000Z', timeout: 10 },
    WR2: { reservationSid: 'WR2', workerSid: 'WK2', workerName: 'b', status: 'pending', createdAt: '2026-01-01T10:00:20.000Z', timeout: 10 },
  },
};

describe('the timers a task still needs', () => {
  it('are its TTL, its pending reservation and its step timeout', () => {
    const timers = timersOfTask(base).map((t) => ({ kind: t.kind, ref: t.ref, dueAt: t.dueAt.toISOString() }));
    expect(timers).toEqual([
      { kind: 'ttl', ref: 'ttl', dueAt: '2026-01-01T10:10:00.000Z' },
      { kind: 'reservation', ref: 'WR2', dueAt: '2026-01-01T10:00:30.000Z' },
      { kind: 'target', ref: '0:1:2026-01-01T10:00:05.000Z', dueAt: '2026-01-01T10:00:35.000Z' },
    ]);
  });

  it('leave out an expired step, and everything once the task is assigned or finished', () => {
    expect(timersOfTask({ ...base, routing: { ...base.routing!, stepExpired: true } }).map((t) => t.kind)).toEqual(['ttl', 'reservation']);
    for (const status of ['assigned', 'wrapping', 'completed', 'canceled'] as const) expect(timersOfTask({ ...base, status })).toEqual([]);
  });
});
