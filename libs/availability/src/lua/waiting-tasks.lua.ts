/**
 * Waiting tasks of one queue: a sorted set for the order and a hash with each task's details.
 * KEYS[1] waiting sorted set, KEYS[2] waiting-details hash, in every script below.
 */

/**
 * Lua functions on one queue's waiting list, shared by the scripts that list, add or remove
 * waiting tasks alongside other steps.
 */
export const WAITING_TASK_FUNCTIONS_LUA = `
-- Re-enqueueing a task replaces its previous entry.
local function enqueueWaiting(waitingKey, detailsKey, taskSid, score, member, detailsJson)
  local previous = redis.call('HGET', detailsKey, taskSid)
  if previous then redis.call('ZREM', waitingKey, cjson.decode(previous).member) end
  redis.call('ZADD', waitingKey, score, member)
  redis.call('HSET', detailsKey, taskSid, detailsJson)
end

-- 1 when the task was waiting.
local function removeWaiting(waitingKey, detailsKey, taskSid)
  local previous = redis.call('HGET', detailsKey, taskSid)
  if not previous then return 0 end
  redis.call('ZREM', waitingKey, cjson.decode(previous).member)
  redis.call('HDEL', detailsKey, taskSid)
  return 1
end

-- The details JSON of the first \`limit\` tasks, in queue order.
local function listWaiting(waitingKey, detailsKey, limit)
  local members = redis.call('ZRANGE', waitingKey, 0, limit - 1)
  if #members == 0 then return {} end
  local sids = {}
  -- member = 12 hex digits of enteredAt, ':', taskSid (waiting-task-order.ts)
  for i, member in ipairs(members) do sids[i] = string.sub(member, 14) end
  return redis.call('HMGET', detailsKey, unpack(sids))
end
`;

/** ARGV taskSid, score, member, detailsJson. Re-enqueueing a task replaces its previous entry. */
export const ENQUEUE_TASK_LUA = `${WAITING_TASK_FUNCTIONS_LUA}
enqueueWaiting(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return 1
`;

/** ARGV taskSid. Returns 1 when the task was waiting. */
export const REMOVE_TASK_LUA = `${WAITING_TASK_FUNCTIONS_LUA}
return removeWaiting(KEYS[1], KEYS[2], ARGV[1])
`;

/** ARGV limit. Returns the details JSON of the first `limit` tasks, in queue order. */
export const WAITING_TASKS_LUA = `${WAITING_TASK_FUNCTIONS_LUA}
return listWaiting(KEYS[1], KEYS[2], tonumber(ARGV[1]))
`;
