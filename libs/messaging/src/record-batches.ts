import type { OutgoingRecord } from './messages';

export interface BatchLimits {
  maxRecords: number;
  /** Approximate: key + value + header bytes. A single larger record still gets its own batch. */
  maxBytes: number;
}

/** Splits records into consecutive batches within the limits, keeping their order. */
export function recordBatches(records: readonly OutgoingRecord[], limits: BatchLimits): OutgoingRecord[][] {
  const batches: OutgoingRecord[][] = [];
  let current: OutgoingRecord[] = [];
  let currentBytes = 0;
  for (const record of records) {
    const size = recordSize(record);
    if (current.length > 0 && (current.length >= limits.maxRecords || currentBytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(record);
    currentBytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function recordSize(record: OutgoingRecord): number {
  let size = Buffer.byteLength(record.key) + Buffer.byteLength(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) size += Buffer.byteLength(name) + Buffer.byteLength(value);
  return size;
}

/** Groups a batch by topic, keeping each topic's records in their original order. */
export function byTopic(records: readonly OutgoingRecord[]): Map<string, OutgoingRecord[]> {
  const topics = new Map<string, OutgoingRecord[]>();
  for (const record of records) {
    const list = topics.get(record.topic);
    if (list) list.push(record);
    else topics.set(record.topic, [record]);
  }
  return topics;
}
