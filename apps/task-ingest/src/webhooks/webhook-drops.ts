import type { Pool } from 'pg';

export interface WebhookDrop {
  readonly workspaceSid: string;
  readonly eventSid: string;
  readonly eventType: string;
  /** The origin only: a path or query string may hold secrets. */
  readonly destination: string;
  readonly attempts: number;
  readonly reason: string;
}

/** The record of event callbacks given up (docs/operations.md, "Event callbacks"): one row each, and one log line. */
export class WebhookDrops {
  constructor(private readonly pool: Pool, private readonly schema: string) {}

  async record(drop: WebhookDrop): Promise<void> {
    process.stderr.write(`task-ingest: event callback ${drop.eventSid} (${drop.eventType}) to ${drop.destination} dropped after ${drop.attempts} tries: ${drop.reason}\n`);
    await this.pool.query(
      `INSERT INTO "${this.schema}".webhook_drops (workspace_sid, event_sid, event_type, destination, attempts, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [drop.workspaceSid, drop.eventSid, drop.eventType, drop.destination, drop.attempts, drop.reason.slice(0, 1000)],
    );
  }
}
