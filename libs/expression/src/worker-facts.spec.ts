import { workerFactsFromFlatDocument } from './worker-facts';

describe('workerFactsFromFlatDocument', () => {
  it('splits own fields, channel state and attributes', () => {
    const channel = { voice: { assigned_tasks: 1 } };
    expect(workerFactsFromFlatDocument({ sid: 'WK1', friendly_name: 'Alice', activity_sid: 'WA1', activity_name: 'Idle', channel, skills: ['a'] })).toEqual({
      sid: 'WK1',
      friendly_name: 'Alice',
      activity_sid: 'WA1',
      activity_name: 'Idle',
      channels: channel,
      attributes: { skills: ['a'] },
    });
  });

  it('keeps non-string fields and a non-object channel as attributes', () => {
    expect(workerFactsFromFlatDocument({ sid: 5, channel: 'chat' })).toEqual({ attributes: { sid: 5, channel: 'chat' } });
  });
});
