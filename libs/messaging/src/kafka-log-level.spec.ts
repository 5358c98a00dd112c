import { kafkaLogLevel } from './kafka-log-level';

describe('the level of a kafkajs log line', () => {
  it('reports routine re-joins of the group as warnings', () => {
    expect(kafkaLogLevel(true, 'The coordinator is not aware of this member, re-joining the group')).toBe('warn');
    expect(kafkaLogLevel(true, 'The group is rebalancing, re-joining')).toBe('warn');
  });

  it('keeps real failures errors, and warnings warnings', () => {
    expect(kafkaLogLevel(true, 'Crash: KafkaJSNumberOfRetriesExceeded: connect ECONNREFUSED')).toBe('error');
    expect(kafkaLogLevel(true, 'Error when calling eachBatch')).toBe('error');
    expect(kafkaLogLevel(false, 'Connection timeout')).toBe('warn');
  });
});
