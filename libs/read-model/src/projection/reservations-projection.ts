import type { RowChanges } from './row-changes';
import type { TableProjection } from './projection-context';
import { column } from './table-shape';

/** Task events without a reservation (completing a task never reserved) name it as '' or null. */
function setStatus(rows: RowChanges, reservationSid: string | null, status: string, at: string): void {
  if (reservationSid) rows.update({ sid: reservationSid }, { set: { reservation_status: status, date_updated: at } });
}

export const reservationsProjection: TableProjection = {
  shape: {
    table: 'rm_reservations',
    key: [column('sid', 'text')],
    columns: [
      column('sid', 'text'), column('workspace_sid', 'text'), column('task_sid', 'text'), column('worker_sid', 'text'), column('worker_name', 'text'),
      column('reservation_status', 'text'), column('date_created', 'timestamptz'), column('date_updated', 'timestamptz'),
    ],
    settable: [column('reservation_status', 'text'), column('date_updated', 'timestamptz')],
    counters: [],
  },
  handlers: {
    TaskReserved: (rows, d) => rows.insert({
      sid: d.reservationSid, workspace_sid: d.workspaceSid, task_sid: d.taskSid, worker_sid: d.workerSid, worker_name: d.workerName,
      reservation_status: 'pending', date_created: d.at, date_updated: d.at,
    }),
    ReservationAccepted: (rows, d) => setStatus(rows, d.reservationSid, 'accepted', d.at),
    ReservationRejected: (rows, d) => setStatus(rows, d.reservationSid, 'rejected', d.at),
    ReservationTimedOut: (rows, d) => setStatus(rows, d.reservationSid, 'timeout', d.at),
    ReservationCanceled: (rows, d) => setStatus(rows, d.reservationSid, 'canceled', d.at),
    TaskWrappingUp: (rows, d) => setStatus(rows, d.reservationSid, 'wrapping', d.at),
    TaskCompleted: (rows, d) => setStatus(rows, d.reservationSid, 'completed', d.at),
    TaskCanceled: (rows, d) => setStatus(rows, d.reservationSid, 'canceled', d.at),
  },
};
