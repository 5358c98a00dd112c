/**
 * Where the availability index keeps things in Redis.
 *
 * Every key of a workspace starts with `<keyPrefix>{<workspaceSid>}:`. The braces are a Redis
 * Cluster hash tag: all keys of one workspace hash to one slot, so a Lua script may touch a worker
 * hash and all its candidate sets atomically, and a workspace can be flushed by one SCAN pattern.
 *
 *   <ws>worker:<workerSid>                     HASH  the worker (see availability-index.ts)
 *   <ws>candidates:<queueSid>:<channel>        ZSET  workers that can take a task now, score idleSince
 *   <ws>waiting:<queueSid>                     ZSET  waiting tasks, score -priority, member age:sid
 *   <ws>waiting-details:<queueSid>             HASH  taskSid -> JSON details of a waiting task
 */
export class AvailabilityKeys {
  constructor(readonly keyPrefix: string) {
    // A brace in the prefix would become the hash tag instead of the workspace.
    if (/[{}]/.test(keyPrefix)) throw new Error(`availability keyPrefix must not contain '{' or '}': ${keyPrefix}`);
  }

  /** The part every key of the workspace starts with; Lua scripts build their keys from it. */
  workspaceBase(workspaceSid: string): string {
    requireSid('workspaceSid', workspaceSid);
    if (/[{}]/.test(workspaceSid)) throw new Error(`workspaceSid must not contain '{' or '}': ${workspaceSid}`);
    return `${this.keyPrefix}{${workspaceSid}}:`;
  }

  worker(workspaceSid: string, workerSid: string): string {
    requireSid('workerSid', workerSid);
    return `${this.workspaceBase(workspaceSid)}worker:${workerSid}`;
  }

  candidates(workspaceSid: string, queueSid: string, channel: string): string {
    requireSid('queueSid', queueSid);
    requireSid('channel', channel);
    return `${this.workspaceBase(workspaceSid)}candidates:${queueSid}:${channel}`;
  }

  /** Every worker whose queues include the queue, whatever its availability. */
  members(workspaceSid: string, queueSid: string): string {
    requireSid('queueSid', queueSid);
    return `${this.workspaceBase(workspaceSid)}members:${queueSid}`;
  }

  waiting(workspaceSid: string, queueSid: string): string {
    requireSid('queueSid', queueSid);
    return `${this.workspaceBase(workspaceSid)}waiting:${queueSid}`;
  }

  waitingDetails(workspaceSid: string, queueSid: string): string {
    requireSid('queueSid', queueSid);
    return `${this.workspaceBase(workspaceSid)}waiting-details:${queueSid}`;
  }

  /**
   * Set once the index holds everything the log says (after a rebuild); outside every workspace,
   * so a workspace flush keeps it and only a loss of Redis data (FLUSHALL, a restart without
   * persistence, eviction) removes it: its absence is how the matcher learns to rebuild.
   */
  builtMarker(): string {
    return `${this.keyPrefix}index-built`;
  }

  /** SCAN MATCH pattern for every key of the workspace, glob characters escaped. */
  workspacePattern(workspaceSid: string): string {
    return `${escapeGlob(this.workspaceBase(workspaceSid))}*`;
  }
}

function requireSid(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${name} must be a non-empty string`);
}

/** Escapes the characters Redis glob patterns treat specially (`* ? [ ] \`). */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
