import { assertSchemaName, eventsAppendedChannel } from './sql-identifier';

describe('schema names', () => {
  it('accepts plain lower-case identifiers only', () => {
    expect(assertSchemaName('taskrouter')).toBe('taskrouter');
    expect(assertSchemaName('es_lx2_ab12')).toBe('es_lx2_ab12');
    for (const bad of ['', 'Task', '1abc', 'a-b', 'a"; DROP', 'x'.repeat(41)]) expect(() => assertSchemaName(bad)).toThrow('Invalid');
  });

  it('names the append notification channel after the schema', () => {
    expect(eventsAppendedChannel('taskrouter')).toBe('taskrouter_events_appended');
  });
});
