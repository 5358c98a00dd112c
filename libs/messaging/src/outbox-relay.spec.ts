import { eventRecord } from './outbox-relay';

describe('eventRecord', () => {
  it('keys the record by stream and carries the whole event as JSON', () => {
    const event = { position: '5', transactionId: '900', streamId: 'task:WT1', streamVersion: 2, type: 'TaskUpdated', data: { a: 1 } };

    expect(eventRecord('events', event)).toEqual({
      topic: 'events',
      key: 'task:WT1',
      value: JSON.stringify(event),
      headers: { 'event-type': 'TaskUpdated', 'event-position': '5' },
    });
  });
});
