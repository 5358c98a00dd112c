import { ConfigError } from '@taskrouter/config';

/**
 * When an event callback is tried again (reference §10.1: "respond … within 15 seconds"; retries
 * are DOCS SILENT, the choice is in docs/taskrouter-choices.md): an answer other than 2xx, a
 * timeout or a connection that fails is tried again after 1 s, 5 s, 30 s and 2 min; after the
 * fifth try (about 2.5 minutes and 75 s of waiting for answers at most) the callback is dropped
 * and recorded. A URL the outgoing policy refuses is not tried again: it would be refused again.
 */
export const EVENT_CALLBACK_TIMEOUT_MS = 15_000;
export const EVENT_CALLBACK_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];

/**
 * `EVENT_CALLBACK_RETRY_DELAYS_MS`: the waits between tries, comma-separated milliseconds (at most
 * 10 waits of at most an hour each); unset: the defaults above. `none`: a single try.
 */
export function readEventCallbackRetryDelays(env: NodeJS.ProcessEnv): readonly number[] {
  const text = env.EVENT_CALLBACK_RETRY_DELAYS_MS?.trim();
  if (text === undefined || text === '') return EVENT_CALLBACK_RETRY_DELAYS_MS;
  if (text.toLowerCase() === 'none') return [];
  const delays = text.split(',').map((part) => part.trim());
  if (delays.length > 10 || !delays.every((part) => /^\d{1,7}$/.test(part) && Number(part) <= 3_600_000)) {
    throw new ConfigError(`EVENT_CALLBACK_RETRY_DELAYS_MS must be up to 10 comma-separated waits in milliseconds (each at most 3600000) or 'none', not '${text.slice(0, 100)}'`);
  }
  return delays.map(Number);
}
