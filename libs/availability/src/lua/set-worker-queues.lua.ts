import { LEAVE_CANDIDATE_SETS_LUA } from './leave-candidate-sets.lua';

/**
 * Replaces the TaskQueues a worker belongs to, keeping its capacity state: a queue's
 * target_workers changed, the worker did not. Applies only to the worker version the
 * membership was computed from; a newer upsert has computed its own.
 *
 * KEYS[1] worker hash
 * ARGV    base, workerSid, version, queuesJson
 * Returns 1 when applied, 0 when the worker is unknown or at another version.
 */
export const SET_WORKER_QUEUES_LUA = `${LEAVE_CANDIDATE_SETS_LUA}
local key = KEYS[1]
local base, workerSid, version, queuesJson = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local current = redis.call('HGET', key, 'version')
if not current or tonumber(current) ~= tonumber(version) then return 0 end
local state = redis.call('HMGET', key, 'queues', 'channels', 'available', 'idleSince')
if not state[1] or not state[2] then return 0 end
local channels = cjson.decode(state[2])
leaveCandidateSets(key, base, workerSid)
redis.call('HSET', key, 'queues', queuesJson)
for _, queue in ipairs(cjson.decode(queuesJson)) do
  redis.call('SADD', base .. 'members:' .. queue, workerSid)
end
if state[3] ~= '1' then return 1 end
for _, channel in ipairs(channels) do
  local c = redis.call('HMGET', key, 'c:' .. channel .. ':capacity', 'c:' .. channel .. ':assigned', 'c:' .. channel .. ':available')
  if c[3] == '1' and tonumber(c[2]) < tonumber(c[1]) then
    for _, queue in ipairs(cjson.decode(queuesJson)) do
      redis.call('ZADD', base .. 'candidates:' .. queue .. ':' .. channel, state[4], workerSid)
    end
  end
end
return 1
`;
