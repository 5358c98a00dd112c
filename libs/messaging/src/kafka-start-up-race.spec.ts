import { isStartUpRace } from './kafka-connection';

/** Shaped as kafkajs throws them (KafkaJSProtocolError carries the broker's error type and whether it is retriable). */
const protocolError = (type: string, code: number, retriable: boolean, message: string) => Object.assign(new Error(message), { name: 'KafkaJSProtocolError', type, code, retriable });

describe('isStartUpRace (what ensureTopics tries again while the services start together)', () => {
  it('takes a partition without a leader yet, and a topic created meanwhile, also inside an aggregate error', () => {
    const noLeaderYet = protocolError('UNKNOWN_TOPIC_OR_PARTITION', 3, true, 'This server does not host this topic-partition');
    expect(isStartUpRace(noLeaderYet)).toBe(true);
    expect(isStartUpRace(protocolError('TOPIC_ALREADY_EXISTS', 36, false, 'Topic with this name already exists'))).toBe(true);
    expect(isStartUpRace(Object.assign(new Error('aggregate'), { errors: [noLeaderYet] }))).toBe(true);
  });

  it('lets anything else through at once', () => {
    expect(isStartUpRace(protocolError('INVALID_CONFIG', 40, false, 'bad config'))).toBe(false);
    expect(isStartUpRace(new Error('ECONNREFUSED'))).toBe(false);
    expect(isStartUpRace(null)).toBe(false);
  });
});
