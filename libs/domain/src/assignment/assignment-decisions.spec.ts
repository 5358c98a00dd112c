import { event } from '../shared/domain-event';
import { decideTask } from '../task/decide-task';
import type { TaskEvent } from '../task/task-events';
import { evolveTask, type TaskState } from '../task/task-state';
import {
  activity, assignedTask, aTask, aWorker, aWorkspace, isoLater, OTHER_QUEUE, QUEUE, RESERVATION, reservationRejected,
  reservationTimedOut, reservedTask, SECOND_RESERVATION, sidOf, TASK, taskCanceled, taskCompleted, taskCreated, taskReserved, taskRouted,
  taskTargetTimedOut, taskWrappingUp, UNAVAILABLE, waitingTask, WORKER, workerActivityChanged, workerChannel, workerCreated,
  workerReservationAccepted, workerReservationEnded, workerReserved, WORKSPACE,
} from '../testing-support/fixtures';
import { expectRefusal, fold, refused } from '../testing-support/given-when-then';
import type { WorkerEvent } from '../worker/worker-events';
import { evolveWorker, reservationsOnChannel, type WorkerState } from '../worker/worker-state';
import { acceptReservation, cancelReservation, cancelTask, completeTask, rejectReservation, reserveWorker, timeOutReservation, type TaskAndWorkerEvents } from './assignment-decisions';

const NOW = new Date('2024-03-01T10:00:00.000Z');
const at = NOW.toISOString();
const workspace = aWorkspace();
const singleTasking = aWorkspace({ multiTaskEnabled: false });

const ids = { workspaceSid: WORKSPACE, reservationSid: RESERVATION, workerSid: WORKER };
const reserve = (reservationSid = RESERVATION, queueSid = QUEUE) => ({ reservationSid, queueSid, reservationTimeout: 120 });
const apply = (task: TaskState, worker: WorkerState, decided: TaskAndWorkerEvents) => ({
  task: fold(evolveTask, task, decided.task),
  worker: fold(evolveWorker, worker, decided.worker),
});

/** A worker that is Available with capacity 1 on default and chat, and whatever happened to it since. */
const availableWorker = (...events: WorkerEvent[]) => aWorker([workerCreated(), ...events]);
const otherTask = (n: number, channel = 'default') => workerReserved(sidOf('WR', 100 + n), sidOf('WT', 100 + n), channel);

describe('reserving a worker for a task', () => {
  it('offers a waiting task to an available worker with free capacity', () => {
    const decided = reserveWorker(reserve(), aTask(waitingTask()), availableWorker(), workspace, NOW);
    expect(decided).toEqual({
      task: [event('TaskReserved', { ...ids, taskSid: TASK, workerName: 'Alice', queueSid: QUEUE, reservationTimeout: 120, at })],
      worker: [event('WorkerReserved', { ...ids, taskSid: TASK, channel: 'default', at })],
    });
  });

  it('leaves the task reserved with a pending reservation, held on the worker', () => {
    const after = apply(aTask(waitingTask()), availableWorker(), reserveWorker(reserve(), aTask(waitingTask()), availableWorker(), workspace, NOW));
    expect(after.task.status).toBe('reserved');
    expect(after.task.reservations[RESERVATION]).toEqual({ reservationSid: RESERVATION, workerSid: WORKER, workerName: 'Alice', status: 'pending', createdAt: at, timeout: 120 });
    expect(after.worker.reservations[RESERVATION]).toEqual({ taskSid: TASK, channel: 'default', accepted: false });
  });

  it.each<[string, TaskEvent[]]>([
    ['reserved', reservedTask()],
    ['assigned', assignedTask()],
    ['wrapping', [...assignedTask(), taskWrappingUp()]],
    ['completed', [...assignedTask(), taskCompleted()]],
    ['canceled', [...waitingTask(), taskCanceled()]],
  ])('refuses a task that is %s', (_status, history) => {
    expectRefusal(() => reserveWorker(reserve(SECOND_RESERVATION), aTask(history), availableWorker(), workspace, NOW), refused('conflict'));
  });

  it('refuses a task that does not exist', () => {
    expectRefusal(() => reserveWorker(reserve(), aTask([]), availableWorker(), workspace, NOW), refused('conflict', { message: /gone/ }));
  });

  it('refuses a task not yet routed', () => {
    expectRefusal(() => reserveWorker(reserve(), aTask([taskCreated()]), availableWorker(), workspace, NOW), refused('conflict'));
  });

  it('refuses a task that has moved to another queue', () => {
    expectRefusal(() => reserveWorker(reserve(RESERVATION, OTHER_QUEUE), aTask(waitingTask()), availableWorker(), workspace, NOW), refused('conflict'));
  });

  it('refuses a task whose step has expired', () => {
    expectRefusal(() => reserveWorker(reserve(), aTask([...waitingTask(), taskTargetTimedOut()]), availableWorker(), workspace, NOW), refused('conflict'));
  });

  it('refuses a worker that does not exist', () => {
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), aWorker([]), workspace, NOW), refused('conflict', { message: /gone/ }));
  });

  it('refuses a worker in an unavailable activity', () => {
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), aWorker([workerCreated({ activity: activity.offline })]), workspace, NOW), refused('conflict', { message: /Offline/ }));
  });

  it("refuses a worker whose channel for the task's channel is unavailable", () => {
    const worker = aWorker([workerCreated({ channels: [workerChannel('default', 1, false)] })]);
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), worker, workspace, NOW), refused('conflict'));
  });

  it("refuses a worker without a channel for the task's channel", () => {
    const worker = aWorker([workerCreated({ channels: [workerChannel('voice')] })]);
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), worker, workspace, NOW), refused('conflict'));
  });

  it('refuses a worker whose channel capacity is 0', () => {
    const worker = aWorker([workerCreated({ channels: [workerChannel('default', 0)] })]);
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), worker, workspace, NOW), refused('conflict', { message: /capacity/ }));
  });

  it('fills a channel up to its capacity and no further', () => {
    const worker = (...holds: WorkerEvent[]) => aWorker([workerCreated({ channels: [workerChannel('default', 2)] }), ...holds]);
    expect(reserveWorker(reserve(), aTask(waitingTask()), worker(otherTask(1)), workspace, NOW).task).toHaveLength(1);
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), worker(otherTask(1), otherTask(2)), workspace, NOW), refused('conflict', { message: /capacity/ }));
  });

  it('counts accepted tasks against the capacity as well as pending offers', () => {
    const worker = availableWorker(otherTask(1), workerReservationAccepted(sidOf('WR', 101)));
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), worker, workspace, NOW), refused('conflict'));
  });

  it('frees the capacity once the held reservation ends', () => {
    const worker = availableWorker(otherTask(1), workerReservationEnded('completed', sidOf('WR', 101)));
    expect(reserveWorker(reserve(), aTask(waitingTask()), worker, workspace, NOW).worker).toHaveLength(1);
  });

  it('offers a task on a channel with free capacity while another channel is full (multitasking)', () => {
    const busyOnChat = availableWorker(otherTask(1, 'chat'));
    expect(reserveWorker(reserve(), aTask(waitingTask()), busyOnChat, workspace, NOW).worker).toEqual([
      event('WorkerReserved', { ...ids, taskSid: TASK, channel: 'default', at }),
    ]);
  });

  it('offers a single-tasking worker one reservation in all, whatever the channels and capacities', () => {
    const roomy = (...holds: WorkerEvent[]) => aWorker([workerCreated({ channels: [workerChannel('default', 5), workerChannel('chat', 5)] }), ...holds]);
    expect(reserveWorker(reserve(), aTask(waitingTask()), roomy(), singleTasking, NOW).task).toHaveLength(1);
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), roomy(otherTask(1, 'chat')), singleTasking, NOW), refused('conflict'));
    expectRefusal(() => reserveWorker(reserve(), aTask(waitingTask()), roomy(otherTask(1, 'default')), singleTasking, NOW), refused('conflict'));
  });

  it('offers the task on its own channel', () => {
    const chatTask = aTask(waitingTask({ channel: 'chat' }));
    const after = apply(chatTask, availableWorker(), reserveWorker(reserve(), chatTask, availableWorker(), workspace, NOW));
    expect({ chat: reservationsOnChannel(after.worker, 'chat'), default: reservationsOnChannel(after.worker, 'default') }).toEqual({ chat: 1, default: 0 });
  });
});

describe('accepting a reservation', () => {
  const heldWorker = () => availableWorker(workerReserved());

  it('assigns the task and marks the worker hold accepted', () => {
    const decided = acceptReservation(RESERVATION, aTask(reservedTask()), heldWorker(), NOW);
    expect(decided).toEqual({
      task: [event('ReservationAccepted', { ...ids, taskSid: TASK, at })],
      worker: [event('WorkerReservationAccepted', { ...ids, at })],
    });
    const after = apply(aTask(reservedTask()), heldWorker(), decided);
    expect([after.task.status, after.task.reservations[RESERVATION].status, after.worker.reservations[RESERVATION].accepted]).toEqual(['assigned', 'accepted', true]);
  });

  it('refuses the second of two accepts as a conflict naming ReservationStatus', () => {
    const once = apply(aTask(reservedTask()), heldWorker(), acceptReservation(RESERVATION, aTask(reservedTask()), heldWorker(), NOW));
    expectRefusal(() => acceptReservation(RESERVATION, once.task, once.worker, NOW), refused('conflict', { parameter: 'ReservationStatus', message: /accepted/ }));
  });

  it.each<[string, TaskEvent[]]>([
    ['rejected', [...reservedTask(), reservationRejected()]],
    ['timed out', [...reservedTask(), reservationTimedOut()]],
    ['canceled with its task', [...reservedTask(), event('TaskCanceled', { workspaceSid: WORKSPACE, taskSid: TASK, reason: null, reservationSid: RESERVATION, workerSid: WORKER, cause: 'api' as const, at })]],
  ])('refuses a reservation that was %s', (_how, history) => {
    expectRefusal(() => acceptReservation(RESERVATION, aTask(history), availableWorker(), NOW), refused('conflict', { parameter: 'ReservationStatus' }));
  });

  it('refuses a reservation the task never had as not found', () => {
    expectRefusal(() => acceptReservation(SECOND_RESERVATION, aTask(reservedTask()), heldWorker(), NOW), refused('not-found'));
  });
});

describe('rejecting a reservation', () => {
  const heldWorker = (...more: WorkerEvent[]) => availableWorker(workerReserved(), ...more);

  it('puts the task back to pending and releases the worker, who stays in its activity', () => {
    const decided = rejectReservation(RESERVATION, undefined, aTask(reservedTask()), heldWorker(), workspace, NOW);
    expect(decided).toEqual({
      task: [event('ReservationRejected', { ...ids, taskSid: TASK, at })],
      worker: [event('WorkerReservationEnded', { ...ids, channel: 'default', outcome: 'rejected' as const, at })],
    });
    const after = apply(aTask(reservedTask()), heldWorker(), decided);
    expect([after.task.status, after.task.reservations[RESERVATION].status, after.worker.reservations, after.worker.activity]).toEqual(['pending', 'rejected', {}, activity.available]);
  });

  it('moves the worker to the WorkerActivitySid it was given', () => {
    const decided = rejectReservation(RESERVATION, UNAVAILABLE, aTask(reservedTask()), heldWorker(), workspace, NOW);
    expect(decided.worker).toContainEqual(event('WorkerActivityChanged', {
      workspaceSid: WORKSPACE, workerSid: WORKER, activity: activity.unavailable, previousActivity: activity.available, cause: 'reservation-rejected' as const, at,
    }));
  });

  it('changes no activity when WorkerActivitySid is the current one', () => {
    expect(rejectReservation(RESERVATION, activity.available.sid, aTask(reservedTask()), heldWorker(), workspace, NOW).worker.map((e) => e.type)).toEqual(['WorkerReservationEnded']);
  });

  it('refuses a WorkerActivitySid that is not in the workspace', () => {
    expectRefusal(() => rejectReservation(RESERVATION, sidOf('WA', 999), aTask(reservedTask()), heldWorker(), workspace, NOW), refused('invalid', { parameter: 'WorkerActivitySid' }));
  });

  it('refuses a reservation already accepted', () => {
    expectRefusal(() => rejectReservation(RESERVATION, undefined, aTask(assignedTask()), heldWorker(workerReservationAccepted()), workspace, NOW), refused('conflict', { parameter: 'ReservationStatus' }));
  });

  it('refuses a reservation the task never had as not found', () => {
    expectRefusal(() => rejectReservation(SECOND_RESERVATION, undefined, aTask(reservedTask()), heldWorker(), workspace, NOW), refused('not-found'));
  });
});

describe('timing a reservation out', () => {
  const heldWorker = (...more: WorkerEvent[]) => availableWorker(workerReserved(), ...more);

  it("puts the task back to pending and sends the worker to the workspace's timeout activity (Offline)", () => {
    const decided = timeOutReservation(RESERVATION, aTask(reservedTask()), heldWorker(), workspace, NOW);
    expect(decided).toEqual({
      task: [event('ReservationTimedOut', { ...ids, taskSid: TASK, at })],
      worker: [
        event('WorkerReservationEnded', { ...ids, channel: 'default', outcome: 'timeout' as const, at }),
        event('WorkerActivityChanged', { workspaceSid: WORKSPACE, workerSid: WORKER, activity: activity.offline, previousActivity: activity.available, cause: 'reservation-timeout' as const, at }),
      ],
    });
    const after = apply(aTask(reservedTask()), heldWorker(), decided);
    expect([after.task.status, after.task.reservations[RESERVATION].status, after.worker.activity.available]).toEqual(['pending', 'timeout', false]);
  });

  it('follows the timeout activity the workspace was updated to', () => {
    const moved = aWorkspace({}, [event('WorkspaceUpdated', { workspaceSid: WORKSPACE, changes: { timeoutActivitySid: UNAVAILABLE }, at })]);
    const decided = timeOutReservation(RESERVATION, aTask(reservedTask()), heldWorker(), moved, NOW);
    expect(decided.worker[1]).toMatchObject({ type: 'WorkerActivityChanged', data: { activity: activity.unavailable } });
  });

  it('changes no activity when the worker is already in the timeout activity', () => {
    const offlineWorker = heldWorker(workerActivityChanged(activity.offline, activity.available));
    expect(timeOutReservation(RESERVATION, aTask(reservedTask()), offlineWorker, workspace, NOW).worker.map((e) => e.type)).toEqual(['WorkerReservationEnded']);
  });

  it.each<[string, TaskEvent[]]>([
    ['accepted', assignedTask()],
    ['rejected', [...reservedTask(), reservationRejected()]],
    ['timed out already', [...reservedTask(), reservationTimedOut()]],
    ['completed', [...assignedTask(), taskCompleted()]],
  ])('decides nothing for a stale timer: the reservation was %s', (_how, history) => {
    expect(timeOutReservation(RESERVATION, aTask(history), heldWorker(), workspace, NOW)).toEqual({ task: [], worker: [] });
  });

  it('decides nothing for a reservation the task never had', () => {
    expect(timeOutReservation(SECOND_RESERVATION, aTask(reservedTask()), heldWorker(), workspace, NOW)).toEqual({ task: [], worker: [] });
  });
});

describe('completing a task', () => {
  const busyWorker = (...more: WorkerEvent[]) => availableWorker(workerReserved(), workerReservationAccepted(), ...more);

  it.each<[string, TaskEvent[]]>([
    ['assigned', assignedTask()],
    ['wrapping', [...assignedTask(), taskWrappingUp()]],
  ])('completes a %s task and releases the capacity the worker held', (_status, history) => {
    const decided = completeTask('done', aTask(history), busyWorker(), NOW);
    expect(decided).toEqual({
      task: [event('TaskCompleted', { ...ids, taskSid: TASK, reason: 'done', at })],
      worker: [event('WorkerReservationEnded', { ...ids, channel: 'default', outcome: 'completed' as const, at })],
    });
    const after = apply(aTask(history), busyWorker(), decided);
    expect([after.task.status, after.task.reason, after.task.reservations[RESERVATION].status, reservationsOnChannel(after.worker, 'default')]).toEqual(['completed', 'done', 'completed', 0]);
  });

  it("does not change the worker's activity", () => {
    expect(completeTask(null, aTask(assignedTask()), busyWorker(), NOW).worker.map((e) => e.type)).toEqual(['WorkerReservationEnded']);
  });

  it('restarts the worker idle time when its last task completes', () => {
    const after = apply(aTask(assignedTask()), busyWorker(), completeTask(null, aTask(assignedTask()), busyWorker(), NOW));
    expect(after.worker.idleSince).toBe(at);
  });

  it('completes the task alone when the worker is gone', () => {
    expect(completeTask(null, aTask(assignedTask()), null, NOW).worker).toEqual([]);
  });

  it.each<[string, TaskEvent[]]>([
    ['pending', waitingTask()],
    ['reserved', reservedTask()],
    ['completed', [...assignedTask(), taskCompleted()]],
    ['canceled', [...waitingTask(), taskCanceled()]],
  ])('refuses a %s task as a conflict naming AssignmentStatus', (_status, history) => {
    expectRefusal(() => completeTask(null, aTask(history), busyWorker(), NOW), refused('conflict', { parameter: 'AssignmentStatus' }));
  });
});

describe('canceling a task', () => {
  const canceled = (cause: 'api' | 'ttl', reason: string | null, reservationSid: string | null) => event('TaskCanceled', {
    workspaceSid: WORKSPACE, taskSid: TASK, reason, reservationSid, workerSid: reservationSid ? WORKER : null, cause, at,
  });

  it('cancels a pending task with the reason given', () => {
    expect(cancelTask('hung up', 'api', aTask(waitingTask()), null, NOW)).toEqual({ task: [canceled('api', 'hung up', null)], worker: [] });
  });

  it('cancels a reserved task with its pending reservation and releases the worker', () => {
    const worker = availableWorker(workerReserved());
    const decided = cancelTask(null, 'api', aTask(reservedTask()), worker, NOW);
    expect(decided).toEqual({
      task: [canceled('api', null, RESERVATION)],
      worker: [event('WorkerReservationEnded', { ...ids, channel: 'default', outcome: 'canceled' as const, at })],
    });
    const after = apply(aTask(reservedTask()), worker, decided);
    expect([after.task.status, after.task.reservations[RESERVATION].status, after.worker.reservations]).toEqual(['canceled', 'canceled', {}]);
  });

  it("gives 'Task TTL Exceeded' as the reason when the TTL cancels it", () => {
    expect(cancelTask(null, 'ttl', aTask(waitingTask()), null, NOW).task).toEqual([canceled('ttl', 'Task TTL Exceeded', null)]);
  });

  it.each<[string, TaskEvent[]]>([
    ['assigned', assignedTask()],
    ['wrapping', [...assignedTask(), taskWrappingUp()]],
    ['completed', [...assignedTask(), taskCompleted()]],
    ['canceled', [...waitingTask(), taskCanceled()]],
  ])('refuses to cancel a %s task through the API as a conflict', (_status, history) => {
    expectRefusal(() => cancelTask('too late', 'api', aTask(history), null, NOW), refused('conflict', { parameter: 'AssignmentStatus' }));
  });

  it.each<[string, TaskEvent[]]>([
    ['assigned', assignedTask()],
    ['completed', [...assignedTask(), taskCompleted()]],
    ['canceled', [...waitingTask(), taskCanceled()]],
  ])('decides nothing when the TTL fires on a %s task', (_status, history) => {
    expect(cancelTask(null, 'ttl', aTask(history), null, NOW)).toEqual({ task: [], worker: [] });
  });
});

describe('a task offered again after a rejection', () => {
  it('can be reserved for another worker and keeps the history of both reservations', () => {
    const history = [...reservedTask(), reservationRejected(), taskRouted({ triggerVersion: 4, at: isoLater(3) }), taskReserved({ reservationSid: SECOND_RESERVATION, workerSid: sidOf('WK', 2) })];
    const task = aTask(history);
    expect([task.status, task.reservations[RESERVATION].status, task.reservations[SECOND_RESERVATION].status]).toEqual(['reserved', 'rejected', 'pending']);
    expectRefusal(() => acceptReservation(RESERVATION, task, availableWorker(), NOW), refused('conflict'));
  });
});

describe('the Max Assignment Count', () => {
  /** A waiting task offered `times` times to the same worker and rejected each time, as the real decisions do it. */
  function rejectedTimes(times: number) {
    let task = aTask(waitingTask());
    let worker = availableWorker();
    for (let n = 1; n <= times; n++) {
      const reservationSid = sidOf('WR', n);
      ({ task, worker } = apply(task, worker, reserveWorker(reserve(reservationSid), task, worker, workspace, NOW)));
      ({ task, worker } = apply(task, worker, rejectReservation(reservationSid, undefined, task, worker, workspace, NOW)));
    }
    return { task, worker };
  }

  it('leaves a task offered and rejected 999 times waiting for another offer', () => {
    const { task, worker } = rejectedTimes(999);
    expect(task.status).toBe('pending');
    expect(reserveWorker(reserve(sidOf('WR', 1000)), task, worker, workspace, NOW).task).toHaveLength(1);
  });

  // TaskRouter: "Max Assignment Count = 1,000: number of pending → reserved transitions before the
  // Task is canceled"; "Tasks are automatically canceled after 1,000 rejections" (reference §5.5, §12).
  it('cancels a task once its 1,000th reservation is rejected, whether the rejection or the re-routing that answers it decides so', () => {
    let { task } = rejectedTimes(1000);
    if (task.status !== 'canceled') {
      const versionOfLastRejection = waitingTask().length + 2 * 1000;
      const reroute = decideTask(
        { type: 'RouteTask', outcome: { kind: 'routed', step: { filterIndex: 0, targetIndex: 0 }, filterName: 'support', queueSid: QUEUE, explanation: [] }, triggerVersion: versionOfLastRejection },
        task, workspace, NOW,
      );
      task = fold(evolveTask, task, reroute);
    }
    expect(task.status).toBe('canceled');
  });
});

describe('canceling a reservation whose assignment callback could not be reached', () => {
  const held = () => availableWorker(workerReserved());

  it('puts the task back to pending, ends the reservation as canceled and frees the worker', () => {
    const decided = cancelReservation(RESERVATION, 'unreachable', aTask(reservedTask()), held(), NOW);
    expect(decided).toEqual({
      task: [event('ReservationCanceled', { ...ids, taskSid: TASK, reason: 'unreachable', at })],
      worker: [event('WorkerReservationEnded', { ...ids, channel: 'default', outcome: 'canceled', at })],
    });
    const after = apply(aTask(reservedTask()), held(), decided);
    expect(after.task.status).toBe('pending');
    expect(after.task.reservations[RESERVATION].status).toBe('canceled');
    expect(after.worker.reservations[RESERVATION]).toBeUndefined();
  });

  it('decides nothing for a reservation already answered', () => {
    const accepted = aTask([...reservedTask(), event('ReservationAccepted', { ...ids, taskSid: TASK, at })]);
    expect(cancelReservation(RESERVATION, 'unreachable', accepted, held(), NOW)).toEqual({ task: [], worker: [] });
  });
});
