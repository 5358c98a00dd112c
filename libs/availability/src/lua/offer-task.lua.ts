import { CANDIDATES_FUNCTION_LUA } from './candidates.lua';
import { NON_CANDIDATES_FUNCTION_LUA } from './non-candidates.lua';
import { WAITING_TASK_FUNCTIONS_LUA } from './waiting-tasks.lua';

/**
 * A task's first look at its queue, in one atomic step: the candidates for it and its place in the
 * waiting list. With candidates, the task leaves the waiting list (it is being offered; if no offer
 * takes, the caller enqueues it again and looks once more), and up to `othersLimit` members of the
 * queue that are not candidates come with why (for the routing explanation). Without any, it joins
 * the list when the details are given: a worker freed after this step finds it there, one freed
 * before would have been a candidate, so no second look is needed.
 *
 * KEYS[1] candidate set (queue x channel), KEYS[2] waiting sorted set, KEYS[3] waiting-details hash, KEYS[4] queue members set
 * ARGV    base, channel, limit, taskSid, othersLimit, then to wait when there is no candidate: score, member, detailsJson
 * Returns { 1 when the task now waits in the list else 0, flat candidates as CANDIDATES_LUA, flat non-candidates as NON_CANDIDATES }.
 */
export const OFFER_TASK_LUA = `${CANDIDATES_FUNCTION_LUA}${NON_CANDIDATES_FUNCTION_LUA}${WAITING_TASK_FUNCTIONS_LUA}
local base, channel, limit, taskSid, othersLimit = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local candidates = candidatesOf(KEYS[1], base, channel, limit)
if #candidates > 0 then
  removeWaiting(KEYS[2], KEYS[3], taskSid)
  return { 0, candidates, nonCandidatesOf(KEYS[4], KEYS[1], base, channel, othersLimit) }
end
if ARGV[6] then
  enqueueWaiting(KEYS[2], KEYS[3], taskSid, ARGV[6], ARGV[7], ARGV[8])
  return { 1, candidates, {} }
end
return { 0, candidates, {} }
`;
