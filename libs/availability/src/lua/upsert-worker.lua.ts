import { LEAVE_CANDIDATE_SETS_LUA } from './leave-candidate-sets.lua';

/**
 * A Lua function: replaces a worker's state unless the stored version is newer, and puts the worker
 * into exactly the candidate sets (queue x channel) where it can take a task now, and into the
 * member sets of its queues.
 *
 * args    workerSid, version, available (1/0), idleSince, queuesJson, channelNamesJson,
 *         then per channel: name, capacity, assigned, available (1/0)
 * Returns 1 when applied, 0 when the stored version is newer (stale). The same version applies
 * again: what the index derives from outside the stream (queues, multitasking) may have changed.
 *
 * Keys other than the worker hash are built from `base` inside the script; they carry the same
 * {workspace} hash tag, so they are in the worker hash's slot.
 */
export const UPSERT_WORKER_FUNCTION_LUA = `${LEAVE_CANDIDATE_SETS_LUA}
local function upsertWorker(key, base, args)
  local workerSid, version = args[1], args[2]
  local current = redis.call('HGET', key, 'version')
  if current and tonumber(current) > tonumber(version) then return 0 end
  -- A tombstone is final at its own version: only a newer worker (recreated) replaces it.
  if current and tonumber(current) == tonumber(version) and redis.call('HGET', key, 'removed') == '1' then return 0 end

  leaveCandidateSets(key, base, workerSid)
  redis.call('DEL', key)

  local available, idleSince, queuesJson, channelsJson = args[3], args[4], args[5], args[6]
  local fields = { 'version', version, 'available', available, 'idleSince', idleSince,
    'queues', queuesJson, 'channels', channelsJson }
  local openChannels = {}
  local i = 7
  while i <= #args do
    local name, capacity, assigned, channelAvailable = args[i], args[i + 1], args[i + 2], args[i + 3]
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
    redis.call('SADD', base .. 'members:' .. queue, workerSid)
    for _, channel in ipairs(openChannels) do
      redis.call('ZADD', base .. 'candidates:' .. queue .. ':' .. channel, idleSince, workerSid)
    end
  end
  return 1
end
`;

/**
 * KEYS[1] worker hash
 * ARGV    base, then the upsert's args (see UPSERT_WORKER_FUNCTION_LUA)
 */
export const UPSERT_WORKER_LUA = `${UPSERT_WORKER_FUNCTION_LUA}
return upsertWorker(KEYS[1], ARGV[1], { unpack(ARGV, 2) })
`;
