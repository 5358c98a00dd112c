/**
 * What one steady-loop run measures: every figure has a flag (`--agents=100`) and an environment
 * variable (`STEADY_AGENTS=100`); a flag wins. `--quick` picks smaller defaults so the whole run,
 * service start included, stays under a minute; explicit flags still win over them.
 */
export interface SteadyLoopOptions {
  readonly quick: boolean;
  /** Workers of capacity 1 in the loop scenarios, spread evenly over the queues. */
  readonly agents: number;
  /** Queues `s0`..`s<n-1>`, each `skills HAS "s<i>"`, and one workflow filter per queue. */
  readonly queues: number;
  /** Closed loops: tasks kept in flight (created, not yet completed), one scenario each. */
  readonly inFlight: readonly number[];
  /** Open loops: tasks offered per second, one scenario each. */
  readonly rates: readonly number[];
  /** How long each scenario offers work, in seconds. */
  readonly durationS: number;
  /** A task not reserved this many seconds after its creation counts as "not reserved in time". */
  readonly reserveWithinS: number;
  /** Open loops: creates allowed outstanding at once; an offer beyond it is counted as dropped by the client. */
  readonly maxOutstanding: number;
  /** "Creation → reservation alone": workers of this capacity (the API's maximum is 50) that never finish. */
  readonly reserveCapacity: number;
  /** "Creation → reservation alone": concurrent creates. */
  readonly reserveConcurrency: number;
  /** Longest wait for the log to go quiet between scenarios, in seconds. */
  readonly settleS: number;
  /** BullMQ reference: jobs added (in `addBulk` batches of `bullmqBatch`) and worker concurrency. */
  readonly bullmqJobs: number;
  readonly bullmqBatch: number;
  readonly bullmqConcurrency: number;
  /** Scenario kinds to run: closed, open, reserve, bullmq. */
  readonly only: ReadonlySet<string>;
  /** Keep the run's schema and Redis keys for inspection (`--keep`); they are dropped otherwise. */
  readonly keep: boolean;
}

const KINDS = ['closed', 'open', 'reserve', 'bullmq'];

interface Source {
  readonly flags: Map<string, string>;
  readonly env: NodeJS.ProcessEnv;
}

function raw(source: Source, name: string): string | undefined {
  return source.flags.get(name) ?? source.env[`STEADY_${name.toUpperCase().replace(/-/g, '_')}`];
}

function positiveNumber(source: Source, name: string, fallback: number): number {
  const text = raw(source, name);
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not '${text}'`);
  return value;
}

function numberList(source: Source, name: string, fallback: readonly number[]): readonly number[] {
  const text = raw(source, name);
  if (text === undefined) return fallback;
  if (text.trim() === '' || text.trim() === 'none') return [];
  return text.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a comma-separated list of positive numbers, not '${text}'`);
    return value;
  });
}

/** Reads `--name=value` / `--name value` flags and STEADY_* variables. */
export function readSteadyLoopOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SteadyLoopOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}' (flags look like --agents=100)`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (name === 'quick' || name === 'keep') flags.set(name, inline ?? '1');
    else if (inline !== undefined) flags.set(name, inline);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(name, argv[++i]);
    else throw new Error(`--${name} needs a value`);
  }
  const source = { flags, env };
  const quickText = raw(source, 'quick');
  const quick = quickText !== undefined && quickText !== '0' && quickText !== 'false';
  const keepText = raw(source, 'keep');
  const keep = keepText !== undefined && keepText !== '0' && keepText !== 'false';
  const known = new Set(['quick', 'keep', 'agents', 'queues', 'in-flight', 'rates', 'duration', 'reserve-within', 'max-outstanding', 'reserve-capacity', 'reserve-concurrency', 'settle', 'bullmq-jobs', 'bullmq-batch', 'bullmq-concurrency', 'only']);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name} (known: ${[...known].map((k) => `--${k}`).join(', ')})`);

  const onlyText = raw(source, 'only');
  const only = new Set(onlyText ? onlyText.split(',').map((k) => k.trim()).filter(Boolean) : KINDS);
  for (const kind of only) if (!KINDS.includes(kind)) throw new Error(`--only takes ${KINDS.join(', ')}; not '${kind}'`);

  const options: SteadyLoopOptions = {
    quick,
    agents: Math.round(positiveNumber(source, 'agents', quick ? 20 : 100)),
    queues: Math.round(positiveNumber(source, 'queues', 10)),
    inFlight: numberList(source, 'in-flight', [32, 128]).map(Math.round),
    rates: numberList(source, 'rates', [150, 500]),
    durationS: positiveNumber(source, 'duration', quick ? 3 : 20),
    reserveWithinS: positiveNumber(source, 'reserve-within', quick ? 2 : 5),
    maxOutstanding: Math.round(positiveNumber(source, 'max-outstanding', 1000)),
    reserveCapacity: Math.round(positiveNumber(source, 'reserve-capacity', 50)),
    reserveConcurrency: Math.round(positiveNumber(source, 'reserve-concurrency', 32)),
    settleS: positiveNumber(source, 'settle', quick ? 3 : 60),
    bullmqJobs: Math.round(positiveNumber(source, 'bullmq-jobs', quick ? 5_000 : 20_000)),
    bullmqBatch: Math.round(positiveNumber(source, 'bullmq-batch', 500)),
    bullmqConcurrency: Math.round(positiveNumber(source, 'bullmq-concurrency', 50)),
    only,
    keep,
  };
  if (options.agents < options.queues) throw new Error(`--agents (${options.agents}) must be at least --queues (${options.queues}), so every queue has a worker`);
  if (options.reserveCapacity > 50) throw new Error('--reserve-capacity is at most 50 (the largest WorkerChannel Capacity the API takes; docs/limits.md)');
  return options;
}
