import type { PostgresEventStore, StoredEvent } from '@taskrouter/event-store';

/** The most streams one query reads; more wait for the next query. */
export const MAX_STREAMS_PER_READ = 200;

interface Waiting {
  readonly streamId: string;
  readonly fromVersion: number;
  readonly resolve: (read: { version: number; events: StoredEvent[] }) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Stream reads asked for in the same turn of the event loop go to Postgres as one query: a
 * decision loading its task, worker and workspace side by side (`Promise.all`), or concurrent
 * requests, pay one round trip instead of one per stream. Each read still gets its own stream
 * from its own version, all of them from one snapshot.
 */
export class StreamReads {
  private waiting: Waiting[] = [];

  constructor(private readonly eventStore: Pick<PostgresEventStore, 'readStreams'>) {}

  read(streamId: string, fromVersion: number): Promise<{ version: number; events: StoredEvent[] }> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) queueMicrotask(() => this.flush());
      this.waiting.push({ streamId, fromVersion, resolve, reject });
    });
  }

  private flush(): void {
    const all = this.waiting;
    this.waiting = [];
    for (let start = 0; start < all.length; start += MAX_STREAMS_PER_READ) void this.readTogether(all.slice(start, start + MAX_STREAMS_PER_READ));
  }

  private async readTogether(group: Waiting[]): Promise<void> {
    try {
      const read = await this.eventStore.readStreams(group.map(({ streamId, fromVersion }) => ({ streamId, fromVersion })));
      group.forEach((waiting, i) => waiting.resolve(read[i]));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}
