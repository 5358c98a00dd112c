import type { DeadLetterAdmin } from '@taskrouter/runtime';
import { USAGE, UsageError, parseDeadLetterArguments } from './arguments';
import { renderDetail, renderList } from './render';

export interface RunOptions {
  out: (line: string) => void;
  err: (line: string) => void;
  /** How long `retry --wait` waits for the services; default 30 s. */
  waitMs?: number;
}

/** The command's body, apart from its connection: returns the exit status. */
export async function runDeadLetters(argv: readonly string[], admin: DeadLetterAdmin, { out, err, waitMs = 30_000 }: RunOptions): Promise<number> {
  let command;
  try {
    command = parseDeadLetterArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`dead-letters: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (command.command === 'list') {
    const rows = await admin.list(command.filter);
    if (command.filter.id !== undefined) {
      if (rows.length === 0) return notFound(err, command.filter.id);
      out(renderDetail(rows[0]));
    } else {
      out(renderList(await admin.summary(), rows));
    }
    return 0;
  }
  if (command.command === 'drop') {
    const { dropped, markedForRetry } = await admin.drop(command.selection);
    if (dropped === 0 && 'id' in command.selection) return notFound(err, command.selection.id);
    out(`dropped ${dropped} dead letter${dropped === 1 ? '' : 's'}${markedForRetry > 0 ? `; the ${markedForRetry} held behind it are marked for retry` : ''}`);
    return 0;
  }
  const marked = await admin.markForRetry(command.selection);
  if (marked === 0) {
    if ('id' in command.selection) return notFound(err, command.selection.id);
    out('no dead letters match; nothing to retry');
    return 0;
  }
  out(`marked ${marked} dead letter${marked === 1 ? '' : 's'} for retry: the services that own them re-handle them in stream order within about a second`);
  if (!command.wait) return 0;
  const consumer = command.selection.consumer;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const summary = (await admin.summary()).filter((s) => consumer === undefined || s.consumer === consumer);
    const pending = summary.reduce((sum, s) => sum + s.markedForRetry, 0);
    if (pending === 0) {
      out(summary.length === 0 ? 'retried: no dead letters left' : `retried; what is left:\n${renderList(summary, [])}`);
      return 0;
    }
    if (Date.now() >= deadline) {
      err(`dead-letters: ${pending} still marked for retry after ${Math.round(waitMs / 1000)} s: is the service of ${summary.filter((s) => s.markedForRetry > 0).map((s) => s.consumer).join(', ')} running?`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function notFound(err: (line: string) => void, id: string): number {
  err(`dead-letters: no dead letter ${id}`);
  return 1;
}
