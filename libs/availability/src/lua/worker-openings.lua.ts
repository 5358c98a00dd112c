import { UPSERT_WORKER_FUNCTION_LUA } from './upsert-worker.lua';
import { WAITING_TASK_FUNCTIONS_LUA } from './waiting-tasks.lua';

/**
 * A Lua function: what a worker can take now, read in one consistent step. Returns
 * { the worker hash as HGETALL gives it, { queueSid, details JSON of its first `limit` waiting tasks, ... } };
 * the waiting tasks only when the worker is available with free capacity on some available channel
 * (otherwise it could take none of them), and only queues that have waiting tasks.
 */
export const WORKER_OPENINGS_FUNCTION_LUA = `${WAITING_TASK_FUNCTIONS_LUA}
local function workerOpenings(key, base, limit)
  local flat = redis.call('HGETALL', key)
  local hash = {}
  for i = 1, #flat, 2 do hash[flat[i]] = flat[i + 1] end
  if hash['available'] ~= '1' or hash['removed'] == '1' or not hash['queues'] or not hash['channels'] then return { flat, {} } end
  local free = false
  for _, channel in ipairs(cjson.decode(hash['channels'])) do
    local capacity = tonumber(hash['c:' .. channel .. ':capacity']) or 0
    local assigned = tonumber(hash['c:' .. channel .. ':assigned']) or 0
    if hash['c:' .. channel .. ':available'] == '1' and assigned < capacity then free = true end
  end
  if not free then return { flat, {} } end
  local waiting = {}
  for _, queue in ipairs(cjson.decode(hash['queues'])) do
    local details = listWaiting(base .. 'waiting:' .. queue, base .. 'waiting-details:' .. queue, limit)
    if #details > 0 then
      table.insert(waiting, queue)
      table.insert(waiting, details)
    end
  end
  return { flat, waiting }
end
`;

/**
 * KEYS[1] worker hash
 * ARGV    base, limit (waiting tasks per queue)
 */
export const WORKER_OPENINGS_LUA = `${WORKER_OPENINGS_FUNCTION_LUA}
return workerOpenings(KEYS[1], ARGV[1], tonumber(ARGV[2]))
`;

/**
 * Upserts the worker (UPSERT_WORKER_FUNCTION_LUA) and answers its openings as they are right after,
 * in one atomic step: a task enqueued after this step finds the worker among its candidates, one
 * enqueued before is among the openings. Stale or not, the openings are those of the stored state.
 *
 * KEYS[1] worker hash
 * ARGV    base, limit (waiting tasks per queue), then the upsert's args
 * Returns { applied (1/0), worker hash, waiting tasks by queue }.
 */
export const UPSERT_WORKER_AND_OPENINGS_LUA = `${UPSERT_WORKER_FUNCTION_LUA}${WORKER_OPENINGS_FUNCTION_LUA}
local applied = upsertWorker(KEYS[1], ARGV[1], { unpack(ARGV, 3) })
local openings = workerOpenings(KEYS[1], ARGV[1], tonumber(ARGV[2]))
return { applied, openings[1], openings[2] }
`;
