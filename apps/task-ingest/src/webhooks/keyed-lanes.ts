/**
 * Work kept in order per key (a task): what is run for a key starts after everything run for it
 * before has ended, and `settled` lets others wait for a key's work so far. Different keys never
 * wait for each other. A key with nothing under way is forgotten.
 *
 * task-ingest keeps two: the deliveries of each task's assignment callbacks, one reservation
 * after the other; and the instructions being carried out (an app's `accept` or `reject`
 * answer), which a REST command on the task waits for, so that an app that answers `accept`
 * and completes the task right after is decided on the accepted task, not refused 409.
 */
export class KeyedLanes {
  private readonly byKey = new Map<string, Promise<void>>();

  /** Runs `work` after the key's earlier work (failed or not); the caller gets its own outcome. */
  async run(key: string, work: () => Promise<void>): Promise<void> {
    const before = this.byKey.get(key);
    const running = before ? before.then(work) : work();
    // The lane itself never rejects: a failure is the caller's to handle, not the next work's.
    const lane: Promise<void> = running.catch(() => undefined).finally(() => {
      if (this.byKey.get(key) === lane) this.byKey.delete(key);
    });
    this.byKey.set(key, lane);
    return running;
  }

  /** Settles once every work run for the key so far has ended (at once when there is none). */
  async settled(key: string): Promise<void> {
    await this.byKey.get(key);
  }

  /** Keys with work under way. */
  get size(): number {
    return this.byKey.size;
  }
}
