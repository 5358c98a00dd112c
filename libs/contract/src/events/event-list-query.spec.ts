import { TaskRouterError } from '../errors/taskrouter-error';
import { FormReader } from '../form/form-values';
import { renderEvent } from '../resources/event-resource';
import { readEventListQuery } from './event-list-query';

const NOW = Date.parse('2024-03-01T12:00:00.000Z');
const read = (query: Record<string, string>) => readEventListQuery(new FormReader(query), NOW);
const refused = (query: Record<string, string>) => {
  try {
    read(query);
  } catch (error) {
    return error as TaskRouterError;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
};

describe('the Events list query', () => {
  it('lists the last 15 minutes by default, up to now', () => {
    const { filter, echo } = read({});
    expect(filter).toMatchObject({ fromMs: NOW - 15 * 60_000, toMs: NOW });
    // Page links carry the window as dates: following them never moves it.
    expect(echo).toMatchObject({ StartDate: '2024-03-01T11:45:00.000Z', EndDate: '2024-03-01T12:00:00.000Z' });
  });

  it('takes Minutes, StartDate and EndDate, never reaching back past the 30 days kept', () => {
    expect(read({ Minutes: '60' }).filter.fromMs).toBe(NOW - 3_600_000);
    expect(read({ StartDate: '2024-03-01T10:00:00Z', EndDate: '2024-03-01T11:00:00.5+01:00' }).filter).toMatchObject({
      fromMs: Date.parse('2024-03-01T10:00:00Z'), toMs: Date.parse('2024-03-01T10:00:00.500Z'),
    });
    expect(read({ StartDate: '2024-02-29' }).filter.fromMs).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(read({ StartDate: '2023-01-01T00:00:00Z' }).filter.fromMs).toBe(NOW - 43_200 * 60_000);
    expect(read({ Minutes: '43200' }).filter.fromMs).toBe(NOW - 43_200 * 60_000);
  });

  it('takes every SID filter, TaskChannel and EventType', () => {
    const sid = (prefix: string) => `${prefix}${'a'.repeat(32)}`;
    const { filter, echo } = read({
      EventType: 'reservation.created', TaskSid: sid('WT'), WorkerSid: sid('WK'), ReservationSid: sid('WR'), TaskQueueSid: sid('WQ'),
      WorkflowSid: sid('WW'), TaskChannel: 'voice', Sid: sid('EV'),
    });
    expect(filter).toMatchObject({
      eventType: 'reservation.created', taskSid: sid('WT'), workerSid: sid('WK'), reservationSid: sid('WR'), taskQueueSid: sid('WQ'),
      workflowSid: sid('WW'), taskChannel: 'voice', sid: sid('EV'),
    });
    expect(echo).toMatchObject({ EventType: 'reservation.created', TaskChannel: 'voice', Sid: sid('EV') });
  });

  it.each([
    [{ StartDate: 'yesterday' }, 'StartDate'], [{ EndDate: '2024-02-30T00:00:00Z' }, 'EndDate'], [{ StartDate: '2024-03-01T25:00:00Z' }, 'StartDate'],
    [{ EndDate: '1709294400' }, 'EndDate'], [{ Minutes: '0' }, 'Minutes'], [{ Minutes: '43201' }, 'Minutes'], [{ Minutes: '1.5' }, 'Minutes'],
    [{ TaskSid: 'WK' + 'a'.repeat(32) }, 'TaskSid'], [{ WorkerSid: 'WK123' }, 'WorkerSid'], [{ ReservationSid: 'x' }, 'ReservationSid'],
    [{ TaskQueueSid: 'WQ' + 'g'.repeat(32) }, 'TaskQueueSid'], [{ WorkflowSid: 'WW' }, 'WorkflowSid'], [{ Sid: 'EV' }, 'Sid'],
    [{ StartDate: '2024-03-01T10:00:00Z', Minutes: '5' }, 'StartDate or Minutes'], [{ StartDate: '2024-03-01T10:00:00Z', EndDate: '2024-03-01T09:00:00Z' }, 'StartDate must not be after'],
  ])('refuses %j in TaskRouter\'s error shape, naming %s', (query, named) => {
    const error = refused(query as Record<string, string>);
    expect(error).toBeInstanceOf(TaskRouterError);
    expect(error.toBody()).toMatchObject({ code: 20001, status: 400 });
    expect(error.toBody().message).toContain(named);
  });
});

describe('the Event resource', () => {
  it('renders TaskRouter\'s fields with URLs of the actor and the resource', () => {
    const workspace = `WS${'1'.repeat(32)}`;
    const rendered = renderEvent({
      sid: `EV${'2'.repeat(32)}`, accountSid: `AC${'3'.repeat(32)}`, workspaceSid: workspace, eventType: 'reservation.created', description: 'd',
      resourceType: 'reservation', resourceSid: `WR${'4'.repeat(32)}`, actorType: 'workflow', actorSid: `WW${'5'.repeat(32)}`,
      eventData: { task_sid: `WT${'6'.repeat(32)}` }, eventDateMs: Date.parse('2024-03-01T12:00:00.123Z'),
    }, 'http://h:1');
    expect(rendered).toEqual({
      account_sid: `AC${'3'.repeat(32)}`, actor_sid: `WW${'5'.repeat(32)}`, actor_type: 'workflow', actor_url: `http://h:1/v1/Workspaces/${workspace}/Workflows/WW${'5'.repeat(32)}`,
      description: 'd', event_data: { task_sid: `WT${'6'.repeat(32)}` }, event_date: '2024-03-01T12:00:00Z', event_date_ms: 1709294400123,
      event_type: 'reservation.created', resource_sid: `WR${'4'.repeat(32)}`, resource_type: 'reservation',
      resource_url: `http://h:1/v1/Workspaces/${workspace}/Tasks/WT${'6'.repeat(32)}/Reservations/WR${'4'.repeat(32)}`,
      sid: `EV${'2'.repeat(32)}`, source: 'open-taskrouter', source_ip_address: null, url: `http://h:1/v1/Workspaces/${workspace}/Events/EV${'2'.repeat(32)}`,
      workspace_sid: workspace,
    });
  });
});
