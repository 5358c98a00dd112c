/** Two-letter prefix + 32 hex digits, the shape of every TaskRouter SID. */
export const SID_PREFIXES = {
  account: 'AC', workspace: 'WS', activity: 'WA', taskChannel: 'TC', taskQueue: 'WQ', worker: 'WK',
  workerChannel: 'WC', workflow: 'WW', task: 'WT', reservation: 'WR', event: 'EV',
} as const;

export function isSid(prefix: string, value: unknown): value is string {
  return typeof value === 'string' && value.length === 34 && value.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2));
}

/** Builds a SID from 16 random bytes given by the caller (pure code takes randomness as an argument). */
export function sidFromBytes(prefix: string, bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return prefix + hex.slice(0, 32).padEnd(32, '0');
}
