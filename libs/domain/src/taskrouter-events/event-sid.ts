import { murmurHash128 } from './murmur-hash';

/**
 * The SID of the `index`-th TaskRouter Event that the log event at `streamVersion` of `streamId`
 * gives rise to: a function of the log event's identity only, so a replay finds every Event under
 * the SID it had live.
 */
export function eventSid(streamId: string, streamVersion: number, index: number): string {
  return `EV${murmurHash128(`${streamId}\u0000${streamVersion}\u0000${index}`)}`;
}
