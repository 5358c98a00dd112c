import { event } from '../shared/domain-event';
import { ACCOUNT, activityCreated, AVAILABLE, OFFLINE, sidOf, UNAVAILABLE, WORKSPACE, workspaceCreation } from '../testing-support/fixtures';
import { givenWhenThen, refused } from '../testing-support/given-when-then';
import { decideWorkspace, MAX_ACTIVITIES, MAX_TASK_CHANNELS } from './decide-workspace';
import type { WorkspaceCommand } from './workspace-commands';
import type { WorkspaceEvent } from './workspace-events';
import { evolveWorkspace, findTaskChannel, initialWorkspaceState, type WorkspaceState } from './workspace-state';

const NOW = new Date('2024-03-01T10:00:00.000Z');
const at = NOW.toISOString();
const given = givenWhenThen<WorkspaceCommand, WorkspaceState, WorkspaceEvent>({
  initialState: initialWorkspaceState,
  evolve: evolveWorkspace,
  decide: (command, state) => decideWorkspace(command, state, NOW),
});

const created = (): WorkspaceEvent[] => workspaceCreation();
const extraActivities = (count: number): WorkspaceEvent[] =>
  Array.from({ length: count }, (_, index) => activityCreated(sidOf('WA', 100 + index), `Extra ${index}`, false));
const channelCreated = (n: number): WorkspaceEvent =>
  event('TaskChannelCreated', { workspaceSid: WORKSPACE, taskChannelSid: sidOf('TC', 100 + n), uniqueName: `extra${n}`, friendlyName: `Extra ${n}`, channelOptimizedRouting: false, at });

describe('creating a workspace', () => {
  const state = given([]).when({ type: 'CreateWorkspace', workspaceSid: WORKSPACE, accountSid: ACCOUNT, friendlyName: 'Support', newSid: sequential() }).thenState();

  function sequential() {
    let n = 0;
    return (prefix: string) => sidOf(prefix, ++n);
  }

  it('creates the default activities Offline, Available and Unavailable, only Available being available', () => {
    const activities = Object.values(state.activities).map(({ friendlyName, available }) => ({ friendlyName, available }));
    expect(activities).toEqual(expect.arrayContaining([
      { friendlyName: 'Offline', available: false },
      { friendlyName: 'Available', available: true },
      { friendlyName: 'Unavailable', available: false },
    ]));
    expect(activities).toHaveLength(3);
  });

  it('makes Offline both the default activity and the timeout activity', () => {
    expect(state.activities[state.defaultActivitySid].friendlyName).toBe('Offline');
    expect(state.timeoutActivitySid).toBe(state.defaultActivitySid);
  });

  it('creates the task channels default, voice, chat, sms and video', () => {
    expect(Object.keys(state.channels).sort()).toEqual(['chat', 'default', 'sms', 'video', 'voice']);
    expect(new Set(Object.values(state.channels).map((channel) => channel.taskChannelSid)).size).toBe(5);
  });

  it('is multitasking and FIFO unless told otherwise', () => {
    expect(state).toMatchObject({ exists: true, multiTaskEnabled: true, prioritizeQueueOrder: 'FIFO', eventCallbackUrl: null, eventsFilter: null });
  });

  it('records the options it was given', () => {
    const custom = given([]).when({
      type: 'CreateWorkspace', workspaceSid: WORKSPACE, accountSid: ACCOUNT, friendlyName: 'Legacy', multiTaskEnabled: false,
      prioritizeQueueOrder: 'LIFO', eventCallbackUrl: 'https://example.com/events', eventsFilter: 'task.created', newSid: sequential(),
    }).thenState();
    expect(custom).toMatchObject({ friendlyName: 'Legacy', multiTaskEnabled: false, prioritizeQueueOrder: 'LIFO', eventCallbackUrl: 'https://example.com/events', eventsFilter: 'task.created' });
  });

  it('stamps every event with the clock it was given', () => {
    const events = decideWorkspace({ type: 'CreateWorkspace', workspaceSid: WORKSPACE, accountSid: ACCOUNT, friendlyName: 'Support', newSid: sequential() }, initialWorkspaceState, NOW);
    expect(new Set(events.map((e) => (e.data as { at: string }).at))).toEqual(new Set([at]));
  });

  it('refuses a second creation of the same workspace as a conflict', () => {
    given(created()).when({ type: 'CreateWorkspace', workspaceSid: WORKSPACE, accountSid: ACCOUNT, friendlyName: 'Again', newSid: sequential() }).then(refused('conflict'));
  });

  it.each(['', 'x'.repeat(65)])('refuses the friendly name %j (1 to 64 characters)', (friendlyName) => {
    given([]).when({ type: 'CreateWorkspace', workspaceSid: WORKSPACE, accountSid: ACCOUNT, friendlyName, newSid: sequential() }).then(refused('invalid', { parameter: 'FriendlyName' }));
  });

  it('accepts a friendly name of exactly 64 characters', () => {
    expect(given([]).when({ type: 'CreateWorkspace', workspaceSid: WORKSPACE, accountSid: ACCOUNT, friendlyName: 'x'.repeat(64), newSid: sequential() }).thenState().exists).toBe(true);
  });
});

describe('updating a workspace', () => {
  it('records only the settings that were given', () => {
    given(created()).when({ type: 'UpdateWorkspace', friendlyName: 'Renamed', timeoutActivitySid: UNAVAILABLE, eventsFilter: undefined })
      .then([event('WorkspaceUpdated', { workspaceSid: WORKSPACE, changes: { friendlyName: 'Renamed', timeoutActivitySid: UNAVAILABLE }, at })]);
  });

  it('decides nothing when nothing was given', () => {
    given(created()).when({ type: 'UpdateWorkspace' }).then([]);
  });

  it('moves the default and timeout activities', () => {
    const state = given(created()).when({ type: 'UpdateWorkspace', defaultActivitySid: AVAILABLE, timeoutActivitySid: UNAVAILABLE }).thenState();
    expect(state).toMatchObject({ defaultActivitySid: AVAILABLE, timeoutActivitySid: UNAVAILABLE });
  });

  it.each([['DefaultActivitySid', 'defaultActivitySid'], ['TimeoutActivitySid', 'timeoutActivitySid']] as const)(
    'refuses a %s that is not an activity of the workspace',
    (parameter, field) => {
      given(created()).when({ type: 'UpdateWorkspace', [field]: sidOf('WA', 999) }).then(refused('invalid', { parameter }));
    },
  );

  it('refuses an empty friendly name', () => {
    given(created()).when({ type: 'UpdateWorkspace', friendlyName: '' }).then(refused('invalid', { parameter: 'FriendlyName' }));
  });

  it('refuses any command on a workspace that does not exist as not found', () => {
    given([]).when({ type: 'UpdateWorkspace', friendlyName: 'Renamed' }).then(refused('not-found'));
  });
});

describe('creating an activity', () => {
  const ACTIVITY = sidOf('WA', 50);

  it('records the activity with its availability', () => {
    given(created()).when({ type: 'CreateActivity', activitySid: ACTIVITY, friendlyName: 'Busy', available: false })
      .then([event('ActivityCreated', { workspaceSid: WORKSPACE, activitySid: ACTIVITY, friendlyName: 'Busy', available: false, at })]);
  });

  it('refuses a name already used, whatever its case', () => {
    given(created()).when({ type: 'CreateActivity', activitySid: ACTIVITY, friendlyName: 'oFFLINE', available: false })
      .then(refused('conflict', { parameter: 'FriendlyName' }));
  });

  it('accepts the hundredth activity and refuses the hundred-and-first', () => {
    const ninetyNine = [...created(), ...extraActivities(MAX_ACTIVITIES - 4)];
    given(ninetyNine).when({ type: 'CreateActivity', activitySid: ACTIVITY, friendlyName: 'Hundredth', available: true }).then([
      event('ActivityCreated', { workspaceSid: WORKSPACE, activitySid: ACTIVITY, friendlyName: 'Hundredth', available: true, at }),
    ]);
    const hundred = [...created(), ...extraActivities(MAX_ACTIVITIES - 3)];
    given(hundred).when({ type: 'CreateActivity', activitySid: ACTIVITY, friendlyName: 'One too many', available: true }).then(refused('conflict', { message: /100/ }));
  });
});

describe('creating a task channel', () => {
  const create = (uniqueName: string, friendlyName = 'Email') =>
    ({ type: 'CreateTaskChannel', taskChannelSid: sidOf('TC', 60), uniqueName, friendlyName, channelOptimizedRouting: true }) as const;

  it('records the channel under its unique name', () => {
    const state = given(created()).when(create('email')).thenState();
    expect(findTaskChannel(state, 'email')).toEqual({ taskChannelSid: sidOf('TC', 60), uniqueName: 'email', friendlyName: 'Email', channelOptimizedRouting: true });
    expect(findTaskChannel(state, sidOf('TC', 60))?.uniqueName).toBe('email');
  });

  it.each(['e-mail', '1email', 'e mail', ''])('refuses the unique name %j (letters, digits, _ and $, not starting with a digit)', (uniqueName) => {
    given(created()).when(create(uniqueName)).then(refused('invalid', { parameter: 'UniqueName' }));
  });

  it.each(['_email', '$email', 'Email_2'])('accepts the unique name %j', (uniqueName) => {
    expect(given(created()).when(create(uniqueName)).thenState().channels[uniqueName]).toBeDefined();
  });

  it('refuses a unique name already used', () => {
    given(created()).when(create('voice')).then(refused('conflict', { parameter: 'UniqueName' }));
  });

  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])('refuses %s as reserved, not as a name already used', (uniqueName) => {
    given(created()).when(create(uniqueName)).then(refused('invalid', { parameter: 'UniqueName', message: /is reserved/ }));
  });

  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])('finds no TaskChannel named %s', (name) => {
    expect(findTaskChannel(given(created()).state, name)).toBeUndefined();
  });

  it('accepts the fifteenth channel, the default one included, and refuses the sixteenth', () => {
    const fourteen = [...created(), ...Array.from({ length: MAX_TASK_CHANNELS - 6 }, (_, n) => channelCreated(n))];
    expect(given(fourteen).when(create('fifteenth')).thenState().channels['fifteenth']).toBeDefined();
    const fifteen = [...created(), ...Array.from({ length: MAX_TASK_CHANNELS - 5 }, (_, n) => channelCreated(n))];
    given(fifteen).when(create('sixteenth')).then(refused('conflict', { message: /15/ }));
  });
});

describe('the workspace fixture', () => {
  it('numbers the default activities as the specs assume', () => {
    const state = given(created()).state;
    expect([state.activities[OFFLINE]?.friendlyName, state.activities[AVAILABLE]?.friendlyName, state.activities[UNAVAILABLE]?.friendlyName]).toEqual(['Offline', 'Available', 'Unavailable']);
    expect(state.defaultActivitySid).toBe(OFFLINE);
  });
});
