import {
  ANY_VERSION,
  conflictFor,
  eventColumns,
  firstUnadvancedStream,
  streamHeadColumns,
  validateAppends,
} from './append-plan';
import { StreamOrderConflictError, WrongExpectedVersionError } from './errors';
import type { StreamAppend } from './events';

const append = (streamId: string, expectedVersion: StreamAppend['expectedVersion'], count = 1): StreamAppend => ({
  streamId,
  expectedVersion,
  events: Array.from({ length: count }, (_, i) => ({ type: 'E', data: { i } })),
});

describe('append planning', () => {
  it('rejects malformed appends before any SQL runs', () => {
    expect(() => validateAppends([append('', 0)])).toThrow('non-empty streamId');
    expect(() => validateAppends([append('s', 0), append('s', 1)])).toThrow('appears twice');
    expect(() => validateAppends([append('s', -1)])).toThrow('Invalid expected version');
    expect(() => validateAppends([append('s', 1.5)])).toThrow('Invalid expected version');
    expect(() => validateAppends([append('s', 0, 0)])).toThrow('has no events');
    expect(() => validateAppends([{ streamId: 's', expectedVersion: 0, events: [{ type: 'E', data: {}, schemaVersion: 0 }] }])).toThrow(
      'Invalid schema version',
    );
    expect(() => validateAppends([append('a', 0), append('b', 'any', 3)])).not.toThrow();
  });

  it('lists stream heads sorted by id so concurrent appends lock them in one order', () => {
    expect(streamHeadColumns([append('worker:2', 4, 2), append('task:1', 'any'), append('reservation:3', 0)])).toEqual({
      streamIds: ['reservation:3', 'task:1', 'worker:2'],
      expectedVersions: [0, ANY_VERSION, 4],
      eventCounts: [1, 1, 2],
    });
  });

  it('numbers each stream’s events up to its new head, in the caller’s order', () => {
    const columns = eventColumns(
      [append('task:1', 2, 2), { streamId: 'worker:1', expectedVersion: 'any', events: [{ type: 'W', data: { x: undefined, y: 1 }, schemaVersion: 3, metadata: { c: 'id' } }] }],
      new Map([
        ['task:1', 4],
        ['worker:1', 7],
      ]),
    );

    expect(columns).toEqual({
      streamIds: ['task:1', 'task:1', 'worker:1'],
      streamVersions: [3, 4, 7],
      types: ['E', 'E', 'W'],
      schemaVersions: [1, 1, 3],
      data: ['{"i":0}', '{"i":1}', '{"y":1}'],
      metadata: ['{}', '{}', '{"c":"id"}'],
    });
  });

  it('finds the first stream whose head did not advance, or was created though it should exist', () => {
    const appends = [append('a', 0), append('b', 2), append('c', 'any')];

    expect(firstUnadvancedStream(appends, new Map([['a', { version: 1, created: true }], ['b', { version: 3, created: false }], ['c', { version: 1, created: true }]]))).toBeUndefined();
    expect(firstUnadvancedStream(appends, new Map([['a', { version: 1, created: true }], ['c', { version: 1, created: true }]]))).toEqual({
      append: appends[1],
      createdUnexpectedly: false,
    });
    expect(firstUnadvancedStream(appends, new Map([['a', { version: 1, created: true }], ['b', { version: 3, created: true }]]))).toEqual({
      append: appends[1],
      createdUnexpectedly: true,
    });
  });

  it('calls a refusal a version conflict only when the versions disagree', () => {
    expect(conflictFor('s', 3, 5)).toEqual(new WrongExpectedVersionError('s', 3, 5));
    expect(conflictFor('s', 0, 1)).toBeInstanceOf(WrongExpectedVersionError);
    expect(conflictFor('s', 5, 5)).toBeInstanceOf(StreamOrderConflictError);
    expect(conflictFor('s', 'any', 5)).toBeInstanceOf(StreamOrderConflictError);
  });
});
