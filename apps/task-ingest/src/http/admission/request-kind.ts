/**
 * What a request does to the routing backlog. `creates-work` adds to it: a new task (`POST
 * /v1/Workspaces/{ws}/Tasks`), which the workflow evaluator and the matcher must then route.
 * Everything else (reads, task updates, completions and cancels, reservation accepts and
 * rejects, worker activity changes, configuration) either reads or is what drains the backlog,
 * so shedding it would only make the backlog last longer: it is `other`.
 */
export type RequestKind = 'creates-work' | 'other';

/**
 * Express routes case-insensitively and ignores one trailing slash (Nest's defaults), so the
 * same does here: `/v1/workspaces/WS…/tasks/` reaches the create handler too. The path is the
 * raw one (no query), as Express matches it; nothing is decoded.
 */
const TASK_COLLECTION = /^\/v1\/Workspaces\/[^/]+\/Tasks\/?$/i;

export function requestKind(method: string, path: string): RequestKind {
  return method === 'POST' && TASK_COLLECTION.test(path) ? 'creates-work' : 'other';
}
