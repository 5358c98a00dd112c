import { TimerChanges } from './timer-changes';
import type { NewTimer } from './timer-store';

const timer = (taskSid: string, kind: NewTimer['kind'], ref: string, dueAt = '2026-01-01T10:00:00.000Z'): NewTimer =>
  ({ kind, workspaceSid: 'WS1', taskSid, ref, payload: {}, dueAt: new Date(dueAt) });
const identities = (changes: TimerChanges) => changes.scheduled().map((t) => `${t.taskSid}/${t.kind}/${t.ref}`);

describe('the timer changes of a run of events', () => {
  it('schedule each timer once, the first one of its kind, task and ref staying (as the table keeps it)', () => {
    const changes = new TimerChanges()
      .schedule(timer('WT1', 'ttl', 'ttl', '2026-01-01T10:00:00.000Z'))
      .schedule(timer('WT1', 'reservation', 'WR1'))
      .schedule(timer('WT1', 'ttl', 'ttl', '2026-01-02T10:00:00.000Z'))
      .schedule(timer('WT2', 'ttl', 'ttl'));
    expect(identities(changes)).toEqual(['WT1/ttl/ttl', 'WT1/reservation/WR1', 'WT2/ttl/ttl']);
    expect(changes.scheduled()[0].dueAt.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(changes.cancelledTasks()).toEqual([]);
    expect(changes.cancelledReservations()).toEqual([]);
  });

  it('write no timer that a later event of the run cancelled, and still cancel the ones stored before', () => {
    const changes = new TimerChanges()
      .schedule(timer('WT1', 'ttl', 'ttl')).schedule(timer('WT1', 'reservation', 'WR1'))
      .schedule(timer('WT2', 'ttl', 'ttl')).schedule(timer('WT2', 'reservation', 'WR2')).schedule(timer('WT2', 'reservation', 'WR3'))
      .cancelTask('WT1')
      .cancelReservation('WT2', 'WR2');
    expect(identities(changes)).toEqual(['WT2/ttl/ttl', 'WT2/reservation/WR3']);
    expect(changes.cancelledTasks()).toEqual(['WT1']);
    expect(changes.cancelledReservations()).toEqual([{ taskSid: 'WT2', reservationSid: 'WR2' }]);
  });

  it('keep a timer scheduled after the cancel that came before it', () => {
    const changes = new TimerChanges().cancelReservation('WT1', 'WR1').schedule(timer('WT1', 'reservation', 'WR1')).cancelTask('WT2').schedule(timer('WT2', 'ttl', 'ttl'));
    expect(identities(changes)).toEqual(['WT1/reservation/WR1', 'WT2/ttl/ttl']);
  });

  it('cancel a reservation only: the task keeps its time to live and its step timeout', () => {
    const changes = new TimerChanges().schedule(timer('WT1', 'ttl', 'ttl')).schedule(timer('WT1', 'target', '0:0:x')).cancelReservation('WT1', 'WR1');
    expect(identities(changes)).toEqual(['WT1/ttl/ttl', 'WT1/target/0:0:x']);
  });

  it('are empty until something changes', () => {
    expect(new TimerChanges().isEmpty).toBe(true);
    expect(new TimerChanges().cancelTask('WT1').isEmpty).toBe(false);
    expect(new TimerChanges().schedule(timer('WT1', 'ttl', 'ttl')).cancelTask('WT1').isEmpty).toBe(false);
  });

  it('take a later run on as if its events had come after', () => {
    const earlier = new TimerChanges().schedule(timer('WT1', 'ttl', 'ttl')).schedule(timer('WT1', 'reservation', 'WR1')).schedule(timer('WT2', 'ttl', 'ttl'));
    const later = new TimerChanges().cancelReservation('WT1', 'WR1').cancelTask('WT2').schedule(timer('WT2', 'reservation', 'WR2')).schedule(timer('WT3', 'ttl', 'ttl'));
    const both = earlier.append(later);
    expect(identities(both)).toEqual(['WT1/ttl/ttl', 'WT2/reservation/WR2', 'WT3/ttl/ttl']);
    expect(both.cancelledTasks()).toEqual(['WT2']);
    expect(both.cancelledReservations()).toEqual([{ taskSid: 'WT1', reservationSid: 'WR1' }]);
  });

  it('take a change as its kind says', () => {
    const changes = new TimerChanges()
      .add({ kind: 'schedule', timer: timer('WT1', 'reservation', 'WR1') }).add({ kind: 'schedule', timer: timer('WT2', 'ttl', 'ttl') })
      .add({ kind: 'cancelReservation', taskSid: 'WT1', reservationSid: 'WR1' }).add({ kind: 'cancelTask', taskSid: 'WT3' });
    expect(identities(changes)).toEqual(['WT2/ttl/ttl']);
    expect(changes.cancelledTasks()).toEqual(['WT3']);
    expect(changes.cancelledReservations()).toEqual([{ taskSid: 'WT1', reservationSid: 'WR1' }]);
  });
});
