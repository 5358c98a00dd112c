/**
 * A Lua function: the first `limit` workers of a candidate set (longest idle first) with their free
 * capacity, read in one consistent step. Returns a flat list: workerSid, idleSince, freeCapacity, ...
 */
export const CANDIDATES_FUNCTION_LUA = `
local function candidatesOf(candidateKey, base, channel, limit)
  local entries = redis.call('ZRANGE', candidateKey, 0, limit - 1, 'WITHSCORES')
  local result = {}
  for i = 1, #entries, 2 do
    local workerSid = entries[i]
    local counts = redis.call('HMGET', base .. 'worker:' .. workerSid,
      'c:' .. channel .. ':capacity', 'c:' .. channel .. ':assigned')
    local free = (tonumber(counts[1]) or 0) - (tonumber(counts[2]) or 0)
    if free > 0 then
      table.insert(result, workerSid)
      table.insert(result, entries[i + 1])
      table.insert(result, tostring(free))
    end
  end
  return result
end
`;

/**
 * KEYS[1] candidate set (queue x channel)
 * ARGV    base, channel, limit
 */
export const CANDIDATES_LUA = `${CANDIDATES_FUNCTION_LUA}
return candidatesOf(KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]))
`;
