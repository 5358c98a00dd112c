import { TIMER_EVENT_TYPES, timerChangeOf } from './timer-change-of-event';

const ids = { workspaceSid: 'WS1', taskSid: 'WT1' };
const at = '2026-01-01T10:00:00.000Z';

describe('the timer change of an event', () => {
  it('is a time to live for a created task, a step timeout for a routed one, a reservation timeout for a reservation', () => {
    expect(timerChangeOf({ type: 'TaskCreated', data: { ...ids, timeout: 600, at } })).toEqual({
      kind: 'schedule', timer: { kind: 'ttl', ...ids, ref: 'ttl', payload: {}, dueAt: new Date('2026-01-01T10:10:00.000Z') },
    });
    expect(timerChangeOf({ type: 'TaskRouted', data: { ...ids, targetTimeout: 30, step: { filterIndex: 0, targetIndex: 1 }, at } })).toEqual({
      kind: 'schedule', timer: {
        kind: 'target', ...ids, ref: `0:1:${at}`, payload: { step: { filterIndex: 0, targetIndex: 1 }, enteredAt: at }, dueAt: new Date('2026-01-01T10:00:30.000Z'),
      },
    });
    expect(timerChangeOf({ type: 'TaskReserved', data: { ...ids, reservationSid: 'WR1', workerSid: 'WK1', reservationTimeout: 120, at } })).toEqual({
      kind: 'schedule', timer: { kind: 'reservation', ...ids, ref: 'WR1', payload: { workerSid: 'WK1' }, dueAt: new Date('2026-01-01T10:02:00.000Z') },
    });
  });

  it('is nothing for a step without a timeout, or an event that neither sets nor ends a deadline', () => {
    expect(timerChangeOf({ type: 'TaskRouted', data: { ...ids, targetTimeout: null, step: { filterIndex: 0, targetIndex: 0 }, at } })).toBeNull();
    for (const type of ['TaskUpdated', 'TaskWrappingUp', 'TaskCompleted', 'ReservationTimedOut', 'TaskTargetTimedOut', 'WorkerCreated']) {
      expect(timerChangeOf({ type, data: { ...ids, reservationSid: 'WR1' } })).toBeNull();
    }
  });

  it('cancels every timer of an assigned or canceled task, and the timeout of a reservation that ended', () => {
    expect(timerChangeOf({ type: 'ReservationAccepted', data: { ...ids, reservationSid: 'WR1', workerSid: 'WK1', at } })).toEqual({ kind: 'cancelTask', taskSid: 'WT1' });
    expect(timerChangeOf({ type: 'TaskCanceled', data: { ...ids, reason: 'ttl', at } })).toEqual({ kind: 'cancelTask', taskSid: 'WT1' });
    for (const type of ['ReservationRejected', 'ReservationCanceled']) {
      expect(timerChangeOf({ type, data: { ...ids, reservationSid: 'WR1', workerSid: 'WK1', at } })).toEqual({ kind: 'cancelReservation', taskSid: 'WT1', reservationSid: 'WR1' });
    }
  });

  it('refuses an event whose data gives no timer to write or cancel (a poison event, parked by the consumer)', () => {
    for (const type of TIMER_EVENT_TYPES) expect(() => timerChangeOf({ type, data: null })).toThrow(TypeError);
    expect(() => timerChangeOf({ type: 'TaskCreated', data: { ...ids, timeout: 'soon', at } })).toThrow('no deadline');
    expect(() => timerChangeOf({ type: 'TaskCreated', data: { ...ids, taskSid: undefined, timeout: 600, at } })).toThrow('expected a SID');
    expect(() => timerChangeOf({ type: 'ReservationAccepted', data: { workspaceSid: 'WS1' } })).toThrow('expected a SID');
  });
});
