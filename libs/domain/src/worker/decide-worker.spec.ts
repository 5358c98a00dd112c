import { event } from '../shared/domain-event';
import {
  activity, activityCreated, aWorkspace, AVAILABLE, isoLater, OFFLINE, RESERVATION, sidOf, T0, UNAVAILABLE, WORKER, workerActivityChanged,
  workerChannel, workerCreated, workerReservationAccepted, workerReservationEnded, workerReserved, WORKSPACE,
} from '../testing-support/fixtures';
import { givenWhenThen, refused } from '../testing-support/given-when-then';
import { evolveWorkspace, initialWorkspaceState } from '../workspace/workspace-state';
import { decideWorker, MAX_CHANNEL_CAPACITY, type CreateWorker, type WorkerCommand } from './decide-worker';
import type { WorkerEvent } from './worker-events';
import { assignedOnChannel, evolveWorker, initialWorkerState, reservationsOnChannel, type WorkerState } from './worker-state';

const NOW = new Date('2024-03-01T10:00:00.000Z');
const at = NOW.toISOString();
const IDLE = sidOf('WA', 40);
const workspace = aWorkspace({}, [activityCreated(IDLE, 'Idle', true)]);
const given = givenWhenThen<WorkerCommand, WorkerState, WorkerEvent>({
  initialState: initialWorkerState,
  evolve: evolveWorker,
  decide: (command, state) => decideWorker(command, state, workspace, NOW),
});

function sequential() {
  let n = 0;
  return (prefix: string) => sidOf(prefix, ++n);
}
const create = (overrides: Partial<CreateWorker> = {}): CreateWorker => ({
  type: 'CreateWorker', workerSid: WORKER, friendlyName: 'Alice', attributes: { skills: ['sales'] }, newSid: sequential(), ...overrides,
});

describe('creating a worker', () => {
  it("starts in the workspace's default activity (Offline)", () => {
    const state = given([]).when(create()).thenState();
    expect(state.activity).toEqual(activity.offline);
    expect(state.activityChangedAt).toBe(at);
  });

  it('starts in the activity it was given', () => {
    expect(given([]).when(create({ activitySid: AVAILABLE })).thenState().activity).toEqual(activity.available);
  });

  it("follows the workspace's default activity when that was changed", () => {
    const moved = aWorkspace({}, [event('WorkspaceUpdated', { workspaceSid: WORKSPACE, changes: { defaultActivitySid: UNAVAILABLE }, at })]);
    const [created] = decideWorker(create(), initialWorkerState, moved, NOW);
    expect(created).toMatchObject({ type: 'WorkerCreated', data: { activity: activity.unavailable } });
  });

  it('gets one channel per task channel of the workspace, each with capacity 1 and available', () => {
    const state = given([]).when(create()).thenState();
    expect(Object.keys(state.channels).sort()).toEqual(['chat', 'default', 'sms', 'video', 'voice']);
    for (const channel of Object.values(state.channels)) {
      expect(channel).toMatchObject({ capacity: 1, available: true, taskChannelSid: workspace.channels[channel.uniqueName].taskChannelSid });
    }
    expect(new Set(Object.values(state.channels).map((c) => c.workerChannelSid)).size).toBe(5);
  });

  it('starts idle from its creation, holding no reservation', () => {
    const state = given([]).when(create()).thenState();
    expect(state).toMatchObject({ idleSince: at, reservations: {}, attributes: { skills: ['sales'] } });
  });

  it('refuses an activity that is not in the workspace', () => {
    given([]).when(create({ activitySid: sidOf('WA', 999) })).then(refused('invalid', { parameter: 'ActivitySid' }));
  });

  it('refuses a friendly name longer than 64 characters', () => {
    given([]).when(create({ friendlyName: 'a'.repeat(65) })).then(refused('invalid', { parameter: 'FriendlyName' }));
  });

  it('refuses a worker that already exists', () => {
    given([workerCreated()]).when(create()).then(refused('conflict'));
  });

  it('refuses a worker in a workspace that does not exist', () => {
    expect(() => decideWorker(create(), initialWorkerState, initialWorkspaceState, NOW)).toThrow(expect.objectContaining({ kind: 'not-found' }));
  });
});

describe('changing the activity of a worker', () => {
  it('records the new activity, the previous one and that the API moved it', () => {
    given([workerCreated({ activity: activity.offline })]).when({ type: 'UpdateWorker', activitySid: AVAILABLE }).then([
      event('WorkerActivityChanged', { workspaceSid: WORKSPACE, workerSid: WORKER, activity: activity.available, previousActivity: activity.offline, cause: 'api' as const, at }),
    ]);
  });

  it('decides nothing when the worker is already in that activity', () => {
    given([workerCreated({ activity: activity.available })]).when({ type: 'UpdateWorker', activitySid: AVAILABLE }).then([]);
  });

  it('refuses an activity that is not in the workspace', () => {
    given([workerCreated()]).when({ type: 'UpdateWorker', activitySid: sidOf('WA', 999) }).then(refused('invalid', { parameter: 'ActivitySid' }));
  });

  it('updates attributes and name in one event, and the activity in another', () => {
    const events = given([workerCreated({ activity: activity.offline })])
      .when({ type: 'UpdateWorker', friendlyName: 'Alicia', attributes: { skills: [] }, activitySid: AVAILABLE })
      .then([
        event('WorkerUpdated', { workspaceSid: WORKSPACE, workerSid: WORKER, friendlyName: 'Alicia', attributes: { skills: [] }, at }),
        event('WorkerActivityChanged', { workspaceSid: WORKSPACE, workerSid: WORKER, activity: activity.available, previousActivity: activity.offline, cause: 'api' as const, at }),
      ]);
    expect(events).toHaveLength(2);
  });

  it('keeps the attributes when only the name changes', () => {
    const state = given([workerCreated({ attributes: { level: 3 } })]).when({ type: 'UpdateWorker', friendlyName: 'Alicia' }).thenState();
    expect(state).toMatchObject({ friendlyName: 'Alicia', attributes: { level: 3 } });
  });

  it('refuses to update a worker that does not exist', () => {
    given([]).when({ type: 'UpdateWorker', activitySid: AVAILABLE }).then(refused('not-found'));
  });
});

describe('changing the capacity of a worker channel', () => {
  it.each([0, 1, MAX_CHANNEL_CAPACITY])('accepts capacity %p', (capacity) => {
    const state = given([workerCreated()]).when({ type: 'UpdateWorkerChannel', channel: 'chat', capacity }).thenState();
    expect(state.channels['chat'].capacity).toBe(capacity);
  });

  it.each([-1, 51, 1.5])('refuses capacity %p (an integer from 0 to 50)', (capacity) => {
    given([workerCreated()]).when({ type: 'UpdateWorkerChannel', channel: 'chat', capacity }).then(refused('invalid', { parameter: 'Capacity' }));
  });

  it('finds the channel by its WorkerChannel SID as well as by its unique name', () => {
    const chat = workerChannel('chat');
    given([workerCreated()]).when({ type: 'UpdateWorkerChannel', channel: chat.workerChannelSid, available: false }).then([
      event('WorkerChannelUpdated', { workspaceSid: WORKSPACE, workerSid: WORKER, uniqueName: 'chat', capacity: undefined, available: false, at }),
    ]);
  });

  it('keeps the capacity when only availability changes', () => {
    const state = given([workerCreated({ channels: [workerChannel('chat', 4)] })]).when({ type: 'UpdateWorkerChannel', channel: 'chat', available: false }).thenState();
    expect(state.channels['chat']).toMatchObject({ capacity: 4, available: false });
  });

  it('refuses a channel the worker does not have as not found', () => {
    given([workerCreated()]).when({ type: 'UpdateWorkerChannel', channel: 'fax', capacity: 2 }).then(refused('not-found'));
  });

  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])('refuses %s, a name every object inherits, as not found', (channel) => {
    given([workerCreated()]).when({ type: 'UpdateWorkerChannel', channel, capacity: 2 }).then(refused('not-found'));
  });

  it('decides nothing when neither Capacity nor Available is given', () => {
    given([workerCreated()]).when({ type: 'UpdateWorkerChannel', channel: 'chat' }).then([]);
  });
});

describe('deleting a worker', () => {
  it('records the deletion when the worker holds no reservation', () => {
    given([workerCreated()]).when({ type: 'DeleteWorker' }).then([event('WorkerDeleted', { workspaceSid: WORKSPACE, workerSid: WORKER, at })]);
  });

  it('refuses while the worker holds a pending reservation', () => {
    given([workerCreated(), workerReserved()]).when({ type: 'DeleteWorker' }).then(refused('conflict'));
  });

  it('refuses while the worker holds an assigned task', () => {
    given([workerCreated(), workerReserved(), workerReservationAccepted()]).when({ type: 'DeleteWorker' }).then(refused('conflict'));
  });

  it('accepts once the last reservation has ended', () => {
    given([workerCreated(), workerReserved(), workerReservationEnded('rejected')]).when({ type: 'DeleteWorker' })
      .then([event('WorkerDeleted', { workspaceSid: WORKSPACE, workerSid: WORKER, at })]);
  });
});

describe('how long a worker has been idle', () => {
  const createdAt = T0.toISOString();
  const idleSince = (events: WorkerEvent[]) => given(events).state.idleSince;

  it('starts when the worker is created', () => {
    expect(idleSince([workerCreated()])).toBe(createdAt);
  });

  it('restarts when the worker becomes available', () => {
    expect(idleSince([workerCreated({ activity: activity.offline }), workerActivityChanged(activity.available, activity.offline, isoLater(10))])).toBe(isoLater(10));
  });

  it('does not restart when the worker moves from one available activity to another', () => {
    const idle = { sid: IDLE, name: 'Idle', available: true };
    expect(idleSince([workerCreated({ activity: activity.available }), workerActivityChanged(idle, activity.available, isoLater(10))])).toBe(createdAt);
  });

  it('does not restart when the worker becomes unavailable', () => {
    expect(idleSince([workerCreated({ activity: activity.available }), workerActivityChanged(activity.offline, activity.available, isoLater(10))])).toBe(createdAt);
  });

  it('does not restart while the worker is offered or assigned a task', () => {
    expect(idleSince([workerCreated(), workerReserved(RESERVATION, undefined, 'default', isoLater(5)), workerReservationAccepted(RESERVATION, isoLater(6))])).toBe(createdAt);
  });

  it('restarts when the last reservation ends', () => {
    expect(idleSince([workerCreated(), workerReserved(), workerReservationAccepted(), workerReservationEnded('completed', RESERVATION, 'default', isoLater(50))])).toBe(isoLater(50));
  });

  it('does not restart while another reservation is still held', () => {
    const second = sidOf('WR', 2);
    expect(idleSince([
      workerCreated({ channels: [workerChannel('default', 2)] }),
      workerReserved(RESERVATION), workerReserved(second, sidOf('WT', 2)),
      workerReservationEnded('completed', RESERVATION, 'default', isoLater(50)),
    ])).toBe(createdAt);
  });
});

describe('counting what a worker holds on a channel', () => {
  it('counts pending and accepted reservations as held, and only accepted ones as assigned', () => {
    const state = given([
      workerCreated({ channels: [workerChannel('chat', 3)] }),
      workerReserved(RESERVATION, sidOf('WT', 1), 'chat'), workerReserved(sidOf('WR', 2), sidOf('WT', 2), 'chat'), workerReserved(sidOf('WR', 3), sidOf('WT', 3), 'default'),
      workerReservationAccepted(RESERVATION),
    ]).state;
    expect({ held: reservationsOnChannel(state, 'chat'), assigned: assignedOnChannel(state, 'chat'), heldOnDefault: reservationsOnChannel(state, 'default') })
      .toEqual({ held: 2, assigned: 1, heldOnDefault: 1 });
  });

  it('releases the hold when the reservation ends', () => {
    const state = given([workerCreated(), workerReserved(), workerReservationEnded('timeout')]).state;
    expect(reservationsOnChannel(state, 'default')).toBe(0);
  });
});

describe('the activity fixture', () => {
  it('matches the workspace defaults', () => {
    expect([workspace.activities[OFFLINE].friendlyName, workspace.activities[AVAILABLE].available]).toEqual(['Offline', true]);
  });
});

describe('a TaskChannel created after the worker', () => {
  it('gives the worker a WorkerChannel with capacity 1, once', () => {
    const base = aWorkspace();
    const withSms = evolveWorkspace(base, event('TaskChannelCreated', {
      workspaceSid: base.workspaceSid, taskChannelSid: 'TC99999999999999999999999999999999', uniqueName: 'fax', friendlyName: 'Fax', channelOptimizedRouting: false, at: '2026-01-01T00:00:00.000Z',
    }));
    const created = decideWorker({ type: 'CreateWorker', workerSid: 'WK00000000000000000000000000000042', friendlyName: 'ann', attributes: {}, newSid: () => 'WC00000000000000000000000000000001' }, initialWorkerState, base, new Date(0));
    const worker = created.reduce(evolveWorker, initialWorkerState);
    expect(worker.channels['fax']).toBeUndefined();
    const added = decideWorker({ type: 'AddWorkerChannel', uniqueName: 'fax', workerChannelSid: 'WC00000000000000000000000000000077' }, worker, withSms, new Date(0));
    const withChannel = added.reduce(evolveWorker, worker);
    expect(withChannel.channels['fax']).toMatchObject({ capacity: 1, available: true, taskChannelSid: 'TC99999999999999999999999999999999' });
    expect(decideWorker({ type: 'AddWorkerChannel', uniqueName: 'fax', workerChannelSid: 'WC00000000000000000000000000000078' }, withChannel, withSms, new Date(0))).toEqual([]);
  });
});
