import { Client, type Pool } from 'pg';

/**
 * Calls `listener` whenever an append to the schema commits (the events table's trigger
 * NOTIFYs the channel). A hint to wake pollers early, never a delivery guarantee: a dropped
 * connection just means waiting for the next poll.
 */
export async function listenForAppends(pool: Pool, channel: string, listener: () => void): Promise<() => Promise<void>> {
  const client = new Client(pool.options);
  client.on('error', () => undefined);
  client.on('notification', (message) => {
    if (message.channel === channel) listener();
  });
  await client.connect();
  try {
    await client.query(`LISTEN "${channel}"`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return async () => {
    await client.end().catch(() => undefined);
  };
}
