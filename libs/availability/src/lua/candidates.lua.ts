/**
 * The first `limit` workers of a candidate set (longest idle first) with their free capacity,
 * read in one consistent step.
 *
 * KEYS[1] candidate set (queue x channel)
 * ARGV    base, channel, limit
 * Returns a flat list: workerSid, idleSince, freeCapacity, ...
 */
export const CANDIDATES_LUA = `
local base, channel, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local entries = redis.call('ZRANGE', KEYS[1], 0, limit - 1, 'WITHSCORES')
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
`;
