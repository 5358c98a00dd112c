import type { EventView } from '@taskrouter/contract';
import { matchesEventFilter } from './live-event-filter';

const view: EventView = {
  sid: 'EV1', accountSid: 'AC1', workspaceSid: 'WS1', eventType: 'reservation.accepted', description: '', resourceType: 'reservation', resourceSid: 'WR1',
  actorType: 'workspace', actorSid: 'WS1', eventDateMs: 0,
  eventData: { task_sid: 'WT1', worker_sid: 'WK1', reservation_sid: 'WR1', task_queue_sid: 'WQ1', workflow_sid: 'WW1', task_channel_unique_name: 'voice', task_channel_sid: 'TC1' },
};
const window = { fromMs: 0, toMs: 0 };

describe('the live Events filter', () => {
  it('lets an Event through when every condition given holds', () => {
    expect(matchesEventFilter(view, window)).toBe(true);
    expect(matchesEventFilter(view, { ...window, eventType: 'reservation.accepted', taskSid: 'WT1', workerSid: 'WK1', reservationSid: 'WR1', taskQueueSid: 'WQ1', workflowSid: 'WW1', sid: 'EV1' })).toBe(true);
    expect(matchesEventFilter(view, { ...window, taskChannel: 'voice' })).toBe(true);
    expect(matchesEventFilter(view, { ...window, taskChannel: 'TC1' })).toBe(true);
  });

  it.each([
    ['eventType', 'task.created'], ['taskSid', 'WT2'], ['workerSid', 'WK2'], ['reservationSid', 'WR2'], ['taskQueueSid', 'WQ2'], ['workflowSid', 'WW2'], ['sid', 'EV2'],
    ['taskChannel', 'chat'],
  ])('holds it back when %s is %s', (name, value) => {
    expect(matchesEventFilter(view, { ...window, [name]: value })).toBe(false);
  });
});
