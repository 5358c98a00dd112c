import type { GlobalCheckpoint } from './events';

/** Orders two points of the global log by commit order: transaction id, then position. */
export function compareCheckpoints(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
  const byTransaction = compareDecimal(a.transactionId, b.transactionId);
  return byTransaction !== 0 ? byTransaction : compareDecimal(a.position, b.position);
}

// Both fields are unsigned 64-bit integers carried as decimal strings.
function compareDecimal(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
