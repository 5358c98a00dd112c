/**
 * When an event callback is tried again (reference §10.1: "respond … within 15 seconds"; retries
 * are DOCS SILENT, the choice is in docs/taskrouter-choices.md): an answer other than 2xx, a
 * timeout or a connection that fails is tried again after 1 s, 5 s, 30 s and 2 min; after the
 * fifth try (about 2.5 minutes and 75 s of waiting for answers at most) the callback is dropped
 * and recorded. A URL the outgoing policy refuses is not tried again: it would be refused again.
 */
export const EVENT_CALLBACK_TIMEOUT_MS = 15_000;
export const EVENT_CALLBACK_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];

/** The delay before try `attempt + 1` after try `attempt` (1-based) failed, or null to give up. */
export function nextEventCallbackDelay(attempt: number, refused: boolean): number | null {
  if (refused) return null;
  return EVENT_CALLBACK_RETRY_DELAYS_MS[attempt - 1] ?? null;
}
