/**
 * Waiting tasks of one queue: a sorted set for the order and a hash with each task's details.
 * KEYS[1] waiting sorted set, KEYS[2] waiting-details hash, in every script below.
 */

/** ARGV taskSid, score, member, detailsJson. Re-enqueueing a task replaces its previous entry. */
export const ENQUEUE_TASK_LUA = `
local previous = redis.call('HGET', KEYS[2], ARGV[1])
if previous then redis.call('ZREM', KEYS[1], cjson.decode(previous).member) end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
return 1
`;

/** ARGV taskSid. Returns 1 when the task was waiting. */
export const REMOVE_TASK_LUA = `
local previous = redis.call('HGET', KEYS[2], ARGV[1])
if not previous then return 0 end
redis.call('ZREM', KEYS[1], cjson.decode(previous).member)
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`;

/** ARGV limit. Returns the details JSON of the first `limit` tasks, in queue order. */
export const WAITING_TASKS_LUA = `
local members = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #members == 0 then return {} end
local sids = {}
-- member = 12 hex digits of enteredAt, ':', taskSid (waiting-task-order.ts)
for i, member in ipairs(members) do sids[i] = string.sub(member, 14) end
return redis.call('HMGET', KEYS[2], unpack(sids))
`;
