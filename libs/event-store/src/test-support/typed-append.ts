import type { StreamAppend } from '../events';

/** An append of events that carry only their type (as data too), for specs of the store itself. */
export function typedAppend(streamId: string, expectedVersion: number, ...types: string[]): StreamAppend {
  return { streamId, expectedVersion, events: types.map((type) => ({ type, data: { type } })) };
}
