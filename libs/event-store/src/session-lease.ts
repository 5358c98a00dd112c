import { Client, type Pool } from 'pg';

/** Exclusive ownership of a named role (for example "the outbox relay") while it is held. */
export interface Lease {
  /** False once released, or once the connection holding the lock failed. */
  isHeld(): boolean;
  release(): Promise<void>;
}

/**
 * Tries to take a session-level advisory lock on a dedicated connection (outside the pool,
 * so it neither starves the pool nor goes back to it still locked). Postgres frees the lock
 * when that connection ends, so a crashed holder never blocks the others for long.
 * Returns null when someone else holds it.
 */
export async function tryAcquireSessionLease(pool: Pool, lockName: string): Promise<Lease | null> {
  const client = new Client(pool.options);
  let held = false;
  // An unhandled 'error' on a client would crash the process; losing it means losing the lock.
  client.on('error', () => {
    held = false;
  });
  client.on('end', () => {
    held = false;
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ acquired: boolean }>(
      `SELECT pg_try_advisory_lock(hashtextextended('taskrouter-lease:' || $1, 0)) AS acquired`,
      [lockName],
    );
    held = rows[0]?.acquired === true;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  if (!held) {
    await client.end().catch(() => undefined);
    return null;
  }
  return {
    isHeld: () => held,
    release: async () => {
      held = false;
      // Ending the session releases the lock; no explicit unlock round trip needed.
      await client.end().catch(() => undefined);
    },
  };
}
