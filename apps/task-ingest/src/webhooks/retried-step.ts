/** Tries of a read or an append (a database that is away) before a delivery's step fails. */
const STEP_ATTEMPTS = 8;
const STEP_BACKOFF_MS = { initial: 100, max: 5_000 };

/**
 * A delivery's read or write, tried again with backoff (100 ms doubling to 5 s, 8 tries, about
 * 20 s) while the database is away, and not at all once `stopping` says so; never the outgoing
 * call itself, which has its own rules.
 */
export async function retriedStep<T>(work: () => Promise<T>, stopping: () => boolean): Promise<T> {
  for (let attempt = 1, delay = STEP_BACKOFF_MS.initial; ; attempt++, delay = Math.min(2 * delay, STEP_BACKOFF_MS.max)) {
    try {
      return await work();
    } catch (error) {
      if (stopping() || attempt >= STEP_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
