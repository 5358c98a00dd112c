import { LEAVE_CANDIDATE_SETS_LUA } from './leave-candidate-sets.lua';

/**
 * Replaces a worker's state unless the stored version is newer, and puts the worker into exactly the
 * candidate sets (queue x channel) where it can take a task now.
 *
 * KEYS[1] worker hash
 * ARGV    base, workerSid, version, available (1/0), idleSince, queuesJson, channelNamesJson,
 *         then per channel: name, capacity, assigned, available (1/0)
 * Returns 1 when applied, 0 when the stored version is newer (stale). The same version applies
 * again: what the index derives from outside the stream (queues, multitasking) may have changed.
 *
 * Keys other than KEYS[1] are built from `base` inside the script; they carry the same {workspace}
 * hash tag, so they are in KEYS[1]'s slot.
 */
export const UPSERT_WORKER_LUA = `${LEAVE_CANDIDATE_SETS_LUA}
local key = KEYS[1]
local base, workerSid, version = ARGV[1], ARGV[2], ARGV[3]
local current = redis.call('HGET', key, 'version')
if current and tonumber(current) > tonumber(version) then return 0 end
-- A tombstone is final at its own version: only a newer worker (recreated) replaces it.
if current and tonumber(current) == tonumber(version) and redis.call('HGET', key, 'removed') == '1' then return 0 end

leaveCandidateSets(key, base, workerSid)
redis.call('DEL', key)

local available, idleSince, queuesJson, channelsJson = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local fields = { 'version', version, 'available', available, 'idleSince', idleSince,
  'queues', queuesJson, 'channels', channelsJson }
local openChannels = {}
local i = 8
while i <= #ARGV do
  local name, capacity, assigned, channelAvailable = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  table.insert(fields, 'c:' .. name .. ':capacity'); table.insert(fields, capacity)
  table.insert(fields, 'c:' .. name .. ':assigned'); table.insert(fields, assigned)
  table.insert(fields, 'c:' .. name .. ':available'); table.insert(fields, channelAvailable)
  if available == '1' and channelAvailable == '1' and tonumber(assigned) < tonumber(capacity) then
    table.insert(openChannels, name)
  end
  i = i + 4
end
redis.call('HSET', key, unpack(fields))

for _, queue in ipairs(cjson.decode(queuesJson)) do
  for _, channel in ipairs(openChannels) do
    redis.call('ZADD', base .. 'candidates:' .. queue .. ':' .. channel, idleSince, workerSid)
  end
end
return 1
`;
