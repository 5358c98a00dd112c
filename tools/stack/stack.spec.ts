import { INFRASTRUCTURE_DEFAULTS } from '@taskrouter/config';
import { LOOPBACK_ALLOW_LIST_TEXT } from '@taskrouter/contract';
import {
  DEFAULTS, DEVELOPMENT_OUTGOING_URL_ALLOW, apiBaseUrl, exampleCredentials, outgoingUrlNotice, parseKafkaBrokers, readyBanner, redactUrl,
  resolveStackSettings, serviceEnvironment,
} from './env';
import { createLineSplitter, prefixLine } from './lines';
import { Readiness, SERVICES, describeExit } from './readiness';

describe('stack settings (env.js)', () => {
  it('uses the same defaults as the services', () => {
    expect(DEFAULTS.DATABASE_URL).toBe(INFRASTRUCTURE_DEFAULTS.DATABASE_URL);
    expect(DEFAULTS.REDIS_URL).toBe(INFRASTRUCTURE_DEFAULTS.REDIS_URL);
    expect(DEFAULTS.TASKROUTER_SCHEMA).toBe(INFRASTRUCTURE_DEFAULTS.TASKROUTER_SCHEMA);
    expect(DEFAULTS.TASKROUTER_TOPIC_PREFIX).toBe(INFRASTRUCTURE_DEFAULTS.TASKROUTER_TOPIC_PREFIX);
  });

  it('fills unset and blank variables with the defaults; KAFKA_BROKERS stays unset', () => {
    const { settings, errors } = resolveStackSettings({ DATABASE_URL: '  ', PORT: '' });
    expect(errors).toEqual([]);
    expect(settings).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      redisUrl: 'redis://127.0.0.1:6379',
      kafkaBrokers: undefined,
      schema: 'taskrouter',
      topicPrefix: 'taskrouter',
      port: 3000,
      host: '127.0.0.1',
    });
  });

  it('takes the variables that are set', () => {
    const { settings } = resolveStackSettings({ KAFKA_BROKERS: ' k1:9092,k2:9092 ', PORT: '3901', HOST: '0.0.0.0', TASKROUTER_SCHEMA: 'smoke' });
    expect(settings).toMatchObject({ kafkaBrokers: 'k1:9092,k2:9092', port: 3901, host: '0.0.0.0', schema: 'smoke' });
  });

  it('names the variable of a bad value, without the password', () => {
    const { errors } = resolveStackSettings({ PORT: '70000', DATABASE_URL: 'mysql://u:secret@h/db', REDIS_URL: 'nope' });
    expect(errors).toEqual([
      "PORT must be a TCP port (1-65535), got '70000'",
      "DATABASE_URL must start with postgres://, got 'mysql://u:***@h/db'",
      "REDIS_URL is not a URL: 'nope' (expected redis://host:port/...)",
    ]);
    expect(resolveStackSettings({ PORT: '30a' }).errors[0]).toMatch(/^PORT /);
  });

  it('gives the services the resolved values and keeps the rest of the environment', () => {
    const { settings } = resolveStackSettings({});
    const env = serviceEnvironment({ TASKROUTER_AUTH_TOKEN: 't', PATH: '/bin' }, settings, '127.0.0.1:29092');
    expect(env).toMatchObject({ TASKROUTER_AUTH_TOKEN: 't', PATH: '/bin', KAFKA_BROKERS: '127.0.0.1:29092', PORT: '3000', HOST: '127.0.0.1', TASKROUTER_SCHEMA: 'taskrouter' });
  });

  it('allows loopback callbacks in development mode and says so in one line, unless OUTGOING_URL_ALLOW is set', () => {
    expect(DEVELOPMENT_OUTGOING_URL_ALLOW).toBe(LOOPBACK_ALLOW_LIST_TEXT);
    const { settings } = resolveStackSettings({});
    expect(serviceEnvironment({}, settings, 'k:9092').OUTGOING_URL_ALLOW).toBe(LOOPBACK_ALLOW_LIST_TEXT);
    expect(serviceEnvironment({ OUTGOING_URL_ALLOW: ' ' }, settings, 'k:9092').OUTGOING_URL_ALLOW).toBe(LOOPBACK_ALLOW_LIST_TEXT);
    expect(outgoingUrlNotice({})).toBe(`development mode: callbacks may go to loopback (OUTGOING_URL_ALLOW=${LOOPBACK_ALLOW_LIST_TEXT}); set OUTGOING_URL_ALLOW to choose instead`);
    expect(serviceEnvironment({ OUTGOING_URL_ALLOW: '10.1.0.0/16' }, settings, 'k:9092').OUTGOING_URL_ALLOW).toBe('10.1.0.0/16');
    expect(outgoingUrlNotice({ OUTGOING_URL_ALLOW: '10.1.0.0/16' })).toBeUndefined();
  });

  it('redacts passwords only', () => {
    expect(redactUrl('postgres://postgres:hunter2@127.0.0.1:5432/test')).toBe('postgres://postgres:***@127.0.0.1:5432/test');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it("reads kafka-local.sh's KAFKA_BROKERS line", () => {
    expect(parseKafkaBrokers('KAFKA_BROKERS=127.0.0.1:9092\n')).toBe('127.0.0.1:9092');
    expect(parseKafkaBrokers('noise\nKAFKA_BROKERS=127.0.0.1:29092\n\n')).toBe('127.0.0.1:29092');
    expect(parseKafkaBrokers('')).toBeUndefined();
  });

  it('reaches a wildcard bind address on loopback', () => {
    expect(apiBaseUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000/v1');
    expect(apiBaseUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080/v1');
    expect(apiBaseUrl('::', 3000)).toBe('http://[::1]:3000/v1');
    expect(apiBaseUrl('::1', 3000)).toBe('http://[::1]:3000/v1');
  });

  it('shows any AC SID without an auth token, the configured account with one (never the token)', () => {
    expect(exampleCredentials({})).toBe('AC00000000000000000000000000000001:anytoken');
    expect(exampleCredentials({ TASKROUTER_AUTH_TOKEN: 'secret', TASKROUTER_ACCOUNT_SID: 'AC1' })).toBe('AC1:$TASKROUTER_AUTH_TOKEN');
  });

  it('prints the API address and a curl that creates a Workspace', () => {
    const { settings } = resolveStackSettings({});
    const text = readyBanner({ apiUrl: 'http://127.0.0.1:3000/v1', credentials: 'AC1:x', kafkaBrokers: '127.0.0.1:9092', kafkaStartedHere: true, settings, seconds: 4.25 }).join('\n');
    expect(text).toContain('API: http://127.0.0.1:3000/v1');
    expect(text).toContain('curl -s -u AC1:x -X POST http://127.0.0.1:3000/v1/Workspaces -d FriendlyName=demo');
    expect(text).toContain('and the Kafka broker.');
    expect(text).toContain('ready in 4.3 s');
  });
});

describe('output lines (lines.js)', () => {
  it('splits chunks into lines across chunk boundaries and flushes a last partial line', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push('a\nb');
    splitter.push('c\r\n\nd');
    expect(lines).toEqual(['a', 'bc', '']);
    splitter.flush();
    splitter.flush();
    expect(lines).toEqual(['a', 'bc', '', 'd']);
  });

  it('prefixes with the name padded to a common width', () => {
    expect(prefixLine('task-ingest', 18, 'hello')).toBe('task-ingest        | hello');
  });
});

describe('readiness (readiness.js)', () => {
  it('is ready once every service printed its ready line, and remembers the API address', () => {
    const readiness = new Readiness();
    expect(readiness.pending).toEqual([...SERVICES]);
    expect(readiness.observe('task-ingest', 'something else')).toBe(false);
    expect(readiness.observe('task-ingest', 'task-ingest: TaskRouter API listening on http://127.0.0.1:3000/v1')).toBe(true);
    expect(readiness.observe('task-ingest', 'task-ingest: TaskRouter API listening on http://127.0.0.1:3000/v1')).toBe(false);
    expect(readiness.apiUrl).toBe('http://127.0.0.1:3000/v1');
    readiness.observe('workflow-evaluator', 'workflow-evaluator: consuming task events');
    readiness.observe('queue-matcher', 'queue-matcher: consuming task and worker events');
    expect(readiness.allReady).toBe(false);
    expect(readiness.pending).toEqual(['reservation-timer']);
    // Another service's line does not count for it.
    expect(readiness.observe('queue-matcher', 'reservation-timer: scheduling and firing deadlines')).toBe(false);
    expect(readiness.observe('reservation-timer', 'reservation-timer: scheduling and firing deadlines')).toBe(true);
    expect(readiness.allReady).toBe(true);
  });

  it("remembers each service's own operations address, for its /health/ready", () => {
    const readiness = new Readiness();
    expect(readiness.operationsUrl('queue-matcher')).toBeUndefined();
    readiness.observe('queue-matcher', 'queue-matcher: operations on http://127.0.0.1:9466');
    // A line naming another service (an echoed log) is not this one's address.
    readiness.observe('task-ingest', 'queue-matcher: operations on http://127.0.0.1:1');
    expect(readiness.operationsUrl('queue-matcher')).toBe('http://127.0.0.1:9466');
    expect(readiness.operationsUrl('task-ingest')).toBeUndefined();
  });

  it('describes how a process ended', () => {
    expect(describeExit(1, null)).toBe('exited with code 1');
    expect(describeExit(null, 'SIGKILL')).toBe('was killed by SIGKILL');
  });
});
