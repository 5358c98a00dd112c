/**
 * Takes one unit of a worker's capacity on a channel, atomically: only if the worker is available,
 * its channel is available and assigned < capacity. When that makes the channel full, the worker
 * leaves the channel's candidate set of every queue it is in.
 *
 * KEYS[1] worker hash
 * ARGV    base, workerSid, channel
 * Returns 1 when reserved, 0 otherwise.
 */
export const RESERVE_CAPACITY_LUA = `
local key = KEYS[1]
local base, workerSid, channel = ARGV[1], ARGV[2], ARGV[3]
local state = redis.call('HMGET', key, 'available', 'c:' .. channel .. ':available',
  'c:' .. channel .. ':capacity', 'c:' .. channel .. ':assigned', 'queues')
if state[1] ~= '1' or state[2] ~= '1' then return 0 end
local capacity = tonumber(state[3])
if not capacity or tonumber(state[4]) >= capacity then return 0 end

local assigned = redis.call('HINCRBY', key, 'c:' .. channel .. ':assigned', 1)
if assigned >= capacity then
  for _, queue in ipairs(cjson.decode(state[5])) do
    redis.call('ZREM', base .. 'candidates:' .. queue .. ':' .. channel, workerSid)
  end
end
return 1
`;
