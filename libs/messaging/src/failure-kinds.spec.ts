import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describeFailure, errorChain, isRecordRejection, isSequenceLost, isTransientFailure } from './failure-kinds';

// The shapes kafkajs builds from the broker's error codes (kafkajs/src/protocol/error.js).
const tooLarge = () => new KafkaJSProtocolError({ type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false, message: 'The request included a message larger than the max message size the server will accept' } as never);
const notAuthorized = () => new KafkaJSProtocolError({ type: 'TOPIC_AUTHORIZATION_FAILED', code: 29, retriable: false, message: 'Not authorized to access topics' } as never);
const brokerDown = () => new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092', code: 'ECONNREFUSED' } as never), { retryCount: 5, retryTime: 1000 });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isTransientFailure', () => {
  it('retries what says a dependency is unreachable or busy', () => {
    expect(isTransientFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientFailure(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'all addresses failed'))).toBe(true);
    expect(isTransientFailure(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isTransientFailure(pgError('08006', 'connection failure'))).toBe(true);
    expect(isTransientFailure(pgError('40P01', 'deadlock detected'))).toBe(true);
    expect(isTransientFailure(pgError('53300', 'too many connections'))).toBe(true);
    expect(isTransientFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientFailure(Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
    expect(isTransientFailure(brokerDown())).toBe(true);
    expect(isTransientFailure(new Error('handler failed', { cause: pgError('57P03', 'the database system is starting up') }))).toBe(true);
  });

  it("retries Redis's refusals that say the server cannot serve now, and nothing else Redis says", () => {
    const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
    for (const message of ["OOM command not allowed when used memory > 'maxmemory'.", "READONLY You can't write against a read only replica.",
      'MISCONF Redis is configured to save RDB snapshots', 'BUSY Redis is busy running a script.', 'LOADING Redis is loading the dataset in memory',
      'CLUSTERDOWN The cluster is down', 'TRYAGAIN Multiple keys request during rehashing of slot']) {
      expect(isTransientFailure(reply(message))).toBe(true);
    }
    expect(isTransientFailure(reply('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isTransientFailure(reply('ERR Error running script: user_script:1: bad argument'))).toBe(false);
    expect(isTransientFailure(new Error('OOM command not allowed'))).toBe(false); // not from Redis
  });

  it('counts everything else against the record, the poison events of issue 10 included', () => {
    expect(isTransientFailure(pgError('22P05', 'unsupported Unicode escape sequence'))).toBe(false);
    expect(isTransientFailure(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))).toBe(false);
    expect(isTransientFailure(new TypeError("Cannot read properties of undefined (reading 'workspaceSid')"))).toBe(false);
    expect(isTransientFailure(new SyntaxError('Unexpected token } in JSON at position 3'))).toBe(false);
    expect(isTransientFailure(tooLarge())).toBe(false);
    expect(isTransientFailure({ status: 'error', message: 'Internal server error' })).toBe(false);
    expect(isTransientFailure('a string')).toBe(false);
    expect(isTransientFailure(undefined)).toBe(false);
  });
});

describe('isRecordRejection', () => {
  it('is true for what the broker says about the records themselves', () => {
    expect(isRecordRejection(tooLarge())).toBe(true);
    expect(isRecordRejection(new Error('wrapped', { cause: tooLarge() }))).toBe(true);
  });

  it('is false for outages and for refusals that concern every record', () => {
    expect(isRecordRejection(brokerDown())).toBe(false);
    expect(isRecordRejection(notAuthorized())).toBe(false);
    expect(isRecordRejection(new Error('MESSAGE_TOO_LARGE'))).toBe(false);
  });
});

describe('isSequenceLost', () => {
  it('recognises the idempotent producer out of step with the broker', () => {
    expect(isSequenceLost(new KafkaJSProtocolError({ type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', code: 45, retriable: false, message: 'out of order' } as never))).toBe(true);
    expect(isSequenceLost(tooLarge())).toBe(false);
    expect(isSequenceLost(brokerDown())).toBe(false);
  });
});

describe('errorChain and describeFailure', () => {
  it('follows causes without looping', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(errorChain(b)).toEqual([b, a]);
  });

  it('names the error, keeps its code and bounds the length', () => {
    expect(describeFailure(pgError('22P05', 'Unicode low surrogate must follow a high surrogate.'))).toBe('Error: Unicode low surrogate must follow a high surrogate. (code 22P05)');
    expect(describeFailure(Object.assign(pgError('22P02', 'invalid input syntax for type json'), { detail: 'Unicode low surrogate must follow a high surrogate.' })))
      .toBe('Error: invalid input syntax for type json: Unicode low surrogate must follow a high surrogate. (code 22P02)');
    expect(describeFailure({ status: 'error' })).toBe('{"status":"error"}');
    expect(describeFailure(new Error('x'.repeat(50)), 10)).toBe('Error: xxx… (57 characters)');
  });
});
