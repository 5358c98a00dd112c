import { KafkaJSProtocolError } from 'kafkajs';
import { isStartUpRace } from './kafka-connection';

describe('isStartUpRace (what ensureTopics tries again while the services start together)', () => {
  it('takes a partition without a leader yet, and a topic created meanwhile, also inside an aggregate error', () => {
    const noLeaderYet = new KafkaJSProtocolError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'This server does not host this topic-partition' });
    expect(isStartUpRace(noLeaderYet)).toBe(true);
    expect(isStartUpRace({ type: 'TOPIC_ALREADY_EXISTS', message: 'Topic with this name already exists' })).toBe(true);
    expect(isStartUpRace({ message: 'aggregate', errors: [noLeaderYet] })).toBe(true);
  });

  it('lets anything else through at once', () => {
    expect(isStartUpRace(new KafkaJSProtocolError({ type: 'INVALID_CONFIG', code: 40, retriable: false, message: 'bad config' }))).toBe(false);
    expect(isStartUpRace(new Error('ECONNREFUSED'))).toBe(false);
    expect(isStartUpRace(null)).toBe(false);
  });
});
