import { eventCallbackParameters, pascalCase } from './event-callback-parameters';
import { EVENT_CALLBACK_RETRY_DELAYS_MS, readEventCallbackRetryDelays } from './event-callback-retries';
import { eventsFilterOf } from './events-filter';

describe('event callback parameters', () => {
  it('turns snake_case and kebab-case names into PascalCase', () => {
    expect(pascalCase('task_sid')).toBe('TaskSid');
    expect(pascalCase('worker_time_in_previous_activity_ms')).toBe('WorkerTimeInPreviousActivityMs');
    expect(pascalCase('task-queue')).toBe('TaskQueue');
  });

  it('gives the common parameters and the data under TaskRouter names', () => {
    const params = eventCallbackParameters({
      sid: 'EV00000000000000000000000000000001', accountSid: 'AC1', workspaceSid: 'WS1', eventType: 'reservation.accepted',
      description: 'Reservation WR1 accepted for Task WT1 by Worker WK1', resourceType: 'reservation', resourceSid: 'WR1', eventDateMs: 1_700_000_000_123,
      eventData: { task_sid: 'WT1', task_attributes: '{"a":1}', worker_sid: 'WK1', task_queue_sid: 'WQ1', workspace_name: 'Support', workspace_sid: 'WS1' },
    });
    expect(params).toEqual({
      Sid: 'EV00000000000000000000000000000001', EventType: 'reservation.accepted', AccountSid: 'AC1', WorkspaceSid: 'WS1', WorkspaceName: 'Support',
      EventDescription: 'Reservation WR1 accepted for Task WT1 by Worker WK1', ResourceType: 'Reservation', ResourceSid: 'WR1',
      Timestamp: '1700000000', TimestampMs: '1700000000123', TaskSid: 'WT1', TaskAttributes: '{"a":1}', WorkerSid: 'WK1', TaskQueueSid: 'WQ1',
    });
  });

  it('names the resource types as TaskRouter does', () => {
    const base = { sid: 'EV1', accountSid: 'AC1', workspaceSid: 'WS1', eventType: 'task-queue.created', description: '', resourceSid: 'WQ1', eventDateMs: 0, eventData: {} };
    expect(eventCallbackParameters({ ...base, resourceType: 'task-queue' }).ResourceType).toBe('TaskQueue');
    expect(eventCallbackParameters({ ...base, resourceType: 'task' }).ResourceType).toBe('Task');
  });
});

describe('EventsFilter', () => {
  it('lets every type through when unset or empty, and only the listed ones otherwise', () => {
    expect(eventsFilterOf(null)('task.created')).toBe(true);
    expect(eventsFilterOf(' ')('task.created')).toBe(true);
    const filter = eventsFilterOf('task.created, reservation.accepted');
    expect(filter('task.created')).toBe(true);
    expect(filter('reservation.accepted')).toBe(true);
    expect(filter('worker.activity.update')).toBe(false);
  });
});

describe('event callback retries', () => {
  it('waits 1 s, 5 s, 30 s and 2 min between five tries unless configured', () => {
    expect(readEventCallbackRetryDelays({})).toEqual([1_000, 5_000, 30_000, 120_000]);
    expect(readEventCallbackRetryDelays({})).toBe(EVENT_CALLBACK_RETRY_DELAYS_MS);
    expect(readEventCallbackRetryDelays({ EVENT_CALLBACK_RETRY_DELAYS_MS: '50, 100' })).toEqual([50, 100]);
    expect(readEventCallbackRetryDelays({ EVENT_CALLBACK_RETRY_DELAYS_MS: 'none' })).toEqual([]);
  });

  it.each(['-1', 'abc', '1,,2', '3600001', Array.from({ length: 11 }, () => '1').join(',')])('refuses %s, naming the variable', (text) => {
    expect(() => readEventCallbackRetryDelays({ EVENT_CALLBACK_RETRY_DELAYS_MS: text })).toThrow(/EVENT_CALLBACK_RETRY_DELAYS_MS/);
  });
});
