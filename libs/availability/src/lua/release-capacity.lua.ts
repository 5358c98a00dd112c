/**
 * Gives one unit of capacity back (assigned never goes below 0); if the worker can then take a task
 * on the channel, it re-enters the channel's candidate sets with its unchanged idleSince.
 *
 * KEYS[1] worker hash
 * ARGV    base, workerSid, channel
 * Returns 1 when the worker has that channel, 0 otherwise.
 */
export const RELEASE_CAPACITY_LUA = `
local key = KEYS[1]
local base, workerSid, channel = ARGV[1], ARGV[2], ARGV[3]
local state = redis.call('HMGET', key, 'available', 'c:' .. channel .. ':available',
  'c:' .. channel .. ':capacity', 'c:' .. channel .. ':assigned', 'queues', 'idleSince')
if not state[4] then return 0 end
local assigned = tonumber(state[4])
if assigned > 0 then assigned = redis.call('HINCRBY', key, 'c:' .. channel .. ':assigned', -1) end
if state[1] == '1' and state[2] == '1' and assigned < tonumber(state[3]) then
  for _, queue in ipairs(cjson.decode(state[5])) do
    redis.call('ZADD', base .. 'candidates:' .. queue .. ':' .. channel, state[6], workerSid)
  end
end
return 1
`;
