import type { DeadLetterSelection } from '@taskrouter/runtime';

export const USAGE = `usage: npm run dead-letters -- list  [--group G] [--id N | --stream S]
       npm run dead-letters -- retry (--id N | --stream S | --all) [--group G] [--wait]
       npm run dead-letters -- drop  (--id N | --stream S | --all) [--group G]

  --group G   a consumer group (e.g. taskrouter.workflow-evaluator) or the relay (outbox-relay:taskrouter.events)
  --id N      one dead letter; retry takes its whole stream, drop only it (the rest of its stream is then retried)
  --stream S  every dead letter of one stream (record key), e.g. task:WT...
  --all       every dead letter (of the group, with --group)
  --wait      after marking, wait up to 30 s for the services to retry and say what happened`;

export type DeadLetterCommand =
  | { command: 'list'; filter: { consumer?: string; id?: string; stream?: string } }
  | { command: 'retry'; selection: DeadLetterSelection; wait: boolean }
  | { command: 'drop'; selection: DeadLetterSelection };

export class UsageError extends Error {}

/** Reads the command line; a UsageError names what is wrong (the caller prints USAGE after it). */
export function parseDeadLetterArguments(argv: readonly string[]): DeadLetterCommand {
  const [command, ...rest] = argv;
  if (command !== 'list' && command !== 'retry' && command !== 'drop') {
    throw new UsageError(command === undefined ? 'a command is required' : `unknown command '${command}'`);
  }
  const options: { group?: string; id?: string; stream?: string; all?: boolean; wait?: boolean } = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--all' || flag === '--wait') {
      options[flag === '--all' ? 'all' : 'wait'] = true;
      continue;
    }
    if (flag !== '--group' && flag !== '--id' && flag !== '--stream') throw new UsageError(`unknown option '${flag}'`);
    const value = rest[++i];
    if (value === undefined || value.startsWith('--') || value === '') throw new UsageError(`${flag} needs a value`);
    options[flag.slice(2) as 'group' | 'id' | 'stream'] = value;
  }
  if (options.id !== undefined && !/^[1-9][0-9]{0,18}$/.test(options.id)) throw new UsageError(`--id must be a dead letter's number, got '${options.id}'`);
  if (options.wait && command !== 'retry') throw new UsageError('--wait goes with retry only');
  const consumer = options.group;
  const chosen = [options.id !== undefined, options.stream !== undefined, options.all === true].filter(Boolean).length;
  if (command === 'list') {
    if (options.all) throw new UsageError('list takes no --all (it lists everything without --id or --stream)');
    if (chosen > 1) throw new UsageError('give at most one of --id and --stream');
    return { command, filter: { consumer, id: options.id, stream: options.stream } };
  }
  // Retrying or dropping everything by accident must not be the default.
  if (chosen !== 1) throw new UsageError(`${command} needs exactly one of --id, --stream and --all`);
  const which: DeadLetterSelection = options.id !== undefined ? { id: options.id, consumer } : options.stream !== undefined ? { stream: options.stream, consumer } : { all: true, consumer };
  return command === 'retry' ? { command, selection: which, wait: options.wait === true } : { command, selection: which };
}
