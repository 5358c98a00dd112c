/**
 * A Lua function the worker scripts share: takes the worker out of every candidate set its
 * stored queues and channels put it in, and out of those queues' member sets. Prepended to each
 * script that needs it.
 */
export const LEAVE_CANDIDATE_SETS_LUA = `
local function leaveCandidateSets(key, base, workerSid)
  local previous = redis.call('HMGET', key, 'queues', 'channels')
  if not (previous[1] and previous[2]) then return end
  for _, queue in ipairs(cjson.decode(previous[1])) do
    redis.call('SREM', base .. 'members:' .. queue, workerSid)
    for _, channel in ipairs(cjson.decode(previous[2])) do
      redis.call('ZREM', base .. 'candidates:' .. queue .. ':' .. channel, workerSid)
    end
  end
end
`;
