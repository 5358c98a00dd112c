/** The answer when only the database can tell. */
export const UNKNOWN = Symbol('only the database knows');

/**
 * What the projection may know, without asking the database, of rows outside a batch that a
 * later event joins to: which task a reservation is for, and the task's channel. Neither ever
 * changes once written and neither row is ever deleted, so what was written stays true.
 * `undefined` means the row does not exist.
 */
export interface ReservationFacts {
  /** True while no answer is UNKNOWN: the batch then needs nothing from the database. */
  readonly complete: boolean;
  taskOf(reservationSid: string): string | undefined | typeof UNKNOWN;
  channelOf(taskSid: string): string | undefined | typeof UNKNOWN;
  /** Rows a batch inserts, learned once the batch is folded (it is written before the next). */
  learn(reservations: Iterable<{ sid: string; task_sid: string }>, tasks: Iterable<{ sid: string; task_channel_unique_name: string }>): void;
}

/** The live path: every answer comes from the database, inside the append's transaction. */
export const NO_FACTS: ReservationFacts = {
  complete: false,
  taskOf: () => UNKNOWN,
  channelOf: () => UNKNOWN,
  learn: () => undefined,
};

/**
 * For a replay group that folds no worker channels (REPLAY_GROUPS.tasks): nothing in it ever
 * joins a reservation to its task's channel, so there is nothing to remember or ask.
 */
export const NOTHING_JOINED: ReservationFacts = {
  complete: true,
  taskOf: () => undefined,
  channelOf: () => undefined,
  learn: () => undefined,
};

/**
 * A replay's memory of the reservations and tasks it wrote itself into tables that were empty
 * when it started: there, what it never wrote does not exist, so a replay asks the database
 * nothing and folds the next batch while the last one is still being written. Beyond `limit`
 * rows the oldest are forgotten, and from then on what it does not remember is asked of the
 * database (an accept of a reservation that old does not happen in a real log).
 */
export class RememberedFacts implements ReservationFacts {
  private readonly tasks = new Map<string, string>();
  private readonly channels = new Map<string, string>();
  private forgot = false;

  constructor(private readonly limit = 1_000_000) {}

  get complete(): boolean {
    return !this.forgot;
  }

  taskOf(reservationSid: string): string | undefined | typeof UNKNOWN {
    return this.tasks.get(reservationSid) ?? (this.forgot ? UNKNOWN : undefined);
  }

  channelOf(taskSid: string): string | undefined | typeof UNKNOWN {
    return this.channels.get(taskSid) ?? (this.forgot ? UNKNOWN : undefined);
  }

  learn(reservations: Iterable<{ sid: string; task_sid: string }>, tasks: Iterable<{ sid: string; task_channel_unique_name: string }>): void {
    for (const r of reservations) this.remember(this.tasks, r.sid, r.task_sid);
    for (const t of tasks) this.remember(this.channels, t.sid, t.task_channel_unique_name);
  }

  private remember(map: Map<string, string>, key: string, value: string): void {
    map.set(key, value);
    if (map.size <= this.limit) return;
    // Maps iterate in insertion order: the first key is the oldest.
    map.delete(map.keys().next().value as string);
    this.forgot = true;
  }
}
