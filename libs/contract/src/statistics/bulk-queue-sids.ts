import { badRequest } from '../errors/taskrouter-error';
import { isSid } from '../sids/sid';

/** "1–50 queues per call" (docs/limits.md). */
export const MAX_BULK_QUEUE_SIDS = 50;

/**
 * The queues of `POST /TaskQueues/RealTimeStatistics`, from its JSON body. TaskRouter's parameter
 * table names the key `QueueSids`, its curl example `queueSids`: either is taken, both at once are
 * refused (docs/taskrouter-choices.md). 1 to 50 TaskQueue SIDs; a SID named twice is answered once.
 */
export function bulkQueueSids(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The body must be a JSON object such as {"QueueSids": ["WQ…"]}');
  }
  const record = body as Record<string, unknown>;
  const keys = ['QueueSids', 'queueSids'].filter((key) => record[key] !== undefined);
  if (keys.length === 0) throw badRequest('Missing required parameter QueueSids');
  if (keys.length > 1) throw badRequest('Give QueueSids or queueSids, not both');
  const others = Object.keys(record).filter((key) => key !== keys[0]);
  if (others.length > 0) throw badRequest(`Unknown parameter ${others[0].slice(0, 64)}: the body takes QueueSids only`);
  const sids = record[keys[0]];
  if (!Array.isArray(sids)) throw badRequest(`${keys[0]} must be an array of TaskQueue SIDs`);
  if (sids.length < 1 || sids.length > MAX_BULK_QUEUE_SIDS) throw badRequest(`${keys[0]} must hold 1 to ${MAX_BULK_QUEUE_SIDS} TaskQueue SIDs, got ${sids.length}`);
  const bad = sids.find((sid) => !isSid('WQ', sid));
  if (bad !== undefined) throw badRequest(`${keys[0]} must hold TaskQueue SIDs (WQ followed by 32 hex digits), got ${JSON.stringify(bad).slice(0, 64)}`);
  return [...new Set(sids as string[])];
}
