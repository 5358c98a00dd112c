import { LEAVE_CANDIDATE_SETS_LUA } from './leave-candidate-sets.lua';

/**
 * Takes a worker out of the index, leaving a tombstone (version + removed) so that a redelivered
 * older upsert cannot bring the worker back.
 *
 * KEYS[1] worker hash
 * ARGV    base, workerSid, version ('' when the caller does not know it)
 * Returns 1 when removed, 0 when the given version is not newer than the stored one.
 */
export const REMOVE_WORKER_LUA = `${LEAVE_CANDIDATE_SETS_LUA}
local key = KEYS[1]
local base, workerSid, version = ARGV[1], ARGV[2], ARGV[3]
local current = redis.call('HGET', key, 'version')
if version ~= '' and current and tonumber(current) >= tonumber(version) then return 0 end

leaveCandidateSets(key, base, workerSid)
redis.call('DEL', key)

local tombstoneVersion = current
if version ~= '' then tombstoneVersion = version end
if tombstoneVersion then redis.call('HSET', key, 'version', tombstoneVersion, 'removed', '1') end
return 1
`;
