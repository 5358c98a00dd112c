// The expression CLI as pure functions: argv in, text and exit code out. expr.ts only
// wires them to the process.
import {
  compileExpression,
  timeOfDayVariables,
  workerFactsFromFlatDocument,
  type BareKeyScope,
  type EvaluationContext,
} from '@taskrouter/expression';

export const USAGE = `usage: npm run -s expr -- '<expression>' [options]

  --task '<json>'      task attributes
  --worker '<json>'    worker document: sid, friendly_name, activity_sid, activity_name,
                       channel.<name>.<field> (multitasking) and any other key as an attribute
  --context '<json>'   {"taskrouter": {...}, "workers": {...}} for taskrouter.* and workers.*
  --at <ISO instant>   compute taskrouter.* from this instant (--context values win)
  --zone <zone>        time zone for --at: UTC (default), an IANA name, or minutes east of UTC
  --scope task|worker  what bare keys name (default: worker when --worker is given, else task)

prints true or false (exit 0), or error: <message> on stderr (exit 2)`;

export interface CliArguments {
  readonly expression: string;
  readonly task?: Record<string, unknown>;
  readonly worker?: Record<string, unknown>;
  readonly context?: { taskrouter?: Record<string, unknown>; workers?: Record<string, unknown> };
  readonly at?: Date;
  readonly zone: string | number;
  readonly bareKeys: BareKeyScope;
  readonly help: boolean;
}

export interface CliResult {
  readonly exitCode: 0 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

export class CliUsageError extends Error {}

const VALUE_OPTIONS = new Set(['--task', '--worker', '--context', '--at', '--zone', '--scope']);

export function parseCliArguments(argv: readonly string[]): CliArguments {
  const values = new Map<string, string>();
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--help' || argument === '-h') {
      help = true;
      continue;
    }
    if (argument === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (argument.startsWith('--')) {
      const equals = argument.indexOf('=');
      const name = equals === -1 ? argument : argument.slice(0, equals);
      if (!VALUE_OPTIONS.has(name)) throw new CliUsageError(`unknown option ${name}`);
      if (values.has(name)) throw new CliUsageError(`${name} given twice`);
      if (equals !== -1) {
        values.set(name, argument.slice(equals + 1));
      } else {
        if (i + 1 >= argv.length) throw new CliUsageError(`${name} needs a value`);
        values.set(name, argv[++i]);
      }
      continue;
    }
    positional.push(argument);
  }
  if (help) return { expression: '', zone: 'UTC', bareKeys: 'task', help: true };
  if (positional.length !== 1) throw new CliUsageError(positional.length === 0 ? 'give the expression to evaluate' : 'give exactly one expression (quote it)');

  const task = optionalObject(values.get('--task'), '--task');
  const worker = optionalObject(values.get('--worker'), '--worker');
  const context = optionalObject(values.get('--context'), '--context');
  if (context) {
    for (const name of Object.keys(context)) {
      if (name !== 'taskrouter' && name !== 'workers') throw new CliUsageError(`--context takes only "taskrouter" and "workers", not "${name}"`);
      if (!isObject(context[name])) throw new CliUsageError(`--context "${name}" must be a JSON object`);
    }
  }
  const scope = values.get('--scope');
  if (scope !== undefined && scope !== 'task' && scope !== 'worker') throw new CliUsageError('--scope must be task or worker');
  const atText = values.get('--at');
  const at = atText === undefined ? undefined : new Date(atText);
  if (at && Number.isNaN(at.getTime())) throw new CliUsageError(`--at is not a date: ${atText}`);
  const zoneText = values.get('--zone') ?? 'UTC';
  const zone = /^[+-]?\d+$/.test(zoneText) ? Number(zoneText) : zoneText;

  return {
    expression: positional[0],
    task,
    worker,
    context: context as CliArguments['context'],
    at,
    zone,
    bareKeys: scope ?? (worker ? 'worker' : 'task'),
    help: false,
  };
}

export function buildContext(args: CliArguments): EvaluationContext {
  const clock = args.at ? { ...timeOfDayVariables(args.at, args.zone) } : undefined;
  const taskrouter = clock || args.context?.taskrouter ? { ...clock, ...args.context?.taskrouter } : undefined;
  return {
    task: args.task,
    worker: args.worker ? workerFactsFromFlatDocument(args.worker) : undefined,
    taskrouter,
    workers: args.context?.workers,
  };
}

export function runExpressionCli(argv: readonly string[]): CliResult {
  try {
    const args = parseCliArguments(argv);
    if (args.help) return { exitCode: 0, stdout: `${USAGE}\n`, stderr: '' };
    const compiled = compileExpression(args.expression, { bareKeys: args.bareKeys });
    return { exitCode: 0, stdout: `${compiled.evaluate(buildContext(args))}\n`, stderr: '' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof CliUsageError ? `\n${USAGE}` : '';
    return { exitCode: 2, stdout: '', stderr: `error: ${message}\n${usage}${usage ? '\n' : ''}` };
  }
}

function optionalObject(text: string | undefined, option: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${option} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new CliUsageError(`${option} must be a JSON object`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
