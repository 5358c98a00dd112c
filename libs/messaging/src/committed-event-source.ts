/**
 * The ports through which the outbox relay reads the event log. PostgresEventStore
 * implements them structurally; messaging never imports the event store.
 */

/** Commit order position in the log: transaction id, then position (decimal strings). */
export interface LogCheckpoint {
  transactionId: string;
  position: string;
}

/** What the relay needs of a stored event; the whole object is what it publishes. */
export interface StoredEventLike extends LogCheckpoint {
  streamId: string;
  streamVersion: number;
  type: string;
}

export interface CommittedEventSource {
  /** Committed events after `after`, in commit order, never skipping a late commit. */
  readAll(options: { after?: LogCheckpoint | null; limit: number }): Promise<StoredEventLike[]>;
  loadCheckpoint(name: string): Promise<LogCheckpoint | null>;
  saveCheckpoint(name: string, checkpoint: LogCheckpoint): Promise<void>;
}

/** Exclusive ownership of a named role while held (a Postgres session advisory lock). */
export interface ExclusiveLease {
  isHeld(): boolean;
  release(): Promise<void>;
}

export interface ExclusiveLeases {
  /** Null when another process holds it. */
  tryAcquireLease(name: string): Promise<ExclusiveLease | null>;
}

/** Optional early wake-up when new events commit (LISTEN/NOTIFY); polling is the fallback. */
export interface AppendNotifications {
  onAppended(listener: () => void): Promise<() => Promise<void>>;
}
