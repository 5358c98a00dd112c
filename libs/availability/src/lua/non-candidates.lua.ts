/**
 * A Lua function: up to `limit` members of a queue that are not candidates for the channel, each
 * with why (`unavailable`, `channel_unavailable`, `no_capacity`), for the routing explanation.
 * Looks at most 2 x `limit` random members (SRANDMEMBER), so its cost is bounded whatever the
 * queue's size. Returns a flat list: workerSid, reason, ... ordered by worker SID.
 */
export const NON_CANDIDATES_FUNCTION_LUA = `
local function nonCandidatesOf(membersKey, candidateKey, base, channel, limit)
  local result = {}
  if limit <= 0 then return result end
  local sample = redis.call('SRANDMEMBER', membersKey, limit * 2)
  table.sort(sample)
  for _, workerSid in ipairs(sample) do
    if #result >= limit * 2 then break end
    if not redis.call('ZSCORE', candidateKey, workerSid) then
      local w = redis.call('HMGET', base .. 'worker:' .. workerSid, 'available', 'removed',
        'c:' .. channel .. ':available', 'c:' .. channel .. ':capacity', 'c:' .. channel .. ':assigned')
      local reason = false
      if w[1] and w[2] ~= '1' then
        if w[1] ~= '1' then reason = 'unavailable'
        elseif w[3] ~= '1' then reason = 'channel_unavailable'
        elseif (tonumber(w[5]) or 0) >= (tonumber(w[4]) or 0) then reason = 'no_capacity' end
      end
      if reason then
        table.insert(result, workerSid)
        table.insert(result, reason)
      end
    end
  end
  return result
end
`;
