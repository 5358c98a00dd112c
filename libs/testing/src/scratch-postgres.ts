import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, openSync, closeSync, ftruncateSync, fstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './test-infrastructure';

const run = promisify(execFile);

/** CLOG keeps 2 status bits per transaction in 8 KiB pages, 32 pages to a segment file. */
const XACTS_PER_CLOG_PAGE = 8192 * 4;
const CLOG_SEGMENT_BYTES = 32 * 8192;

export interface ScratchPostgres {
  readonly url: string;
  /** The id the next transaction gets (pg_current_xact_id of a fresh transaction). */
  currentTransactionId(): Promise<bigint>;
  /** Spends transaction ids until the next one is `target` (never beyond it). */
  advanceTransactionIdTo(target: bigint): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A throw-away Postgres cluster whose transaction counter starts where a test needs it: the
 * shared database's counter is wherever earlier runs left it, so numbers that cross a power of
 * ten (text order differs from numeric order there) can only be had from a cluster of our own.
 * `pg_resetwal -x` moves the counter; the CLOG segment holding it is extended with zero pages
 * (status "in progress" for ids never used), which is what the server expects to find.
 */
export async function startScratchPostgres(options: { nextTransactionId: number }): Promise<ScratchPostgres> {
  const binDir = (await run('pg_config', ['--bindir'])).stdout.trim();
  const dataDir = mkdtempSync(join(tmpdir(), 'taskrouter-scratch-pg-'));
  // The server refuses to run as root; CI runs as root, so the cluster belongs to `postgres`.
  const asRoot = process.getuid?.() === 0;
  const asOwner = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const owner = asRoot ? { uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) } : null;
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
  const exec = (command: string, args: string[]) => {
    const [program, programArgs] = asOwner(join(binDir, command), args);
    return run(program, programArgs);
  };
  await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  await exec('pg_resetwal', ['-x', String(options.nextTransactionId), '-D', dataDir]);
  extendClogSegmentFor(dataDir, options.nextTransactionId, owner);

  const port = await freePort();
  const [command, args] = asOwner(join(binDir, 'postgres'), [
    '-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200',
  ]);
  const server: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntilAccepting(url, server, () => log);

  const query = async <T>(sql: string): Promise<T[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const currentTransactionId = async () => BigInt((await query<{ id: string }>('SELECT pg_current_xact_id()::text AS id'))[0].id) + 1n;
  return {
    url,
    currentTransactionId,
    async advanceTransactionIdTo(target: bigint) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        for (;;) {
          const { rows } = await client.query<{ id: string }>('SELECT pg_current_xact_id()::text AS id');
          if (BigInt(rows[0].id) + 1n >= target) return;
        }
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        // Fast shutdown ends open sessions (a test's leftover pool must not keep it alive).
        await exec('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']).catch(() => server.kill('SIGKILL'));
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function extendClogSegmentFor(dataDir: string, transactionId: number, owner: { uid: number; gid: number } | null): void {
  const page = Math.floor(transactionId / XACTS_PER_CLOG_PAGE);
  const segment = Math.floor(page / 32).toString(16).toUpperCase().padStart(4, '0');
  const file = join(dataDir, 'pg_xact', segment);
  const fd = openSync(file, 'a');
  if (owner) chownSync(file, owner.uid, owner.gid);
  try {
    if (fstatSync(fd).size < CLOG_SEGMENT_BYTES) ftruncateSync(fd, CLOG_SEGMENT_BYTES);
  } finally {
    closeSync(fd);
  }
}

async function waitUntilAccepting(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the scratch Postgres exited with ${server.exitCode}:\n${log()}`);
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`the scratch Postgres did not accept connections in 30 s: ${(error as Error).message}\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
