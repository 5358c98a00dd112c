import { eventFamilyOf, topicsFor } from './topics';

describe('event topics', () => {
  it('put each stream in the topic of its aggregate family, so one stream always shares one topic', () => {
    expect(eventFamilyOf('task:WT1')).toBe('tasks');
    expect(eventFamilyOf('worker:WK1')).toBe('workers');
    expect(['workspace:WS1', 'queue:WQ1', 'workflow:WW1'].map(eventFamilyOf)).toEqual(['config', 'config', 'config']);
    expect(topicsFor('tr').events).toEqual({ tasks: 'tr.events.tasks', workers: 'tr.events.workers', config: 'tr.events.config' });
  });
});
