/** A record to publish. Records with the same key go to the same partition, in order. */
export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** A record as a consumer receives it. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  /** Offset in its partition (int64 as a decimal string). */
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Topic-level settings (e.g. `max.message.bytes`), applied at creation and kept on existing topics. */
  config?: Record<string, string>;
}

/** Where messaging reports what the operator should see; only warnings and errors come here. */
export type MessagingLogger = (entry: { level: 'warn' | 'error'; source: string; message: string; details: Record<string, unknown> }) => void;

/** The default logger: one JSON line per entry on stderr. */
export const stderrLogger: MessagingLogger = (entry) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

/** The header naming the log position of a published event: what makes a republished copy the same event. */
export const EVENT_POSITION_HEADER = 'event-position';
